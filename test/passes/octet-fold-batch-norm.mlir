// RUN: octet-opt %s --octet-fold-batch-norm --split-input-file | FileCheck %s

// w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta
// with gamma = [2, 1], var = [3, 0] (+ eps 1 -> sqrt = [2, 1]), mean = [1, 0],
// beta = [0.5, 0]: channel 0 scales by 1, channel 1 by 1.
// CHECK-LABEL: func.func @fold
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x4x4xf32>)
// CHECK-DAG: %[[W:.+]] = octet.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}2.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = octet.constant dense<[9.500000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.+]] = octet.conv2d %[[X]], %[[W]], %[[B]] {strides = array<i64: 2, 2>}
// CHECK-NOT: octet.batch_norm
// CHECK: return %[[C]]
func.func @fold(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %w = octet.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = octet.constant dense<[10.0, 2.0]> : tensor<2xf32>
  %gamma = octet.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = octet.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = octet.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = octet.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %c = octet.conv2d %x, %w, %b {strides = array<i64: 2, 2>}
      : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %y = octet.batch_norm %c, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32}
      : tensor<1x2x2x2xf32>, tensor<2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// The un-normalized conv output is used elsewhere: no fold.
// CHECK-LABEL: func.func @other_user
// CHECK: octet.conv2d
// CHECK: octet.batch_norm
func.func @other_user(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = octet.constant dense<1.0> : tensor<1xf32>
  %c = octet.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = octet.batch_norm %c, %p, %p, %p, %p : tensor<1x1x4x4xf32>, tensor<1xf32>
  return %c, %y : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// Parameters that are not constants: no fold.
// CHECK-LABEL: func.func @runtime_params
// CHECK: octet.batch_norm
func.func @runtime_params(%x: tensor<1x1x4x4xf32>, %p: tensor<1xf32>) -> tensor<1x1x4x4xf32> {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c = octet.conv2d %x, %w : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = octet.batch_norm %c, %p, %p, %p, %p : tensor<1x1x4x4xf32>, tensor<1xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// A conv with a fused activation normalizes after the activation: no fold.
// CHECK-LABEL: func.func @fused_activation
// CHECK: octet.batch_norm
func.func @fused_activation(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = octet.constant dense<1.0> : tensor<1xf32>
  %c = octet.conv2d %x, %w {activation = #octet.act<relu>}
      : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = octet.batch_norm %c, %p, %p, %p, %p : tensor<1x1x4x4xf32>, tensor<1xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// Gemm with transposed weight [N, K] and bias: row n of the weight and the
// bias scale by gamma/sqrt(var+eps) = [2, 1]; beta·C = 2·[1, 1].
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[X:.+]]: tensor<3x2xf32>)
// CHECK-DAG: %[[W:.+]] = octet.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.+]] = octet.constant dense<[4.500000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[G:.+]] = octet.gemm %[[X]], %[[W]], %[[B]] {alpha = 5.000000e-01 : f32, trans_b = true}
// CHECK-NOT: octet.batch_norm
// CHECK: return %[[G]]
func.func @gemm(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = octet.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c = octet.constant dense<[[1.0, 1.0]]> : tensor<1x2xf32>
  %gamma = octet.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = octet.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = octet.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = octet.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %g = octet.gemm %x, %w, %c {alpha = 0.5 : f32, beta = 2.0 : f32, trans_b = true}
      : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  %y = octet.batch_norm %g, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32}
      : tensor<3x2xf32>, tensor<2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A 2-D matmul with a constant weight [K, N] becomes a gemm with a bias.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[W:.+]] = octet.constant dense<2.000000e+00> : tensor<1x2xf32>
// CHECK-DAG: %[[B:.+]] = octet.constant dense<[0.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK: octet.gemm %{{.+}}, %[[W]], %[[B]] :
// CHECK-NOT: octet.batch_norm
func.func @matmul(%x: tensor<4x1xf32>) -> tensor<4x2xf32> {
  %w = octet.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %gamma = octet.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = octet.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %mean = octet.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = octet.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %m = octet.matmul %x, %w : (tensor<4x1xf32>, tensor<1x2xf32>) -> tensor<4x2xf32>
  %y = octet.batch_norm %m, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32}
      : tensor<4x2xf32>, tensor<2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// A gemm bias that varies along rows cannot move into a per-column bias;
// a runtime weight cannot be rescaled; a batched matmul normalizes a
// different axis.
// CHECK-LABEL: func.func @gemm_not_folded
// CHECK: octet.gemm
// CHECK: octet.batch_norm
// CHECK: octet.matmul
// CHECK: octet.batch_norm
// CHECK: octet.matmul
// CHECK: octet.batch_norm
func.func @gemm_not_folded(%x: tensor<2x2xf32>, %rw: tensor<2x2xf32>, %bx: tensor<2x2x2xf32>)
    -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2x2xf32>) {
  %w = octet.constant dense<1.0> : tensor<2x2xf32>
  %c = octet.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %p = octet.constant dense<1.0> : tensor<2xf32>
  %g = octet.gemm %x, %w, %c : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  %y0 = octet.batch_norm %g, %p, %p, %p, %p : tensor<2x2xf32>, tensor<2xf32>
  %m = octet.matmul %x, %rw : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = octet.batch_norm %m, %p, %p, %p, %p : tensor<2x2xf32>, tensor<2xf32>
  %bm = octet.matmul %bx, %w : (tensor<2x2x2xf32>, tensor<2x2xf32>) -> tensor<2x2x2xf32>
  %y2 = octet.batch_norm %bm, %p, %p, %p, %p : tensor<2x2x2xf32>, tensor<2xf32>
  return %y0, %y1, %y2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2x2xf32>
}
