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
    calibration data, each `observe` records the range (and, for the
    histogram kind, a histogram) of the values flowing past, under its
    `name`. Calibration folding replaces it by `quantize`/`dequantize`. It
    writes statistics, so it is not removed as dead code.

    ```mlir
    %x1 = octet.observe %x {name = "conv1.in"} : tensor<1x3x32x32xf32>
    ```
  }];
  let arguments = (ins Octet_FloatTensor:$input, StrAttr:$name);
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

#endif // OCTET_IR_QUANTOPS_TD
