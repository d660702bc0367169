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

// Numeric end-to-end test of octet.matmul (2-D, batched with broadcasting, 1-D
// operands) and octet.gemm (transposes, alpha/beta, C broadcast from a vector,
// a column and a scalar, fused activations).
// Each `// CASE: name` result is printed in order and compared with the
// numpy reference of that name in reference/nn_reference.py (tolerance
// 1e-5 relative + 1e-5 absolute, justified there).
//
// The RUN pipeline is the stages of octet-lower-to-llvm up to the LLVM
// dialect with MLIR's default memref calling convention, which mlir-runner's
// @main and printMemrefF32 need.

func.func private @printMemrefF32(memref<*xf32>)

func.func @main() {
  %a1 = arith.constant dense<[[0.93, -0.12, -0.99, 0.82], [0.88, 0.16, 0.34, -0.83], [0.53, -0.53, -0.94, 0.58]]> : tensor<3x4xf32>
  %b1 = arith.constant dense<[[-0.31, 0.25, 0.23, -0.7, -0.63], [-0.77, -0.97, -0.03, 0.93, -0.87], [0.08, -0.07, 0.2, -0.82, 0.16], [-0.46, 0.11, 0.29, -0.04, -0.29]]> : tensor<4x5xf32>
  // CASE: matmul_2d
  %r1 = octet.matmul %a1, %b1 : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %m1 = bufferization.to_buffer %r1 : tensor<3x5xf32> to memref<3x5xf32>
  %u1 = memref.cast %m1 : memref<3x5xf32> to memref<*xf32>
  call @printMemrefF32(%u1) : (memref<*xf32>) -> ()
  %a2 = arith.constant dense<
      [[[[-0.5, 0.87, -0.09, 0.06], [-0.96, 0.02, -0.99, -0.71], [-0.05, -0.25, -0.89, 0.18]]],
      [[[-0.67, 0.11, -0.71, 0.87], [0.54, 0.91, -0.72, -0.39], [-0.92, -0.45, 0.61, -0.65]]]]> : tensor<2x1x3x4xf32>
  %b2 = arith.constant dense<
      [[[-0.69, 0.91], [-0.69, 0.67], [-0.92, -0.23], [-0.3, -0.32]],
      [[0.63, -0.05], [0.57, -0.06], [0.63, 0.76], [-0.12, 0.56]],
      [[0.63, -0.41], [-0.75, -0.63], [-0.13, -0.76], [0.06, 0.66]]]> : tensor<3x4x2xf32>
  // CASE: matmul_batch_broadcast
  %r2 = octet.matmul %a2, %b2 : (tensor<2x1x3x4xf32>, tensor<3x4x2xf32>) -> tensor<2x3x3x2xf32>
  %m2 = bufferization.to_buffer %r2 : tensor<2x3x3x2xf32> to memref<2x3x3x2xf32>
  %u2 = memref.cast %m2 : memref<2x3x3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  %a3 = arith.constant dense<
      [[[-0.03, 0.64, 0.31, 0.28], [-0.31, 0.41, 0.62, -0.69], [0.82, -0.46, -0.69, 0.68]],
      [[0.44, 0.59, -0.11, -0.86], [-0.21, -0.9, -0.43, -0.92], [0.01, -0.82, 0.87, 0.4]]]> : tensor<2x3x4xf32>
  %b3 = arith.constant dense<[[-0.37, 0.89], [-0.87, -0.49], [-0.85, -0.15], [-0.6, -0.21]]> : tensor<4x2xf32>
  // CASE: matmul_batch_shared_rhs
  %r3 = octet.matmul %a3, %b3 : (tensor<2x3x4xf32>, tensor<4x2xf32>) -> tensor<2x3x2xf32>
  %m3 = bufferization.to_buffer %r3 : tensor<2x3x2xf32> to memref<2x3x2xf32>
  %u3 = memref.cast %m3 : memref<2x3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u3) : (memref<*xf32>) -> ()
  %a4 = arith.constant dense<[[0.41, 0.77, 0.0, 0.64], [-0.28, 0.72, 0.03, 0.4], [-0.65, 0.17, -0.4, 0.63]]> : tensor<3x4xf32>
  %b4 = arith.constant dense<
      [[[0.07, -0.0], [0.55, 0.1], [-0.33, -0.74], [0.25, 0.85]],
      [[0.68, -0.86], [-0.35, -1.0], [0.35, 0.28], [0.52, -0.7]]]> : tensor<2x4x2xf32>
  // CASE: matmul_shared_lhs
  %r4 = octet.matmul %a4, %b4 : (tensor<3x4xf32>, tensor<2x4x2xf32>) -> tensor<2x3x2xf32>
  %m4 = bufferization.to_buffer %r4 : tensor<2x3x2xf32> to memref<2x3x2xf32>
  %u4 = memref.cast %m4 : memref<2x3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u4) : (memref<*xf32>) -> ()
  %v5 = arith.constant dense<[-0.57, -0.13, 0.47, -0.59]> : tensor<4xf32>
  %b5 = arith.constant dense<[[0.65, -0.24, 0.75], [0.92, 0.07, 0.84], [-0.16, 0.37, 0.69], [0.68, -0.81, -0.48]]> : tensor<4x3xf32>
  // CASE: matmul_vec_mat
  %r5 = octet.matmul %v5, %b5 : (tensor<4xf32>, tensor<4x3xf32>) -> tensor<3xf32>
  %m5 = bufferization.to_buffer %r5 : tensor<3xf32> to memref<3xf32>
  %u5 = memref.cast %m5 : memref<3xf32> to memref<*xf32>
  call @printMemrefF32(%u5) : (memref<*xf32>) -> ()
  %a6 = arith.constant dense<
      [[[-0.18, 0.72, -0.45, -0.77], [-0.25, -0.57, 0.43, 0.18], [-0.9, 0.75, -0.12, 0.55]],
      [[-0.67, -0.38, -0.85, -0.21], [-0.14, 0.37, -0.04, -0.2], [-0.04, -0.44, -0.26, 0.2]]]> : tensor<2x3x4xf32>
  // CASE: matmul_mat_vec
  %r6 = octet.matmul %a6, %v5 : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  %m6 = bufferization.to_buffer %r6 : tensor<2x3xf32> to memref<2x3xf32>
  %u6 = memref.cast %m6 : memref<2x3xf32> to memref<*xf32>
  call @printMemrefF32(%u6) : (memref<*xf32>) -> ()
  %v7 = arith.constant dense<[-0.59, 0.04, 0.86, -0.09]> : tensor<4xf32>
  // CASE: matmul_vec_vec
  %r7 = octet.matmul %v5, %v7 : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %m7 = bufferization.to_buffer %r7 : tensor<f32> to memref<f32>
  %u7 = memref.cast %m7 : memref<f32> to memref<*xf32>
  call @printMemrefF32(%u7) : (memref<*xf32>) -> ()
  // CASE: matmul_vec_batch
  %r8 = octet.matmul %v5, %b4 : (tensor<4xf32>, tensor<2x4x2xf32>) -> tensor<2x2xf32>
  %m8 = bufferization.to_buffer %r8 : tensor<2x2xf32> to memref<2x2xf32>
  %u8 = memref.cast %m8 : memref<2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u8) : (memref<*xf32>) -> ()
  %ga = arith.constant dense<[[0.34, 0.32, 0.6, 0.45], [0.32, -0.79, -0.27, 0.59], [-0.87, -0.72, 0.81, 0.18]]> : tensor<3x4xf32>
  %gb = arith.constant dense<[[0.96, 0.51], [0.99, -0.4], [0.37, -0.34], [0.89, -0.41]]> : tensor<4x2xf32>
  // CASE: gemm_plain
  %r9 = octet.gemm %ga, %gb : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %m9 = bufferization.to_buffer %r9 : tensor<3x2xf32> to memref<3x2xf32>
  %u9 = memref.cast %m9 : memref<3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u9) : (memref<*xf32>) -> ()
  %gat = arith.constant dense<[[-0.61, 0.63, -0.44], [0.07, 0.2, -0.32], [-0.33, -0.36, -0.46], [0.52, 0.18, 0.1]]> : tensor<4x3xf32>
  %gbt = arith.constant dense<[[0.65, -0.49, -0.73, -0.94], [-0.93, 0.98, 0.95, 0.33]]> : tensor<2x4xf32>
  %gcv = arith.constant dense<[0.98, 0.03]> : tensor<2xf32>
  // CASE: gemm_trans_alpha_beta_cvec
  %r10 = octet.gemm %gat, %gbt, %gcv {trans_a = true, trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<4x3xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %m10 = bufferization.to_buffer %r10 : tensor<3x2xf32> to memref<3x2xf32>
  %u10 = memref.cast %m10 : memref<3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u10) : (memref<*xf32>) -> ()
  %gccol = arith.constant dense<[[-0.13], [0.03], [-0.86]]> : tensor<3x1xf32>
  // CASE: gemm_transb_ccol_relu
  %r11 = octet.gemm %ga, %gbt, %gccol {trans_b = true, activation = #octet.act<relu>} : (tensor<3x4xf32>, tensor<2x4xf32>, tensor<3x1xf32>) -> tensor<3x2xf32>
  %m11 = bufferization.to_buffer %r11 : tensor<3x2xf32> to memref<3x2xf32>
  %u11 = memref.cast %m11 : memref<3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u11) : (memref<*xf32>) -> ()
  %gcfull = arith.constant dense<[[0.52, -0.39], [0.4, 0.82], [-0.56, 0.01]]> : tensor<3x2xf32>
  // CASE: gemm_transa_cfull_beta
  %r12 = octet.gemm %gat, %gb, %gcfull {trans_a = true, beta = -1.5 : f32} : (tensor<4x3xf32>, tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %m12 = bufferization.to_buffer %r12 : tensor<3x2xf32> to memref<3x2xf32>
  %u12 = memref.cast %m12 : memref<3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u12) : (memref<*xf32>) -> ()
  %gcs = arith.constant dense<[0.31]> : tensor<1xf32>
  // CASE: gemm_alpha_cscalar_clip
  %r13 = octet.gemm %ga, %gb, %gcs {alpha = 2.0 : f32, activation = #octet.act<clip, -0.5, 0.5>} : (tensor<3x4xf32>, tensor<4x2xf32>, tensor<1xf32>) -> tensor<3x2xf32>
  %m13 = bufferization.to_buffer %r13 : tensor<3x2xf32> to memref<3x2xf32>
  %u13 = memref.cast %m13 : memref<3x2xf32> to memref<*xf32>
  call @printMemrefF32(%u13) : (memref<*xf32>) -> ()
  return
}
