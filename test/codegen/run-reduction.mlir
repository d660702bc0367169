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

// Numeric end-to-end test of octet.reduce_{sum,mean,max} (keepdims both ways,
// several axes), softmax / log_softmax (every axis, large inputs) and
// layer_norm.
// Each `// CASE: name` result is printed in order and compared with the
// numpy reference of that name in reference/nn_reference.py (tolerance
// 1e-5 relative + 1e-5 absolute, justified there).
//
// The RUN pipeline is the stages of octet-lower-to-llvm up to the LLVM
// dialect with MLIR's default memref calling convention, which mlir-runner's
// @main and printMemrefF32 need.

func.func private @printMemrefF32(memref<*xf32>)

func.func @main() {
  %x = arith.constant dense<
      [[[0.93, -0.12, -0.99, 0.82], [0.88, 0.16, 0.34, -0.83], [0.53, -0.53, -0.94, 0.58]],
      [[-0.31, 0.25, 0.23, -0.7], [-0.63, -0.77, -0.97, -0.03], [0.93, -0.87, 0.08, -0.07]]]> : tensor<2x3x4xf32>
  // CASE: reduce_sum_axis1_keep
  %r1 = octet.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %m1 = bufferization.to_buffer %r1 : tensor<2x1x4xf32> to memref<2x1x4xf32>
  %u1 = memref.cast %m1 : memref<2x1x4xf32> to memref<*xf32>
  call @printMemrefF32(%u1) : (memref<*xf32>) -> ()
  // CASE: reduce_sum_axes02_drop
  %r2 = octet.reduce_sum %x {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  %m2 = bufferization.to_buffer %r2 : tensor<3xf32> to memref<3xf32>
  %u2 = memref.cast %m2 : memref<3xf32> to memref<*xf32>
  call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  // CASE: reduce_mean_axis2_drop
  %r3 = octet.reduce_mean %x {axes = array<i64: 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  %m3 = bufferization.to_buffer %r3 : tensor<2x3xf32> to memref<2x3xf32>
  %u3 = memref.cast %m3 : memref<2x3xf32> to memref<*xf32>
  call @printMemrefF32(%u3) : (memref<*xf32>) -> ()
  // CASE: reduce_mean_all_keep
  %r4 = octet.reduce_mean %x : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  %m4 = bufferization.to_buffer %r4 : tensor<1x1x1xf32> to memref<1x1x1xf32>
  %u4 = memref.cast %m4 : memref<1x1x1xf32> to memref<*xf32>
  call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  // CASE: reduce_max_axes01_keep
  %r5 = octet.reduce_max %x {axes = array<i64: 0, 1>} : tensor<2x3x4xf32> -> tensor<1x1x4xf32>
  %m5 = bufferization.to_buffer %r5 : tensor<1x1x4xf32> to memref<1x1x4xf32>
  %u5 = memref.cast %m5 : memref<1x1x4xf32> to memref<*xf32>
  call @printMemrefF32(%u5) : (memref<*xf32>) -> ()
  // CASE: reduce_max_all_drop
  %r6 = octet.reduce_max %x {keepdims = false} : tensor<2x3x4xf32> -> tensor<f32>
  %m6 = bufferization.to_buffer %r6 : tensor<f32> to memref<f32>
  %u6 = memref.cast %m6 : memref<f32> to memref<*xf32>
  call @printMemrefF32(%u6) : (memref<*xf32>) -> ()
  // CASE: reduce_mean_axes12_keep
  %r7 = octet.reduce_mean %x {axes = array<i64: 1, 2>} : tensor<2x3x4xf32> -> tensor<2x1x1xf32>
  %m7 = bufferization.to_buffer %r7 : tensor<2x1x1xf32> to memref<2x1x1xf32>
  %u7 = memref.cast %m7 : memref<2x1x1xf32> to memref<*xf32>
  call @printMemrefF32(%u7) : (memref<*xf32>) -> ()
  // CASE: softmax_axis2
  %r8 = octet.softmax %x {axis = 2 : i64} : tensor<2x3x4xf32>
  %m8 = bufferization.to_buffer %r8 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u8 = memref.cast %m8 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u8) : (memref<*xf32>) -> ()
  // CASE: softmax_axis1
  %r9 = octet.softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
  %m9 = bufferization.to_buffer %r9 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u9 = memref.cast %m9 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u9) : (memref<*xf32>) -> ()
  // CASE: softmax_axis0
  %r10 = octet.softmax %x {axis = 0 : i64} : tensor<2x3x4xf32>
  %m10 = bufferization.to_buffer %r10 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u10 = memref.cast %m10 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u10) : (memref<*xf32>) -> ()
  // CASE: log_softmax_axis2
  %r11 = octet.log_softmax %x {axis = 2 : i64} : tensor<2x3x4xf32>
  %m11 = bufferization.to_buffer %r11 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u11 = memref.cast %m11 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u11) : (memref<*xf32>) -> ()
  // CASE: log_softmax_axis1
  %r12 = octet.log_softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
  %m12 = bufferization.to_buffer %r12 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u12 = memref.cast %m12 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u12) : (memref<*xf32>) -> ()
  %big = arith.constant dense<[[1000.0, 1001.0, 999.5], [-1000.0, -1002.0, -999.0]]> : tensor<2x3xf32>
  // CASE: softmax_large
  %r13 = octet.softmax %big {axis = 1 : i64} : tensor<2x3xf32>
  %m13 = bufferization.to_buffer %r13 : tensor<2x3xf32> to memref<2x3xf32>
  %u13 = memref.cast %m13 : memref<2x3xf32> to memref<*xf32>
  call @printMemrefF32(%u13) : (memref<*xf32>) -> ()
  // CASE: log_softmax_large
  %r14 = octet.log_softmax %big {axis = 1 : i64} : tensor<2x3xf32>
  %m14 = bufferization.to_buffer %r14 : tensor<2x3xf32> to memref<2x3xf32>
  %u14 = memref.cast %m14 : memref<2x3xf32> to memref<*xf32>
  call @printMemrefF32(%u14) : (memref<*xf32>) -> ()
  %g4 = arith.constant dense<[0.2, -0.82, 0.16, -0.46]> : tensor<4xf32>
  %b4 = arith.constant dense<[0.11, 0.29, -0.04, -0.29]> : tensor<4xf32>
  // CASE: layer_norm_axis2_bias
  %r15 = octet.layer_norm %x, %g4, %b4 {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %m15 = bufferization.to_buffer %r15 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u15 = memref.cast %m15 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u15) : (memref<*xf32>) -> ()
  %g34 = arith.constant dense<[[-0.5, 0.87, -0.09, 0.06], [-0.96, 0.02, -0.99, -0.71], [-0.05, -0.25, -0.89, 0.18]]> : tensor<3x4xf32>
  // CASE: layer_norm_axis1_eps
  %r16 = octet.layer_norm %x, %g34 {axis = 1 : i64, epsilon = 0.1 : f32} : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  %m16 = bufferization.to_buffer %r16 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u16 = memref.cast %m16 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u16) : (memref<*xf32>) -> ()
  %g234 = arith.constant dense<
      [[[-0.67, 0.11, -0.71, 0.87], [0.54, 0.91, -0.72, -0.39], [-0.92, -0.45, 0.61, -0.65]],
      [[-0.69, 0.91, -0.69, 0.67], [-0.92, -0.23, -0.3, -0.32], [0.63, -0.05, 0.57, -0.06]]]> : tensor<2x3x4xf32>
  // CASE: layer_norm_axis0
  %r17 = octet.layer_norm %x, %g234, %g234 {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %m17 = bufferization.to_buffer %r17 : tensor<2x3x4xf32> to memref<2x3x4xf32>
  %u17 = memref.cast %m17 : memref<2x3x4xf32> to memref<*xf32>
  call @printMemrefF32(%u17) : (memref<*xf32>) -> ()
  return
}
