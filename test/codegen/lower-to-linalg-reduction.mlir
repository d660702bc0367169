// RUN: octet-opt %s --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg))' --split-input-file | FileCheck %s

// keepdims: linalg.reduce drops the axis, expand_shape restores it as 1.
// CHECK-LABEL: func.func @reduce_sum_keepdims(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>) dimensions = [1]
// CHECK: (%[[IN:.+]]: f32, %[[ACC:.+]]: f32) {
// CHECK: %[[ADD:.+]] = arith.addf %[[IN]], %[[ACC]] : f32
// CHECK: linalg.yield %[[ADD]] : f32
// CHECK: %[[Y:.+]] = tensor.expand_shape %[[SUM]] {{\[}}[0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
// CHECK: return %[[Y]]
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = octet.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// Without keepdims nothing is reshaped; the mean divides by 2 * 4.
// CHECK-LABEL: func.func @reduce_mean_drop(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<3xf32>) dimensions = [0, 2]
// CHECK: %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<3xf32>)
// CHECK: %[[N:.+]] = arith.constant 8.000000e+00 : f32
// CHECK: arith.divf %{{.+}}, %[[N]] : f32
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[MEAN]]
func.func @reduce_mean_drop(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = octet.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// No axes: every axis. The maximum starts from -inf.
// CHECK-LABEL: func.func @reduce_max_all(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<f32>)
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<f32>) dimensions = [0, 1, 2]
// CHECK: arith.maximumf
// CHECK: tensor.expand_shape %[[MAX]] [] output_shape [1, 1, 1] : tensor<f32> into tensor<1x1x1xf32>
func.func @reduce_max_all(%x: tensor<2x3x4xf32>) -> tensor<1x1x1xf32> {
  %0 = octet.reduce_max %x : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  return %0 : tensor<1x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_max_drop_all(
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%{{.+}} : tensor<2x3xf32>) outs(%{{.+}} : tensor<f32>) dimensions = [0, 1]
// CHECK: return %[[MAX]] : tensor<f32>
func.func @reduce_max_drop_all(%x: tensor<2x3xf32>) -> tensor<f32> {
  %0 = octet.reduce_max %x {keepdims = false} : tensor<2x3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Softmax along a middle axis: max, exp(x - max), sum, divide; the reduced
// values are read through a projection that skips the axis.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<2x4xf32>) dimensions = [1]
// CHECK: arith.maximumf
// CHECK: %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], {{.*}}} ins(%[[X]], %[[MAX]] : tensor<2x3x4xf32>, tensor<2x4xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[EXP]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<2x4xf32>) dimensions = [1]
// CHECK: arith.addf
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], {{.*}}} ins(%[[EXP]], %[[SUM]] : tensor<2x3x4xf32>, tensor<2x4xf32>)
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @softmax(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = octet.softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// log_softmax = (x - max) - log(sum(exp(x - max))).
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @log_softmax(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x5xf32>
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%[[X]] : {{.*}} dimensions = [1]
// CHECK: %[[EXP:.+]] = linalg.generic
// CHECK: math.exp
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[EXP]] : {{.*}} dimensions = [1]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]], {{.*}}} ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<2x5xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: ^bb0(%[[XV:.+]]: f32, %[[MV:.+]]: f32, %[[SV:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[SHIFTED:.+]] = arith.subf %[[XV]], %[[MV]]
// CHECK: %[[LOG:.+]] = math.log %[[SV]]
// CHECK: arith.subf %[[SHIFTED]], %[[LOG]]
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = octet.log_softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Mean and variance over the trailing axis; one generic applies
// (x - mean) * rsqrt(var + eps) * scale + bias.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUTER:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[INNER:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>, %[[G:[^:]+]]: tensor<4xf32>, %[[B:[^:]+]]: tensor<4xf32>
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<2x3xf32>) dimensions = [2]
// CHECK: %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x3xf32>)
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK: %[[D:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[OUTER]], #[[ID]]], {{.*}}} ins(%[[X]], %[[MEAN]] :
// CHECK: arith.subf
// CHECK: %[[SQ:.+]] = linalg.reduce ins(%[[D]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<2x3xf32>) dimensions = [2]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[INV:.+]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2x3xf32>)
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[OUTER]], #[[INNER]], #[[INNER]], #[[ID]]], {{.*}}} ins(%[[D]], %[[INV]], %[[G]], %[[B]] :
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @layer_norm(%x: tensor<2x3x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %0 = octet.layer_norm %x, %g, %b {axis = 2 : i64, epsilon = 1.0e-3 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// f16 layer norm computes its statistics in f32 and rounds the result once.
// CHECK-LABEL: func.func @layer_norm_f16(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf16>
// CHECK: %[[X32:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<2x3x4xf16>) outs(%{{.+}} : tensor<2x3x4xf32>)
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK: linalg.reduce ins(%[[X32]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<2xf32>) dimensions = [1, 2]
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<2x3x4xf16>)
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK: arith.truncf %{{.+}} : f32 to f16
func.func @layer_norm_f16(%x: tensor<2x3x4xf16>, %g: tensor<3x4xf16>) -> tensor<2x3x4xf16> {
  %0 = octet.layer_norm %x, %g {axis = 1 : i64} : (tensor<2x3x4xf16>, tensor<3x4xf16>) -> tensor<2x3x4xf16>
  return %0 : tensor<2x3x4xf16>
}
