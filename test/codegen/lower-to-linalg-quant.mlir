// RUN: octet-opt %s --octet-lower-to-linalg --split-input-file | FileCheck %s

// Per tensor, u8: quantize divides (as ONNX's reference does), rounds half
// to even, adds the zero point, saturates to [0, 255] (a NaN to 0), then
// dequantize widens the storage unsigned, subtracts and scales. The
// quant.scast between them folds away: only storage integers remain.
// CHECK-LABEL: func.func @per_tensor
// CHECK-NOT: quant.
// CHECK: linalg.generic
// CHECK: arith.divf %{{.+}}, %[[S:.+]] : f32
// CHECK: math.roundeven
// CHECK: arith.addf
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: arith.fptosi
// CHECK: arith.trunci %{{.+}} : i32 to i8
// CHECK: } -> tensor<2x3xi8>
// CHECK: linalg.generic
// CHECK: arith.extui %{{.+}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK-NOT: quant.
func.func @per_tensor(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = octet.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>
  %d = octet.dequantize %q : tensor<2x3x!quant.uniform<u8:f32, 0.5:128>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// Per axis, s8 storage from an int8 constant: scales and zero points are
// read along the quantized dimension; signed storage widens with extsi.
// CHECK-LABEL: func.func @per_axis
// CHECK-DAG: arith.constant dense<[2.500000e-01, 1.250000e-01]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<[0, 1]> : tensor<2xi32>
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[AXIS:.+]], #[[AXIS]], #{{.+}}]
// CHECK: arith.extsi %{{.+}} : i8 to i32
func.func @per_axis() -> tensor<2x3xf32> {
  %c = octet.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>
  %q = quant.scast %c : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:0, {0.25:0, 0.125:1}>>
  %d = octet.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.25:0, 0.125:1}>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// requantize: the reference composition, dequantize then quantize.
// CHECK-LABEL: func.func @requantize
// CHECK: arith.extui
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.trunci %{{.+}} : i32 to i8
func.func @requantize(%s: tensor<4xi8>) -> tensor<4xi8> {
  %q = quant.scast %s : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  %r = octet.requantize %q : tensor<4x!quant.uniform<u8:f32, 0.1:128>> -> tensor<4x!quant.uniform<u8:f32, 0.2:100>>
  %o = quant.scast %r : tensor<4x!quant.uniform<u8:f32, 0.2:100>> to tensor<4xi8>
  return %o : tensor<4xi8>
}
