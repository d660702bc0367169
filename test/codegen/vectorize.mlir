// RUN: octet-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg,canonicalize,octet-vectorize,canonicalize))' | FileCheck %s

// A matmul: register tiles of 8 rows x two 8-lane vectors (column panels
// outside row tiles), the accumulator a loop-carried vector that starts as
// zeros (the fill is fused), a unit-step reduction loop of broadcast-FMAs,
// one write of the tile after the loop.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8x16xf32>
// CHECK: scf.for {{.+}} step %c8
// CHECK: %[[ACC:.+]] = scf.for {{.+}} step %c1 iter_args(%{{.+}} = %[[ZERO]]) -> (vector<8x16xf32>)
// CHECK-COUNT-8: vector.fma {{.+}} : vector<16xf32>
// CHECK: vector.transfer_write %[[ACC]]
func.func @matmul(%a: tensor<16x32xf32>, %b: tensor<32x16xf32>) -> tensor<16x16xf32> {
  %y = octet.matmul %a, %b : (tensor<16x32xf32>, tensor<32x16xf32>) -> tensor<16x16xf32>
  return %y : tensor<16x16xf32>
}

// -----

// A convolution goes through im2col; the product runs along the output's
// contiguous spatial axis (8x8 = 64 positions, two vectors of 8 per row).
// CHECK-LABEL: func.func @conv
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x36x64xf32>)
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}) -> (vector<1x8x16xf32>)
// CHECK: vector.fma {{.+}} : vector<16xf32>
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %y = octet.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// -----

// Depthwise: 4 channels x 8 lanes per tile, one FMA-able multiply-add per
// kernel tap with the accumulator in registers across the tap loops.
// CHECK-LABEL: func.func @depthwise
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}) -> (vector<4x8xf32>)
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}) -> (vector<4x8xf32>)
// CHECK: arith.mulf {{.+}} fastmath<contract> : vector<4x8xf32>
// CHECK: arith.addf {{.+}} fastmath<contract> : vector<4x8xf32>
func.func @depthwise(%x: tensor<1x8x16x16xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x16x16xf32> {
  %y = octet.conv2d %x, %w {group = 8 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x16x16xf32>
  return %y : tensor<1x8x16x16xf32>
}

// -----

// 14 columns: no power of two of at least 4 divides them, so 7 lanes.
// CHECK-LABEL: func.func @depthwise_14
// CHECK: arith.mulf {{.+}} fastmath<contract> : vector<4x7xf32>
func.func @depthwise_14(%x: tensor<1x8x14x14xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x14x14xf32> {
  %y = octet.conv2d %x, %w {group = 8 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x14x14xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x14x14xf32>
  return %y : tensor<1x8x14x14xf32>
}

// -----

// A strided depthwise window reads a phase-split copy of the input
// (x'[.., p, q] = x[.., q·2 + p]) so that each tap is a contiguous run
// again (the padded 18 columns become 2 phases of 9).
// CHECK-LABEL: func.func @depthwise_strided
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x8x18x2x9xf32>)
// CHECK: arith.mulf {{.+}} fastmath<contract> : vector<4x8xf32>
func.func @depthwise_strided(%x: tensor<1x8x16x16xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %y = octet.conv2d %x, %w {group = 8 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// -----

// A stride with a dilation along W is left to scalar loops.
// CHECK-LABEL: func.func @depthwise_strided_dilated
// CHECK: linalg.depthwise_conv_2d_nchw_chw
// CHECK-NOT: vector.
func.func @depthwise_strided_dilated(%x: tensor<1x8x16x16xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32> {
  %y = octet.conv2d %x, %w {group = 8 : i64, strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

// Softmax: per row, the max and the sum keep 8 partial accumulators in a
// vector, merged once at the end of the row; the elementwise parts are
// vector ops too.
// CHECK-LABEL: func.func @softmax
// CHECK: scf.for {{.+}} -> (vector<1x8xf32>)
// CHECK: arith.maximumf {{.+}} : vector<1x8xf32>
// CHECK: math.exp {{.+}} : vector<1x8xf32>
// CHECK: scf.for {{.+}} -> (vector<1x8xf32>)
// CHECK: arith.addf {{.+}} : vector<1x8xf32>
// CHECK: arith.divf {{.+}} : vector<1x8xf32>
func.func @softmax(%x: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %y = octet.softmax %x {axis = 1 : i64} : tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}

// -----

// An innermost dimension of 3 has no useful vector: scalar loops.
// CHECK-LABEL: func.func @too_narrow
// CHECK-NOT: vector.
func.func @too_narrow(%x: tensor<5x3xf32>) -> tensor<5x3xf32> {
  %y = octet.relu %x : tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

// A grouped (not depthwise) convolution: one convolution per group, each
// through im2col and a vectorized contraction.
// CHECK-LABEL: func.func @grouped
// CHECK-COUNT-2: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x18x64xf32>)
// CHECK: vector.fma
func.func @grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %y = octet.conv2d %x, %w {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// -----

// A grouped convolution with more groups than octet-vectorize splits (64)
// stays one grouped loop nest: splitting would grow the IR with the group
// count (here 128 groups of 2 channels).
// CHECK-LABEL: func.func @many_groups
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @many_groups(%x: tensor<1x256x4x4xf32>, %w: tensor<256x2x1x1xf32>) -> tensor<1x256x4x4xf32> {
  %y = octet.conv2d %x, %w {group = 128 : i64} : (tensor<1x256x4x4xf32>, tensor<256x2x1x1xf32>) -> tensor<1x256x4x4xf32>
  return %y : tensor<1x256x4x4xf32>
}

// -----

// Elementwise ops and row reductions mark their loops over rows for
// octet-parallelize with their work: 32 multiply-adds' worth per element
// (2·64·32 = 4096, 4·16·64·32 = 131072). An elementwise op first merges the
// innermost loops that every operand reads contiguously: the relu runs
// over 4096 elements in one loop; a per-channel add on 4x4 maps drops the
// unit dimensions (the [1, 2, 1, 1] operand read as (d0, d1, 0, 0) becomes
// [2]) and runs over [2, 16].
// CHECK-LABEL: func.func @elementwise_work
// CHECK: arith.maximumf {{.+}} : vector<1x8xf32>
// CHECK: } {octet.parallel = 4096 : i64}
// CHECK: math.exp {{.+}} : vector<1x8xf32>
// CHECK: } {octet.parallel = 4096 : i64}
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2]] : tensor<4x16x64xf32> into tensor<4096xf32>
// CHECK: arith.maximumf {{.+}} : vector<8xf32>
// CHECK: } {octet.parallel = 131072 : i64}
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2, 3]] : tensor<1x2x1x1xf32> into tensor<2xf32>
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2, 3]] : tensor<1x2x4x4xf32> into tensor<2x16xf32>
// CHECK: arith.addf {{.+}} : vector<1x8xf32>
// CHECK: } {octet.parallel = 1024 : i64}
func.func @elementwise_work(%x: tensor<2x64xf32>, %y: tensor<4x16x64xf32>, %z: tensor<1x2x4x4xf32>, %c: tensor<1x2x1x1xf32>) -> (tensor<2x64xf32>, tensor<4x16x64xf32>, tensor<1x2x4x4xf32>) {
  %s = octet.softmax %x {axis = 1 : i64} : tensor<2x64xf32>
  %r = octet.relu %y : tensor<4x16x64xf32>
  %a = octet.add %z, %c : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %s, %r, %a : tensor<2x64xf32>, tensor<4x16x64xf32>, tensor<1x2x4x4xf32>
}

// -----

// Max pooling runs like depthwise: 4 channels × 8 lanes of outputs per
// tile, the window loops by 1, each tap one contiguous vector; a stride
// along W reads the phase split of the (padded) input. u8 storage is i8
// after lowering, compared unsigned.
// CHECK-LABEL: func.func @max_pools
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x16x34x2x17xi8>)
// CHECK: scf.for {{.+}} -> (vector<4x8xi8>)
// CHECK: scf.for {{.+}} -> (vector<4x8xi8>)
// CHECK: arith.maxui %{{.+}}, %{{.+}} : vector<4x8xi8>
// CHECK: scf.for {{.+}} -> (vector<4x8xf32>)
// CHECK: scf.for {{.+}} -> (vector<4x8xf32>)
// CHECK: arith.maximumf %{{.+}}, %{{.+}} : vector<4x8xf32>
func.func @max_pools(%x: tensor<1x16x32x32xui8>, %f: tensor<1x16x32x32xf32>) -> (tensor<1x16x16x16xui8>, tensor<1x16x32x32xf32>) {
  %y = octet.max_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x16x32x32xui8> -> tensor<1x16x16x16xui8>
  %g = octet.max_pool %f {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x16x32x32xf32> -> tensor<1x16x32x32xf32>
  return %y, %g : tensor<1x16x16x16xui8>, tensor<1x16x32x32xf32>
}
