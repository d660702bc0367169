// RUN: octet-opt %s --split-input-file --verify-diagnostics --octet-fold-calibration="stats=%S/Inputs/calibration-stats.json" | FileCheck %s
// RUN: octet-opt %S/Inputs/fold-calibration-percentile.mlir --split-input-file --verify-diagnostics --octet-fold-calibration="stats=%S/Inputs/calibration-stats.json method=percentile percentile=99" | FileCheck %s --check-prefix=PCT

// u8 activations: x in [-1, 1.55] -> scale 2.55/255 = 0.01, zero point 100;
// the conv output in [0, 5.1] -> scale 0.02, zero point 0. Weights per
// output channel, symmetric, max |w| -> 127: channel 0 [2, -1] has scale
// 2/127, channel 1 [0.5, 0.25] scale 0.5/127. The bias is int32 with scale
// s_in * s_w: 1.0 / (0.01 * 2/127) = 6350, 0.5 / (0.01 * 0.5/127) = 12700.
// RUN: octet-opt %S/Inputs/fold-calibration-search.mlir --octet-fold-calibration="stats=%S/Inputs/calibration-stats.json method=mse" | FileCheck %s --check-prefix=MSE
// RUN: octet-opt %S/Inputs/fold-calibration-search.mlir --octet-fold-calibration="stats=%S/Inputs/calibration-stats.json method=entropy" | FileCheck %s --check-prefix=KL
// RUN: not octet-opt %S/Inputs/fold-calibration-search.mlir --octet-fold-calibration="stats=%S/Inputs/calibration-stats.json method=median" 2>&1 | FileCheck %s --check-prefix=BAD

// The searches on a histogram of 4002 values, all but two in [-1, 1] and
// those two at -10 and 10: clipping them would cost 2·9² of squared error,
// far more than the finer rounding saves (4000·(0.078² − 0.008²)/12), so
// mse keeps almost the whole range ([-9.85, 9.85]); so does the KL search,
// as the two outliers carry information the clipped distribution lacks.
// MSE: octet.quantize %{{.+}} -> tensor<4x!quant.uniform<u8:f32, 0.077254901960784328:127>>
// KL: octet.quantize %{{.+}} -> tensor<4x!quant.uniform<u8:f32, 0.078431372549019607:128>>
// BAD: unknown method 'median' (minmax, percentile, entropy, mse)

// CHECK-LABEL: func.func @conv
// Each quantize names the observer whose statistics chose it (for the
// report).
// CHECK: %[[QX:.+]] = octet.quantize %{{.+}} {octet.observer = "x"} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.0099999999999999984:100>>
// CHECK: %[[X:.+]] = octet.dequantize %[[QX]]
// CHECK: %[[W8:.+]] = octet.constant dense<{{\[\[\[\[}}127]], {{\[\[}}-64]]], {{\[\[\[}}127]], {{\[\[}}64]]]]> : tensor<2x2x1x1xi8>
// CHECK: %[[WQ:.+]] = quant.scast %[[W8]] : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.015748031496062992,0.003937007874015748}>>
// CHECK: %[[W:.+]] = octet.dequantize %[[WQ]]
// CHECK: %[[B32:.+]] = octet.constant dense<[6350, 12700]> : tensor<2xi32>
// CHECK: %[[B:.+]] = octet.dequantize
// CHECK: %[[C:.+]] = octet.conv2d %[[X]], %[[W]], %[[B]]
// CHECK: octet.quantize %[[C]] {octet.observer = "conv"} : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.019999999999999997>>
// CHECK-NOT: octet.observe
func.func @conv(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = octet.constant dense<[[[[2.0]], [[-1.0]]], [[[0.5]], [[0.25]]]]> : tensor<2x2x1x1xf32>
  %b = octet.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %ox = octet.observe %x {name = "x"} : tensor<1x2x2x2xf32>
  %c = octet.conv2d %ox, %w, %b : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %oc = octet.observe %c {name = "conv"} : tensor<1x2x2x2xf32>
  return %oc : tensor<1x2x2x2xf32>
}

// -----

// s8 activations are symmetric: max(|-1|, |1.55|) / 127, zero point 0.
// minmax on a histogram observer uses its range, [-10, 10].
// Percentile 99 on the histogram (10 bins over [-10, 10], in
// Inputs/fold-calibration-percentile.mlir) drops the one outlier at each
// end and the empty bins next to it: kept [-2, 2].
// CHECK-LABEL: func.func @symmetric
// CHECK: octet.quantize %{{.+}} -> tensor<4x!quant.uniform<i8:f32, 0.012204724409448819>>
// CHECK: octet.quantize %{{.+}} -> tensor<4x!quant.uniform<u8:f32, 0.078431372549019607:128>>
// PCT-LABEL: func.func @percentile
// PCT: octet.quantize %{{.+}} -> tensor<4x!quant.uniform<u8:f32, 0.015686274509803921:128>>
func.func @symmetric(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %o = octet.observe %x {name = "x", dtype = #octet.dtype<s8>} : tensor<4xf32>
  %h = octet.observe %x {name = "hist", kind = #octet.observer<histogram>, bins = 10 : i64} : tensor<4xf32>
  return %o, %h : tensor<4xf32>, tensor<4xf32>
}

// -----

// What a value-preserving op makes of a quantized value keeps its type,
// without statistics of its own ("pool" has none): max pooling and a zero
// pad stay inside the input's range. A pad with another value may leave it
// and is quantized from its own statistics ("conv": [0, 5.1] -> 0.02).
// CHECK-LABEL: func.func @inherited
// CHECK: %[[QX:.+]] = octet.quantize %{{.+}} {octet.observer = "x"} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4x!quant.uniform<u8:f32, 0.0099999999999999984:100>>
// CHECK: octet.max_pool
// CHECK: octet.quantize %{{.+}} {octet.observer = "pool"} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!quant.uniform<u8:f32, 0.0099999999999999984:100>>
// CHECK: octet.pad
// CHECK: octet.quantize %{{.+}} {octet.observer = "zero_pad"} : tensor<1x1x6x6xf32> -> tensor<1x1x6x6x!quant.uniform<u8:f32, 0.0099999999999999984:100>>
// CHECK: octet.pad
// CHECK: octet.quantize %{{.+}} {octet.observer = "conv"} : tensor<1x1x6x6xf32> -> tensor<1x1x6x6x!quant.uniform<u8:f32, 0.019999999999999997>>
func.func @inherited(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>) {
  %ox = octet.observe %x {name = "x"} : tensor<1x1x4x4xf32>
  %p = octet.max_pool %ox {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  %op = octet.observe %p {name = "pool"} : tensor<1x1x2x2xf32>
  %z = octet.pad %ox {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x1x6x6xf32>
  %oz = octet.observe %z {name = "zero_pad"} : tensor<1x1x6x6xf32>
  %v = octet.pad %ox {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 5.0 : f32} : tensor<1x1x4x4xf32> -> tensor<1x1x6x6xf32>
  %ov = octet.observe %v {name = "conv"} : tensor<1x1x6x6xf32>
  return %op, %oz, %ov : tensor<1x1x2x2xf32>, tensor<1x1x6x6xf32>, tensor<1x1x6x6xf32>
}

// -----

func.func @missing(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{no calibration statistics for observer 'nowhere'}}
  %o = octet.observe %x {name = "nowhere"} : tensor<4xf32>
  return %o : tensor<4xf32>
}
