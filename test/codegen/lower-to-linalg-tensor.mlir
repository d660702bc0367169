// RUN: octet-opt %s --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg))' --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant_resource
func.func @constant_resource() -> tensor<2x2xf32> {
  // Weights stay dense_resource blobs.
  // CHECK: %[[W:.+]] = arith.constant dense_resource<weights> : tensor<2x2xf32>
  // CHECK: return %[[W]]
  %0 = octet.constant dense_resource<weights> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// A ui8 constant keeps its bits as i8 (every integer is signless after
// lowering).
// CHECK-LABEL: func.func @constant_dense
func.func @constant_dense() -> tensor<3xui8> {
  // CHECK: arith.constant dense<[0, -128, -1]> : tensor<3xi8>
  %0 = octet.constant dense<[0, 128, 255]> : tensor<3xui8>
  return %0 : tensor<3xui8>
}

// -----

// CHECK-LABEL: func.func @reshape_collapse
// CHECK-SAME: %[[X:.+]]: tensor<1x512x1x1xf32>
func.func @reshape_collapse(%x: tensor<1x512x1x1xf32>) -> tensor<1x512xf32> {
  // CHECK: tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<1x512x1x1xf32> into tensor<1x512xf32>
  %0 = octet.reshape %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  return %0 : tensor<1x512xf32>
}

// -----

// No grouping of 2x3x4 gives 4x6: through 1-D.
// CHECK-LABEL: func.func @reshape_regroup
// CHECK-SAME: %[[X:.+]]: tensor<2x3x4xf32>
func.func @reshape_regroup(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  // CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
  // CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
  %0 = octet.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
func.func @flatten(%x: tensor<1x64x7x7xf32>) -> tensor<1x3136xf32> {
  // CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<1x64x7x7xf32> into tensor<1x3136xf32>
  %0 = octet.flatten %x {axis = 1 : i64} : tensor<1x64x7x7xf32> -> tensor<1x3136xf32>
  return %0 : tensor<1x3136xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_unsqueeze
func.func @squeeze_unsqueeze(%x: tensor<1x512x1x1xf32>) -> tensor<512x1xf32> {
  // CHECK: %[[S:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2, 3]] : tensor<1x512x1x1xf32> into tensor<512xf32>
  // CHECK: tensor.expand_shape %[[S]] {{\[}}[0, 1]] output_shape [512, 1] : tensor<512xf32> into tensor<512x1xf32>
  %0 = octet.squeeze %x : tensor<1x512x1x1xf32> -> tensor<512xf32>
  %1 = octet.unsqueeze %0 {axes = array<i64: 1>} : tensor<512xf32> -> tensor<512x1xf32>
  return %1 : tensor<512x1xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: %[[X:.+]]: tensor<1x128x12x64xf32>
func.func @transpose(%x: tensor<1x128x12x64xf32>) -> tensor<1x12x128x64xf32> {
  // CHECK: %[[INIT:.+]] = tensor.empty() : tensor<1x12x128x64xf32>
  // CHECK: linalg.transpose ins(%[[X]] : tensor<1x128x12x64xf32>) outs(%[[INIT]] : tensor<1x12x128x64xf32>) permutation = [0, 2, 1, 3]
  %0 = octet.transpose %x {perm = array<i64: 0, 2, 1, 3>} : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  return %0 : tensor<1x12x128x64xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-SAME: %[[A:[^:]+]]: tensor<1x16x8x8xf32>, %[[B:[^:]+]]: tensor<1x32x8x8xf32>, %[[C:[^:]+]]: tensor<1x8x8x8xf32>
func.func @concat(%a: tensor<1x16x8x8xf32>, %b: tensor<1x32x8x8xf32>, %c: tensor<1x8x8x8xf32>) -> tensor<1x56x8x8xf32> {
  // CHECK: tensor.concat dim(1) %[[A]], %[[B]], %[[C]] : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x56x8x8xf32>
  %0 = octet.concat %a, %b, %c {axis = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x56x8x8xf32>
  return %0 : tensor<1x56x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @slice_strided
// CHECK-SAME: %[[X:.+]]: tensor<4x8xf32>
func.func @slice_strided(%x: tensor<4x8xf32>) -> tensor<4x3xf32> {
  // CHECK: tensor.extract_slice %[[X]][0, 2] [4, 3] [1, 2] : tensor<4x8xf32> to tensor<4x3xf32>
  %0 = octet.slice %x {starts = array<i64: 0, 2>, ends = array<i64: 4, 8>, steps = array<i64: 1, 2>} : tensor<4x8xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A negative step reads start + step * i through the input's indexing map.
// CHECK: #[[READ:.+]] = affine_map<(d0, d1) -> (d0 + 1, d1 * -2 + 7)>
// CHECK-LABEL: func.func @slice_reversed
// CHECK-SAME: %[[X:.+]]: tensor<4x8xf32>
func.func @slice_reversed(%x: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[READ]], #{{.+}}], iterator_types = ["parallel", "parallel"]}
  // CHECK-SAME: ins(%[[X]] : tensor<4x8xf32>)
  // CHECK-NEXT: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
  // CHECK-NEXT: linalg.yield %[[IN]] : f32
  %0 = octet.slice %x {starts = array<i64: 1, 7>, ends = array<i64: 3, -1>, steps = array<i64: 1, -2>} : tensor<4x8xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @pad_constant
// CHECK-SAME: %[[X:.+]]: tensor<1x3x8x8xf32>
func.func @pad_constant(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x11x10xf32> {
  // CHECK: %[[V:.+]] = arith.constant -2.500000e+00 : f32
  // CHECK: tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 1]
  // CHECK: tensor.yield %[[V]] : f32
  %0 = octet.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 2, 1>, value = -2.5 : f32} : tensor<1x3x8x8xf32> -> tensor<1x3x11x10xf32>
  return %0 : tensor<1x3x11x10xf32>
}

// -----

// Reflect: i' = i - pad; |i'|, then mirrored about the last index.
// CHECK-LABEL: func.func @pad_reflect
// CHECK-SAME: %[[X:.+]]: tensor<3x4xf32>
func.func @pad_reflect(%x: tensor<3x4xf32>) -> tensor<3x7xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: outs(%{{.+}} : tensor<3x7xf32>)
  // CHECK: %[[I:.+]] = linalg.index 0 : index
  // CHECK: %[[J:.+]] = linalg.index 1 : index
  // CHECK: %[[S:.+]] = arith.subi %[[J]], %{{.+}} : index
  // CHECK: %[[N:.+]] = arith.subi %{{.+}}, %[[S]] : index
  // CHECK: %[[A:.+]] = arith.maxsi %[[S]], %[[N]] : index
  // CHECK: %[[M:.+]] = arith.subi %{{.+}}, %[[A]] : index
  // CHECK: %[[R:.+]] = arith.minsi %[[A]], %[[M]] : index
  // CHECK: %[[E:.+]] = tensor.extract %[[X]][%[[I]], %[[R]]] : tensor<3x4xf32>
  // CHECK: linalg.yield %[[E]] : f32
  %0 = octet.pad %x {pads = array<i64: 0, 2, 0, 1>, mode = #octet.pad_mode<reflect>} : tensor<3x4xf32> -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// -----

// Edge: the index clamps to [0, dim - 1].
// CHECK-LABEL: func.func @pad_edge
// CHECK-SAME: %[[X:.+]]: tensor<5xi32>
func.func @pad_edge(%x: tensor<5xi32>) -> tensor<8xi32> {
  // CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : index
  // CHECK-DAG: %[[LAST:.+]] = arith.constant 4 : index
  // CHECK: %[[LO:.+]] = arith.maxsi %{{.+}}, %[[ZERO]] : index
  // CHECK: %[[IDX:.+]] = arith.minsi %[[LO]], %[[LAST]] : index
  // CHECK: tensor.extract %[[X]][%[[IDX]]] : tensor<5xi32>
  %0 = octet.pad %x {pads = array<i64: 2, 1>, mode = #octet.pad_mode<edge>} : tensor<5xi32> -> tensor<8xi32>
  return %0 : tensor<8xi32>
}

// -----

// CHECK: #[[IDS:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: %[[DATA:[^:]+]]: tensor<30522x768xf32>, %[[IDS_ARG:[^:]+]]: tensor<1x128xi64>
func.func @gather(%table: tensor<30522x768xf32>, %ids: tensor<1x128xi64>) -> tensor<1x128x768xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[IDS]], #{{.+}}]
  // CHECK-SAME: ins(%[[IDS_ARG]] : tensor<1x128xi64>)
  // CHECK: ^bb0(%[[ID:.+]]: i64, %{{.+}}: f32):
  // CHECK: %[[I:.+]] = arith.index_cast %[[ID]] : i64 to index
  // CHECK: %[[NEG:.+]] = arith.cmpi slt, %[[I]], %[[ZERO:.+]] : index
  // CHECK: %[[WRAP:.+]] = arith.addi %[[I]], %{{.+}} : index
  // CHECK: %[[SEL:.+]] = arith.select %[[NEG]], %[[WRAP]], %[[I]] : index
  // CHECK: %[[LO:.+]] = arith.maxsi %[[SEL]], %[[ZERO]] : index
  // CHECK: %[[ROW:.+]] = arith.minsi %[[LO]], %{{.+}} : index
  // CHECK: %[[COL:.+]] = linalg.index 2 : index
  // CHECK: %[[E:.+]] = tensor.extract %[[DATA]][%[[ROW]], %[[COL]]] : tensor<30522x768xf32>
  // CHECK: linalg.yield %[[E]] : f32
  %0 = octet.gather %table, %ids {axis = 0 : i64} : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
  return %0 : tensor<1x128x768xf32>
}

// -----

// CHECK: #[[IDX1:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gather_axis1_i32
func.func @gather_axis1_i32(%x: tensor<3x4xf32>, %i: tensor<2xi32>) -> tensor<3x2xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[IDX1]], #{{.+}}]
  // CHECK: arith.index_cast %{{.+}} : i32 to index
  // CHECK: %[[R:.+]] = linalg.index 0 : index
  // CHECK: tensor.extract %{{.+}}[%[[R]], %{{.+}}] : tensor<3x4xf32>
  %0 = octet.gather %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
