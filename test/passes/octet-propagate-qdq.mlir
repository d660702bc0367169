// RUN: octet-opt %s --split-input-file --octet-propagate-qdq --canonicalize | FileCheck %s

// A QDQ conv (u8 input, per-channel s8 weights, int32 bias, u8 output,
// fused relu) becomes conv2d_integer with the input zero point folded in,
// then ONNX's requantization: int32 + bias as f32, times the multiplier
// s_x * s_w[c] / s_y per channel (0.5 * 0.25 / 0.2 = 0.625 and
// 0.5 * 0.125 / 0.2 = 0.3125), relu, rounded and offset by a quantize of
// scale 1 with the output zero point; no float conv is left.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[M:.+]] = octet.constant dense<{{\[\[\[\[}}6.250000e-01]], {{\[\[}}3.125000e-01]]]]> : tensor<1x2x1x1xf32>
// CHECK-DAG: %[[B:.+]] = octet.constant dense<{{\[\[\[\[}}8.000000e+00]], {{\[\[}}-1.600000e+01]]]]> : tensor<1x2x1x1xf32>
// CHECK-DAG: %[[ZX:.+]] = octet.constant dense<128> : tensor<ui8>
// CHECK-DAG: %[[W:.+]] = octet.constant dense<{{\[\[\[\[}}2]]], {{\[\[\[}}-4]]]]> : tensor<2x1x1x1xi8>
// CHECK: %[[ACC:.+]] = octet.conv2d_integer %{{.+}}, %[[W]] input_zp %[[ZX]] : (tensor<1x1x3x3xui8>, tensor<2x1x1x1xi8>, tensor<ui8>) -> tensor<1x2x3x3xi32>
// CHECK: %[[F:.+]] = octet.cast %[[ACC]] : tensor<1x2x3x3xi32> to tensor<1x2x3x3xf32>
// CHECK: %[[S:.+]] = octet.add %[[F]], %[[B]]
// CHECK: %[[Y:.+]] = octet.mul %[[S]], %[[M]]
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
// scales, multiplier 0.1 * 0.5 / 0.05 = 1), with no zero point to fold.
// CHECK-LABEL: func.func @matmul
// CHECK: octet.matmul_integer %{{.+}}, %{{.+}} lhs_zp %{{.+}} : (tensor<2x3xi8>, tensor<3x2xi8>, tensor<i8>) -> tensor<2x2xi32>
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
