//===- MathOps.td - Octet elementwise math, activations, reductions -*- tablegen -*-===//
//
// Elementwise ops (numpy-broadcasting binaries, unaries, activations) and
// reductions. Codegen lowers all of them to linalg.generic.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_IR_MATHOPS_TD
#define OCTET_IR_MATHOPS_TD

include "octet/IR/OctetBase.td"

//===----------------------------------------------------------------------===//
// Binary elementwise ops with numpy broadcasting
//===----------------------------------------------------------------------===//

class Octet_BinaryOp<string mnemonic, string formula>
    : Octet_InferredOp<mnemonic> {
  let summary = "Elementwise `" # formula # "` with numpy broadcasting";
  let description = [{
    Both operands have the same element type; their shapes broadcast as in
    numpy (trailing dimensions aligned, size-1 dimensions stretched).

    ```mlir
    %z = octet.}] # mnemonic # [{ %x, %y
        : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins Octet_FloatTensor:$lhs, Octet_FloatTensor:$rhs);
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Octet_AddOp : Octet_BinaryOp<"add", "lhs + rhs">;
def Octet_SubOp : Octet_BinaryOp<"sub", "lhs - rhs">;
def Octet_MulOp : Octet_BinaryOp<"mul", "lhs * rhs">;
def Octet_DivOp : Octet_BinaryOp<"div", "lhs / rhs">;
def Octet_PowOp : Octet_BinaryOp<"pow", "lhs ^ rhs">;

//===----------------------------------------------------------------------===//
// Unary elementwise ops and activations
//===----------------------------------------------------------------------===//

class Octet_UnaryOp<string mnemonic, string formula, dag extraArgs = (ins)>
    : Octet_PureOp<mnemonic, [Elementwise, SameOperandsAndResultType]> {
  let summary = "Elementwise `" # formula # "`";
  let description = [{
    ```mlir
    %y = octet.}] # mnemonic # [{ %x : tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = !con((ins Octet_FloatTensor:$input), extraArgs);
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Octet_SqrtOp : Octet_UnaryOp<"sqrt", "sqrt(x)">;
def Octet_ExpOp : Octet_UnaryOp<"exp", "exp(x)">;
def Octet_LogOp : Octet_UnaryOp<"log", "log(x)">;
def Octet_ErfOp : Octet_UnaryOp<"erf", "erf(x)">;
def Octet_NegOp : Octet_UnaryOp<"neg", "-x">;
def Octet_AbsOp : Octet_UnaryOp<"abs", "|x|">;
def Octet_ReluOp : Octet_UnaryOp<"relu", "max(x, 0)">;
def Octet_SigmoidOp : Octet_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def Octet_TanhOp : Octet_UnaryOp<"tanh", "tanh(x)">;
def Octet_HardSwishOp : Octet_UnaryOp<"hard_swish", "x * max(0, min(1, x / 6 + 1 / 2))">;

def Octet_ClipOp : Octet_UnaryOp<"clip", "min(max(x, min), max)",
    (ins F32Attr:$min, F32Attr:$max)> {
  let hasVerifier = 1;
}
def Octet_LeakyReluOp : Octet_UnaryOp<"leaky_relu", "x >= 0 ? x : alpha * x",
    (ins DefaultValuedAttr<F32Attr, "0.01">:$alpha)>;
def Octet_HardSigmoidOp : Octet_UnaryOp<"hard_sigmoid",
    "max(0, min(1, alpha * x + beta))",
    (ins DefaultValuedAttr<F32Attr, "0.2">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5">:$beta)>;
def Octet_GeluOp : Octet_UnaryOp<"gelu",
    "x / 2 * (1 + erf(x / sqrt(2))), or its tanh approximation",
    (ins DefaultValuedAttr<Octet_GeluApproximationAttr,
                           "::mlir::octet::GeluApproximation::none">:$approximate)>;

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Octet_ReduceOp<string mnemonic, string what>
    : Octet_InferredOp<mnemonic> {
  let summary = "The " # what # " over `axes` (all axes when empty)";
  let description = [{
    Reduced dimensions are kept with size 1 when `keepdims` is set (the
    default) and removed otherwise. `axes` are non-negative, sorted and
    unique.

    ```mlir
    %m = octet.}] # mnemonic # [{ %x {axes = array<i64: 2>}
        : tensor<1x128x768xf32> -> tensor<1x128x1xf32>
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$input,
    DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
    DefaultValuedAttr<BoolAttr, "true">:$keepdims
  );
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Octet_ReduceMeanOp : Octet_ReduceOp<"reduce_mean", "mean">;
def Octet_ReduceSumOp : Octet_ReduceOp<"reduce_sum", "sum">;
def Octet_ReduceMaxOp : Octet_ReduceOp<"reduce_max", "maximum">;

#endif // OCTET_IR_MATHOPS_TD
