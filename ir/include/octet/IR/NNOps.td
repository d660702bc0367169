//===- NNOps.td - Octet convolution, matmul, pooling, normalization -*- tablegen -*-===//
//
// The compute-heavy layers of a network: the ops codegen tiles and
// vectorizes, and the ones fusion and quantization rewrite.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_IR_NNOPS_TD
#define OCTET_IR_NNOPS_TD

include "octet/IR/OctetBase.td"

def Octet_Conv2DOp : Octet_InferredOp<"conv2d"> {
  let summary = "2-D convolution (NCHW), with optional bias and fused activation";
  let description = [{
    Cross-correlation of an NCHW `input` with an `[O, C/group, kH, kW]`
    `weight`, ONNX `Conv` semantics. `pads` is `[top, left, bottom, right]`.
    `group` splits channels; `group == C == O` is a depthwise convolution.
    An optional `bias` of shape `[O]` is added, then the optional fused
    `activation`.

    ```mlir
    %y = octet.conv2d %x, %w, %b {strides = array<i64: 2, 2>,
                                  pads = array<i64: 1, 1, 1, 1>,
                                  activation = #octet.act<relu>}
        : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
        -> tensor<1x16x16x16xf32>
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$input,
    Octet_FloatTensor:$weight,
    Optional<Octet_FloatTensor>:$bias,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<I64Attr, "1">:$group,
    OptionalAttr<Octet_ActivationAttr>:$activation
  );
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Octet_MatMulOp : Octet_InferredOp<"matmul"> {
  let summary = "Matrix product with numpy semantics (batched, broadcasting)";
  let description = [{
    `numpy.matmul`: rank-1 operands are promoted to matrices and the
    promoted dimension removed from the result; leading (batch) dimensions
    broadcast.

    ```mlir
    %y = octet.matmul %a, %b
        : (tensor<4x1x128x64xf32>, tensor<12x64x128xf32>) -> tensor<4x12x128x128xf32>
    ```
  }];
  let arguments = (ins Octet_FloatTensor:$lhs, Octet_FloatTensor:$rhs);
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Octet_GemmOp : Octet_InferredOp<"gemm"> {
  let summary = "General matrix multiply `alpha·op(A)·op(B) + beta·C`, fused activation";
  let description = [{
    ONNX `Gemm`: `A` and `B` are matrices, transposed first when `trans_a` /
    `trans_b` are set; the optional `C` broadcasts to `[M, N]`. The optional
    `activation` is applied last, which makes `gemm` the fused form of a
    fully connected layer.

    ```mlir
    %y = octet.gemm %x, %w, %b {trans_b = true, activation = #octet.act<relu>}
        : (tensor<64x1000xf32>, tensor<256x1000xf32>, tensor<256xf32>) -> tensor<64x256xf32>
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$a,
    Octet_FloatTensor:$b,
    Optional<Octet_FloatTensor>:$c,
    DefaultValuedAttr<F32Attr, "1.0">:$alpha,
    DefaultValuedAttr<F32Attr, "1.0">:$beta,
    DefaultValuedAttr<BoolAttr, "false">:$trans_a,
    DefaultValuedAttr<BoolAttr, "false">:$trans_b,
    OptionalAttr<Octet_ActivationAttr>:$activation
  );
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Octet_BatchNormOp : Octet_InferredOp<"batch_norm",
    [AllTypesMatch<["scale", "bias", "mean", "variance"]>]> {
  let summary = "Inference-mode batch normalization over the channel axis";
  let description = [{
    `y = scale · (x − mean) / sqrt(variance + epsilon) + bias`, with the four
    per-channel parameters of shape `[C]` broadcast along axis 1 of an
    `[N, C, ...]` input (ONNX `BatchNormalization`, inference form).

    ```mlir
    %y = octet.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
        : tensor<1x16x8x8xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$input,
    Octet_FloatTensor:$scale,
    Octet_FloatTensor:$bias,
    Octet_FloatTensor:$mean,
    Octet_FloatTensor:$variance,
    DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon
  );
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    type($input) `,` type($scale)
  }];
}

def Octet_LayerNormOp : Octet_InferredOp<"layer_norm"> {
  let summary = "Layer normalization over the trailing axes from `axis`";
  let description = [{
    ONNX `LayerNormalization`: mean and variance are taken over dimensions
    `axis..rank-1`; `scale` (and the optional `bias`) have exactly those
    trailing dimensions.

    ```mlir
    %y = octet.layer_norm %x, %gamma, %beta {axis = 2 : i64}
        : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$input,
    Octet_FloatTensor:$scale,
    Optional<Octet_FloatTensor>:$bias,
    I64Attr:$axis,
    DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon
  );
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

class Octet_PoolOp<string mnemonic> : Octet_InferredOp<mnemonic> {
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Octet_MaxPoolOp : Octet_PoolOp<"max_pool"> {
  let summary = "2-D max pooling (NCHW)";
  let description = [{
    ONNX `MaxPool` over the two spatial dimensions; padded positions never
    win. `pads` is `[top, left, bottom, right]`; `ceil_mode` rounds the
    output size up. On `i8` (signed) or `ui8` (unsigned) tensors it pools
    the storage integers of a quantized tensor, which is exact because
    quantization preserves order.

    ```mlir
    %y = octet.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                            pads = array<i64: 1, 1, 1, 1>}
        : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins
    Octet_MaxPoolTensor:$input,
    DenseI64ArrayAttr:$kernel_shape,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<BoolAttr, "false">:$ceil_mode
  );
  let results = (outs Octet_MaxPoolTensor:$output);
}

def Octet_AvgPoolOp : Octet_PoolOp<"avg_pool"> {
  let summary = "2-D average pooling (NCHW)";
  let description = [{
    ONNX `AveragePool`; padded positions count towards the divisor only
    when `count_include_pad` is set.

    ```mlir
    %y = octet.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
        : tensor<1x8x4x4xf32> -> tensor<1x8x2x2xf32>
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$input,
    DenseI64ArrayAttr:$kernel_shape,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
    DefaultValuedAttr<BoolAttr, "false">:$count_include_pad
  );
}

def Octet_GlobalAvgPoolOp : Octet_PoolOp<"global_avg_pool"> {
  let summary = "Average over all spatial dimensions, kept as size 1";
  let description = [{
    ```mlir
    %y = octet.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins Octet_FloatTensor:$input);
}

class Octet_SoftmaxBase<string mnemonic>
    : Octet_PureOp<mnemonic, [SameOperandsAndResultType]> {
  let arguments = (ins Octet_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Octet_SoftmaxOp : Octet_SoftmaxBase<"softmax"> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x − max) / Σ exp(x − max)` along `axis` (opset-13 semantics; the
    importer rewrites the older flattening form).

    ```mlir
    %y = octet.softmax %x {axis = 1 : i64} : tensor<1x10xf32>
    ```
  }];
}

def Octet_LogSoftmaxOp : Octet_SoftmaxBase<"log_softmax"> {
  let summary = "Log of softmax along one axis";
  let description = [{
    ```mlir
    %y = octet.log_softmax %x {axis = 1 : i64} : tensor<1x10xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

def Octet_GruOp : Octet_InferredOp<"gru", [AttrSizedOperandSegments]> {
  let summary = "Gated recurrent unit layer (ONNX GRU, layout 0)";
  let description = [{
    `x` is `[seq, batch, input]`; `w` is `[dirs, 3·hidden, input]` and `r`
    `[dirs, 3·hidden, hidden]`, gates in z, r, h order; the optional `bias`
    is `[dirs, 6·hidden]` (Wb then Rb) and `initial_h` `[dirs, batch,
    hidden]`. Gate activations are ONNX's defaults (sigmoid, tanh). Results
    are all hidden states `y` `[seq, dirs, batch, hidden]` and the last one
    `y_h` `[dirs, batch, hidden]`.

    Dynamically quantized (`octet-quantize-dynamic`): `w` and `r` may be
    int8, symmetric, with one scale per row (quantized dimension 1, shared
    by the directions). Then every product with them runs on integers: the
    activation it multiplies (`x`, then each step's state) is quantized at
    run time to u8 over its own range including 0 (as
    `dynamic_quantize_linear`), multiplied in int32 and scaled back to
    float by the activation scale times the row's scale. Gates, biases and
    states stay float.

    ```mlir
    %y, %y_h = octet.gru %x, %w, %r bias %b {hidden_size = 32 : i64}
        : (tensor<24x1x4xf32>, tensor<1x96x4xf32>, tensor<1x96x32xf32>, tensor<1x192xf32>)
        -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$x,
    Octet_RnnWeightTensor:$w,
    Octet_RnnWeightTensor:$r,
    Optional<Octet_FloatTensor>:$bias,
    Optional<Octet_FloatTensor>:$initial_h,
    I64Attr:$hidden_size,
    DefaultValuedAttr<Octet_RnnDirectionAttr, "::mlir::octet::RnnDirection::forward">:$direction,
    DefaultValuedAttr<BoolAttr, "false">:$linear_before_reset
  );
  let results = (outs Octet_FloatTensor:$y, Octet_FloatTensor:$y_h);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $x `,` $w `,` $r (`bias` $bias^)? (`initial_h` $initial_h^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Octet_LstmOp : Octet_InferredOp<"lstm", [AttrSizedOperandSegments]> {
  let summary = "Long short-term memory layer (ONNX LSTM, layout 0)";
  let description = [{
    Like `gru` with four gates in i, o, f, c order: `w` is `[dirs, 4·hidden,
    input]`, `r` `[dirs, 4·hidden, hidden]`, the optional `bias` `[dirs,
    8·hidden]`, `initial_h`/`initial_c` `[dirs, batch, hidden]` and
    `peepholes` `[dirs, 3·hidden]`. Results: `y`, `y_h` and the last cell
    state `y_c`.

    ```mlir
    %y, %h, %c = octet.lstm %x, %w, %r {hidden_size = 16 : i64}
        : (tensor<10x2x8xf32>, tensor<1x64x8xf32>, tensor<1x64x16xf32>)
        -> (tensor<10x1x2x16xf32>, tensor<1x2x16xf32>, tensor<1x2x16xf32>)
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$x,
    Octet_RnnWeightTensor:$w,
    Octet_RnnWeightTensor:$r,
    Optional<Octet_FloatTensor>:$bias,
    Optional<Octet_FloatTensor>:$initial_h,
    Optional<Octet_FloatTensor>:$initial_c,
    Optional<Octet_FloatTensor>:$peepholes,
    I64Attr:$hidden_size,
    DefaultValuedAttr<Octet_RnnDirectionAttr, "::mlir::octet::RnnDirection::forward">:$direction
  );
  let results = (outs Octet_FloatTensor:$y, Octet_FloatTensor:$y_h,
                      Octet_FloatTensor:$y_c);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $x `,` $w `,` $r (`bias` $bias^)? (`initial_h` $initial_h^)?
    (`initial_c` $initial_c^)? (`peepholes` $peepholes^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // OCTET_IR_NNOPS_TD
