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
