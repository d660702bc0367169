// RUN: octet-opt %s --pass-pipeline='builtin.module(\
// RUN:   func.func(octet-lower-to-linalg,canonicalize),\
// RUN:   one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},\
// RUN:   buffer-results-to-out-params,canonicalize,func.func(convert-linalg-to-loops,octet-expand-math),\
// RUN:   expand-strided-metadata,lower-affine,convert-scf-to-cf,finalize-memref-to-llvm,\
// RUN:   convert-math-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,\
// RUN:   reconcile-unrealized-casts)' \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | %PYTHON %S/reference/compare.py %s

// Runs pad (constant, reflect, edge) and gather end to end and compares
// with numpy (reference/compare.py; bit-exact).
// The passes are those of octet-lower-to-llvm before its AOT-only steps
// (memory planning, bare-pointer calls), so mlir-runner can call
// printMemref; expand-strided-metadata runs before lower-affine because
// slices at a loop index (the RNN loops) leave affine.apply behind.

func.func private @printMemrefI32(memref<*xi32>)

// Prints f32 values as their bit patterns: compare.py reads them back exactly.
func.func @dump_f32(%t: tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %t, %c0 : tensor<?xf32>
  %e = tensor.empty(%n) : tensor<?xi32>
  %bits = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                          iterator_types = ["parallel"]}
      ins(%t : tensor<?xf32>) outs(%e : tensor<?xi32>) {
  ^bb0(%a: f32, %o: i32):
    %b = arith.bitcast %a : f32 to i32
    linalg.yield %b : i32
  } -> tensor<?xi32>
  %m = bufferization.to_buffer %bits : tensor<?xi32> to memref<?xi32>
  %u = memref.cast %m : memref<?xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[[0.5, -1.25, 2.0, 3.5], [4.0, -5.5, 6.0, 7.75], [8.0, 9.0, -10.0, 11.5]]> : tensor<3x4xf32>

  // EXPECT: np.pad(x, ((1, 2), (0, 3)), constant_values=1.5)
  %p = octet.pad %x {pads = array<i64: 1, 0, 2, 3>, value = 1.5 : f32} : tensor<3x4xf32> -> tensor<6x7xf32>
  %p1 = tensor.collapse_shape %p [[0, 1]] : tensor<6x7xf32> into tensor<42xf32>
  %p2 = tensor.cast %p1 : tensor<42xf32> to tensor<?xf32>
  call @dump_f32(%p2) : (tensor<?xf32>) -> ()

  // EXPECT: np.pad(x, ((2, 1), (3, 2)), mode="reflect")
  %r = octet.pad %x {pads = array<i64: 2, 3, 1, 2>, mode = #octet.pad_mode<reflect>} : tensor<3x4xf32> -> tensor<6x9xf32>
  %r1 = tensor.collapse_shape %r [[0, 1]] : tensor<6x9xf32> into tensor<54xf32>
  %r2 = tensor.cast %r1 : tensor<54xf32> to tensor<?xf32>
  call @dump_f32(%r2) : (tensor<?xf32>) -> ()

  // EXPECT: np.pad(x, ((0, 4), (5, 1)), mode="edge")
  %e = octet.pad %x {pads = array<i64: 0, 5, 4, 1>, mode = #octet.pad_mode<edge>} : tensor<3x4xf32> -> tensor<7x10xf32>
  %e1 = tensor.collapse_shape %e [[0, 1]] : tensor<7x10xf32> into tensor<70xf32>
  %e2 = tensor.cast %e1 : tensor<70xf32> to tensor<?xf32>
  call @dump_f32(%e2) : (tensor<?xf32>) -> ()

  // i64 indices along axis 0, negative ones counting from the end.
  %i64 = arith.constant dense<[[0, -1], [2, -3]]> : tensor<2x2xi64>
  // EXPECT: np.take(x, i64, axis=0)
  %g = octet.gather %x, %i64 {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x2xi64>) -> tensor<2x2x4xf32>
  %g1 = tensor.collapse_shape %g [[0, 1, 2]] : tensor<2x2x4xf32> into tensor<16xf32>
  %g2 = tensor.cast %g1 : tensor<16xf32> to tensor<?xf32>
  call @dump_f32(%g2) : (tensor<?xf32>) -> ()

  // i32 indices along axis 1.
  %i32 = arith.constant dense<[-4, 3, -1, 0, 1]> : tensor<5xi32>
  // EXPECT: np.take(x, i32, axis=1)
  %h = octet.gather %x, %i32 {axis = 1 : i64} : (tensor<3x4xf32>, tensor<5xi32>) -> tensor<3x5xf32>
  %h1 = tensor.collapse_shape %h [[0, 1]] : tensor<3x5xf32> into tensor<15xf32>
  %h2 = tensor.cast %h1 : tensor<15xf32> to tensor<?xf32>
  call @dump_f32(%h2) : (tensor<?xf32>) -> ()

  // Out-of-range indices (undefined in ONNX) clamp into range: 9 -> 3, -9 -> 0.
  %far = arith.constant dense<[9, -9]> : tensor<2xi32>
  // EXPECT: np.take(x, [3, 0], axis=1)
  %k = octet.gather %x, %far {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  %k1 = tensor.collapse_shape %k [[0, 1]] : tensor<3x2xf32> into tensor<6xf32>
  %k2 = tensor.cast %k1 : tensor<6xf32> to tensor<?xf32>
  call @dump_f32(%k2) : (tensor<?xf32>) -> ()
  return
}
