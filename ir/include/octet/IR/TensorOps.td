//===- TensorOps.td - Octet constants and data-movement ops -*- tablegen -*-===//
//
// Ops that move or reinterpret data without arithmetic: the ones quantize /
// dequantize propagation may pass through unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_IR_TENSOROPS_TD
#define OCTET_IR_TENSOROPS_TD

include "octet/IR/OctetBase.td"

def Octet_ConstantOp : Octet_PureOp<"constant",
    [ConstantLike, AllTypesMatch<["value", "output"]>]> {
  let summary = "A constant tensor (weights, biases, shape data)";
  let description = [{
    Weights are held as `dense_resource` blobs so that large models neither
    bloat the printed IR nor slow down parsing; small constants may be
    `dense`.

    ```mlir
    %w = octet.constant dense_resource<conv1_w> : tensor<16x3x3x3xf32>
    %b = octet.constant dense<0.0> : tensor<16xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Octet_CastOp : Octet_PureOp<"cast", [Elementwise]> {
  let summary = "Elementwise conversion between integer and float element types";
  let description = [{
    ONNX `Cast`: float to integer truncates toward zero, integer to float
    rounds to nearest. Shapes are unchanged.

    ```mlir
    %y = octet.cast %x : tensor<4xi64> to tensor<4xf32>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[AnyInteger, AnyFloat]>:$input);
  let results = (outs StaticShapeTensorOf<[AnyInteger, AnyFloat]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasFolder = 1;
}

def Octet_ReshapeOp : Octet_PureOp<"reshape"> {
  let summary = "Reinterprets a tensor with another static shape";
  let description = [{
    The element type and element count are unchanged; the target shape is
    the result type (the importer resolves ONNX's `0` and `-1` entries).

    ```mlir
    %y = octet.reshape %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Octet_AnyStaticTensor:$input);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Octet_FlattenOp : Octet_InferredOp<"flatten"> {
  let summary = "Collapses a tensor to 2-D around `axis`";
  let description = [{
    The result is `[prod(dims[0:axis]), prod(dims[axis:])]` (ONNX `Flatten`);
    `0 <= axis <= rank`.

    ```mlir
    %y = octet.flatten %x {axis = 1 : i64} : tensor<1x64x7x7xf32> -> tensor<1x3136xf32>
    ```
  }];
  let arguments = (ins Octet_AnyStaticTensor:$input,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasCanonicalizeMethod = 1;
}

def Octet_TransposeOp : Octet_InferredOp<"transpose"> {
  let summary = "Permutes dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    ```mlir
    %y = octet.transpose %x {perm = array<i64: 0, 2, 1, 3>}
        : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
    ```
  }];
  let arguments = (ins Octet_AnyStaticTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Octet_ConcatOp : Octet_InferredOp<"concat"> {
  let summary = "Joins tensors along `axis`";
  let description = [{
    All inputs have the same element type, rank and dimensions except along
    `axis`.

    ```mlir
    %y = octet.concat %a, %b {axis = 1 : i64}
        : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>) -> tensor<1x48x8x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Octet_AnyStaticTensor>:$inputs, I64Attr:$axis);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Octet_SliceOp : Octet_InferredOp<"slice"> {
  let summary = "Strided slice with one start/end/step per dimension";
  let description = [{
    The normalized form of ONNX `Slice`: every dimension has an entry, and
    bounds are already clamped. For `step > 0`, `0 <= start, end <= dim`; for
    `step < 0`, `0 <= start < dim` and `-1 <= end < dim`. Dimension `d` of
    the result is `max(0, ceil((end − start) / step))`.

    ```mlir
    %y = octet.slice %x {starts = array<i64: 0, 2>, ends = array<i64: 4, 8>,
                         steps = array<i64: 1, 2>}
        : tensor<4x8xf32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins
    Octet_AnyStaticTensor:$input,
    DenseI64ArrayAttr:$starts,
    DenseI64ArrayAttr:$ends,
    DenseI64ArrayAttr:$steps
  );
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Octet_PadOp : Octet_InferredOp<"pad"> {
  let summary = "Pads a tensor with a constant, reflected or replicated border";
  let description = [{
    `pads` holds the begin padding of every dimension, then the end padding
    (ONNX order); entries are non-negative. `value` fills `constant` mode.

    ```mlir
    %y = octet.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = #octet.pad_mode<reflect>}
        : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
    ```
  }];
  let arguments = (ins
    Octet_AnyStaticTensor:$input,
    DenseI64ArrayAttr:$pads,
    DefaultValuedAttr<Octet_PadModeAttr, "::mlir::octet::PadMode::constant">:$mode,
    DefaultValuedAttr<F32Attr, "0.0">:$value
  );
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Octet_SqueezeOp : Octet_InferredOp<"squeeze"> {
  let summary = "Removes size-1 dimensions";
  let description = [{
    Removes the listed `axes` (each of size 1), or every size-1 dimension
    when `axes` is empty.

    ```mlir
    %y = octet.squeeze %x {axes = array<i64: 2, 3>} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Octet_AnyStaticTensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasCanonicalizeMethod = 1;
}

def Octet_UnsqueezeOp : Octet_InferredOp<"unsqueeze"> {
  let summary = "Inserts size-1 dimensions";
  let description = [{
    `axes` index the result: each becomes a new dimension of size 1.

    ```mlir
    %y = octet.unsqueeze %x {axes = array<i64: 0>} : tensor<16xf32> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins Octet_AnyStaticTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasCanonicalizeMethod = 1;
}

def Octet_GatherOp : Octet_InferredOp<"gather"> {
  let summary = "Gathers slices of `data` along `axis` at `indices`";
  let description = [{
    ONNX `Gather`: the result shape is `data.shape[:axis] + indices.shape +
    data.shape[axis+1:]`. Negative indices count from the end; an index out
    of range is undefined behaviour that generated code clamps.

    ```mlir
    %e = octet.gather %table, %ids {axis = 0 : i64}
        : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins Octet_AnyStaticTensor:$data, Octet_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Octet_AnyStaticTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

#endif // OCTET_IR_TENSOROPS_TD
