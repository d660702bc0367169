// RUN: octet-opt %s --split-input-file --verify-diagnostics --octet-quantize-io --canonicalize | FileCheck %s

// An input only quantized becomes the u8 storage the caller fills (as ui8,
// so the C API says unsigned); a dequantized output is returned as its
// storage; both record their quantized type for the header.
// CHECK-LABEL: func.func @io
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xui8> {octet.name = "x", octet.quantized = !quant.uniform<u8:f32, 5.000000e-01:128>})
// CHECK-SAME: -> (tensor<1x4xi8> {octet.name = "y", octet.quantized = !quant.uniform<i8:f32, 2.500000e-01>})
// CHECK: %[[S:.+]] = octet.cast %[[X]] : tensor<1x4xui8> to tensor<1x4xi8>
// CHECK: %[[Q:.+]] = quant.scast %[[S]] : tensor<1x4xi8> to tensor<1x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
// CHECK: %[[R:.+]] = octet.requantize %[[Q]]
// CHECK: %[[O:.+]] = quant.scast %[[R]] : tensor<1x4x!quant.uniform<i8:f32, 2.500000e-01>> to tensor<1x4xi8>
// CHECK: return %[[O]]
// CHECK-NOT: octet.quantize
// CHECK-NOT: octet.dequantize
func.func @io(%x: tensor<1x4xf32> {octet.name = "x"}) -> (tensor<1x4xf32> {octet.name = "y"}) {
  %q = octet.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %r = octet.requantize %q : tensor<1x4x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<1x4x!quant.uniform<i8:f32, 2.500000e-01>>
  %y = octet.dequantize %r : tensor<1x4x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// Left float: an input also read as float, one quantized into two types,
// and an output that is not a dequantize.
// CHECK-LABEL: func.func @kept
// CHECK-SAME: (%{{.+}}: tensor<2xf32>, %{{.+}}: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
// CHECK-NOT: octet.quantized
// expected-warning @+2 {{input 0 stays float: not only quantized into one 8-bit type}}
// expected-warning @+1 {{input 1 stays float: not only quantized into one 8-bit type}}
func.func @kept(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %qa = octet.quantize %a : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 5.000000e-01>>
  %s = octet.add %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %qb1 = octet.quantize %b : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 5.000000e-01>>
  %qb2 = octet.quantize %b : tensor<2xf32> -> tensor<2x!quant.uniform<u8:f32, 2.500000e-01>>
  %r = octet.requantize %qb2 : tensor<2x!quant.uniform<u8:f32, 2.500000e-01>> -> tensor<2x!quant.uniform<u8:f32, 5.000000e-01>>
  %da = octet.dequantize %qa : tensor<2x!quant.uniform<u8:f32, 5.000000e-01>> -> tensor<2xf32>
  %db = octet.dequantize %qb1 : tensor<2x!quant.uniform<u8:f32, 5.000000e-01>> -> tensor<2xf32>
  %dr = octet.dequantize %r : tensor<2x!quant.uniform<u8:f32, 5.000000e-01>> -> tensor<2xf32>
  %m = octet.add %da, %db : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %n = octet.add %m, %dr : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %s, %n : tensor<2xf32>, tensor<2xf32>
}
