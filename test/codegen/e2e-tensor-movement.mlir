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

// Runs the data-movement lowerings end to end and compares with numpy
// (reference/compare.py; data movement must be bit-exact).
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
  %x = arith.constant dense<[[[0.5, -1.25, 2.0, 3.5], [4.0, -5.5, 6.0, 7.75], [8.0, 9.0, -10.0, 11.5]], [[12.0, 13.25, -14.0, 15.0], [16.5, 17.0, 18.0, -19.0], [20.0, 21.0, 22.5, 23.0]]]> : tensor<2x3x4xf32>

  // EXPECT: x.reshape(4, 6)
  %r = octet.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %r1 = tensor.collapse_shape %r [[0, 1]] : tensor<4x6xf32> into tensor<24xf32>
  %r2 = tensor.cast %r1 : tensor<24xf32> to tensor<?xf32>
  call @dump_f32(%r2) : (tensor<?xf32>) -> ()

  // EXPECT: x.reshape(6, 4)
  %f = octet.flatten %x {axis = 2 : i64} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %f1 = tensor.collapse_shape %f [[0, 1]] : tensor<6x4xf32> into tensor<24xf32>
  %f2 = tensor.cast %f1 : tensor<24xf32> to tensor<?xf32>
  call @dump_f32(%f2) : (tensor<?xf32>) -> ()

  // EXPECT: np.expand_dims(x, (0, 3))
  %u = octet.unsqueeze %x {axes = array<i64: 0, 3>} : tensor<2x3x4xf32> -> tensor<1x2x3x1x4xf32>
  %u1 = tensor.collapse_shape %u [[0, 1, 2, 3, 4]] : tensor<1x2x3x1x4xf32> into tensor<24xf32>
  %u2 = tensor.cast %u1 : tensor<24xf32> to tensor<?xf32>
  call @dump_f32(%u2) : (tensor<?xf32>) -> ()

  // EXPECT: np.squeeze(np.expand_dims(x, (0, 3)), 3)
  %s = octet.squeeze %u {axes = array<i64: 3>} : tensor<1x2x3x1x4xf32> -> tensor<1x2x3x4xf32>
  %s1 = tensor.collapse_shape %s [[0, 1, 2, 3]] : tensor<1x2x3x4xf32> into tensor<24xf32>
  %s2 = tensor.cast %s1 : tensor<24xf32> to tensor<?xf32>
  call @dump_f32(%s2) : (tensor<?xf32>) -> ()

  // EXPECT: np.transpose(x, (2, 0, 1))
  %t = octet.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %t1 = tensor.collapse_shape %t [[0, 1, 2]] : tensor<4x2x3xf32> into tensor<24xf32>
  %t2 = tensor.cast %t1 : tensor<24xf32> to tensor<?xf32>
  call @dump_f32(%t2) : (tensor<?xf32>) -> ()

  // Three inputs along the middle axis.
  %a = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0]], [[5.0, 6.0, 7.0, 8.0]]]> : tensor<2x1x4xf32>
  %b = arith.constant dense<[[[-1.0, -2.0, -3.0, -4.0], [-5.0, -6.0, -7.0, -8.0]], [[0.25, 0.5, 0.75, 1.0], [1.25, 1.5, 1.75, 2.0]]]> : tensor<2x2x4xf32>
  // EXPECT: np.concatenate([a, x, b], axis=1)
  %c = octet.concat %a, %x, %b {axis = 1 : i64} : (tensor<2x1x4xf32>, tensor<2x3x4xf32>, tensor<2x2x4xf32>) -> tensor<2x6x4xf32>
  %c1 = tensor.collapse_shape %c [[0, 1, 2]] : tensor<2x6x4xf32> into tensor<48xf32>
  %c2 = tensor.cast %c1 : tensor<48xf32> to tensor<?xf32>
  call @dump_f32(%c2) : (tensor<?xf32>) -> ()

  // EXPECT: x[:, 0:3:2, 1:4:2]
  %p = octet.slice %x {starts = array<i64: 0, 0, 1>, ends = array<i64: 2, 3, 4>, steps = array<i64: 1, 2, 2>} : tensor<2x3x4xf32> -> tensor<2x2x2xf32>
  %p1 = tensor.collapse_shape %p [[0, 1, 2]] : tensor<2x2x2xf32> into tensor<8xf32>
  %p2 = tensor.cast %p1 : tensor<8xf32> to tensor<?xf32>
  call @dump_f32(%p2) : (tensor<?xf32>) -> ()

  // ONNX starts = [-1, 2, 3], ends = [-3, -4, 0] (INT_MIN-like clamps to -1), steps = [-1, -1, -2].
  // EXPECT: x[::-1, 2::-1, 3:0:-2]
  %n = octet.slice %x {starts = array<i64: 1, 2, 3>, ends = array<i64: -1, -1, 0>, steps = array<i64: -1, -1, -2>} : tensor<2x3x4xf32> -> tensor<2x3x2xf32>
  %n1 = tensor.collapse_shape %n [[0, 1, 2]] : tensor<2x3x2xf32> into tensor<12xf32>
  %n2 = tensor.cast %n1 : tensor<12xf32> to tensor<?xf32>
  call @dump_f32(%n2) : (tensor<?xf32>) -> ()
  return
}
