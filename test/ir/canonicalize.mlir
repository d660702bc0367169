// RUN: octet-opt %s --canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.+]] = octet.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %0 = octet.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = octet.reshape %0 : tensor<6x4xf32> -> tensor<24xf32>
  return %1 : tensor<24xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = octet.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %1 = octet.reshape %0 : tensor<6xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
// CHECK-NEXT: %[[C:.+]] = octet.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @reshape_constant() -> tensor<2x2xf32> {
  %0 = octet.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %1 = octet.reshape %0 : tensor<4xf32> -> tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = octet.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %1 = octet.transpose %0 {perm = array<i64: 1, 2, 0>} : tensor<4x2x3xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.+]] = octet.transpose %[[X]] {perm = array<i64: 1, 0, 2>} : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
// CHECK-NEXT: return %[[T]]
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  %0 = octet.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = octet.transpose %0 {perm = array<i64: 2, 0, 1>} : tensor<2x4x3xf32> -> tensor<3x2x4xf32>
  return %1 : tensor<3x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = octet.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @cast_identity
// CHECK-SAME: (%[[X:.+]]: tensor<3xi64>)
// CHECK-NEXT: return %[[X]]
func.func @cast_identity(%x: tensor<3xi64>) -> tensor<3xi64> {
  %0 = octet.cast %x : tensor<3xi64> to tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Pure ops without uses disappear; observers record statistics and stay.
// CHECK-LABEL: func.func @dead_code
// CHECK-NOT: octet.relu
// CHECK: octet.observe
func.func @dead_code(%x: tensor<4xf32>) {
  %0 = octet.relu %x : tensor<4xf32>
  %1 = octet.observe %x {name = "probe"} : tensor<4xf32>
  return
}

// -----

// Flatten, squeeze and unsqueeze become reshapes, so a chain of them folds.
// CHECK-LABEL: func.func @squeeze_unsqueeze_chain
// CHECK-SAME: (%[[X:.+]]: tensor<1x16x1x1xf32>)
// CHECK-NEXT: return %[[X]]
func.func @squeeze_unsqueeze_chain(%x: tensor<1x16x1x1xf32>) -> tensor<1x16x1x1xf32> {
  %0 = octet.squeeze %x {axes = array<i64: 2, 3>} : tensor<1x16x1x1xf32> -> tensor<1x16xf32>
  %1 = octet.unsqueeze %0 {axes = array<i64: 2, 3>} : tensor<1x16xf32> -> tensor<1x16x1x1xf32>
  return %1 : tensor<1x16x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @flatten_to_reshape
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x2x2xf32>)
// CHECK-NEXT: %[[R:.+]] = octet.reshape %[[X]] : tensor<1x8x2x2xf32> -> tensor<1x32xf32>
// CHECK-NEXT: return %[[R]]
func.func @flatten_to_reshape(%x: tensor<1x8x2x2xf32>) -> tensor<1x32xf32> {
  %0 = octet.flatten %x {axis = 1 : i64} : tensor<1x8x2x2xf32> -> tensor<1x32xf32>
  return %0 : tensor<1x32xf32>
}

// -----

// CHECK-LABEL: func.func @noop_pad_slice_concat
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @noop_pad_slice_concat(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = octet.pad %x {pads = array<i64: 0, 0, 0, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = octet.slice %0 {starts = array<i64: 0, 0>, ends = array<i64: 2, 3>, steps = array<i64: 1, 1>}
      : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = octet.concat %1 {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// A reversing slice keeps the shape but is not an identity.
// CHECK-LABEL: func.func @reverse_slice_kept
// CHECK: octet.slice
func.func @reverse_slice_kept(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = octet.slice %x {starts = array<i64: 2>, ends = array<i64: -1>, steps = array<i64: -1>}
      : tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Pure ops whose results are unused are removed.
// CHECK-LABEL: func.func @dead_code
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.+]] = octet.relu %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @dead_code(%x: tensor<4xf32>) -> tensor<4xf32> {
  %dead = octet.exp %x : tensor<4xf32>
  %dead2 = octet.add %dead, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = octet.relu %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
