// RUN: octet-opt %s --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg))' --split-input-file | FileCheck %s

// Both operands are widened to i32 with their zero points subtracted, then
// multiplied exactly. ui8 tensors become i8 (arith wants signless
// integers); extui keeps them unsigned.
// CHECK: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[SCALAR:.+]] = affine_map<(d0, d1) -> ()>
// CHECK: #[[COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmul_integer
// CHECK-SAME: %[[A:[^:]+]]: tensor<4x16xi8>, %[[B:[^:]+]]: tensor<16x8xi8>, %[[AZ:[^:]+]]: tensor<i8>, %[[BZ:[^:]+]]: tensor<8xi8>
func.func @matmul_integer(%a: tensor<4x16xui8>, %b: tensor<16x8xi8>, %az: tensor<ui8>, %bz: tensor<8xi8>) -> tensor<4x8xi32> {
  // CHECK: %[[A32:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ID]]]
  // CHECK-SAME: ins(%[[A]], %[[AZ]] : tensor<4x16xi8>, tensor<i8>) outs(%{{.+}} : tensor<4x16xi32>)
  // CHECK: ^bb0(%[[X:.+]]: i8, %[[Z:.+]]: i8, %{{.+}}: i32):
  // CHECK:   %[[ZW:.+]] = arith.extui %[[Z]] : i8 to i32
  // CHECK:   %[[XW:.+]] = arith.extui %[[X]] : i8 to i32
  // CHECK:   %[[D:.+]] = arith.subi %[[XW]], %[[ZW]] : i32
  // CHECK:   linalg.yield %[[D]] : i32
  // CHECK: %[[B32:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]]
  // CHECK-SAME: ins(%[[B]], %[[BZ]] : tensor<16x8xi8>, tensor<8xi8>)
  // CHECK:   arith.extsi %{{.+}} : i8 to i32
  // CHECK: %[[ACC:.+]] = linalg.fill ins(%{{.+}} : i32) outs(%{{.+}} : tensor<4x8xi32>)
  // CHECK: linalg.matmul ins(%[[A32]], %[[B32]] : tensor<4x16xi32>, tensor<16x8xi32>) outs(%[[ACC]] : tensor<4x8xi32>)
  %y = octet.matmul_integer %a, %b lhs_zp %az rhs_zp %bz : (tensor<4x16xui8>, tensor<16x8xi8>, tensor<ui8>, tensor<8xi8>) -> tensor<4x8xi32>
  return %y : tensor<4x8xi32>
}

// -----

// numpy batching and broadcasting: one contraction generic.
// CHECK: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_integer_batched
func.func @matmul_integer_batched(%a: tensor<2x3x4xi8>, %b: tensor<4x5xi8>) -> tensor<2x3x5xi32> {
  // CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
  // CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<2x3x4xi32>, tensor<4x5xi32>)
  // CHECK: ^bb0(%[[L:.+]]: i32, %[[R:.+]]: i32, %[[O:.+]]: i32):
  // CHECK:   %[[P:.+]] = arith.muli %[[L]], %[[R]] : i32
  // CHECK:   %[[S:.+]] = arith.addi %[[O]], %[[P]] : i32
  // CHECK:   linalg.yield %[[S]] : i32
  %y = octet.matmul_integer %a, %b : (tensor<2x3x4xi8>, tensor<4x5xi8>) -> tensor<2x3x5xi32>
  return %y : tensor<2x3x5xi32>
}

// -----

// The weight zero point is per output channel; padding the centered input
// with 0 pads with the input zero point.
// CHECK: #[[WID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK: #[[PER_O:.+]] = affine_map<(d0, d1, d2, d3) -> (d0)>
// CHECK-LABEL: func.func @conv2d_integer
func.func @conv2d_integer(%x: tensor<1x3x8x8xui8>, %w: tensor<4x3x3x3xi8>, %xz: tensor<ui8>, %wz: tensor<4xi8>) -> tensor<1x4x8x8xi32> {
  // CHECK: %[[X32:.+]] = linalg.generic {{.*}} outs(%{{.+}} : tensor<1x3x8x8xi32>)
  // CHECK: %[[W32:.+]] = linalg.generic {indexing_maps = [#[[WID]], #[[PER_O]], #[[WID]]]
  // CHECK: %[[ZERO:.+]] = arith.constant 0 : i32
  // CHECK: %[[PAD:.+]] = tensor.pad %[[X32]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK:   tensor.yield %[[ZERO]] : i32
  // CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[PAD]], %[[W32]] : tensor<1x3x10x10xi32>, tensor<4x3x3x3xi32>)
  %y = octet.conv2d_integer %x, %w input_zp %xz weight_zp %wz {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<4xi8>) -> tensor<1x4x8x8xi32>
  return %y : tensor<1x4x8x8xi32>
}

// -----

// Groups split the channels for the grouped named convolution.
// CHECK-LABEL: func.func @conv2d_integer_grouped
func.func @conv2d_integer_grouped(%x: tensor<1x4x8x8xi8>, %w: tensor<6x2x3x3xi8>) -> tensor<1x6x3x3xi32> {
  // CHECK: %[[GX:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 8, 8]
  // CHECK: %[[GW:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
  // CHECK: %[[C:.+]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[GX]], %[[GW]] : tensor<1x2x2x8x8xi32>, tensor<2x3x2x3x3xi32>) outs(%{{.+}} : tensor<1x2x3x3x3xi32>)
  // CHECK: tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xi32> into tensor<1x6x3x3xi32>
  %y = octet.conv2d_integer %x, %w {group = 2 : i64, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xi8>, tensor<6x2x3x3xi8>) -> tensor<1x6x3x3xi32>
  return %y : tensor<1x6x3x3xi32>
}

// -----

// CHECK-LABEL: func.func @dynamic_quantize_linear
// CHECK-SAME: %[[X:.+]]: tensor<4x16xf32>
func.func @dynamic_quantize_linear(%x: tensor<4x16xf32>) -> (tensor<4x16xui8>, tensor<f32>, tensor<ui8>) {
  // min(x, 0) and max(x, 0) in one reduction.
  // CHECK: %[[RANGE:.+]]:2 = linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%[[X]] : tensor<4x16xf32>)
  // CHECK:   arith.minimumf
  // CHECK:   arith.maximumf
  // CHECK: %[[LO:.+]] = tensor.extract %[[RANGE]]#0[] : tensor<f32>
  // CHECK: %[[HI:.+]] = tensor.extract %[[RANGE]]#1[] : tensor<f32>
  // An all-zero input gets scale 1, as in onnxruntime.
  // CHECK: %[[SAME:.+]] = arith.cmpf oeq, %[[HI]], %[[LO]] : f32
  // CHECK: %[[SPAN:.+]] = arith.subf %[[HI]], %[[LO]] : f32
  // CHECK: %[[Q:.+]] = arith.divf %[[SPAN]], %{{.+}} : f32
  // CHECK: %[[SCALE:.+]] = arith.select %[[SAME]], %{{.+}}, %[[Q]] : f32
  // CHECK: %[[ZPF:.+]] = math.roundeven %{{.+}} : f32
  // CHECK: %[[Y:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4x16xf32>) outs(%{{.+}} : tensor<4x16xi8>)
  // CHECK:   %[[DIV:.+]] = arith.divf %{{.+}}, %[[SCALE]] : f32
  // CHECK:   %[[R:.+]] = math.roundeven %[[DIV]] : f32
  // CHECK:   arith.addf %[[R]], %[[ZPF]] : f32
  // CHECK:   %[[U:.+]] = arith.fptoui %{{.+}} : f32 to i8
  // CHECK:   linalg.yield %[[U]] : i8
  // CHECK: %[[S:.+]] = tensor.from_elements %[[SCALE]] : tensor<f32>
  // CHECK: %[[ZP:.+]] = tensor.from_elements %{{.+}} : tensor<i8>
  // CHECK: return %[[Y]], %[[S]], %[[ZP]]
  %y, %s, %z = octet.dynamic_quantize_linear %x : tensor<4x16xf32> -> (tensor<4x16xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %z : tensor<4x16xui8>, tensor<f32>, tensor<ui8>
}

// -----

// A depthwise conv2d_integer (one channel per group) is linalg's depthwise
// convolution on i32, starting from its int32 bias.
// CHECK-LABEL: func.func @depthwise_integer
// CHECK: %[[INIT:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<3xi32>)
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%{{.+}}, %{{.+}} : tensor<1x3x4x4xi32>, tensor<3x2x2xi32>) outs(%[[INIT]] : tensor<1x3x3x3xi32>)
func.func @depthwise_integer(%x: tensor<1x3x4x4xui8>, %w: tensor<3x1x2x2xi8>, %b: tensor<3xi32>) -> tensor<1x3x3x3xi32> {
  %y = octet.conv2d_integer %x, %w bias %b {group = 3 : i64} : (tensor<1x3x4x4xui8>, tensor<3x1x2x2xi8>, tensor<3xi32>) -> tensor<1x3x3x3xi32>
  return %y : tensor<1x3x3x3xi32>
}
