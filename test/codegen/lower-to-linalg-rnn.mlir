// RUN: octet-opt %s --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg))' --split-input-file | FileCheck %s

// Forward GRU, defaults: x·Wᵀ for every step is one matmul before the loop;
// the loop carries h and y. Without linear_before_reset, (r ⊙ h)·Rhᵀ needs a
// second matmul after the z/r gates.
// CHECK-LABEL: func.func @gru_forward
// CHECK-SAME: %[[X:[^:]+]]: tensor<5x2x3xf32>, %[[W:[^:]+]]: tensor<1x12x3xf32>, %[[R:[^:]+]]: tensor<1x12x4xf32>
func.func @gru_forward(%x: tensor<5x2x3xf32>, %w: tensor<1x12x3xf32>, %r: tensor<1x12x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>) {
  // CHECK: %[[Y0:.+]] = tensor.empty() : tensor<5x1x2x4xf32>
  // CHECK: %[[YH0:.+]] = tensor.empty() : tensor<1x2x4xf32>
  // CHECK: %[[XF:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<5x2x3xf32> into tensor<10x3xf32>
  // CHECK: %[[WD:.+]] = tensor.extract_slice %[[W]][0, 0, 0] [1, 12, 3] [1, 1, 1] : tensor<1x12x3xf32> to tensor<12x3xf32>
  // CHECK: %[[WT:.+]] = linalg.transpose ins(%[[WD]] : tensor<12x3xf32>) {{.*}} permutation = [1, 0]
  // CHECK: %[[RT:.+]] = linalg.transpose ins(%{{.+}} : tensor<12x4xf32>) {{.*}} permutation = [1, 0]
  // CHECK: %[[XW:.+]] = linalg.matmul ins(%[[XF]], %[[WT]] : tensor<10x3xf32>, tensor<3x12xf32>)
  // CHECK: %[[XW3:.+]] = tensor.expand_shape %[[XW]] {{\[}}[0, 1], [2]] output_shape [5, 2, 12]
  // CHECK: %[[RZR:.+]] = tensor.extract_slice %[[RT]][0, 0] [4, 8] [1, 1]
  // CHECK: %[[RH:.+]] = tensor.extract_slice %[[RT]][0, 8] [4, 4] [1, 1]
  // CHECK: %[[H0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x4xf32>)
  // CHECK: %[[LOOP:.+]]:2 = scf.for %[[T:[^ ]+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[H:[^ ]+]] = %[[H0]], %[[Y:[^ ]+]] = %[[Y0]])
  // CHECK:   %[[XT:.+]] = tensor.extract_slice %[[XW3]][%[[T]], 0, 0] [1, 2, 12] [1, 1, 1] : tensor<5x2x12xf32> to tensor<2x12xf32>
  // CHECK:   linalg.matmul ins(%[[H]], %[[RZR]] : tensor<2x4xf32>, tensor<4x8xf32>)
  // CHECK:   %[[ZR:.+]]:2 = linalg.generic
  // CHECK:     math.exp
  // CHECK:   %[[HR:.+]] = linalg.matmul ins(%[[ZR]]#1, %[[RH]] : tensor<2x4xf32>, tensor<4x4xf32>)
  // CHECK:   %[[HN:.+]] = linalg.generic
  // CHECK-SAME: ins(%{{.+}}, %[[HR]], %[[ZR]]#0, %[[H]] : {{.*}}) outs(%[[H]] : tensor<2x4xf32>)
  // CHECK:     math.tanh
  // CHECK:   %[[YN:.+]] = tensor.insert_slice %[[HN]] into %[[Y]][%[[T]], 0, 0, 0] [1, 1, 2, 4] [1, 1, 1, 1]
  // CHECK:   scf.yield %[[HN]], %[[YN]]
  // CHECK: %[[YH:.+]] = tensor.insert_slice %[[LOOP]]#0 into %[[YH0]][0, 0, 0] [1, 2, 4] [1, 1, 1]
  // CHECK: return %[[LOOP]]#1, %[[YH]]
  %y, %h = octet.gru %x, %w, %r {hidden_size = 4 : i64} : (tensor<5x2x3xf32>, tensor<1x12x3xf32>, tensor<1x12x4xf32>) -> (tensor<5x1x2x4xf32>, tensor<1x2x4xf32>)
  return %y, %h : tensor<5x1x2x4xf32>, tensor<1x2x4xf32>
}

// -----

// Bidirectional GRU with linear_before_reset: Wb and Rb (less its h block,
// which the reset gate multiplies) join x·Wᵀ before the loop; one matmul
// per step. The second direction walks t = seq - 1 - i and fills y[:, 1].
// CHECK-LABEL: func.func @gru_bidirectional_lbr
// CHECK-SAME: %[[B:[^:]+]]: tensor<2x24xf32>, %[[H0:[^:]+]]: tensor<2x2x4xf32>
func.func @gru_bidirectional_lbr(%x: tensor<5x2x3xf32>, %w: tensor<2x12x3xf32>, %r: tensor<2x12x4xf32>, %b: tensor<2x24xf32>, %h0: tensor<2x2x4xf32>) -> (tensor<5x2x2x4xf32>, tensor<2x2x4xf32>) {
  // CHECK: %[[RB:.+]] = tensor.extract_slice %[[B]][0, 12] [1, 12] [1, 1] : tensor<2x24xf32> to tensor<12xf32>
  // CHECK: %[[RBH:.+]] = tensor.extract_slice %[[RB]][8] [4] [1] : tensor<12xf32> to tensor<4xf32>
  // CHECK: %[[RBZR:.+]] = tensor.extract_slice %[[RB]][0] [8] [1] : tensor<12xf32> to tensor<8xf32>
  // CHECK: tensor.pad %[[RBZR]] low[0] high[4]
  // CHECK: %[[INIT:.+]] = tensor.extract_slice %[[H0]][0, 0, 0] [1, 2, 4] [1, 1, 1] : tensor<2x2x4xf32> to tensor<2x4xf32>
  // CHECK: linalg.copy ins(%[[INIT]] : tensor<2x4xf32>)
  // CHECK: scf.for
  // CHECK:   linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<2x4xf32>, tensor<4x12xf32>)
  // CHECK:   linalg.generic
  // CHECK-SAME: %[[RBH]] : {{.*}}tensor<4xf32>)
  // CHECK:   tensor.insert_slice %{{.+}} into %{{.+}}[%{{.+}}, 0, 0, 0] [1, 1, 2, 4]
  // CHECK: tensor.extract_slice %[[H0]][1, 0, 0] [1, 2, 4] [1, 1, 1]
  // CHECK: scf.for %[[I:[^ ]+]] =
  // CHECK:   %[[T:.+]] = arith.subi %{{.+}}, %[[I]] : index
  // CHECK:   tensor.insert_slice %{{.+}} into %{{.+}}[%[[T]], 1, 0, 0] [1, 1, 2, 4]
  %y, %h = octet.gru %x, %w, %r bias %b initial_h %h0 {hidden_size = 4 : i64, direction = #octet.rnn_direction<bidirectional>, linear_before_reset = true} : (tensor<5x2x3xf32>, tensor<2x12x3xf32>, tensor<2x12x4xf32>, tensor<2x24xf32>, tensor<2x2x4xf32>) -> (tensor<5x2x2x4xf32>, tensor<2x2x4xf32>)
  return %y, %h : tensor<5x2x2x4xf32>, tensor<2x2x4xf32>
}

// -----

// LSTM with peepholes and initial states: the loop carries h, c and y; one
// generic computes both new states into the carried ones.
// CHECK-LABEL: func.func @lstm_peepholes
// CHECK-SAME: %[[H0:[^:]+]]: tensor<1x3x3xf32>, %[[C0:[^:]+]]: tensor<1x3x3xf32>, %[[P:[^:]+]]: tensor<1x9xf32>
func.func @lstm_peepholes(%x: tensor<4x3x2xf32>, %w: tensor<1x12x2xf32>, %r: tensor<1x12x3xf32>, %h0: tensor<1x3x3xf32>, %c0: tensor<1x3x3xf32>, %p: tensor<1x9xf32>) -> (tensor<4x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>) {
  // CHECK-DAG: %[[YH0:.+]] = tensor.empty() : tensor<1x3x3xf32>
  // CHECK: %[[PD:.+]] = tensor.extract_slice %[[P]][0, 0] [1, 9] [1, 1] : tensor<1x9xf32> to tensor<9xf32>
  // CHECK: %[[PI:.+]] = tensor.extract_slice %[[PD]][0] [3] [1]
  // CHECK: %[[PO:.+]] = tensor.extract_slice %[[PD]][3] [3] [1]
  // CHECK: %[[PF:.+]] = tensor.extract_slice %[[PD]][6] [3] [1]
  // CHECK: %[[HI:.+]] = linalg.copy ins(%{{.+}} : tensor<3x3xf32>)
  // CHECK: %[[CI:.+]] = linalg.copy ins(%{{.+}} : tensor<3x3xf32>)
  // CHECK: %[[LOOP:.+]]:3 = scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[H:[^ ]+]] = %[[HI]], %[[C:[^ ]+]] = %[[CI]], %[[Y:[^ ]+]] = %{{.+}})
  // CHECK:   %[[HR:.+]] = linalg.matmul ins(%[[H]], %{{.+}} : tensor<3x3xf32>, tensor<3x12xf32>)
  // CHECK:   %[[NEW:.+]]:2 = linalg.generic
  // CHECK-SAME: %[[C]], %[[PI]], %[[PO]], %[[PF]] : {{.*}}) outs(%[[H]], %[[C]] : tensor<3x3xf32>, tensor<3x3xf32>)
  // CHECK:     math.tanh
  // CHECK:     linalg.yield
  // CHECK:   scf.yield %[[NEW]]#0, %[[NEW]]#1, %{{.+}}
  // CHECK: tensor.insert_slice %[[LOOP]]#0 into
  // CHECK: tensor.insert_slice %[[LOOP]]#1 into
  %y, %h, %c = octet.lstm %x, %w, %r initial_h %h0 initial_c %c0 peepholes %p {hidden_size = 3 : i64} : (tensor<4x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x9xf32>) -> (tensor<4x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
  return %y, %h, %c : tensor<4x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>
}

// -----

// LSTM bias: Wb + Rb enter x·Wᵀ before the loop.
// CHECK: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[VEC:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @lstm_bias
// CHECK-SAME: %[[B:[^:]+]]: tensor<1x24xf32>
func.func @lstm_bias(%x: tensor<4x3x2xf32>, %w: tensor<1x12x2xf32>, %r: tensor<1x12x3xf32>, %b: tensor<1x24xf32>) -> (tensor<4x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>) {
  // CHECK: %[[XW:.+]] = linalg.matmul
  // CHECK: %[[WB:.+]] = tensor.extract_slice %[[B]][0, 0] [1, 12] [1, 1]
  // CHECK: %[[RB:.+]] = tensor.extract_slice %[[B]][0, 12] [1, 12] [1, 1]
  // CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[VEC]], #[[VEC]], #[[ROW]]]
  // CHECK-SAME: ins(%[[XW]], %[[WB]], %[[RB]] : tensor<12x12xf32>, tensor<12xf32>, tensor<12xf32>)
  // CHECK: scf.for
  %y, %h, %c = octet.lstm %x, %w, %r bias %b {hidden_size = 3 : i64} : (tensor<4x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x3xf32>, tensor<1x24xf32>) -> (tensor<4x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>)
  return %y, %h, %c : tensor<4x1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3x3xf32>
}

// -----

// Dynamically quantized LSTM (int8 w and r, one scale per row): x is
// quantized at run time and x·Wᵀ is an i32 matmul before the loop; inside
// it, each step's state is quantized and multiplied by Rᵀ on integers too;
// both are scaled back by the activation scale times the row scales.
// CHECK-LABEL: func.func @lstm_int8
// CHECK: math.roundeven
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<3x2xi32>, tensor<2x4xi32>) outs(%{{.+}} : tensor<3x4xi32>)
// CHECK: arith.constant dense<[5.000000e-01, 2.500000e-01, 1.250000e-01, 6.250000e-02]> : tensor<4xf32>
// CHECK: scf.for
// CHECK: math.roundeven
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<1x1xi32>, tensor<1x4xi32>) outs(%{{.+}} : tensor<1x4xi32>)
// CHECK-NOT: linalg.matmul ins({{.*}}f32
func.func @lstm_int8(%x: tensor<3x1x2xf32>) -> tensor<1x1x1xf32> {
  %w8 = arith.constant dense<[[[1, -2], [3, 4], [5, 6], [-7, 8]]]> : tensor<1x4x2xi8>
  %w = quant.scast %w8 : tensor<1x4x2xi8> to tensor<1x4x2x!quant.uniform<i8<-127:127>:f32:1, {0.5,0.25,0.125,0.0625}>>
  %r8 = arith.constant dense<[[[1], [2], [3], [4]]]> : tensor<1x4x1xi8>
  %r = quant.scast %r8 : tensor<1x4x1xi8> to tensor<1x4x1x!quant.uniform<i8<-127:127>:f32:1, {0.5,0.25,0.125,0.0625}>>
  %y, %h, %c = octet.lstm %x, %w, %r {hidden_size = 1 : i64}
      : (tensor<3x1x2xf32>, tensor<1x4x2x!quant.uniform<i8<-127:127>:f32:1, {0.5,0.25,0.125,0.0625}>>, tensor<1x4x1x!quant.uniform<i8<-127:127>:f32:1, {0.5,0.25,0.125,0.0625}>>)
      -> (tensor<3x1x1x1xf32>, tensor<1x1x1xf32>, tensor<1x1x1xf32>)
  return %h : tensor<1x1x1xf32>
}
