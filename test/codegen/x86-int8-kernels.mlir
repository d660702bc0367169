// RUN: octet-opt %s --split-input-file --octet-x86-int8-kernels | FileCheck %s
// RUN: octet-opt %s --split-input-file --octet-x86-int8-kernels="direct-kxk=1" | FileCheck %s --check-prefix=KXK
// RUN: not octet-opt %s --split-input-file --octet-x86-int8-kernels="isa=sse2" 2>&1 | FileCheck %s --check-prefix=ISA

// A matmul_integer of u8 activations by constant int8 weights with an int32
// bias: the weights are packed into 16-column panels of k-pairs (K = 3 pads
// to 2 pairs, N = 3 to one panel: pair 0 holds w[0][c], w[1][c] for each
// column c, pair 1 holds w[2][c] and a zero), the activations are read as
// their i8 bits, each pair is zero-extended and broadcast, and vpmaddwd
// adds it into accumulators that start from the bias and are written back
// with columns past N masked off. 5 rows: one 4-row tile and a 1-row rest.
// CHECK-LABEL: func.func @u8
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[\[\[}}1, 4, 2, 5, 3, 6, 0, {{.*}}], [7, 0, 8, 0, 9, 0, 0, {{.*}}]]]> : tensor<1x2x32xi8>
// CHECK-DAG: %[[X:.+]] = octet.cast %{{.+}} : tensor<5x3xui8> to tensor<5x3xi8>
// CHECK: scf.for %[[P:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK: vector.transfer_read %{{.+}}[%{{.+}}], %{{.+}} : tensor<3xi32>, vector<8xi32>
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK: scf.for
// CHECK: vector.transfer_read %[[W]][%[[P]], %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x2x32xi8>, vector<16xi8>
// CHECK: arith.extsi %{{.+}} : vector<16xi8> to vector<16xi16>
// CHECK: vector.transfer_read %[[X]][%{{.+}}, %{{.+}}], %{{.+}} : tensor<5x3xi8>, vector<2xi8>
// CHECK: arith.extui %{{.+}} : vector<2xi8> to vector<2xi16>
// CHECK: vector.broadcast %{{.+}} : i32 to vector<8xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.+}}, %{{.+}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// CHECK: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}] : vector<8xi32>, tensor<5x3xi32>
// CHECK-NOT: octet.matmul_integer
// ISA: unknown isa 'sse2' (avx2)
func.func @u8(%x: tensor<5x3xui8>, %b: tensor<3xi32>) -> tensor<5x3xi32> {
  %w = octet.constant dense<[[1, 2, 3], [4, 5, 6], [7, 8, 9]]> : tensor<3x3xi8>
  %y = octet.matmul_integer %x, %w bias %b : (tensor<5x3xui8>, tensor<3x3xi8>, tensor<3xi32>) -> tensor<5x3xi32>
  return %y : tensor<5x3xi32>
}

// -----

// Kept for the reference lowering: a zero point (dynamic quantization), run-time
// weights (attention), batched operands.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-3: octet.matmul_integer
// CHECK-NOT: llvm.call_intrinsic
func.func @kept(%x: tensor<2x4xui8>, %z: tensor<ui8>, %v: tensor<4x4xi8>, %bx: tensor<3x2x4xi8>, %bw: tensor<3x4x4xi8>) -> (tensor<2x4xi32>, tensor<2x4xi32>, tensor<3x2x4xi32>) {
  %w = octet.constant dense<1> : tensor<4x4xi8>
  %a = octet.matmul_integer %x, %w lhs_zp %z : (tensor<2x4xui8>, tensor<4x4xi8>, tensor<ui8>) -> tensor<2x4xi32>
  %b = octet.matmul_integer %x, %v : (tensor<2x4xui8>, tensor<4x4xi8>) -> tensor<2x4xi32>
  %c = octet.matmul_integer %bx, %bw : (tensor<3x2x4xi8>, tensor<3x4x4xi8>) -> tensor<3x2x4xi32>
  return %a, %b, %c : tensor<2x4xi32>, tensor<2x4xi32>, tensor<3x2x4xi32>
}

// -----

// A 1x1 conv2d_integer (u8, 3 channels, 5 filters, 2x9 = 18 pixels) is one
// row of 18 pixels: a block of 16 (inside the row: reads unmasked) and a
// masked last block; in each, channel pairs are widened, interleaved into
// pixel pairs and multiplied by broadcast weight pairs with vpmaddwd, the
// odd last channel alone; a 4-filter tile and a 1-filter rest start from
// the bias.
// CHECK-LABEL: func.func @conv1x1
// CHECK: %[[F:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]] : tensor<1x3x2x9xi8> into tensor<1x3x18xi8>
// CHECK: %[[X:.+]] = tensor.expand_shape %[[F]] {{\[}}[0], [1], [2, 3]] output_shape [1, 3, 1, 18]
// CHECK: vector.transfer_read %[[X]][%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x3x1x18xi8>, vector<16xi8>
// CHECK: vector.shuffle %{{.+}}, %{{.+}} [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23] : vector<16xi16>, vector<16xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK: vector.transfer_read %[[X]][%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}], %{{.+}} : tensor<1x3x1x18xi8>, vector<16xi8>
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2, 3]] output_shape [1, 5, 2, 9] : tensor<1x5x18xi32> into tensor<1x5x2x9xi32>
// CHECK-NOT: octet.conv2d_integer
func.func @conv1x1(%x: tensor<1x3x2x9xui8>, %b: tensor<5xi32>) -> tensor<1x5x2x9xi32> {
  %w = octet.constant dense<1> : tensor<5x3x1x1xi8>
  %y = octet.conv2d_integer %x, %w bias %b : (tensor<1x3x2x9xui8>, tensor<5x3x1x1xi8>, tensor<5xi32>) -> tensor<1x5x2x9xi32>
  return %y : tensor<1x5x2x9xi32>
}

// -----

// A 3x3 convolution (stride 1, unpadded) keeps the reference kernel by
// default; with direct-kxk it runs directly in NCHW: per output row, a loop
// over the 9 taps (input row oh + kh, columns from ow + kw) around the
// channel pairs; the weights are packed as [F, taps, C].
// CHECK-LABEL: func.func @conv3x3
// CHECK: octet.conv2d_integer
// KXK-LABEL: func.func @conv3x3
// KXK-DAG: arith.constant dense<1> : tensor<2x9x3xi8>
// KXK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// KXK: arith.divui
// KXK: arith.remui
// KXK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// KXK: return
func.func @conv3x3(%x: tensor<1x3x4x4xi8>) -> tensor<1x2x2x2xi32> {
  %w3 = octet.constant dense<1> : tensor<2x3x3x3xi8>
  %a = octet.conv2d_integer %x, %w3 : (tensor<1x3x4x4xi8>, tensor<2x3x3x3xi8>) -> tensor<1x2x2x2xi32>
  return %a : tensor<1x2x2x2xi32>
}

// -----

// Strided and grouped convolutions keep the reference kernel.
// CHECK-LABEL: func.func @conv_kept
// CHECK-COUNT-2: octet.conv2d_integer
func.func @conv_kept(%x: tensor<1x4x4x4xi8>) -> (tensor<1x2x2x2xi32>, tensor<1x4x4x4xi32>) {
  %w1 = octet.constant dense<1> : tensor<2x4x1x1xi8>
  %a = octet.conv2d_integer %x, %w1 {strides = array<i64: 2, 2>} : (tensor<1x4x4x4xi8>, tensor<2x4x1x1xi8>) -> tensor<1x2x2x2xi32>
  %wg = octet.constant dense<1> : tensor<4x2x1x1xi8>
  %b = octet.conv2d_integer %x, %wg {group = 2 : i64} : (tensor<1x4x4x4xi8>, tensor<4x2x1x1xi8>) -> tensor<1x4x4x4xi32>
  return %a, %b : tensor<1x2x2x2xi32>, tensor<1x4x4x4xi32>
}
