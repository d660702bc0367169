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

// Numeric end-to-end test of octet.max_pool / avg_pool (pads, ceil_mode,
// dilations, count_include_pad both ways), global_avg_pool and batch_norm.
// Each `// CASE: name` result is printed in order and compared with the
// numpy reference of that name in reference/nn_reference.py (tolerance
// 1e-5 relative + 1e-5 absolute, justified there).
//
// The RUN pipeline is the stages of octet-lower-to-llvm up to the LLVM
// dialect with MLIR's default memref calling convention, which mlir-runner's
// @main and printMemrefF32 need.

func.func private @printMemrefF32(memref<*xf32>)

func.func @main() {
  %p1 = arith.constant dense<
      [[[[0.93, -0.12, -0.99, 0.82], [0.88, 0.16, 0.34, -0.83], [0.53, -0.53, -0.94, 0.58], [-0.31, 0.25, 0.23, -0.7]],
      [[-0.63, -0.77, -0.97, -0.03], [0.93, -0.87, 0.08, -0.07], [0.2, -0.82, 0.16, -0.46], [0.11, 0.29, -0.04, -0.29]]]]> : tensor<1x2x4x4xf32>
  // CASE: max_pool_2x2
  %r1 = octet.max_pool %p1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %m1 = bufferization.to_buffer %r1 : tensor<1x2x2x2xf32> to memref<1x2x2x2xf32>
  %u1 = memref.cast %m1 : memref<1x2x2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u1) : (memref<*xf32>) -> ()
  %p2 = arith.constant dense<[[[[-1.63, -0.6, -1.32, -1.2, -1.97], [-1.24, -1.99, -1.78, -1.29, -1.43], [-1.92, -1.12, -1.75, -1.16, -1.78], [-0.59, -0.84, -0.56, -1.79, -1.54], [-1.94, -1.58, -0.79, -1.73, -1.77]]]]> : tensor<1x1x5x5xf32>
  // CASE: max_pool_pads_negative
  %r2 = octet.max_pool %p2 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>
  %m2 = bufferization.to_buffer %r2 : tensor<1x1x3x3xf32> to memref<1x1x3x3xf32>
  %u2 = memref.cast %m2 : memref<1x1x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  %p3 = arith.constant dense<
      [[[[0.91, -0.69, 0.67, -0.92, -0.23], [-0.3, -0.32, 0.63, -0.05, 0.57], [-0.06, 0.63, 0.76, -0.12, 0.56], [0.63, -0.41, -0.75, -0.63, -0.13], [-0.76, 0.06, 0.66, -0.03, 0.64]],
      [[0.31, 0.28, -0.31, 0.41, 0.62], [-0.69, 0.82, -0.46, -0.69, 0.68], [0.44, 0.59, -0.11, -0.86, -0.21], [-0.9, -0.43, -0.92, 0.01, -0.82], [0.87, 0.4, -0.37, 0.89, -0.87]]]]> : tensor<1x2x5x5xf32>
  // CASE: max_pool_ceil
  %r3 = octet.max_pool %p3 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  %m3 = bufferization.to_buffer %r3 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u3 = memref.cast %m3 : memref<1x2x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u3) : (memref<*xf32>) -> ()
  // CASE: max_pool_dilated
  %r4 = octet.max_pool %p3 {kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  %m4 = bufferization.to_buffer %r4 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u4 = memref.cast %m4 : memref<1x2x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  // CASE: max_pool_ceil_pads
  %r5 = octet.max_pool %p2 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true} : tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>
  %m5 = bufferization.to_buffer %r5 : tensor<1x1x3x3xf32> to memref<1x1x3x3xf32>
  %u5 = memref.cast %m5 : memref<1x1x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u5) : (memref<*xf32>) -> ()
  // CASE: avg_pool_2x2
  %r6 = octet.avg_pool %p1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  %m6 = bufferization.to_buffer %r6 : tensor<1x2x2x2xf32> to memref<1x2x2x2xf32>
  %u6 = memref.cast %m6 : memref<1x2x2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u6) : (memref<*xf32>) -> ()
  // CASE: avg_pool_pads_exclude
  %r7 = octet.avg_pool %p3 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  %m7 = bufferization.to_buffer %r7 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u7 = memref.cast %m7 : memref<1x2x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u7) : (memref<*xf32>) -> ()
  // CASE: avg_pool_pads_include
  %r8 = octet.avg_pool %p3 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  %m8 = bufferization.to_buffer %r8 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u8 = memref.cast %m8 : memref<1x2x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u8) : (memref<*xf32>) -> ()
  // CASE: avg_pool_ceil_exclude
  %r9 = octet.avg_pool %p3 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  %m9 = bufferization.to_buffer %r9 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u9 = memref.cast %m9 : memref<1x2x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u9) : (memref<*xf32>) -> ()
  // CASE: avg_pool_ceil_include
  %r10 = octet.avg_pool %p3 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true, count_include_pad = true} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  %m10 = bufferization.to_buffer %r10 : tensor<1x2x3x3xf32> to memref<1x2x3x3xf32>
  %u10 = memref.cast %m10 : memref<1x2x3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u10) : (memref<*xf32>) -> ()
  %p4 = arith.constant dense<[[[[-0.49, -0.85, -0.15, -0.6, -0.21, 0.41, 0.77], [0.0, 0.64, -0.28, 0.72, 0.03, 0.4, -0.65], [0.17, -0.4, 0.63, 0.07, -0.0, 0.55, 0.1], [-0.33, -0.74, 0.25, 0.85, 0.68, -0.86, -0.35], [-1.0, 0.35, 0.28, 0.52, -0.7, -0.57, -0.13], [0.47, -0.59, 0.65, -0.24, 0.75, 0.92, 0.07]]]]> : tensor<1x1x6x7xf32>
  // CASE: avg_pool_ceil_asym_include
  %r11 = octet.avg_pool %p4 {kernel_shape = array<i64: 2, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 0>, ceil_mode = true, count_include_pad = true} : tensor<1x1x6x7xf32> -> tensor<1x1x4x4xf32>
  %m11 = bufferization.to_buffer %r11 : tensor<1x1x4x4xf32> to memref<1x1x4x4xf32>
  %u11 = memref.cast %m11 : memref<1x1x4x4xf32> to memref<*xf32>
  call @printMemrefF32(%u11) : (memref<*xf32>) -> ()
  // CASE: avg_pool_ceil_asym_exclude
  %r12 = octet.avg_pool %p4 {kernel_shape = array<i64: 2, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 0>, ceil_mode = true} : tensor<1x1x6x7xf32> -> tensor<1x1x4x4xf32>
  %m12 = bufferization.to_buffer %r12 : tensor<1x1x4x4xf32> to memref<1x1x4x4xf32>
  %u12 = memref.cast %m12 : memref<1x1x4x4xf32> to memref<*xf32>
  call @printMemrefF32(%u12) : (memref<*xf32>) -> ()
  %g1 = arith.constant dense<
      [[[[0.84, -0.16, 0.37, 0.69], [0.68, -0.81, -0.48, -0.18], [0.72, -0.45, -0.77, -0.25]],
      [[-0.57, 0.43, 0.18, -0.9], [0.75, -0.12, 0.55, -0.67], [-0.38, -0.85, -0.21, -0.14]],
      [[0.37, -0.04, -0.2, -0.04], [-0.44, -0.26, 0.2, -0.59], [0.04, 0.86, -0.09, 0.34]]],
      [[[0.32, 0.6, 0.45, 0.32], [-0.79, -0.27, 0.59, -0.87], [-0.72, 0.81, 0.18, 0.96]],
      [[0.51, 0.99, -0.4, 0.37], [-0.34, 0.89, -0.41, -0.61], [0.63, -0.44, 0.07, 0.2]],
      [[-0.32, -0.33, -0.36, -0.46], [0.52, 0.18, 0.1, 0.65], [-0.49, -0.73, -0.94, -0.93]]]]> : tensor<2x3x3x4xf32>
  // CASE: global_avg_pool
  %r13 = octet.global_avg_pool %g1 : tensor<2x3x3x4xf32> -> tensor<2x3x1x1xf32>
  %m13 = bufferization.to_buffer %r13 : tensor<2x3x1x1xf32> to memref<2x3x1x1xf32>
  %u13 = memref.cast %m13 : memref<2x3x1x1xf32> to memref<*xf32>
  call @printMemrefF32(%u13) : (memref<*xf32>) -> ()
  %g2 = arith.constant dense<
      [[[[[0.98, 0.95], [0.33, 0.98], [0.03, -0.13]],
      [[0.03, -0.86], [0.52, -0.39], [0.4, 0.82]]],
      [[[-0.56, 0.01], [0.31, 0.62], [0.37, -0.34]],
      [[0.13, -0.67], [-0.0, 0.88], [0.9, -0.72]]]]]> : tensor<1x2x2x3x2xf32>
  // CASE: global_avg_pool_3d
  %r14 = octet.global_avg_pool %g2 : tensor<1x2x2x3x2xf32> -> tensor<1x2x1x1x1xf32>
  %m14 = bufferization.to_buffer %r14 : tensor<1x2x1x1x1xf32> to memref<1x2x1x1x1xf32>
  %u14 = memref.cast %m14 : memref<1x2x1x1x1xf32> to memref<*xf32>
  call @printMemrefF32(%u14) : (memref<*xf32>) -> ()
  %bx = arith.constant dense<
      [[[[0.06, 0.24], [-0.71, 0.9]],
      [[-0.51, -0.67], [0.01, 0.01]],
      [[0.55, 0.71], [-0.35, 0.42]]],
      [[[0.12, 0.07], [0.2, -0.11]],
      [[-0.26, 0.86], [0.53, 0.35]],
      [[0.77, 0.21], [-0.86, -0.54]]]]> : tensor<2x3x2x2xf32>
  %bs = arith.constant dense<[0.61, -0.31, 0.88]> : tensor<3xf32>
  %bb = arith.constant dense<[0.38, -0.24, -0.01]> : tensor<3xf32>
  %bm = arith.constant dense<[-0.9, -0.1, -0.84]> : tensor<3xf32>
  %bv = arith.constant dense<[0.66, 1.87, 0.38]> : tensor<3xf32>
  // CASE: batch_norm
  %r15 = octet.batch_norm %bx, %bs, %bb, %bm, %bv {epsilon = 1.0e-3 : f32} : tensor<2x3x2x2xf32>, tensor<3xf32>
  %m15 = bufferization.to_buffer %r15 : tensor<2x3x2x2xf32> to memref<2x3x2x2xf32>
  %u15 = memref.cast %m15 : memref<2x3x2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u15) : (memref<*xf32>) -> ()
  %bx2 = arith.constant dense<[[0.35, 0.3, 0.39], [0.59, 0.73, -0.29], [-0.26, -0.65, 0.28], [-0.58, -0.61, 0.98]]> : tensor<4x3xf32>
  // CASE: batch_norm_rank2
  %r16 = octet.batch_norm %bx2, %bs, %bb, %bm, %bv : tensor<4x3xf32>, tensor<3xf32>
  %m16 = bufferization.to_buffer %r16 : tensor<4x3xf32> to memref<4x3xf32>
  %u16 = memref.cast %m16 : memref<4x3xf32> to memref<*xf32>
  call @printMemrefF32(%u16) : (memref<*xf32>) -> ()
  return
}
