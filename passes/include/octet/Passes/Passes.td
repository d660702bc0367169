//===- Passes.td - Octet graph passes --------------------------*- tablegen -*-===//

#ifndef OCTET_PASSES_PASSES_TD
#define OCTET_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def OctetFoldBatchNormPass : Pass<"octet-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference batch normalization into the preceding conv or gemm";
  let description = [{
    `batch_norm(conv2d(x, w, b))` with constant weight, bias and batch-norm
    parameters becomes one `conv2d(x, w', b')` with
    `w' = w·γ/√(σ²+ε)` per output channel and `b' = (b−μ)·γ/√(σ²+ε)+β`,
    computed in double precision and rounded once. The same holds for a
    2-D `gemm` (output channel = column) and a 2-D `matmul`, which becomes
    a `gemm` with the folded bias. Nothing is folded when the producer has
    other users, already carries an activation (the normalization would
    have to come first), when a gemm bias varies along rows, or when any
    parameter is not a constant.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect"];
  let statistics = [
    Statistic<"numFolded", "folded", "Batch normalizations folded">,
  ];
}

def OctetFuseActivationPass : Pass<"octet-fuse-activation", "func::FuncOp"> {
  let summary = "Fuse bias adds and activations into conv2d and gemm";
  let description = [{
    Rewrites, so that one kernel does the whole layer:
    - `add(conv2d(x, w[, b]), c)` with a constant per-channel `c` (shape
      `[O]`-broadcastable along the channel axis) → `conv2d(x, w, b + c)`;
    - `add(matmul(x, w), c)` on matrices → `gemm(x, w, c)`, and a bias add
      after a `gemm` without one → its `c`;
    - `act(conv2d | gemm)` → the producer with `activation = #octet.act<...>`
      for relu, clip, leaky_relu, sigmoid, hard_sigmoid and hard_swish;
      on a 2-D `matmul` the result is a `gemm`.
    A relu or clip after a producer that already clamps (relu, clip) merges
    into one clip when the two intervals overlap — torch exports ReLU6 as
    Relu then Clip. Nothing is fused when the producer has other users,
    already carries another activation, or the activation has no fused
    form (tanh, gelu, ...).
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect"];
  let statistics = [
    Statistic<"numBiases", "biases", "Bias adds fused">,
    Statistic<"numActivations", "activations", "Activations fused">,
  ];
}

def OctetFoldConstantsPass : Pass<"octet-fold-constants", "func::FuncOp"> {
  let summary = "Evaluate ops whose operands are all constants";
  let description = [{
    Replaces an op whose operands are all `octet.constant` by a constant
    holding its result: elementwise math (in double precision, rounded
    once), casts, and data movement (transpose, reshape-likes, concat,
    slice, pad, gather) — the weight transposes and shape computations
    exported models are full of. A `gemm` operand that is a constant stored
    transposed (`trans_a`/`trans_b`, as ONNX writes Linear weights) is
    transposed here once, so the kernel reads it in order at run time.
    A result is materialized only when it has
    at most `max-elements` elements or is no larger than its operands
    together, so a huge constant expression (an Expand of a scalar, say) is
    never created.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect"];
  let options = [
    Option<"maxElements", "max-elements", "int64_t", /*default=*/"1 << 20",
           "Largest result (elements) created beyond its operands' size">,
  ];
  let statistics = [
    Statistic<"numFolded", "folded", "Ops evaluated to constants">,
    Statistic<"numTooLarge", "too-large", "Ops left alone for their size">,
  ];
}

def OctetInsertObserversPass : Pass<"octet-insert-observers", "func::FuncOp"> {
  let summary = "Observe every activation that static int8 quantization will quantize";
  let description = [{
    After fusion, puts an `octet.observe` on each float input and result of
    the ops int8 kernels compute (conv2d, gemm, matmul, add, concat,
    max/avg/global-avg pool), once per value, named after the ONNX node
    that produces it (or the model input). Weights (constants) are not
    observed: their ranges are read from the constants. Ops whose node name
    is in `skip` stay float: their values are not observed for them.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect"];
  let options = [
    Option<"observer", "observer", "std::string", /*default=*/"\"minmax\"",
           "minmax, moving-average-minmax or histogram">,
    Option<"bins", "bins", "int64_t", /*default=*/"2048",
           "Histogram bins (histogram observers)">,
    Option<"dtype", "dtype", "std::string", /*default=*/"\"u8\"",
           "Activation type: u8 (asymmetric) or s8 (symmetric)">,
    ListOption<"skip", "skip", "std::string",
               "Node names of layers to keep in float">,
  ];
  let statistics = [
    Statistic<"numObservers", "observers", "Observers inserted">,
  ];
}

def OctetFoldCalibrationPass : Pass<"octet-fold-calibration", "func::FuncOp"> {
  let summary = "Replace observers by quantize/dequantize with calibrated ranges";
  let description = [{
    Reads the statistics calibration recorded (`stats`, JSON) and replaces
    each `octet.observe` by `quantize` then `dequantize` with a scale and
    zero point from the range the `method` chooses: `minmax`, or from a
    histogram `percentile`, `entropy` (the KL-divergence threshold search of
    TensorRT's calibrator) or `mse` (least expected squared error). The range always contains 0, so zero is
    exact: `u8` activations are asymmetric, `scale = (hi - lo) / 255`,
    `zero_point = round(-lo / scale)`; `s8` ones symmetric,
    `scale = max(|lo|, |hi|) / 127`, zero point 0.

    The constant weights of conv2d/gemm/matmul whose input is now quantized
    become int8 constants (per output channel, symmetric, in [-127, 127];
    `per-tensor-weights` for one scale), and their constant biases int32
    with scale `s_in · s_w`, each behind a `dequantize`: the model is the
    exact quantized model in QDQ form, which `octet-propagate-qdq` turns
    into integer kernels.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect",
                           "::mlir::quant::QuantDialect"];
  let options = [
    Option<"statsFile", "stats", "std::string", /*default=*/"",
           "Calibration statistics (JSON, as octetc --save-stats writes)">,
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "minmax, or with histograms percentile, entropy or mse">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile of values kept on each side (percentile method)">,
    Option<"perTensorWeights", "per-tensor-weights", "bool",
           /*default=*/"false", "One weight scale per tensor, not per channel">,
  ];
  let statistics = [
    Statistic<"numActivations", "activations", "Activations quantized">,
    Statistic<"numWeights", "weights", "Weights quantized">,
  ];
}

def OctetPropagateQdqPass : Pass<"octet-propagate-qdq", "func::FuncOp"> {
  let summary = "Fold dequantize -> conv2d/gemm/matmul -> quantize into integer ops";
  let description = [{
    `quantize(conv2d(dequantize(x), dequantize(w), dequantize(b)))` with a
    per-tensor u8/s8 input and output, s8 weights (per tensor or per output
    channel, zero point 0) and an int32 bias of scale `s_x · s_w` becomes
    `conv2d_integer` (exact int32 accumulation, the input zero point folded
    in) plus the requantization ONNX specifies: the int32 sum with the bias
    converted to f32, multiplied by the f32 multiplier `s_x · s_w / s_y` of
    its output channel, the fused relu/clip applied in that scaled domain,
    rounded half to even, offset by the output zero point and saturated.
    2-D gemm/matmul become `matmul_integer` the same way. Also cancels
    `quantize(dequantize(q))` to `q` when the types agree (a `requantize`
    when only scales differ). Anything else stays as it is, in float.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect",
                           "::mlir::quant::QuantDialect"];
  let statistics = [
    Statistic<"numFolded", "folded", "Layers turned into integer ops">,
  ];
}

def OctetQuantizeDynamicPass : Pass<"octet-quantize-dynamic", "func::FuncOp"> {
  let summary = "Dynamic int8 quantization of gemm/matmul with constant weights";
  let description = [{
    Weights are quantized once, here: int8, symmetric, one scale per output
    column (as octet-fold-calibration does). The activation is quantized at
    run time, per call, by `dynamic_quantize_linear` (u8 over its own
    range), so no calibration is needed: `matmul_integer` accumulates in
    int32, then the result is scaled back to float by `s_x · s_w[n]` (the
    run-time activation scale times the weight scale), the float bias added
    and the fused activation applied. For models whose activation ranges
    vary from call to call (transformers, recurrent layers' inputs).

    GRU and LSTM layers with constant weights get int8 `w` and `r` (one
    scale per row, shared by the directions); their lowering then quantizes
    the input and each step's state at run time the same way.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect",
                           "::mlir::quant::QuantDialect"];
  let statistics = [
    Statistic<"numQuantized", "quantized", "Layers quantized">,
  ];
}

def OctetQuantizeIoPass : Pass<"octet-quantize-io", "func::FuncOp"> {
  let summary = "Quantized model inputs and outputs (8-bit storage in the C API)";
  let description = [{
    An input whose every use quantizes it into one 8-bit per-tensor type
    becomes that type's storage (`ui8` for unsigned, `i8` for signed): the
    caller quantizes. An output that is the dequantize of such a type is
    returned as its storage: the caller dequantizes. Each changed argument
    or result gets `octet.quantized = <the quantized element type>`, from
    which the generated header's descriptors carry the scale and zero
    point. Inputs and outputs that are not quantized stay as they are.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect",
                           "::mlir::quant::QuantDialect"];
  let statistics = [
    Statistic<"numInputs", "inputs", "Inputs made quantized">,
    Statistic<"numOutputs", "outputs", "Outputs made quantized">,
  ];
}

#endif // OCTET_PASSES_PASSES_TD
