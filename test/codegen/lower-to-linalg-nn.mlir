// RUN: octet-opt %s --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg))' --split-input-file | FileCheck %s

// Ungrouped convolution: a named NCHW conv accumulating into zeros.
// CHECK-LABEL: func.func @conv2d(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xf32>, %[[W:[^:]+]]: tensor<4x3x3x3xf32>
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x4x6x6xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1x4x6x6xf32>)
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[W]] : {{.*}}) outs(%[[INIT]] : tensor<1x4x6x6xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[CONV]]
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = octet.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Pads [top, left, bottom, right] become a zero tensor.pad of H and W;
// strides and dilations carry over.
// CHECK-LABEL: func.func @conv2d_strided_padded(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xf32>
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 0, 1]
// CHECK: tensor.yield %{{.+}} : f32
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x9x11xf32>
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 3]> : tensor<2xi64>} ins(%[[PADDED]], %{{.+}} : tensor<1x3x9x11xf32>, tensor<4x3x3x3xf32>)
func.func @conv2d_strided_padded(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x3xf32> {
  %0 = octet.conv2d %x, %w {strides = array<i64: 2, 3>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 2, 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x3xf32>
  return %0 : tensor<1x4x4x3xf32>
}

// -----

// group == C == O: depthwise, the weight's unit dimension dropped; the bias
// is added along the channel axis by one generic.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHAN:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv2d_depthwise_bias(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x6x6xf32>, %[[W:[^:]+]]: tensor<8x1x3x3xf32>, %[[B:[^:]+]]: tensor<8xf32>
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[W3:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1, 2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: %[[CONV:.+]] = linalg.depthwise_conv_2d_nchw_chw {{{.*}}} ins(%[[PADDED]], %[[W3]] : tensor<1x8x8x8xf32>, tensor<8x3x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CHAN]], #[[ID]]], {{.*}}} ins(%[[CONV]], %[[B]] : tensor<1x8x6x6xf32>, tensor<8xf32>)
// CHECK: arith.addf
// CHECK-NOT: arith.maximumf
// CHECK: linalg.yield
func.func @conv2d_depthwise_bias(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x6x6xf32> {
  %0 = octet.conv2d %x, %w, %b {group = 8 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// Other groups: [N, G, C/G, H, W] x [G, O/G, C/G, kH, kW] and back; the
// fused relu follows in a generic.
// CHECK-LABEL: func.func @conv2d_grouped_relu(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x4x5x5xf32>, %[[W:[^:]+]]: tensor<6x2x3x3xf32>
// CHECK-DAG: %[[XG:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 2, 2, 5, 5]
// CHECK-DAG: %[[WG:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[CONV:.+]] = linalg.conv_2d_ngchw_gfchw {{{.*}}} ins(%[[XG]], %[[WG]] : tensor<2x2x2x5x5xf32>, tensor<2x3x2x3x3xf32>) outs(%{{.+}} : tensor<2x2x3x3x3xf32>)
// CHECK: %[[Y:.+]] = tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3], [4]] : tensor<2x2x3x3x3xf32> into tensor<2x6x3x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : tensor<2x6x3x3xf32>)
// CHECK: arith.maximumf
func.func @conv2d_grouped_relu(%x: tensor<2x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x3x3xf32> {
  %0 = octet.conv2d %x, %w {group = 2 : i64, activation = #octet.act<relu>} : (tensor<2x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<2x6x3x3xf32>
  return %0 : tensor<2x6x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_2d(
// CHECK-SAME: %[[A:[^:]+]]: tensor<3x4xf32>, %[[B:[^:]+]]: tensor<4x5xf32>
// CHECK: %[[INIT:.+]] = linalg.fill
// CHECK: %[[C:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: return %[[C]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = octet.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Batch dimensions broadcast (2x1 and 5 -> 2x5), collapse to one batch of
// 10, and expand back after the batch_matmul.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_batch_broadcast(
// CHECK-SAME: %[[A:[^:]+]]: tensor<2x1x3x4xf32>, %[[B:[^:]+]]: tensor<5x4x6xf32>
// CHECK: %[[AB:.+]] = linalg.generic {indexing_maps = [#[[LHS]], #{{.+}}], {{.*}}} ins(%[[A]] : tensor<2x1x3x4xf32>) outs(%{{.+}} : tensor<2x5x3x4xf32>)
// CHECK: %[[A3:.+]] = tensor.collapse_shape %[[AB]] {{\[}}[0, 1], [2], [3]] : tensor<2x5x3x4xf32> into tensor<10x3x4xf32>
// CHECK: %[[BB:.+]] = linalg.generic {indexing_maps = [#[[RHS]], #{{.+}}], {{.*}}} ins(%[[B]] : tensor<5x4x6xf32>) outs(%{{.+}} : tensor<2x5x4x6xf32>)
// CHECK: %[[B3:.+]] = tensor.collapse_shape %[[BB]] {{\[}}[0, 1], [2], [3]] : tensor<2x5x4x6xf32> into tensor<10x4x6xf32>
// CHECK: %[[P:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<10x3x4xf32>, tensor<10x4x6xf32>) outs(%{{.+}} : tensor<10x3x6xf32>)
// CHECK: %[[Y:.+]] = tensor.expand_shape %[[P]] {{\[}}[0, 1], [2], [3]] output_shape [2, 5, 3, 6]
// CHECK: return %[[Y]]
func.func @matmul_batch_broadcast(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %0 = octet.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0 : tensor<2x5x3x6xf32>
}

// -----

// A shared right-hand matrix folds the batch into the rows.
// CHECK-LABEL: func.func @matmul_shared_rhs(
// CHECK-SAME: %[[A:[^:]+]]: tensor<2x3x4xf32>, %[[B:[^:]+]]: tensor<4x6xf32>
// CHECK: %[[A2:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[P:.+]] = linalg.matmul ins(%[[A2]], %[[B]] : tensor<6x4xf32>, tensor<4x6xf32>)
// CHECK: tensor.expand_shape %[[P]] {{\[}}[0, 1], [2]] output_shape [2, 3, 6]
// CHECK-NOT: linalg.batch_matmul
func.func @matmul_shared_rhs(%a: tensor<2x3x4xf32>, %b: tensor<4x6xf32>) -> tensor<2x3x6xf32> {
  %0 = octet.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

// Vectors are promoted to 1xK and Kx1; the promoted dimensions are dropped.
// CHECK-LABEL: func.func @matmul_vectors(
// CHECK-SAME: %[[A:[^:]+]]: tensor<4xf32>, %[[B:[^:]+]]: tensor<4xf32>
// CHECK-DAG: %[[A2:.+]] = tensor.expand_shape %[[A]] {{\[}}[0, 1]] output_shape [1, 4]
// CHECK-DAG: %[[B2:.+]] = tensor.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [4, 1]
// CHECK: %[[P:.+]] = linalg.matmul ins(%[[A2]], %[[B2]] : tensor<1x4xf32>, tensor<4x1xf32>)
// CHECK: %[[Y:.+]] = tensor.collapse_shape %[[P]] [] : tensor<1x1xf32> into tensor<f32>
// CHECK: return %[[Y]]
func.func @matmul_vectors(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<f32> {
  %0 = octet.matmul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Transposes first, then alpha * AB + beta * C (C broadcast along rows)
// and the activation in one generic.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm(
// CHECK-SAME: %[[A:[^:]+]]: tensor<4x3xf32>, %[[B:[^:]+]]: tensor<5x4xf32>, %[[C:[^:]+]]: tensor<5xf32>
// CHECK: %[[AT:.+]] = linalg.transpose ins(%[[A]] : tensor<4x3xf32>) outs(%{{.+}} : tensor<3x4xf32>) permutation = [1, 0]
// CHECK: %[[BT:.+]] = linalg.transpose ins(%[[B]] : tensor<5x4xf32>) outs(%{{.+}} : tensor<4x5xf32>) permutation = [1, 0]
// CHECK: %[[P:.+]] = linalg.matmul ins(%[[AT]], %[[BT]] : tensor<3x4xf32>, tensor<4x5xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], {{.*}}} ins(%[[P]], %[[C]] : tensor<3x5xf32>, tensor<5xf32>)
// CHECK: ^bb0(%[[AB:.+]]: f32, %[[CV:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[ALPHA:.+]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[SAB:.+]] = arith.mulf %[[AB]], %[[ALPHA]]
// CHECK: %[[BETA:.+]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[SC:.+]] = arith.mulf %[[CV]], %[[BETA]]
// CHECK: %[[SUM:.+]] = arith.addf %[[SAB]], %[[SC]]
// CHECK: arith.maximumf %[[SUM]]
func.func @gemm(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<5xf32>) -> tensor<3x5xf32> {
  %0 = octet.gemm %a, %b, %c {trans_a = true, trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32, activation = #octet.act<relu>} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Without C, alpha or activation, a gemm is just the matmul.
// CHECK-LABEL: func.func @gemm_plain(
// CHECK: %[[P:.+]] = linalg.matmul
// CHECK-NOT: linalg.generic
// CHECK: return %[[P]]
func.func @gemm_plain(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = octet.gemm %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// scale / sqrt(var + eps) once per channel, then one generic over the input
// reading the parameters along axis 1.
// CHECK-DAG: #[[VEC:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHAN:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4x4xf32>, %[[S:[^:]+]]: tensor<3xf32>, %[[B:[^:]+]]: tensor<3xf32>, %[[M:[^:]+]]: tensor<3xf32>, %[[V:[^:]+]]: tensor<3xf32>
// CHECK: %[[F:.+]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]], #[[VEC]]], {{.*}}} ins(%[[S]], %[[V]] : tensor<3xf32>, tensor<3xf32>)
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: arith.addf
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CHAN]], #[[CHAN]], #[[CHAN]], #[[ID]]], {{.*}}} ins(%[[X]], %[[M]], %[[F]], %[[B]] :
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @batch_norm(%x: tensor<2x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %0 = octet.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : tensor<2x3x4x4xf32>, tensor<3xf32>
  return %0 : tensor<2x3x4x4xf32>
}

// -----

// Max pooling pads with -inf: here only the extra row and column that the
// last ceil-mode window reads past the input.
// CHECK-LABEL: func.func @max_pool_ceil(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x2x5x5xf32>
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]] : f32
// CHECK: %[[WINDOW:.+]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x3x3xf32>)
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PADDED]], %[[WINDOW]] : tensor<1x2x6x6xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x2x3x3xf32>)
func.func @max_pool_ceil(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = octet.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool_dilated_padded(
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.+}}, %{{.+}} : tensor<1x1x7x7xf32>, tensor<2x2xf32>)
func.func @max_pool_dilated_padded(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x5x5xf32> {
  %0 = octet.max_pool %x {kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x1x5x5xf32> -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

// Average pooling sums a zero-padded input and divides by a compile-time
// table of how many input elements each window covers.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[HW:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @avg_pool(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x2x5x5xf32>
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PADDED]], %{{.+}} : tensor<1x2x7x7xf32>, tensor<3x3xf32>)
// CHECK: %[[DIV:.+]] = arith.constant dense<{{\[}}[4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[HW]], #[[ID]]], {{.*}}} ins(%[[SUM]], %[[DIV]] : tensor<1x2x3x3xf32>, tensor<3x3xf32>)
// CHECK: arith.divf
func.func @avg_pool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = octet.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// count_include_pad: every window covers 9 elements of the padded input.
// CHECK-LABEL: func.func @avg_pool_include_pad(
// CHECK: arith.constant dense<9.000000e+00> : tensor<3x3xf32>
func.func @avg_pool_include_pad(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = octet.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// With ceil_mode the last window reaches one row/column past the end
// padding (extra high pad 1); those positions never count, even with
// count_include_pad: rows cover 3 (top pad included), 3, 2 elements.
// CHECK-LABEL: func.func @avg_pool_ceil_include_pad(
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_sum {{.*}} ins(%{{.+}}, %{{.+}} : tensor<1x1x7x7xf32>, tensor<3x3xf32>)
// CHECK: arith.constant dense<{{\[}}[9.000000e+00, 9.000000e+00, 6.000000e+00], [9.000000e+00, 9.000000e+00, 6.000000e+00], [6.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
func.func @avg_pool_ceil_include_pad(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %0 = octet.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true, count_include_pad = true} : tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @global_avg_pool(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x7x7xf32>
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[X]] : tensor<1x8x7x7xf32>) outs(%{{.+}} : tensor<1x8xf32>) dimensions = [2, 3]
// CHECK: arith.addf
// CHECK: %[[AVG:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x8xf32>)
// CHECK: arith.constant 4.900000e+01 : f32
// CHECK: arith.divf
// CHECK: %[[Y:.+]] = tensor.expand_shape %[[AVG]] {{\[}}[0], [1, 2, 3]] output_shape [1, 8, 1, 1]
// CHECK: return %[[Y]]
func.func @global_avg_pool(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
  %0 = octet.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}
