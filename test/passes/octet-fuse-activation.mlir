// RUN: octet-opt %s --octet-fuse-activation --split-input-file | FileCheck %s

// Conv-bias-ReLU as exported without a bias input: one conv2d.
// CHECK-LABEL: func.func @conv_add_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[W:.+]] = octet.constant dense<1.000000e+00> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.+]] = octet.constant dense<[1.500000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.+]] = octet.conv2d %[[X]], %[[W]], %[[B]] {activation = #octet.act<relu>}
// CHECK-NEXT: return %[[C]]
func.func @conv_add_relu(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = octet.constant dense<1.0> : tensor<2x2x1x1xf32>
  %b = octet.constant dense<[[[1.5]], [[-2.0]]]> : tensor<2x1x1xf32>
  %c = octet.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %a = octet.add %c, %b : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r = octet.relu %a : tensor<1x2x4x4xf32>
  return %r : tensor<1x2x4x4xf32>
}

// -----

// A bias add onto an existing bias sums them; ReLU6 is a clip to [0, 6].
// CHECK-LABEL: func.func @conv_bias_add_relu6
// CHECK-DAG: %[[B:.+]] = octet.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: octet.conv2d %{{.+}}, %{{.+}}, %[[B]] {activation = #octet.act<clip, 0.000000e+00, 6.000000e+00>}
// CHECK-NOT: octet.add
// CHECK-NOT: octet.clip
func.func @conv_bias_add_relu6(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = octet.constant dense<1.0> : tensor<2x2x1x1xf32>
  %b0 = octet.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b1 = octet.constant dense<1.0> : tensor<1xf32>
  %c = octet.conv2d %x, %w, %b0 : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %a = octet.add %b1, %c : (tensor<1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %r = octet.clip %a {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x2x4x4xf32>
  return %r : tensor<1x2x4x4xf32>
}

// -----

// Every activation kernels can apply.
// CHECK-LABEL: func.func @activations
// CHECK: octet.conv2d {{.+}}activation = #octet.act<leaky_relu, 0.10000000149011612, 0.000000e+00>
// CHECK: octet.conv2d {{.+}}activation = #octet.act<sigmoid>
// CHECK: octet.conv2d {{.+}}activation = #octet.act<hard_sigmoid, 0.20000000298023224, 5.000000e-01>
// CHECK: octet.gemm {{.+}}activation = #octet.act<hard_swish>
// CHECK-NOT: octet.leaky_relu
// CHECK-NOT: octet.sigmoid
// CHECK-NOT: octet.hard_sigmoid
// CHECK-NOT: octet.hard_swish
func.func @activations(%x: tensor<1x1x2x2xf32>, %m: tensor<2x3xf32>)
    -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<2x4xf32>) {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c0 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %a0 = octet.leaky_relu %c0 {alpha = 0.1 : f32} : tensor<1x1x2x2xf32>
  %c1 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %a1 = octet.sigmoid %c1 : tensor<1x1x2x2xf32>
  %c2 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %a2 = octet.hard_sigmoid %c2 : tensor<1x1x2x2xf32>
  %k = octet.constant dense<1.0> : tensor<4x3xf32>
  %g = octet.gemm %m, %k {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  %a3 = octet.hard_swish %g : tensor<2x4xf32>
  return %a0, %a1, %a2, %a3 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<2x4xf32>
}

// -----

// A fully connected layer exported as MatMul + Add + Relu: one gemm.
// CHECK-LABEL: func.func @matmul_add_relu
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>, %[[W:.+]]: tensor<3x4xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK-NEXT: %[[G:.+]] = octet.gemm %[[X]], %[[W]], %[[B]] {activation = #octet.act<relu>}
// CHECK-NEXT: return %[[G]]
func.func @matmul_add_relu(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %m = octet.matmul %x, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %a = octet.add %m, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %r = octet.relu %a : tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// -----

// The conv result is used twice: neither the add nor the relu fuse.
// CHECK-LABEL: func.func @other_user
// CHECK: octet.conv2d
// CHECK-NOT: activation
// CHECK: octet.add
// CHECK: octet.relu
func.func @other_user(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %b = octet.constant dense<1.0> : tensor<1xf32>
  %c = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %a = octet.add %c, %b : (tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %r = octet.relu %c : tensor<1x1x2x2xf32>
  return %a, %r : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// An addend that varies along H is not a bias; a runtime addend is not fused
// into a conv (its bias must be a constant).
// CHECK-LABEL: func.func @not_a_bias
// CHECK: octet.add
// CHECK: octet.add
func.func @not_a_bias(%x: tensor<1x1x2x2xf32>, %y: tensor<1xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %b = octet.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %c0 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %a0 = octet.add %c0, %b : (tensor<1x1x2x2xf32>, tensor<2x1xf32>) -> tensor<1x1x2x2xf32>
  %c1 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %a1 = octet.add %c1, %y : (tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %a0, %a1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// An addend that widens the result (here to a batch of 3) cannot be a bias.
// CHECK-LABEL: func.func @broadcasting_add
// CHECK: octet.matmul
// CHECK: octet.add
func.func @broadcasting_add(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<3x2x4xf32>) -> tensor<3x2x4xf32> {
  %m = octet.matmul %x, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %a = octet.add %m, %b : (tensor<2x4xf32>, tensor<3x2x4xf32>) -> tensor<3x2x4xf32>
  return %a : tensor<3x2x4xf32>
}

// -----

// tanh and gelu have no fused form; an activation on an activation is kept
// apart; a batched matmul has no gemm form.
// CHECK-LABEL: func.func @not_fusable
// CHECK: octet.conv2d {{.+}}activation = #octet.act<relu>
// CHECK: octet.sigmoid
// CHECK: octet.tanh
// CHECK: octet.gelu
// CHECK: octet.matmul
// CHECK: octet.relu
func.func @not_fusable(%x: tensor<1x1x2x2xf32>, %a: tensor<2x2x3xf32>, %b: tensor<2x3x4xf32>)
    -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<2x2x4xf32>) {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c0 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %r0 = octet.relu %c0 : tensor<1x1x2x2xf32>
  %s0 = octet.sigmoid %r0 : tensor<1x1x2x2xf32>
  %c1 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %t = octet.tanh %c1 : tensor<1x1x2x2xf32>
  %c2 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %g = octet.gelu %c2 : tensor<1x1x2x2xf32>
  %m = octet.matmul %a, %b : (tensor<2x2x3xf32>, tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  %r1 = octet.relu %m : tensor<2x2x4xf32>
  return %s0, %t, %g, %r1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<2x2x4xf32>
}

// -----

// Relu then Clip(0, 6), as torch exports ReLU6: one clip. Clip then Relu
// narrows the clip. Disjoint clamps are left apart.
// CHECK-LABEL: func.func @compose_clamps
// CHECK: octet.conv2d {{.+}}activation = #octet.act<clip, 0.000000e+00, 6.000000e+00>
// CHECK: octet.conv2d {{.+}}activation = #octet.act<clip, 0.000000e+00, 3.000000e+00>
// CHECK: octet.conv2d {{.+}}activation = #octet.act<clip, 1.000000e+00, 2.000000e+00>
// CHECK: octet.clip %{{.+}} {max = 6.000000e+00 : f32, min = 5.000000e+00 : f32}
func.func @compose_clamps(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c0 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %r0 = octet.relu %c0 : tensor<1x1x2x2xf32>
  %a0 = octet.clip %r0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x1x2x2xf32>
  %c1 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %k1 = octet.clip %c1 {min = -1.0 : f32, max = 3.0 : f32} : tensor<1x1x2x2xf32>
  %a1 = octet.relu %k1 : tensor<1x1x2x2xf32>
  %c2 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %k2 = octet.clip %c2 {min = 1.0 : f32, max = 2.0 : f32} : tensor<1x1x2x2xf32>
  %a2 = octet.clip %k2 {min = 5.0 : f32, max = 6.0 : f32} : tensor<1x1x2x2xf32>
  return %a0, %a1, %a2 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
