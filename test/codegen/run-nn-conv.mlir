// RUN: octet-opt %s --pass-pipeline='builtin.module(\
// RUN:   func.func(octet-lower-to-linalg,canonicalize),\
// RUN:   one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},\
// RUN:   buffer-results-to-out-params,canonicalize,func.func(convert-linalg-to-loops,octet-expand-math),\
// RUN:   lower-affine,convert-scf-to-cf,expand-strided-metadata,finalize-memref-to-llvm,\
// RUN:   convert-math-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,\
// RUN:   reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils > %t
// RUN: %PYTHON %S/reference/nn_reference.py %s %t

// Numeric end-to-end test of octet.conv2d: plain, strided with asymmetric pads,
// dilated, depthwise (with channel multiplier too), grouped, with bias and
// fused activations.
// Each `// CASE: name` result is printed in order and compared with the
// numpy reference of that name in reference/nn_reference.py (tolerance
// 1e-5 relative + 1e-5 absolute, justified there).
//
// The RUN pipeline is the stages of octet-lower-to-llvm up to the LLVM
// dialect with MLIR's default memref calling convention, which mlir-runner's
// @main and printMemrefF32 need.

func.func private @printMemrefF32(memref<*xf32>)

func.func @main() {
  %x1 = arith.constant dense<
      [[[[0.93, -0.12, -0.99, 0.82], [0.88, 0.16, 0.34, -0.83], [0.53, -0.53, -0.94, 0.58], [-0.31, 0.25, 0.23, -0.7]],
      [[-0.63, -0.77, -0.97, -0.03], [0.93, -0.87, 0.08, -0.07], [0.2, -0.82, 0.16, -0.46], [0.11, 0.29, -0.04, -0.29]]]]> : tensor<1x2x4x4xf32>
  %w1 = arith.constant dense<
      [[[[-0.5, 0.87, -0.09], [0.06, -0.96, 0.02], [-0.99, -0.71, -0.05]],
      [[-0.25, -0.89, 0.18], [-0.67, 0.11, -0.71], [0.87, 0.54, 0.91]]],
      [[[-0.72, -0.39, -0.92], [-0.45, 0.61, -0.65], [-0.69, 0.91, -0.69]],
      [[0.67, -0.92, -0.23], [-0.3, -0.32, 0.63], [-0.05, 0.57, -0.06]]],
      [[[0.63, 0.76, -0.12], [0.56, 0.63, -0.41], [-0.75, -0.63, -0.13]],
      [[-0.76, 0.06, 0.66], [-0.03, 0.64, 0.31], [0.28, -0.31, 0.41]]]]> : tensor<3x2x3x3xf32>
  // CASE: conv_plain
  %r1 = octet.conv2d %x1, %w1 : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x2x2xf32>
  %m1 = bufferization.to_buffer %r1 : tensor<1x3x2x2xf32> to memref<1x3x2x2xf32>
  %u1 = memref.cast %m1 : memref<1x3x2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u1) : (memref<*xf32>) -> ()
  %x2 = arith.constant dense<
      [[[[0.62, -0.69, 0.82, -0.46, -0.69], [0.68, 0.44, 0.59, -0.11, -0.86], [-0.21, -0.9, -0.43, -0.92, 0.01], [-0.82, 0.87, 0.4, -0.37, 0.89], [-0.87, -0.49, -0.85, -0.15, -0.6]],
      [[-0.21, 0.41, 0.77, 0.0, 0.64], [-0.28, 0.72, 0.03, 0.4, -0.65], [0.17, -0.4, 0.63, 0.07, -0.0], [0.55, 0.1, -0.33, -0.74, 0.25], [0.85, 0.68, -0.86, -0.35, -1.0]]]]> : tensor<1x2x5x5xf32>
  %w2 = arith.constant dense<
      [[[[0.35, 0.28, 0.52], [-0.7, -0.57, -0.13], [0.47, -0.59, 0.65]],
      [[-0.24, 0.75, 0.92], [0.07, 0.84, -0.16], [0.37, 0.69, 0.68]]],
      [[[-0.81, -0.48, -0.18], [0.72, -0.45, -0.77], [-0.25, -0.57, 0.43]],
      [[0.18, -0.9, 0.75], [-0.12, 0.55, -0.67], [-0.38, -0.85, -0.21]]]]> : tensor<2x2x3x3xf32>
  // CASE: conv_stride_pad
  %r2 = octet.conv2d %x2, %w2 {strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 2, 1>} : (tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x3x2xf32>
  %m2 = bufferization.to_buffer %r2 : tensor<1x2x3x2xf32> to memref<1x2x3x2xf32>
  %u2 = memref.cast %m2 : memref<1x2x3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  %x3 = arith.constant dense<[[[[-0.14, 0.37, -0.04, -0.2, -0.04, -0.44], [-0.26, 0.2, -0.59, 0.04, 0.86, -0.09], [0.34, 0.32, 0.6, 0.45, 0.32, -0.79], [-0.27, 0.59, -0.87, -0.72, 0.81, 0.18], [0.96, 0.51, 0.99, -0.4, 0.37, -0.34], [0.89, -0.41, -0.61, 0.63, -0.44, 0.07]]]]> : tensor<1x1x6x6xf32>
  %w3 = arith.constant dense<
      [[[[0.2, -0.32, -0.33], [-0.36, -0.46, 0.52]]],
      [[[0.18, 0.1, 0.65], [-0.49, -0.73, -0.94]]]]> : tensor<2x1x2x3xf32>
  // CASE: conv_dilated
  %r3 = octet.conv2d %x3, %w3 {dilations = array<i64: 2, 1>, pads = array<i64: 0, 1, 0, 1>} : (tensor<1x1x6x6xf32>, tensor<2x1x2x3xf32>) -> tensor<1x2x4x6xf32>
  %m3 = bufferization.to_buffer %r3 : tensor<1x2x4x6xf32> to memref<1x2x4x6xf32>
  %u3 = memref.cast %m3 : memref<1x2x4x6xf32> to memref<*xf32>
  call @printMemrefF32(%u3) : (memref<*xf32>) -> ()
  %x4 = arith.constant dense<
      [[[[-0.93, 0.98, 0.95, 0.33], [0.98, 0.03, -0.13, 0.03], [-0.86, 0.52, -0.39, 0.4], [0.82, -0.56, 0.01, 0.31]],
      [[0.62, 0.37, -0.34, 0.13], [-0.67, -0.0, 0.88, 0.9], [-0.72, 0.06, 0.24, -0.71], [0.9, -0.51, -0.67, 0.01]],
      [[0.01, 0.55, 0.71, -0.35], [0.42, 0.12, 0.07, 0.2], [-0.11, -0.26, 0.86, 0.53], [0.35, 0.77, 0.21, -0.86]]],
      [[[-0.54, 0.61, -0.31, 0.88], [0.38, -0.24, -0.01, -0.9], [-0.1, -0.84, -0.41, 0.86], [-0.7, 0.35, 0.3, 0.39]],
      [[0.59, 0.73, -0.29, -0.26], [-0.65, 0.28, -0.58, -0.61], [0.98, 0.24, 0.46, 0.0], [-0.73, 0.82, 0.3, -0.9]],
      [[0.83, -0.06, 0.2, -0.26], [-0.21, 0.56, -0.53, -0.98], [-0.37, 0.97, -0.76, 0.2], [0.73, 0.07, 0.19, 0.07]]]]> : tensor<2x3x4x4xf32>
  %w4 = arith.constant dense<
      [[[[-0.36, -0.27, 0.85], [0.42, 0.29, -0.09], [0.82, 0.75, 0.93]]],
      [[[0.09, -0.18, -0.62], [-0.45, 0.74, -0.65], [0.89, 0.17, 0.69]]],
      [[[0.06, 0.51, 0.17], [0.66, 0.03, 0.45], [0.61, -0.25, -0.79]]]]> : tensor<3x1x3x3xf32>
  %b4 = arith.constant dense<[0.35, 0.7, 0.67]> : tensor<3xf32>
  // CASE: conv_depthwise_bias
  %r4 = octet.conv2d %x4, %w4, %b4 {group = 3 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 2>} : (tensor<2x3x4x4xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<2x3x4x2xf32>
  %m4 = bufferization.to_buffer %r4 : tensor<2x3x4x2xf32> to memref<2x3x4x2xf32>
  %u4 = memref.cast %m4 : memref<2x3x4x2xf32> to memref<*xf32>
  call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  %x5 = arith.constant dense<
      [[[[-0.75, 0.57, -0.02, 0.09], [-0.74, 0.54, -0.52, 0.4], [-0.33, 0.91, 0.42, -0.29], [0.1, -0.62, -0.05, 0.86]],
      [[0.86, -0.36, -0.12, 0.05], [0.08, 0.98, -0.83, -0.61], [0.22, -0.33, -0.24, 0.39], [-0.6, -0.94, 0.94, -0.37]],
      [[-0.8, -0.89, 0.36, -0.15], [-0.32, 0.96, 0.86, 0.43], [0.81, -0.67, 0.94, -0.98], [0.19, 0.84, 0.82, 0.41]],
      [[0.85, 0.22, -0.69, 0.84], [-0.61, -0.09, -0.11, 0.0], [-0.33, -0.46, 0.78, -0.22], [0.37, -0.01, -0.5, -0.43]]]]> : tensor<1x4x4x4xf32>
  %w5 = arith.constant dense<
      [[[[0.94, 0.81], [-0.68, -0.53]],
      [[0.92, 0.84], [-0.29, 0.09]]],
      [[[-0.14, -0.11], [0.1, 0.56]],
      [[0.44, 0.43], [-0.86, -0.51]]],
      [[[0.29, 0.43], [-0.03, 0.56]],
      [[0.91, 0.38], [0.66, -0.35]]],
      [[[0.63, 0.04], [0.61, 0.36]],
      [[-0.39, 0.54], [0.6, 0.0]]],
      [[[-0.71, -0.25], [-0.65, -0.73]],
      [[-0.4, -0.02], [0.6, 0.2]]],
      [[[-0.47, 0.83], [0.9, 0.72]],
      [[-0.06, 0.74], [-0.66, 0.58]]]]> : tensor<6x2x2x2xf32>
  %b5 = arith.constant dense<[-0.54, -0.5, -0.87, 0.65, 0.63, 0.66]> : tensor<6xf32>
  // CASE: conv_grouped_bias_relu
  %r5 = octet.conv2d %x5, %w5, %b5 {group = 2 : i64, activation = #octet.act<relu>} : (tensor<1x4x4x4xf32>, tensor<6x2x2x2xf32>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
  %m5 = bufferization.to_buffer %r5 : tensor<1x6x3x3xf32> to memref<1x6x3x3xf32>
  %u5 = memref.cast %m5 : memref<1x6x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u5) : (memref<*xf32>) -> ()
  %x6 = arith.constant dense<
      [[[[0.12, -0.71, -0.21, -0.56, 0.12], [-0.71, -0.58, 0.45, 0.24, 0.36], [0.04, -0.31, -0.62, -0.55, 0.11], [-0.96, -0.27, -0.12, 0.36, -0.98], [-0.16, -0.16, 0.89, 0.3, 0.04]],
      [[0.51, 0.54, 0.56, 0.13, -0.39], [0.18, -0.96, 0.4, -0.75, 0.94], [0.14, 0.52, -0.21, -0.58, -0.14], [-0.78, -0.17, 0.71, 0.22, 0.83], [0.44, 0.57, 0.5, -0.54, -0.87]],
      [[-0.24, -0.75, 0.35, -0.94, 0.02], [0.6, 0.46, -0.96, -0.91, 0.89], [-0.94, 0.51, 0.77, -0.54, 0.25], [0.15, 0.79, -0.51, -0.08, -0.47], [-0.17, 0.48, 0.04, -0.98, -0.42]]],
      [[[0.31, 0.91, 0.19, 0.83, 0.4], [0.31, 0.26, 0.21, 0.84, -0.15], [-0.13, -0.32, -0.43, -0.81, 0.78], [0.67, 0.47, 0.14, -0.33, 0.05], [0.2, 0.32, -0.18, -0.12, -0.63]],
      [[-0.79, 0.8, -0.34, 0.18, 0.95], [-0.62, 0.04, -0.21, -0.36, 0.03], [0.28, 0.89, 0.28, -0.34, 0.45], [0.23, -0.48, 0.74, -0.85, 0.82], [-0.1, 0.22, -0.98, -0.93, 0.22]],
      [[-0.78, 0.33, 0.4, -0.64, 0.15], [-0.47, 0.66, 0.51, 0.64, -0.38], [0.88, -0.94, 0.15, -0.33, 0.09], [0.48, -0.82, 0.54, 0.87, 0.55], [-0.97, -0.83, 0.68, 0.12, -0.31]]]]> : tensor<2x3x5x5xf32>
  %w6 = arith.constant dense<
      [[[[0.36, 0.63, 0.22], [-0.96, -0.09, -0.56], [-0.3, -0.33, -0.22]],
      [[0.39, -0.94, -0.73], [-0.28, 0.49, -0.81], [-0.47, -0.68, 0.24]],
      [[0.12, -0.01, -0.84], [0.58, 0.5, 0.35], [0.68, -0.16, -0.37]]],
      [[[0.08, 0.25, 0.15], [0.42, -0.66, -0.13], [-0.0, -0.72, 0.0]],
      [[-0.05, 0.15, -0.39], [-0.45, -0.71, -0.74], [0.99, 0.33, 0.99]],
      [[-0.48, -0.38, -0.41], [-0.69, 0.27, 0.93], [-0.09, -0.48, -0.26]]],
      [[[-0.9, -0.3, 0.58], [0.41, -0.98, -0.93], [0.23, -0.62, 0.65]],
      [[0.95, 0.3, 0.35], [0.6, -0.37, 0.85], [0.82, -0.17, 0.87]],
      [[-0.11, 0.04, 0.92], [0.26, -0.33, -0.61], [0.9, -0.37, -0.19]]],
      [[[-0.27, -0.15, -0.22], [0.88, 0.35, -0.49], [0.86, 0.22, -0.09]],
      [[-0.28, 0.02, 0.87], [-0.63, -0.25, -0.09], [0.84, 0.67, 0.56]],
      [[-0.73, -0.25, 0.85], [-0.18, 0.22, -0.49], [-0.35, -0.12, -0.37]]]]> : tensor<4x3x3x3xf32>
  %b6 = arith.constant dense<[0.33, 0.25, 0.62, 0.44]> : tensor<4xf32>
  // CASE: conv_bias_relu
  %r6 = octet.conv2d %x6, %w6, %b6 {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, activation = #octet.act<relu>} : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
  %m6 = bufferization.to_buffer %r6 : tensor<2x4x3x3xf32> to memref<2x4x3x3xf32>
  %u6 = memref.cast %m6 : memref<2x4x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u6) : (memref<*xf32>) -> ()
  // CASE: conv_leaky_relu
  %r7 = octet.conv2d %x6, %w6 {activation = #octet.act<leaky_relu, 0.1, 0.0>} : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x3x3xf32>
  %m7 = bufferization.to_buffer %r7 : tensor<2x4x3x3xf32> to memref<2x4x3x3xf32>
  %u7 = memref.cast %m7 : memref<2x4x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u7) : (memref<*xf32>) -> ()
  %x7 = arith.constant dense<
      [[[[0.12, -0.65, -0.1, 0.52], [-0.1, -0.67, -0.09, -0.02], [0.33, 0.69, -0.88, -0.4], [-0.58, -0.73, 0.88, 0.16]],
      [[-0.62, 0.95, 0.74, -0.25], [-0.42, 0.16, -0.13, -0.06], [0.89, 0.15, 0.53, 0.92], [-0.81, 0.99, 0.95, 0.72]]]]> : tensor<1x2x4x4xf32>
  %w7 = arith.constant dense<
      [[[[-0.77, -0.71, -0.74], [-0.06, 0.73, 0.76], [-0.96, 0.56, -0.59]]],
      [[[-0.37, -0.49, 0.81], [-0.15, 0.96, -0.41], [-0.28, -0.54, -0.37]]],
      [[[-0.59, -0.4, 0.48], [0.06, 0.97, 0.05], [0.47, -0.49, 0.91]]],
      [[[0.37, -0.63, 0.22], [-0.92, -0.31, 0.03], [0.22, -0.09, -0.75]]]]> : tensor<4x1x3x3xf32>
  // CASE: conv_depthwise_multiplier
  %r8 = octet.conv2d %x7, %w7 {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
  %m8 = bufferization.to_buffer %r8 : tensor<1x4x4x4xf32> to memref<1x4x4x4xf32>
  %u8 = memref.cast %m8 : memref<1x4x4x4xf32> to memref<*xf32>
  call @printMemrefF32(%u8) : (memref<*xf32>) -> ()
  return
}
