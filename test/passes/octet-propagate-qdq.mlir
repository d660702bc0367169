// RUN: octet-opt %s --split-input-file --octet-propagate-qdq --canonicalize | FileCheck %s

// A QDQ conv (u8 input, per-channel s8 weights, int32 bias, u8 output,
// fused relu) becomes conv2d_integer of the stored integers, starting from
// the int32 bias with the input zero point folded in (b − z_x·Σw: 8 − 128·2
// = −248, −16 − 128·(−4) = 496), then ONNX's requantization: the int32 sum
// as f32, times the multiplier s_x * s_w[c] / s_y per channel (0.5 * 0.25 /
// 0.2 = 0.625 and 0.5 * 0.125 / 0.2 = 0.3125), relu, rounded and offset by
// a quantize of scale 1 with the output zero point; no float conv is left.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[M:.+]] = octet.constant dense<{{\[\[\[\[}}6.250000e-01]], {{\[\[}}3.125000e-01]]]]> : tensor<1x2x1x1xf32>
// CHECK-DAG: %[[B:.+]] = octet.constant dense<[-248, 496]> : tensor<2xi32>
// CHECK-DAG: %[[W:.+]] = octet.constant dense<{{\[\[\[\[}}2]]], {{\[\[\[}}-4]]]]> : tensor<2x1x1x1xi8>
// CHECK: %[[ACC:.+]] = octet.conv2d_integer %{{.+}}, %[[W]] bias %[[B]] : (tensor<1x1x3x3xui8>, tensor<2x1x1x1xi8>, tensor<2xi32>) -> tensor<1x2x3x3xi32>
// CHECK: %[[F:.+]] = octet.cast %[[ACC]] : tensor<1x2x3x3xi32> to tensor<1x2x3x3xf32>
// CHECK: %[[Y:.+]] = octet.mul %[[F]], %[[M]]
// CHECK: %[[R:.+]] = octet.relu %[[Y]]
// CHECK: octet.quantize %[[R]] : tensor<1x2x3x3xf32> -> tensor<1x2x3x3x!quant.uniform<u8:f32, 1.000000e+00:100>>
// CHECK-NOT: octet.conv2d %
func.func @conv(%s: tensor<1x1x3x3xi8>) -> tensor<1x2x3x3xi8> {
  %qx = quant.scast %s : tensor<1x1x3x3xi8> to tensor<1x1x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %x = octet.dequantize %qx : tensor<1x1x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x1x3x3xf32>
  %w8 = octet.constant dense<[[[[2]]], [[[-4]]]]> : tensor<2x1x1x1xi8>
  %qw = quant.scast %w8 : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01}>>
  %w = octet.dequantize %qw : tensor<2x1x1x1x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01}>> -> tensor<2x1x1x1xf32>
  %b32 = octet.constant dense<[8, -16]> : tensor<2xi32>
  %qb = quant.scast %b32 : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>
  %b = octet.dequantize %qb : tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>> -> tensor<2xf32>
  %c = octet.conv2d %x, %w, %b {activation = #octet.act<relu>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %q = octet.quantize %c : tensor<1x2x3x3xf32> -> tensor<1x2x3x3x!quant.uniform<u8:f32, 2.000000e-01:100>>
  %o = quant.scast %q : tensor<1x2x3x3x!quant.uniform<u8:f32, 2.000000e-01:100>> to tensor<1x2x3x3xi8>
  return %o : tensor<1x2x3x3xi8>
}

// -----

// A QDQ matmul with an s8 input becomes matmul_integer (per-column weight
// scales, multiplier 0.1 * 0.5 / 0.05 = 1), with no zero point to fold and
// no bias.
// CHECK-LABEL: func.func @matmul
// CHECK: octet.matmul_integer %{{.+}}, %{{.+}} : (tensor<2x3xi8>, tensor<3x2xi8>) -> tensor<2x2xi32>
// CHECK: octet.mul
// CHECK-NOT: octet.matmul %
func.func @matmul(%s: tensor<2x3xi8>) -> tensor<2x2xi8> {
  %qa = quant.scast %s : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 1.000000e-01>>
  %a = octet.dequantize %qa : tensor<2x3x!quant.uniform<i8:f32, 1.000000e-01>> -> tensor<2x3xf32>
  %w8 = octet.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %qw = quant.scast %w8 : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8:f32:1, {5.000000e-01,5.000000e-01}>>
  %w = octet.dequantize %qw : tensor<3x2x!quant.uniform<i8:f32:1, {5.000000e-01,5.000000e-01}>> -> tensor<3x2xf32>
  %m = octet.matmul %a, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %q = octet.quantize %m : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<i8:f32, 5.000000e-02>>
  %o = quant.scast %q : tensor<2x2x!quant.uniform<i8:f32, 5.000000e-02>> to tensor<2x2xi8>
  return %o : tensor<2x2xi8>
}

// -----

// Not folded: a float (unquantized) weight, a sigmoid the integer epilogue
// cannot apply; dequantize then quantize into the same type cancels.
// CHECK-LABEL: func.func @kept
// CHECK: octet.conv2d
// CHECK: octet.conv2d
// CHECK-NOT: octet.dequantize %{{.+}} : tensor<4x!quant
// CHECK: return %{{.+}}, %{{.+}}, %arg1 :
func.func @kept(%x: tensor<1x1x2x2xf32>, %q: tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>)
    -> (tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>>, tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>>, tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>) {
  %qx = octet.quantize %x : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>>
  %dx = octet.dequantize %qx : tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>> -> tensor<1x1x2x2xf32>
  %wf = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c0 = octet.conv2d %dx, %wf : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %q0 = octet.quantize %c0 : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>>
  %w8 = octet.constant dense<1> : tensor<1x1x1x1xi8>
  %qw = quant.scast %w8 : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!quant.uniform<i8:f32, 1.000000e+00>>
  %w = octet.dequantize %qw : tensor<1x1x1x1x!quant.uniform<i8:f32, 1.000000e+00>> -> tensor<1x1x1x1xf32>
  %c1 = octet.conv2d %dx, %w {activation = #octet.act<sigmoid>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %q1 = octet.quantize %c1 : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>>
  %d = octet.dequantize %q : tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>> -> tensor<4xf32>
  %r = octet.quantize %d : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
  return %q0, %q1, %r : tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>>, tensor<1x1x2x2x!quant.uniform<u8:f32, 1.000000e-01>>, tensor<4x!quant.uniform<u8:f32, 1.000000e-01:3>>
}

// -----

// Value-preserving ops run on the quantized integers: max pooling compares
// u8 storage as ui8; a reshape keeps the type; a constant pad fills with
// the quantized pad value (0.0 -> the zero point 128); a concat requantizes
// the input whose scale differs from the result's. No float op is left.
// CHECK-LABEL: func.func @data_movement
// CHECK: %[[U:.+]] = octet.cast %{{.+}} : tensor<1x1x4x4xi8> to tensor<1x1x4x4xui8>
// CHECK: %[[P:.+]] = octet.max_pool %[[U]] {{.+}} : tensor<1x1x4x4xui8> -> tensor<1x1x2x2xui8>
// CHECK: octet.cast %[[P]] : tensor<1x1x2x2xui8> to tensor<1x1x2x2xi8>
// CHECK: octet.pad %{{.+}} {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 1.280000e+02 : f32} : tensor<1x1x2x2xi8> -> tensor<1x1x4x4xi8>
// CHECK: octet.reshape %{{.+}} : tensor<1x1x4x4xi8> -> tensor<1x16xi8>
// CHECK: %[[R:.+]] = octet.requantize %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 2.500000e-01:128>> -> tensor<1x16x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: octet.concat %{{.+}}, %{{.+}} {axis = 1 : i64} : (tensor<1x16xi8>, tensor<1x16xi8>) -> tensor<1x32xi8>
// CHECK-NOT: octet.dequantize
// CHECK-NOT: octet.quantize
func.func @data_movement(%s: tensor<1x1x4x4xi8>, %t: tensor<1x16xi8>) -> tensor<1x32xi8> {
  %qx = quant.scast %s : tensor<1x1x4x4xi8> to tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %x = octet.dequantize %qx : tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x1x4x4xf32>
  %p = octet.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  %qp = octet.quantize %p : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %dp = octet.dequantize %qp : tensor<1x1x2x2x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x1x2x2xf32>
  %pad = octet.pad %dp {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>} : tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf32>
  %qpad = octet.quantize %pad : tensor<1x1x4x4xf32> -> tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %dpad = octet.dequantize %qpad : tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x1x4x4xf32>
  %r = octet.reshape %dpad : tensor<1x1x4x4xf32> -> tensor<1x16xf32>
  %qr = octet.quantize %r : tensor<1x16xf32> -> tensor<1x16x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %dr = octet.dequantize %qr : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x16xf32>
  %qt = quant.scast %t : tensor<1x16xi8> to tensor<1x16x!quant.uniform<u8:f32, 2.500000e-01:128>>
  %dt = octet.dequantize %qt : tensor<1x16x!quant.uniform<u8:f32, 2.500000e-01:128>> -> tensor<1x16xf32>
  %c = octet.concat %dr, %dt {axis = 1 : i64} : (tensor<1x16xf32>, tensor<1x16xf32>) -> tensor<1x32xf32>
  %qc = octet.quantize %c : tensor<1x32xf32> -> tensor<1x32x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %o = quant.scast %qc : tensor<1x32x!quant.uniform<u8:f32, 5.000000e-01:128>> to tensor<1x32xi8>
  return %o : tensor<1x32xi8>
}

// -----

// A QDQ add followed by relu becomes the integer add: each input centred
// and scaled by s_in / s_out (0.5 / 0.25 = 2, 0.25 / 0.25 = 1), summed, the
// relu, then the quantize of scale 1 with the output zero point.
// CHECK-LABEL: func.func @add_relu
// CHECK-DAG: %[[TWO:.+]] = octet.constant dense<2.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONE:.+]] = octet.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ZA:.+]] = octet.constant dense<1.280000e+02> : tensor<f32>
// CHECK-DAG: %[[ZB:.+]] = octet.constant dense<1.000000e+01> : tensor<f32>
// CHECK: %[[A:.+]] = octet.cast %{{.+}} : tensor<2x2xui8> to tensor<2x2xf32>
// CHECK: %[[AC:.+]] = octet.sub %[[A]], %[[ZA]]
// CHECK: %[[AS:.+]] = octet.mul %[[AC]], %[[TWO]]
// CHECK: %[[B:.+]] = octet.cast %{{.+}} : tensor<2x2xui8> to tensor<2x2xf32>
// CHECK: %[[BC:.+]] = octet.sub %[[B]], %[[ZB]]
// CHECK: %[[BS:.+]] = octet.mul %[[BC]], %[[ONE]]
// CHECK: %[[S:.+]] = octet.add %[[AS]], %[[BS]]
// CHECK: %[[R:.+]] = octet.relu %[[S]]
// CHECK: octet.quantize %[[R]] : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u8:f32, 1.000000e+00:3>>
func.func @add_relu(%s: tensor<2x2xi8>, %t: tensor<2x2xi8>) -> tensor<2x2xi8> {
  %qa = quant.scast %s : tensor<2x2xi8> to tensor<2x2x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %a = octet.dequantize %qa : tensor<2x2x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<2x2xf32>
  %qb = quant.scast %t : tensor<2x2xi8> to tensor<2x2x!quant.uniform<u8:f32, 2.500000e-01:10>>
  %b = octet.dequantize %qb : tensor<2x2x!quant.uniform<u8:f32, 2.500000e-01:10>> -> tensor<2x2xf32>
  %sum = octet.add %a, %b : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = octet.relu %sum : tensor<2x2xf32>
  %q = octet.quantize %r : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %o = quant.scast %q : tensor<2x2x!quant.uniform<u8:f32, 2.500000e-01:3>> to tensor<2x2xi8>
  return %o : tensor<2x2xi8>
}

// -----

// Average pools become a depthwise conv2d_integer with all-one weights
// (the zero point folded into the bias: −128·4 and −128·16), requantized by
// s_x / (count * s_y): 0.5 / (4 * 0.25) = 0.5 for the 2x2 window,
// 0.5 / (16 * 0.25) = 0.125 for the global one. One whose padding counts
// pads explicitly with the zero point; one that does not count its padding
// has a varying divisor and stays float.
// CHECK-LABEL: func.func @pools
// CHECK-DAG: %[[ONES2:.+]] = octet.constant dense<1> : tensor<3x1x2x2xi8>
// CHECK-DAG: %[[ONES4:.+]] = octet.constant dense<1> : tensor<3x1x4x4xi8>
// CHECK-DAG: %[[B2:.+]] = octet.constant dense<-512> : tensor<3xi32>
// CHECK-DAG: %[[B4:.+]] = octet.constant dense<-2048> : tensor<3xi32>
// CHECK-DAG: %[[HALF:.+]] = octet.constant dense<5.000000e-01> : tensor<1x3x1x1xf32>
// CHECK-DAG: %[[EIGHTH:.+]] = octet.constant dense<1.250000e-01> : tensor<1x3x1x1xf32>
// CHECK: %[[S2:.+]] = octet.conv2d_integer %{{.+}}, %[[ONES2]] bias %[[B2]] {group = 3 : i64, strides = array<i64: 2, 2>}
// CHECK: octet.cast %[[S2]]
// CHECK: octet.mul %{{.+}}, %[[HALF]]
// CHECK: %[[S4:.+]] = octet.conv2d_integer %{{.+}}, %[[ONES4]] bias %[[B4]] {group = 3 : i64}
// CHECK: octet.mul %{{.+}}, %[[EIGHTH]]
// CHECK: %[[P:.+]] = octet.pad %{{.+}} {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 1.280000e+02 : f32} : tensor<1x3x4x4xui8> -> tensor<1x3x6x6xui8>
// CHECK: octet.conv2d_integer %[[P]], %{{.+}} bias %{{.+}} {group = 3 : i64}
// CHECK: octet.avg_pool %{{.+}} {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>}
func.func @pools(%s: tensor<1x3x4x4xi8>) -> (tensor<1x3x2x2xi8>, tensor<1x3x1x1xi8>, tensor<1x3x4x4xi8>, tensor<1x3x4x4xi8>) {
  %qx = quant.scast %s : tensor<1x3x4x4xi8> to tensor<1x3x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %x = octet.dequantize %qx : tensor<1x3x4x4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x3x4x4xf32>
  %a = octet.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x4x4xf32> -> tensor<1x3x2x2xf32>
  %qa = octet.quantize %a : tensor<1x3x2x2xf32> -> tensor<1x3x2x2x!quant.uniform<u8:f32, 2.500000e-01:128>>
  %oa = quant.scast %qa : tensor<1x3x2x2x!quant.uniform<u8:f32, 2.500000e-01:128>> to tensor<1x3x2x2xi8>
  %g = octet.global_avg_pool %x : tensor<1x3x4x4xf32> -> tensor<1x3x1x1xf32>
  %qg = octet.quantize %g : tensor<1x3x1x1xf32> -> tensor<1x3x1x1x!quant.uniform<u8:f32, 2.500000e-01:128>>
  %og = quant.scast %qg : tensor<1x3x1x1x!quant.uniform<u8:f32, 2.500000e-01:128>> to tensor<1x3x1x1xi8>
  %c = octet.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  %qc = octet.quantize %c : tensor<1x3x4x4xf32> -> tensor<1x3x4x4x!quant.uniform<u8:f32, 2.500000e-01:128>>
  %oc = quant.scast %qc : tensor<1x3x4x4x!quant.uniform<u8:f32, 2.500000e-01:128>> to tensor<1x3x4x4xi8>
  %v = octet.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4xf32>
  %qv = octet.quantize %v : tensor<1x3x4x4xf32> -> tensor<1x3x4x4x!quant.uniform<u8:f32, 2.500000e-01:128>>
  %ov = quant.scast %qv : tensor<1x3x4x4x!quant.uniform<u8:f32, 2.500000e-01:128>> to tensor<1x3x4x4xi8>
  return %oa, %og, %oc, %ov : tensor<1x3x2x2xi8>, tensor<1x3x1x1xi8>, tensor<1x3x4x4xi8>, tensor<1x3x4x4xi8>
}

// -----

// A QDQ gemm with trans_b (ONNX Linear: weights [N, K], quantized per row)
// becomes matmul_integer on the transposed int8 constant, per-column
// multipliers (0.5 · 0.25 / 0.125 = 1, 0.5 · 0.5 / 0.125 = 2), the zero
// point folded into the bias (0 − 10·(1 + 3) = −40, 0 − 10·(2 + 4) = −60).
// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[W:.+]] = octet.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi8>
// CHECK-DAG: %[[B:.+]] = octet.constant dense<[-40, -60]> : tensor<2xi32>
// CHECK-DAG: %[[M:.+]] = octet.constant dense<{{\[}}[1.000000e+00, 2.000000e+00]]> : tensor<1x2xf32>
// CHECK: octet.matmul_integer %{{.+}}, %[[W]] bias %[[B]] : (tensor<1x2xui8>, tensor<2x2xi8>, tensor<2xi32>) -> tensor<1x2xi32>
// CHECK-NOT: octet.gemm
func.func @linear(%s: tensor<1x2xi8>) -> tensor<1x2xi8> {
  %qa = quant.scast %s : tensor<1x2xi8> to tensor<1x2x!quant.uniform<u8:f32, 5.000000e-01:10>>
  %a = octet.dequantize %qa : tensor<1x2x!quant.uniform<u8:f32, 5.000000e-01:10>> -> tensor<1x2xf32>
  %w8 = octet.constant dense<[[1, 3], [2, 4]]> : tensor<2x2xi8>
  %qw = quant.scast %w8 : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32:0, {2.500000e-01,5.000000e-01}>>
  %w = octet.dequantize %qw : tensor<2x2x!quant.uniform<i8:f32:0, {2.500000e-01,5.000000e-01}>> -> tensor<2x2xf32>
  %g = octet.gemm %a, %w {trans_b = true} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %q = octet.quantize %g : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 1.250000e-01:7>>
  %o = quant.scast %q : tensor<1x2x!quant.uniform<u8:f32, 1.250000e-01:7>> to tensor<1x2xi8>
  return %o : tensor<1x2xi8>
}

// -----

// Not folded: a bias whose scale is not s_x·s_w (10 instead of 0.125) and
// u8 weights (their bytes are not signed int8): both keep the float conv.
// CHECK-LABEL: func.func @bad_constants
// CHECK-COUNT-2: octet.conv2d %
// CHECK-NOT: conv2d_integer
func.func @bad_constants(%s: tensor<1x1x3x3xi8>) -> (tensor<1x1x3x3xi8>, tensor<1x1x3x3xi8>) {
  %qx = quant.scast %s : tensor<1x1x3x3xi8> to tensor<1x1x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %x = octet.dequantize %qx : tensor<1x1x3x3x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x1x3x3xf32>
  %w8 = octet.constant dense<2> : tensor<1x1x1x1xi8>
  %qw = quant.scast %w8 : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!quant.uniform<i8:f32, 2.500000e-01>>
  %w = octet.dequantize %qw : tensor<1x1x1x1x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<1x1x1x1xf32>
  %b32 = octet.constant dense<8> : tensor<1xi32>
  %qb = quant.scast %b32 : tensor<1xi32> to tensor<1x!quant.uniform<i32:f32, 1.000000e+01>>
  %b = octet.dequantize %qb : tensor<1x!quant.uniform<i32:f32, 1.000000e+01>> -> tensor<1xf32>
  %c = octet.conv2d %x, %w, %b : (tensor<1x1x3x3xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x3x3xf32>
  %q = octet.quantize %c : tensor<1x1x3x3xf32> -> tensor<1x1x3x3x!quant.uniform<u8:f32, 2.000000e-01:100>>
  %o = quant.scast %q : tensor<1x1x3x3x!quant.uniform<u8:f32, 2.000000e-01:100>> to tensor<1x1x3x3xi8>
  %u8 = octet.constant dense<-56> : tensor<1x1x1x1xi8>
  %qu = quant.scast %u8 : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!quant.uniform<u8:f32, 2.500000e-01>>
  %u = octet.dequantize %qu : tensor<1x1x1x1x!quant.uniform<u8:f32, 2.500000e-01>> -> tensor<1x1x1x1xf32>
  %d = octet.conv2d %x, %u : (tensor<1x1x3x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x3x3xf32>
  %p = octet.quantize %d : tensor<1x1x3x3xf32> -> tensor<1x1x3x3x!quant.uniform<u8:f32, 2.000000e-01:100>>
  %r = quant.scast %p : tensor<1x1x3x3x!quant.uniform<u8:f32, 2.000000e-01:100>> to tensor<1x1x3x3xi8>
  return %o, %r : tensor<1x1x3x3xi8>, tensor<1x1x3x3xi8>
}

// -----

// An integer add of a rank-0 operand (a layer norm's epsilon) keeps its
// shape: the scalar constants broadcast.
// CHECK-LABEL: func.func @add_scalar
// CHECK: octet.sub %{{.+}}, %{{.+}} : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK: octet.add %{{.+}}, %{{.+}} : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
func.func @add_scalar(%s: tensor<2xi8>, %t: tensor<i8>) -> tensor<2xi8> {
  %qa = quant.scast %s : tensor<2xi8> to tensor<2x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %a = octet.dequantize %qa : tensor<2x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<2xf32>
  %qb = quant.scast %t : tensor<i8> to tensor<!quant.uniform<u8:f32, 2.500000e-01:10>>
  %b = octet.dequantize %qb : tensor<!quant.uniform<u8:f32, 2.500000e-01:10>> -> tensor<f32>
  %sum = octet.add %a, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %q = octet.quantize %sum : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 2.500000e-01:3>>
  %o = quant.scast %q : tensor<2x!quant.uniform<u8:f32, 2.500000e-01:3>> to tensor<2xi8>
  return %o : tensor<2xi8>
}

// -----

// A batched matmul of two 8-bit activations (attention's Q·Kᵀ) becomes
// matmul_integer with both zero points (u8 132 and s8 −3), no bias, and
// the requantization by s_a · s_b / s_y = 0.5 · 0.25 / 0.125 = 1.
// CHECK-LABEL: func.func @dynamic_matmul
// CHECK-DAG: %[[ZA:.+]] = octet.constant dense<132> : tensor<ui8>
// CHECK-DAG: %[[ZB:.+]] = octet.constant dense<-3> : tensor<i8>
// CHECK-DAG: %[[M:.+]] = octet.constant dense<1.000000e+00> : tensor<1x1x1xf32>
// CHECK: %[[ACC:.+]] = octet.matmul_integer %{{.+}}, %{{.+}} lhs_zp %[[ZA]] rhs_zp %[[ZB]] : (tensor<2x3x4xui8>, tensor<2x4x5xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x3x5xi32>
// CHECK: %[[F:.+]] = octet.cast %[[ACC]]
// CHECK: octet.mul %[[F]], %[[M]]
// CHECK-NOT: octet.matmul %
func.func @dynamic_matmul(%s: tensor<2x3x4xi8>, %t: tensor<2x4x5xi8>) -> tensor<2x3x5xi8> {
  %qa = quant.scast %s : tensor<2x3x4xi8> to tensor<2x3x4x!quant.uniform<u8:f32, 0.5:132>>
  %qb = quant.scast %t : tensor<2x4x5xi8> to tensor<2x4x5x!quant.uniform<i8:f32, 0.25:-3>>
  %a = octet.dequantize %qa : tensor<2x3x4x!quant.uniform<u8:f32, 0.5:132>> -> tensor<2x3x4xf32>
  %b = octet.dequantize %qb : tensor<2x4x5x!quant.uniform<i8:f32, 0.25:-3>> -> tensor<2x4x5xf32>
  %m = octet.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %q = octet.quantize %m : tensor<2x3x5xf32> -> tensor<2x3x5x!quant.uniform<u8:f32, 0.125:10>>
  %r = quant.scast %q : tensor<2x3x5x!quant.uniform<u8:f32, 0.125:10>> to tensor<2x3x5xi8>
  return %r : tensor<2x3x5xi8>
}
