// RUN: octet-opt %s --split-input-file --octet-quantize-dynamic | FileCheck %s

// The weight is quantized here, per column: column 0 [2, -1] -> scale
// 2/127, [127, -64]; column 1 [0.5, 0.25] -> scale 0.5/127, [127, 64]. The
// activation's scale and zero point come from dynamic_quantize_linear at
// run time; the multiplier per column is their product.
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[X:.+]]: tensor<3x2xf32>)
// CHECK: %[[Q:.+]], %[[S:.+]], %[[Z:.+]] = octet.dynamic_quantize_linear %[[X]] : tensor<3x2xf32> -> (tensor<3x2xui8>, tensor<f32>, tensor<ui8>)
// CHECK: %[[W:.+]] = octet.constant dense<{{\[}}[127, 127], [-64, 64]]> : tensor<2x2xi8>
// CHECK: %[[ACC:.+]] = octet.matmul_integer %[[Q]], %[[W]] lhs_zp %[[Z]]
// CHECK: %[[F:.+]] = octet.cast %[[ACC]] : tensor<3x2xi32> to tensor<3x2xf32>
// CHECK: %[[SW:.+]] = octet.constant dense<[0.0157480314, 0.00393700786]> : tensor<2xf32>
// CHECK: %[[M:.+]] = octet.mul %[[S]], %[[SW]] : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK: %[[Y:.+]] = octet.mul %[[F]], %[[M]]
// CHECK: %[[B:.+]] = octet.add %[[Y]], %{{.+}}
// CHECK: octet.relu %[[B]]
// CHECK-NOT: octet.gemm
func.func @gemm(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = octet.constant dense<[[2.0, 0.5], [-1.0, 0.25]]> : tensor<2x2xf32>
  %b = octet.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = octet.gemm %x, %w, %b {activation = #octet.act<relu>} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Runtime weights (attention's Q·Kᵀ) and transposed operands stay float.
// CHECK-LABEL: func.func @kept
// CHECK: octet.matmul
// CHECK: octet.gemm
// CHECK-NOT: dynamic_quantize_linear
func.func @kept(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %m = octet.matmul %a, %b : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %w = octet.constant dense<1.0> : tensor<2x2xf32>
  %g = octet.gemm %a, %w {trans_a = true} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %m, %g : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A GRU/LSTM with constant weights gets int8 w and r, one scale per row,
// max |w| of the row over both directions / 127: rows (1, 4), (0.5, -2),
// (2, 1) give scales 4/127, 2/127, 2/127. The layer stays a gru; its
// lowering quantizes x and the state at run time.
// CHECK-LABEL: func.func @gru
// CHECK: %[[W:.+]] = octet.constant dense<{{\[\[\[}}32], [32], [127]], {{\[\[}}127], [-127], [64]]]> : tensor<2x3x1xi8>
// CHECK: %[[QW:.+]] = quant.scast %[[W]] : tensor<2x3x1xi8> to tensor<2x3x1x!quant.uniform<i8<-127:127>:f32:1, {0.031496062992125984,0.015748031496062992,0.015748031496062992}>>
// CHECK: %[[QR:.+]] = quant.scast %{{.+}} : tensor<2x3x1xi8> to tensor<2x3x1x!quant.uniform<i8<-127:127>:f32:1,
// CHECK: octet.gru %{{.+}}, %[[QW]], %[[QR]] {direction = #octet.rnn_direction<bidirectional>, hidden_size = 1 : i64}
func.func @gru(%x: tensor<2x1x1xf32>) -> tensor<2x1x1xf32> {
  %w = octet.constant dense<[[[1.0], [0.5], [2.0]], [[4.0], [-2.0], [1.0]]]> : tensor<2x3x1xf32>
  %r = octet.constant dense<0.5> : tensor<2x3x1xf32>
  %y, %h = octet.gru %x, %w, %r {hidden_size = 1 : i64, direction = #octet.rnn_direction<bidirectional>}
      : (tensor<2x1x1xf32>, tensor<2x3x1xf32>, tensor<2x3x1xf32>) -> (tensor<2x2x1x1xf32>, tensor<2x1x1xf32>)
  return %h : tensor<2x1x1xf32>
}
