// RUN: octet-opt %s --octet-fold-constants --split-input-file | FileCheck %s
// RUN: octet-opt %s --octet-fold-constants="max-elements=4" --split-input-file | FileCheck %s --check-prefix=SMALL

// A weight stored transposed (as exporters write Linear layers) is
// transposed at compile time; its source constant disappears.
// CHECK-LABEL: func.func @weight_transpose
// CHECK-NEXT: %[[W:.+]] = octet.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NEXT: %[[M:.+]] = octet.matmul %{{.+}}, %[[W]]
// CHECK-NEXT: return %[[M]]
func.func @weight_transpose(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = octet.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t = octet.transpose %w {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %m = octet.matmul %x, %t : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  return %m : tensor<1x2xf32>
}

// -----

// Chains fold in one sweep: unsqueeze, concat, slice, cast, arithmetic
// with broadcasting, computed in double and rounded once.
// CHECK-LABEL: func.func @chain
// CHECK-NEXT: %[[C:.+]] = octet.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [5.000000e+00, 7.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @chain() -> tensor<2x2xf32> {
  %a = octet.constant dense<[1, 3]> : tensor<2xi64>
  %b = octet.constant dense<[4, 6]> : tensor<2xi64>
  %ua = octet.unsqueeze %a {axes = array<i64: 0>} : tensor<2xi64> -> tensor<1x2xi64>
  %ub = octet.unsqueeze %b {axes = array<i64: 0>} : tensor<2xi64> -> tensor<1x2xi64>
  %c = octet.concat %ua, %ub {axis = 0 : i64} : (tensor<1x2xi64>, tensor<1x2xi64>) -> tensor<2x2xi64>
  %f = octet.cast %c : tensor<2x2xi64> to tensor<2x2xf32>
  %one = octet.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %s = octet.add %f, %one : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %r = octet.slice %s {starts = array<i64: 0, 0>, ends = array<i64: 2, 2>, steps = array<i64: 1, 1>}
      : tensor<2x2xf32> -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// -----

// Pad (constant, edge and reflect), gather with a negative index,
// reversing slice, unary math.
// CHECK-LABEL: func.func @movement
// CHECK-DAG: octet.constant dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 0.000000e+00]> : tensor<4xf32>
// CHECK-DAG: octet.constant dense<[1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK-DAG: octet.constant dense<[2.000000e+00, 1.000000e+00, 2.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK-DAG: octet.constant dense<[2.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: octet.constant dense<[2.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: octet.constant dense<[1.000000e+00, 1.41421354]> : tensor<2xf32>
// CHECK-NOT: octet.pad
// CHECK-NOT: octet.gather
// CHECK-NOT: octet.sqrt
func.func @movement() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %x = octet.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %p0 = octet.pad %x {pads = array<i64: 1, 1>} : tensor<2xf32> -> tensor<4xf32>
  %p1 = octet.pad %x {pads = array<i64: 1, 1>, mode = #octet.pad_mode<edge>} : tensor<2xf32> -> tensor<4xf32>
  %p2 = octet.pad %x {pads = array<i64: 1, 1>, mode = #octet.pad_mode<reflect>} : tensor<2xf32> -> tensor<4xf32>
  %i = octet.constant dense<[-1, 0]> : tensor<2xi64>
  %g = octet.gather %x, %i {axis = 0 : i64} : (tensor<2xf32>, tensor<2xi64>) -> tensor<2xf32>
  %r = octet.slice %x {starts = array<i64: 1>, ends = array<i64: -1>, steps = array<i64: -1>} : tensor<2xf32> -> tensor<2xf32>
  %s = octet.sqrt %x : tensor<2xf32>
  return %p0, %p1, %p2, %g, %r, %s : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// An op with a runtime operand is left alone.
// CHECK-LABEL: func.func @runtime_operand
// CHECK: octet.add
func.func @runtime_operand(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = octet.constant dense<1.0> : tensor<2xf32>
  %a = octet.add %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %a : tensor<2xf32>
}

// -----

// A result larger than its operands is built only below max-elements:
// broadcasting two 2-element vectors into 2x2 folds by default, not with
// max-elements=4; a transpose never grows, so it always folds.
// CHECK-LABEL: func.func @size_bound
// CHECK-NOT: octet.add
// CHECK-NOT: octet.transpose
// SMALL-LABEL: func.func @size_bound
// SMALL: octet.add
// SMALL-NOT: octet.transpose
func.func @size_bound() -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %a = octet.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %b = octet.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %s = octet.add %a, %b : (tensor<3x1xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %w = octet.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t = octet.transpose %w {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %s, %t : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// A float-to-int cast out of the target range is undefined: not folded.
// CHECK-LABEL: func.func @cast_out_of_range
// CHECK: octet.cast
func.func @cast_out_of_range() -> tensor<1xi8> {
  %c = octet.constant dense<300.0> : tensor<1xf32>
  %i = octet.cast %c : tensor<1xf32> to tensor<1xi8>
  return %i : tensor<1xi8>
}

// -----

// A Linear weight stored [N, K] (trans_b) is transposed at compile time.
// CHECK-LABEL: func.func @gemm_weight_layout
// CHECK: %[[W:.+]] = octet.constant dense<{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: octet.gemm %{{.+}}, %[[W]] :
// CHECK-NOT: trans_b
func.func @gemm_weight_layout(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = octet.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = octet.gemm %x, %w {trans_b = true} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
