// RUN: octet-opt %s | octet-opt | FileCheck %s
// RUN: octet-opt %s --mlir-print-op-generic | octet-opt | FileCheck %s

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>,
                %dw: tensor<3x1x3x3xf32>) -> (tensor<1x16x16x16xf32>, tensor<1x3x28x28xf32>) {
  // CHECK: octet.conv2d %{{.*}}, %{{.*}}, %{{.*}} {activation = #octet.act<clip, 0.000000e+00, 6.000000e+00>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %0 = octet.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>,
                                activation = #octet.act<clip, 0.0, 6.0>}
      : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  // CHECK: octet.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, group = 3 : i64} : (tensor<1x3x32x32xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x28x28xf32>
  %1 = octet.conv2d %x, %dw {group = 3 : i64, dilations = array<i64: 2, 2>}
      : (tensor<1x3x32x32xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x28x28xf32>
  return %0, %1 : tensor<1x16x16x16xf32>, tensor<1x3x28x28xf32>
}

// CHECK-LABEL: func.func @matmul_gemm
func.func @matmul_gemm(%a: tensor<4x1x128x64xf32>, %b: tensor<12x64x128xf32>,
                       %x: tensor<64x1000xf32>, %w: tensor<256x1000xf32>, %c: tensor<256xf32>)
    -> (tensor<4x12x128x128xf32>, tensor<64x256xf32>) {
  // CHECK: octet.matmul %{{.*}}, %{{.*}} : (tensor<4x1x128x64xf32>, tensor<12x64x128xf32>) -> tensor<4x12x128x128xf32>
  %0 = octet.matmul %a, %b : (tensor<4x1x128x64xf32>, tensor<12x64x128xf32>) -> tensor<4x12x128x128xf32>
  // CHECK: octet.gemm %{{.*}}, %{{.*}}, %{{.*}} {activation = #octet.act<leaky_relu, 1.000000e-01, 0.000000e+00>, alpha = 5.000000e-01 : f32, trans_b = true}
  %1 = octet.gemm %x, %w, %c {trans_b = true, alpha = 0.5 : f32, activation = #octet.act<leaky_relu, 0.1, 0.0>}
      : (tensor<64x1000xf32>, tensor<256x1000xf32>, tensor<256xf32>) -> tensor<64x256xf32>
  return %0, %1 : tensor<4x12x128x128xf32>, tensor<64x256xf32>
}

// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<1x16x8x8xf32>, %p: tensor<16xf32>, %t: tensor<1x128x768xf32>,
                 %g: tensor<768xf32>) -> (tensor<1x16x8x8xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>) {
  // CHECK: octet.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32} : tensor<1x16x8x8xf32>, tensor<16xf32>
  %0 = octet.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-3 : f32} : tensor<1x16x8x8xf32>, tensor<16xf32>
  // CHECK: octet.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  %1 = octet.layer_norm %t, %g, %g {axis = 2 : i64}
      : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  // CHECK: octet.layer_norm %{{.*}}, %{{.*}} {axis = 2 : i64, epsilon = 9.99999996E-13 : f32} : (tensor<1x128x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  %2 = octet.layer_norm %t, %g {axis = 2 : i64, epsilon = 1.0e-12 : f32}
      : (tensor<1x128x768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  return %0, %1, %2 : tensor<1x16x8x8xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>
}

// CHECK-LABEL: func.func @pools
func.func @pools(%x: tensor<1x64x112x112xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>, tensor<1x64x1x1xf32>) {
  // CHECK: octet.max_pool %{{.*}} {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  %0 = octet.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  // CHECK: octet.avg_pool %{{.*}} {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
  %1 = octet.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, count_include_pad = true}
      : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  // CHECK: octet.global_avg_pool %{{.*}} : tensor<1x64x112x112xf32> -> tensor<1x64x1x1xf32>
  %2 = octet.global_avg_pool %x : tensor<1x64x112x112xf32> -> tensor<1x64x1x1xf32>
  return %0, %1, %2 : tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>, tensor<1x64x1x1xf32>
}

// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<2x10xf32>) -> (tensor<2x10xf32>, tensor<2x10xf32>) {
  // CHECK: octet.softmax %{{.*}} {axis = 1 : i64} : tensor<2x10xf32>
  %0 = octet.softmax %x {axis = 1 : i64} : tensor<2x10xf32>
  // CHECK: octet.log_softmax %{{.*}} {axis = 0 : i64} : tensor<2x10xf32>
  %1 = octet.log_softmax %x {axis = 0 : i64} : tensor<2x10xf32>
  return %0, %1 : tensor<2x10xf32>, tensor<2x10xf32>
}

// CHECK-LABEL: func.func @rnn
func.func @rnn(%x: tensor<24x1x4xf32>, %w: tensor<1x96x4xf32>, %r: tensor<1x96x32xf32>, %b: tensor<1x192xf32>,
               %h: tensor<1x1x32xf32>, %lw: tensor<2x64x4xf32>, %lr: tensor<2x64x16xf32>,
               %lh: tensor<2x1x16xf32>, %lp: tensor<2x48xf32>) {
  // CHECK: octet.gru %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} initial_h %{{.*}} {hidden_size = 32 : i64, linear_before_reset = true}
  %y, %yh = octet.gru %x, %w, %r bias %b initial_h %h {hidden_size = 32 : i64, linear_before_reset = true}
      : (tensor<24x1x4xf32>, tensor<1x96x4xf32>, tensor<1x96x32xf32>, tensor<1x192xf32>, tensor<1x1x32xf32>)
      -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
  // CHECK: octet.gru %{{.*}}, %{{.*}}, %{{.*}} initial_h %{{.*}} {direction = #octet.rnn_direction<reverse>, hidden_size = 32 : i64}
  %y2, %yh2 = octet.gru %x, %w, %r initial_h %h {hidden_size = 32 : i64, direction = #octet.rnn_direction<reverse>}
      : (tensor<24x1x4xf32>, tensor<1x96x4xf32>, tensor<1x96x32xf32>, tensor<1x1x32xf32>)
      -> (tensor<24x1x1x32xf32>, tensor<1x1x32xf32>)
  // CHECK: octet.lstm %{{.*}}, %{{.*}}, %{{.*}} initial_c %{{.*}} peepholes %{{.*}} {direction = #octet.rnn_direction<bidirectional>, hidden_size = 16 : i64}
  %ly, %lyh, %lyc = octet.lstm %x, %lw, %lr initial_c %lh peepholes %lp
      {hidden_size = 16 : i64, direction = #octet.rnn_direction<bidirectional>}
      : (tensor<24x1x4xf32>, tensor<2x64x4xf32>, tensor<2x64x16xf32>, tensor<2x1x16xf32>, tensor<2x48xf32>)
      -> (tensor<24x2x1x16xf32>, tensor<2x1x16xf32>, tensor<2x1x16xf32>)
  return
}

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<1x16x8x8xf32>, %y: tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32> {
  // CHECK: octet.add %{{.*}}, %{{.*}} : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %0 = octet.add %x, %y : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
  // CHECK: octet.sub
  %1 = octet.sub %0, %y : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
  // CHECK: octet.mul
  %2 = octet.mul %y, %1 : (tensor<16x1x1xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  // CHECK: octet.div
  %3 = octet.div %2, %x : (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  // CHECK: octet.pow
  %4 = octet.pow %3, %y : (tensor<1x16x8x8xf32>, tensor<16x1x1xf32>) -> tensor<1x16x8x8xf32>
  return %4 : tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: octet.sqrt %{{.*}} : tensor<4x8xf32>
  %0 = octet.sqrt %x : tensor<4x8xf32>
  // CHECK: octet.exp
  %1 = octet.exp %0 : tensor<4x8xf32>
  // CHECK: octet.log
  %2 = octet.log %1 : tensor<4x8xf32>
  // CHECK: octet.erf
  %3 = octet.erf %2 : tensor<4x8xf32>
  // CHECK: octet.neg
  %4 = octet.neg %3 : tensor<4x8xf32>
  // CHECK: octet.abs
  %5 = octet.abs %4 : tensor<4x8xf32>
  // CHECK: octet.relu
  %6 = octet.relu %5 : tensor<4x8xf32>
  // CHECK: octet.sigmoid
  %7 = octet.sigmoid %6 : tensor<4x8xf32>
  // CHECK: octet.tanh
  %8 = octet.tanh %7 : tensor<4x8xf32>
  // CHECK: octet.hard_swish
  %9 = octet.hard_swish %8 : tensor<4x8xf32>
  // CHECK: octet.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<4x8xf32>
  %10 = octet.clip %9 {min = 0.0 : f32, max = 6.0 : f32} : tensor<4x8xf32>
  // CHECK: octet.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f32}
  %11 = octet.leaky_relu %10 {alpha = 0.2 : f32} : tensor<4x8xf32>
  // CHECK: octet.hard_sigmoid %{{.*}} : tensor<4x8xf32>
  %12 = octet.hard_sigmoid %11 : tensor<4x8xf32>
  // CHECK: octet.gelu %{{.*}} {approximate = #octet.gelu_approximation<tanh>} : tensor<4x8xf32>
  %13 = octet.gelu %12 {approximate = #octet.gelu_approximation<tanh>} : tensor<4x8xf32>
  return %13 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @reduce
func.func @reduce(%x: tensor<1x128x768xf32>) -> (tensor<1x128x1xf32>, tensor<768xf32>, tensor<1x1x1xf32>) {
  // CHECK: octet.reduce_mean %{{.*}} {axes = array<i64: 2>} : tensor<1x128x768xf32> -> tensor<1x128x1xf32>
  %0 = octet.reduce_mean %x {axes = array<i64: 2>} : tensor<1x128x768xf32> -> tensor<1x128x1xf32>
  // CHECK: octet.reduce_sum %{{.*}} {axes = array<i64: 0, 1>, keepdims = false} : tensor<1x128x768xf32> -> tensor<768xf32>
  %1 = octet.reduce_sum %x {axes = array<i64: 0, 1>, keepdims = false} : tensor<1x128x768xf32> -> tensor<768xf32>
  // CHECK: octet.reduce_max %{{.*}} : tensor<1x128x768xf32> -> tensor<1x1x1xf32>
  %2 = octet.reduce_max %x : tensor<1x128x768xf32> -> tensor<1x1x1xf32>
  return %0, %1, %2 : tensor<1x128x1xf32>, tensor<768xf32>, tensor<1x1x1xf32>
}

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2x2xf32>, tensor<3xi64>, tensor<4xf32>) {
  // CHECK: octet.constant dense_resource<weights> : tensor<2x2xf32>
  %0 = octet.constant dense_resource<weights> : tensor<2x2xf32>
  // CHECK: octet.constant dense<[1, 2, 3]> : tensor<3xi64>
  %1 = octet.constant dense<[1, 2, 3]> : tensor<3xi64>
  // CHECK: octet.cast %{{.*}} : tensor<3xi64> to tensor<3xf32>
  %2 = octet.cast %1 : tensor<3xi64> to tensor<3xf32>
  %3 = octet.constant dense<0.5> : tensor<4xf32>
  return %0, %1, %3 : tensor<2x2xf32>, tensor<3xi64>, tensor<4xf32>
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<1x512x1x1xf32>, %t: tensor<1x128x12x64xf32>, %s: tensor<4x8xf32>,
                         %ids: tensor<1x128xi64>, %table: tensor<1000x16xf32>) {
  // CHECK: octet.reshape %{{.*}} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %0 = octet.reshape %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  // CHECK: octet.flatten %{{.*}} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %1 = octet.flatten %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  // CHECK: octet.transpose %{{.*}} {perm = array<i64: 0, 2, 1, 3>} : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  %2 = octet.transpose %t {perm = array<i64: 0, 2, 1, 3>} : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
  // CHECK: octet.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x16xf32>
  %3 = octet.concat %s, %s {axis = 1 : i64} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x16xf32>
  // CHECK: octet.slice %{{.*}} {ends = array<i64: -1, 8>, starts = array<i64: 3, 2>, steps = array<i64: -1, 2>} : tensor<4x8xf32> -> tensor<4x3xf32>
  %4 = octet.slice %s {starts = array<i64: 3, 2>, ends = array<i64: -1, 8>, steps = array<i64: -1, 2>}
      : tensor<4x8xf32> -> tensor<4x3xf32>
  // CHECK: octet.pad %{{.*}} {mode = #octet.pad_mode<reflect>, pads = array<i64: 1, 2, 1, 2>} : tensor<4x8xf32> -> tensor<6x12xf32>
  %5 = octet.pad %s {pads = array<i64: 1, 2, 1, 2>, mode = #octet.pad_mode<reflect>} : tensor<4x8xf32> -> tensor<6x12xf32>
  // CHECK: octet.pad %{{.*}} {pads = array<i64: 0, 0, 0, 1>, value = -1.000000e+00 : f32}
  %6 = octet.pad %s {pads = array<i64: 0, 0, 0, 1>, value = -1.0 : f32} : tensor<4x8xf32> -> tensor<4x9xf32>
  // CHECK: octet.squeeze %{{.*}} {axes = array<i64: 2, 3>} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %7 = octet.squeeze %x {axes = array<i64: 2, 3>} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  // CHECK: octet.squeeze %{{.*}} : tensor<1x512x1x1xf32> -> tensor<512xf32>
  %8 = octet.squeeze %x : tensor<1x512x1x1xf32> -> tensor<512xf32>
  // CHECK: octet.unsqueeze %{{.*}} {axes = array<i64: 0, 2>} : tensor<4x8xf32> -> tensor<1x4x1x8xf32>
  %9 = octet.unsqueeze %s {axes = array<i64: 0, 2>} : tensor<4x8xf32> -> tensor<1x4x1x8xf32>
  // CHECK: octet.gather %{{.*}}, %{{.*}} : (tensor<1000x16xf32>, tensor<1x128xi64>) -> tensor<1x128x16xf32>
  %10 = octet.gather %table, %ids : (tensor<1000x16xf32>, tensor<1x128xi64>) -> tensor<1x128x16xf32>
  return
}

// CHECK-LABEL: func.func @quant
func.func @quant(%x: tensor<16x3xf32>) -> tensor<16x3xf32> {
  // CHECK: octet.observe %{{.*}} {name = "fc.in"} : tensor<16x3xf32>
  %0 = octet.observe %x {name = "fc.in"} : tensor<16x3xf32>
  // CHECK: octet.observe %{{.*}} {bins = 512 : i64, dtype = #octet.dtype<s8>, kind = #octet.observer<histogram>, name = "fc.in2"} : tensor<16x3xf32>
  %h = octet.observe %x {name = "fc.in2", kind = #octet.observer<histogram>, bins = 512 : i64, dtype = #octet.dtype<s8>} : tensor<16x3xf32>
  // CHECK: octet.quantize %{{.*}} : tensor<16x3xf32> -> tensor<16x3x!quant.uniform<u8:f32, 5.000000e-02:128>>
  %1 = octet.quantize %0 : tensor<16x3xf32> -> tensor<16x3x!quant.uniform<u8:f32, 0.05:128>>
  // CHECK: octet.requantize %{{.*}} : tensor<16x3x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<16x3x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>>
  %2 = octet.requantize %1 : tensor<16x3x!quant.uniform<u8:f32, 0.05:128>>
                          -> tensor<16x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  // CHECK: octet.dequantize %{{.*}} : tensor<16x3x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}>> -> tensor<16x3xf32>
  %3 = octet.dequantize %2 : tensor<16x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> -> tensor<16x3xf32>
  return %3 : tensor<16x3xf32>
}

// CHECK-LABEL: func.func @integer
func.func @integer(%x: tensor<1x3x8x8xui8>, %w: tensor<4x3x3x3xi8>, %xz: tensor<ui8>, %wz: tensor<4xi8>,
                   %a: tensor<4x16xui8>, %b: tensor<16x8xi8>, %bz: tensor<8xi8>, %f: tensor<4x16xf32>) {
  // CHECK: octet.conv2d_integer %{{.*}}, %{{.*}} input_zp %{{.*}} weight_zp %{{.*}} {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<4xi8>) -> tensor<1x4x8x8xi32>
  %0 = octet.conv2d_integer %x, %w input_zp %xz weight_zp %wz {pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<4xi8>) -> tensor<1x4x8x8xi32>
  // CHECK: octet.conv2d_integer %{{.*}}, %{{.*}} : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi32>
  %1 = octet.conv2d_integer %x, %w : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi32>
  // CHECK: octet.matmul_integer %{{.*}}, %{{.*}} rhs_zp %{{.*}} : (tensor<4x16xui8>, tensor<16x8xi8>, tensor<8xi8>) -> tensor<4x8xi32>
  %2 = octet.matmul_integer %a, %b rhs_zp %bz : (tensor<4x16xui8>, tensor<16x8xi8>, tensor<8xi8>) -> tensor<4x8xi32>
  // CHECK: octet.dynamic_quantize_linear %{{.*}} : tensor<4x16xf32> -> (tensor<4x16xui8>, tensor<f32>, tensor<ui8>)
  %3:3 = octet.dynamic_quantize_linear %f : tensor<4x16xf32> -> (tensor<4x16xui8>, tensor<f32>, tensor<ui8>)
  return
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
