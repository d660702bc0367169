//===- QuantOps.td - Octet observers and quantization boundaries -*- tablegen -*-===//
//
// The ops the quantization passes insert and fold. Quantized tensors use
// the upstream `quant` dialect's uniform types, per tensor or per axis.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_IR_QUANTOPS_TD
#define OCTET_IR_QUANTOPS_TD

include "octet/IR/OctetBase.td"

def Octet_ObserveOp : Octet_Op<"observe",
    [SameOperandsAndResultType, MemoryEffects<[MemWrite]>]> {
  let summary = "Records activation statistics while calibration data runs";
  let description = [{
    Passes its input through unchanged. While an instrumented model runs on
    calibration data, each `observe` records statistics of the values
    flowing past, under its `name`: the range (`minmax`), the range
    averaged over samples (`moving_average_minmax`), or the range and a
    histogram of `bins` bins (`histogram`). `dtype` is the integer type the
    value will be quantized to (`u8` asymmetric, `s8` symmetric).
    Calibration folding replaces it by `quantize`/`dequantize`. It writes
    statistics, so it is not removed as dead code.

    ```mlir
    %x1 = octet.observe %x {name = "conv1.in"} : tensor<1x3x32x32xf32>
    %x2 = octet.observe %x {name = "fc.in", kind = #octet.observer<histogram>,
                            bins = 1024 : i64, dtype = #octet.dtype<s8>}
        : tensor<1x64xf32>
    ```
  }];
  let arguments = (ins
    Octet_FloatTensor:$input,
    StrAttr:$name,
    DefaultValuedAttr<Octet_ObserverKindAttr,
                      "::mlir::octet::ObserverKind::minmax">:$kind,
    DefaultValuedAttr<I64Attr, "2048">:$bins,
    DefaultValuedAttr<Octet_QuantDtypeAttr,
                      "::mlir::octet::QuantDtype::u8">:$dtype
  );
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Octet_QuantizeOp : Octet_PureOp<"quantize"> {
  let summary = "Quantizes floats to a uniform quantized type";
  let description = [{
    `q = clamp(round_half_even(x / scale) + zero_point, qmin, qmax)`, with
    the scale and zero point of the result's `!quant.uniform` element type:
    one pair per tensor, or one per slice along the per-axis dimension.

    ```mlir
    %q = octet.quantize %x : tensor<1x16xf32> -> tensor<1x16x!quant.uniform<u8:f32, 0.05:128>>
    ```
  }];
  let arguments = (ins Octet_FloatTensor:$input);
  let results = (outs Octet_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Octet_DequantizeOp : Octet_InferredOp<"dequantize"> {
  let summary = "Maps quantized values back to floats";
  let description = [{
    `x = scale · (q − zero_point)`, in the quantized type's expressed type.

    ```mlir
    %x = octet.dequantize %q : tensor<16x3x!quant.uniform<i8:f32:0, {0.1, 0.2, 0.3}>> -> tensor<16x3xf32>
    ```
  }];
  let arguments = (ins Octet_QuantTensor:$input);
  let results = (outs Octet_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Octet_RequantizeOp : Octet_PureOp<"requantize"> {
  let summary = "Converts between two quantized types of the same values";
  let description = [{
    Equivalent to `dequantize` then `quantize` into the result type, done in
    integer arithmetic by the backends (the exact recipe is in
    `docs/quantization.md`).

    ```mlir
    %r = octet.requantize %q : tensor<8x!quant.uniform<u8:f32, 0.1:128>>
                             -> tensor<8x!quant.uniform<u8:f32, 0.2:100>>
    ```
  }];
  let arguments = (ins Octet_QuantTensor:$input);
  let results = (outs Octet_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer forms (ONNX ConvInteger, MatMulInteger, DynamicQuantizeLinear)
//===----------------------------------------------------------------------===//

def Octet_Int8Tensor : StaticShapeTensorOf<[I8, UI8]>;

def Octet_Conv2DIntegerOp : Octet_InferredOp<"conv2d_integer",
    [AttrSizedOperandSegments]> {
  let summary = "2-D convolution of 8-bit integers, accumulated in int32";
  let description = [{
    ONNX `ConvInteger`: `(x − x_zero_point) ⋆ (w − w_zero_point)` with exact
    int32 accumulation, NCHW, with `conv2d`'s window attributes, plus the
    optional int32 `bias` (one per output channel, `[O]`) the sums start
    from. The input zero point is a scalar; the weight zero point a scalar
    or one per output channel (`[O]`). Absent zero points are 0. Padding
    holds the input zero point (it contributes nothing). All arithmetic
    wraps modulo 2^32, so any association of the sums gives the same bits.

    ```mlir
    %y = octet.conv2d_integer %x, %w input_zp %xz weight_zp %wz bias %b {pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<i8>, tensor<4xi32>) -> tensor<1x4x8x8xi32>
    ```
  }];
  let arguments = (ins
    Octet_Int8Tensor:$input,
    Octet_Int8Tensor:$weight,
    Optional<Octet_Int8Tensor>:$input_zero_point,
    Optional<Octet_Int8Tensor>:$weight_zero_point,
    Optional<StaticShapeTensorOf<[I32]>>:$bias,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
    DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
    DefaultValuedAttr<I64Attr, "1">:$group
  );
  let results = (outs StaticShapeTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $input `,` $weight (`input_zp` $input_zero_point^)?
    (`weight_zp` $weight_zero_point^)? (`bias` $bias^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Octet_MatMulIntegerOp : Octet_InferredOp<"matmul_integer",
    [AttrSizedOperandSegments]> {
  let summary = "Matrix product of 8-bit integers, accumulated in int32";
  let description = [{
    ONNX `MatMulInteger`: `(a − a_zero_point) · (b − b_zero_point)` with
    numpy matmul shapes and exact int32 accumulation, plus the optional
    int32 `bias` (one per column, `[N]`) the sums start from. `a_zero_point`
    is a scalar or one per row of `a` (`[M]`); `b_zero_point` a scalar or one
    per column of `b` (`[N]`). Absent zero points are 0. All arithmetic
    wraps modulo 2^32.

    ```mlir
    %y = octet.matmul_integer %a, %b lhs_zp %az rhs_zp %bz bias %c
        : (tensor<4x16xui8>, tensor<16x8xi8>, tensor<ui8>, tensor<8xi8>, tensor<8xi32>) -> tensor<4x8xi32>
    ```
  }];
  let arguments = (ins
    Octet_Int8Tensor:$lhs,
    Octet_Int8Tensor:$rhs,
    Optional<Octet_Int8Tensor>:$lhs_zero_point,
    Optional<Octet_Int8Tensor>:$rhs_zero_point,
    Optional<StaticShapeTensorOf<[I32]>>:$bias
  );
  let results = (outs StaticShapeTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`lhs_zp` $lhs_zero_point^)? (`rhs_zp` $rhs_zero_point^)?
    (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Octet_DynamicQuantizeLinearOp : Octet_InferredOp<"dynamic_quantize_linear"> {
  let summary = "Quantizes to uint8 with a scale computed from the data";
  let description = [{
    ONNX `DynamicQuantizeLinear`: the range `[min(x, 0), max(x, 0)]` maps to
    `[0, 255]`; `scale = (max − min) / 255`, `zero_point =
    saturate(round_half_even(−min / scale))`, `y = saturate(round_half_even(x
    / scale) + zero_point)`. Used by dynamic quantization, where activation
    scales are only known at run time.

    ```mlir
    %y, %scale, %zp = octet.dynamic_quantize_linear %x
        : tensor<4x16xf32> -> (tensor<4x16xui8>, tensor<f32>, tensor<ui8>)
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[F32]>:$input);
  let results = (outs StaticShapeTensorOf<[UI8]>:$output,
                      StaticShapeTensorOf<[F32]>:$scale,
                      StaticShapeTensorOf<[UI8]>:$zero_point);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` `(` type($output) `,` type($scale)
    `,` type($zero_point) `)`
  }];
}

#endif // OCTET_IR_QUANTOPS_TD
