//===- OctetBase.td - Octet dialect, base classes and attributes -*- tablegen -*-===//
//
// The dialect definition, the op base classes every op family derives from,
// and the attributes shared between families.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_IR_OCTETBASE_TD
#define OCTET_IR_OCTETBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"

def Octet_Dialect : Dialect {
  let name = "octet";
  let cppNamespace = "::mlir::octet";
  let summary = "Tensor-level neural-network ops for ahead-of-time compilation";
  let description = [{
    The `octet` dialect models inference (and later training) graphs as pure
    ops on static-shaped tensors. Front ends (ONNX, the C++ builder DSL)
    produce it; graph passes (fusion, quantization, pruning) rewrite it; code
    generation lowers it through linalg to LLVM. Quantized tensors use the
    upstream `quant` dialect's element types.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Octet_FloatTensor : StaticShapeTensorOf<[AnyFloat]>;
def Octet_IndexTensor : StaticShapeTensorOf<[I32, I64]>;
def Octet_AnyStaticTensor : StaticShapeTensorOf<[AnyType]>;
def Octet_QuantTensor : StaticShapeTensorOf<[quant_QuantizedType]>;
// Max pooling also runs on the 8-bit storage of quantized tensors.
def Octet_MaxPoolTensor : StaticShapeTensorOf<[AnyFloat, I8, UI8]>;
// Recurrent weights may be int8 with per-row scales (dynamic quantization).
def Octet_RnnWeightTensor : StaticShapeTensorOf<[AnyFloat, quant_QuantizedType]>;

//===----------------------------------------------------------------------===//
// Enums and attributes
//===----------------------------------------------------------------------===//

def Octet_ActivationKind : I32EnumAttr<"ActivationKind",
    "activation fused into a producing op", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"relu", 1>,
      I32EnumAttrCase<"clip", 2>,
      I32EnumAttrCase<"leaky_relu", 3>,
      I32EnumAttrCase<"sigmoid", 4>,
      I32EnumAttrCase<"hard_sigmoid", 5>,
      I32EnumAttrCase<"hard_swish", 6>,
    ]> {
  let cppNamespace = "::mlir::octet";
  let genSpecializedAttr = 0;
}

/// A floating-point attribute parameter, zero by default (printed only
/// when set).
def Octet_FloatParameter : AttrParameter<"::llvm::APFloat", "a float, 0 by default"> {
  let parser = [{ [&]() -> ::mlir::FailureOr<::llvm::APFloat> {
    double value;
    if (::mlir::failed($_parser.parseFloat(value)))
      return ::mlir::failure();
    return ::llvm::APFloat(value);
  }() }];
  let printer = [{ $_printer.printFloat($_self) }];
  let defaultValue = "::llvm::APFloat(0.0)";
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
}

def Octet_ActivationAttr : AttrDef<Octet_Dialect, "Activation"> {
  let mnemonic = "act";
  let summary = "An elementwise activation applied to an op's result";
  let description = [{
    Carried by ops that fuse an activation into their epilogue (conv2d,
    gemm, matmul). The two parameters mean, per kind: `clip` min/max;
    `leaky_relu` alpha (in `alpha`); `hard_sigmoid` alpha/beta. Unused
    parameters are zero.

    ```mlir
    #octet.act<relu>
    #octet.act<clip, 0.0, 6.0>
    ```
  }];
  let parameters = (ins
    EnumParameter<Octet_ActivationKind>:$kind,
    Octet_FloatParameter:$alpha,
    Octet_FloatParameter:$beta
  );
  // Parameters print as a pair whenever either is set (clip to [0, 6] has a
  // zero min), which the declarative format cannot express.
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

def Octet_RnnDirection : I32EnumAttr<"RnnDirection",
    "direction of a recurrent layer", [
      I32EnumAttrCase<"forward", 0>,
      I32EnumAttrCase<"reverse", 1>,
      I32EnumAttrCase<"bidirectional", 2>,
    ]> {
  let cppNamespace = "::mlir::octet";
  let genSpecializedAttr = 0;
}
def Octet_RnnDirectionAttr : EnumAttr<Octet_Dialect, Octet_RnnDirection, "rnn_direction"> {
  let assemblyFormat = "`<` $value `>`";
}

def Octet_PadMode : I32EnumAttr<"PadMode", "how pad fills the border", [
      I32EnumAttrCase<"constant", 0>,
      I32EnumAttrCase<"reflect", 1>,
      I32EnumAttrCase<"edge", 2>,
    ]> {
  let cppNamespace = "::mlir::octet";
  let genSpecializedAttr = 0;
}
def Octet_PadModeAttr : EnumAttr<Octet_Dialect, Octet_PadMode, "pad_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def Octet_ObserverKind : I32EnumAttr<"ObserverKind",
    "what an observer records", [
      I32EnumAttrCase<"minmax", 0>,
      I32EnumAttrCase<"moving_average_minmax", 1>,
      I32EnumAttrCase<"histogram", 2>,
    ]> {
  let cppNamespace = "::mlir::octet";
  let genSpecializedAttr = 0;
}
def Octet_ObserverKindAttr : EnumAttr<Octet_Dialect, Octet_ObserverKind, "observer"> {
  let assemblyFormat = "`<` $value `>`";
}

def Octet_QuantDtype : I32EnumAttr<"QuantDtype",
    "8-bit integer type of a quantized activation", [
      I32EnumAttrCase<"u8", 0>,
      I32EnumAttrCase<"s8", 1>,
    ]> {
  let cppNamespace = "::mlir::octet";
  let genSpecializedAttr = 0;
}
def Octet_QuantDtypeAttr : EnumAttr<Octet_Dialect, Octet_QuantDtype, "dtype"> {
  let assemblyFormat = "`<` $value `>`";
}

def Octet_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "approximation used by gelu", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"tanh", 1>,
    ]> {
  let cppNamespace = "::mlir::octet";
  let genSpecializedAttr = 0;
}
def Octet_GeluApproximationAttr : EnumAttr<Octet_Dialect, Octet_GeluApproximation, "gelu_approximation"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

class Octet_Op<string mnemonic, list<Trait> traits = []>
    : Op<Octet_Dialect, mnemonic, traits>;

/// Value-semantics ops: no side effects, so CSE and DCE apply.
class Octet_PureOp<string mnemonic, list<Trait> traits = []>
    : Octet_Op<mnemonic, !listconcat(traits, [Pure])>;

/// Pure ops whose result type follows from operands and attributes through
/// the shared shape functions in ShapeInference.h.
class Octet_InferredOp<string mnemonic, list<Trait> traits = []>
    : Octet_PureOp<mnemonic, !listconcat(traits, [InferTypeOpAdaptor])>;

#endif // OCTET_IR_OCTETBASE_TD
