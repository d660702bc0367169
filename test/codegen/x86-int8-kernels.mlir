// RUN: octet-opt %s --split-input-file --octet-x86-int8-kernels | FileCheck %s
// RUN: octet-opt %s --split-input-file --octet-x86-int8-kernels="isa=vnni" | FileCheck %s --check-prefix=VNNI
// RUN: not octet-opt %s --split-input-file --octet-x86-int8-kernels="isa=sse2" 2>&1 | FileCheck %s --check-prefix=ISA
// RUN: octet-opt %s --split-input-file --octet-x86-int8-kernels="k-block=2" | FileCheck %s --check-prefix=KBLOCK

// A matmul_integer of u8 activations by constant int8 weights with an int32
// bias: the weights are packed into panels of 16 columns (two vectors; 24
// with vnni) of k-quads (K = 3 pads to one quad: column c holds w[0][c],
// w[1][c], w[2][c], 0), the activations are read as their i8 bits, and
// each row's quad is broadcast as one word. With avx2 every weight pair is
// provably exact, so vpmaddubsw then vpmaddwd by ones add it into
// accumulators that start from the bias (padded to the panel); with vnni,
// vpdpbusd. K = 3: only a last, masked quad. 5 rows: one 4-row tile and a
// 1-row rest, into a 16-column wide result sliced to 3.
// CHECK-LABEL: func.func @u8
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[\[}}1, 4, 7, 0, 2, 5, 8, 0, 3, 6, 9, 0, 0, {{.*}}]]> : tensor<1x64xi8>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[10, 20, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]> : tensor<16xi32>
// CHECK-DAG: %[[X:.+]] = octet.cast %{{.+}} : tensor<5x3xui8> to tensor<5x3xi8>
// CHECK: scf.for %[[P:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK: vector.transfer_read %[[B]][%{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<16xi32>, vector<8xi32>
// CHECK: vector.transfer_read %[[W]][%{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x64xi8>, vector<32xi8>
// CHECK: vector.transfer_read %[[X]][%{{.+}}, %{{.+}}], %{{.+}} : tensor<5x3xi8>, vector<4xi8>
// CHECK: vector.broadcast %{{.+}} : i32 to vector<8xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.+}}, %{{.+}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}] {in_bounds = [true]} : vector<8xi32>, tensor<5x16xi32>
// CHECK: tensor.extract_slice %{{.+}}[0, 0] [5, 3] [1, 1] : tensor<5x16xi32> to tensor<5x3xi32>
// CHECK-NOT: octet.matmul_integer
// VNNI-LABEL: func.func @u8
// VNNI-DAG: arith.constant dense<{{\[\[}}1, 4, 7, 0, 2, 5, 8, 0, 3, 6, 9, 0, 0, {{.*}}]]> : tensor<1x96xi8>
// VNNI: vector.transfer_read %{{.+}} : tensor<5x3xi8>, vector<4xi8>
// VNNI: vector.broadcast %{{.+}} : i32 to vector<8xi32>
// VNNI-COUNT-3: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
// VNNI: tensor.extract_slice %{{.+}}[0, 0] [5, 3] [1, 1] : tensor<5x24xi32> to tensor<5x3xi32>
// ISA: unknown isa 'sse2' (avx2, vnni, vnni512)
func.func @u8(%x: tensor<5x3xui8>) -> tensor<5x3xi32> {
  %w = octet.constant dense<[[1, 2, 3], [4, 5, 6], [7, 8, 9]]> : tensor<3x3xi8>
  %b = octet.constant dense<[10, 20, 30]> : tensor<3xi32>
  %y = octet.matmul_integer %x, %w bias %b : (tensor<5x3xui8>, tensor<3x3xi8>, tensor<3xi32>) -> tensor<5x3xi32>
  return %y : tensor<5x3xi32>
}

// -----

// A GEMM column whose first weight pair (127, 100) vpmaddubsw could
// saturate: split into a = (64, 64) in the main rows and b = (63, 36) in a
// correction at k-quad 0 of panel 0 (starts [0, 1]), added by a second
// loop that reads that quad again (masked); 1 of 3 quads split.
// CHECK-LABEL: func.func @gemm_split
// CHECK-DAG: %[[MAIN:.+]] = arith.constant dense<"0x40400000{{0+}}01010101{{0+}}01010101{{0+}}"> : tensor<3x64xi8>
// CHECK-DAG: %[[REST:.+]] = arith.constant dense<{{\[\[}}63, 36, 0, 0, 0, {{.+}}]]> : tensor<1x64xi8>
// CHECK-DAG: %[[WHERE:.+]] = arith.constant dense<0> : tensor<1xi32>
// CHECK-DAG: %[[STARTS:.+]] = arith.constant dense<[0, 1]> : tensor<2xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK: tensor.extract %[[STARTS]]
// CHECK: scf.for
// CHECK: tensor.extract %[[WHERE]]
// CHECK: vector.transfer_read %[[REST]]
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
func.func @gemm_split(%x: tensor<2x12xui8>) -> tensor<2x1xi32> {
  %w = octet.constant dense<[[127], [100], [0], [0], [1], [1], [1], [1], [1], [1], [1], [1]]> : tensor<12x1xi8>
  %y = octet.matmul_integer %x, %w : (tensor<2x12xui8>, tensor<12x1xi8>) -> tensor<2x1xi32>
  return %y : tensor<2x1xi32>
}

// -----

// Kept for the reference lowering: a run-time zero point (dynamic
// quantization), a run-time bias, a per-row zero point, and batches that
// broadcast.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-4: octet.matmul_integer
// CHECK-NOT: llvm.call_intrinsic
func.func @kept(%x: tensor<2x4xui8>, %z: tensor<ui8>, %v: tensor<4x4xi8>, %bx: tensor<3x2x4xi8>, %bv: tensor<4xi32>) -> (tensor<2x4xi32>, tensor<2x4xi32>, tensor<2x4xi32>, tensor<3x2x4xi32>) {
  %w = octet.constant dense<1> : tensor<4x4xi8>
  %zr = octet.constant dense<[1, 2]> : tensor<2xui8>
  %a = octet.matmul_integer %x, %w lhs_zp %z : (tensor<2x4xui8>, tensor<4x4xi8>, tensor<ui8>) -> tensor<2x4xi32>
  %b = octet.matmul_integer %x, %w bias %bv : (tensor<2x4xui8>, tensor<4x4xi8>, tensor<4xi32>) -> tensor<2x4xi32>
  %c = octet.matmul_integer %x, %v lhs_zp %zr : (tensor<2x4xui8>, tensor<4x4xi8>, tensor<2xui8>) -> tensor<2x4xi32>
  %d = octet.matmul_integer %bx, %v : (tensor<3x2x4xi8>, tensor<4x4xi8>) -> tensor<3x2x4xi32>
  return %a, %b, %c, %d : tensor<2x4xi32>, tensor<2x4xi32>, tensor<2x4xi32>, tensor<3x2x4xi32>
}

// -----

// A product of two run-time operands (attention's Q·Kᵀ): the batch [2, 3]
// collapsed to 6, the right operand packed per batch at run time (K = 3:
// one k-quad whose fourth row is zero), the zero points (z_a = 5, z_b = 7)
// turned into start values. AVX2 packs b − z_b as 16-bit pairs (b0, b2)
// and (b1, b3) for exact vpmaddwd, so only the columns' start values
// (−z_a·Σ(b − z_b)) remain. VNNI packs b − 128 as s8 quads (xor 0x80) and
// starts each column from K·z_a·(z_b − 128) = 3·5·(−121) = −1815 less
// z_a·Σ(b − 128), each row from 121·Σa (a row-sum pass over the
// activations).
// CHECK-LABEL: func.func @attention
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2], [3]] : tensor<2x3x4x3xi8> into tensor<6x4x3xi8>
// CHECK: scf.for
// CHECK: vector.transfer_read %{{.+}} : tensor<6x3x5xi8>, vector<8xi8>
// CHECK: arith.extui %{{.+}} : vector<8xi8> to vector<8xi16>
// CHECK: arith.subi
// CHECK: vector.shuffle %{{.+}}, %{{.+}} [0, 8, 1, 9, {{.+}}] : vector<8xi16>, vector<8xi16>
// CHECK: vector.transfer_write %{{.+}} : vector<32xi8>, tensor<6x128xi8>
// CHECK: arith.muli %{{.+}}, %{{.+}} : vector<8xi32>
// CHECK: vector.transfer_write %{{.+}} : vector<8xi32>, tensor<6x16xi32>
// CHECK: } {octet.parallel =
// CHECK-NOT: vector.reduction
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK: } {octet.parallel = 360 : i64}
// CHECK: tensor.expand_shape %{{.+}} : tensor<6x4x5xi32> into tensor<2x3x4x5xi32>
// VNNI-LABEL: func.func @attention
// VNNI: arith.constant dense<-1815> : tensor<24xi32>
// VNNI: arith.xori %{{.+}} : vector<8xi8>
// VNNI: vector.transfer_write %{{.+}} : vector<32xi8>, tensor<6x96xi8>
// VNNI: vector.transfer_read %{{.+}} : tensor<6x4x3xi8>, vector<32xi8>
// VNNI: vector.reduction <add>
// VNNI: arith.constant 121 : i32
// VNNI: tensor.insert %{{.+}} : tensor<6x4xi32>
// VNNI: tensor.extract %{{.+}} : tensor<6x4xi32>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
func.func @attention(%a: tensor<2x3x4x3xui8>, %b: tensor<2x3x3x5xui8>) -> tensor<2x3x4x5xi32> {
  %za = octet.constant dense<5> : tensor<ui8>
  %zb = octet.constant dense<7> : tensor<ui8>
  %y = octet.matmul_integer %a, %b lhs_zp %za rhs_zp %zb : (tensor<2x3x4x3xui8>, tensor<2x3x3x5xui8>, tensor<ui8>, tensor<ui8>) -> tensor<2x3x4x5xi32>
  return %y : tensor<2x3x4x5xi32>
}

// -----

// A 3x3 convolution of stride 2 on u8 (3 channels, padded with a zero
// channel to one quad; 2 filters, padded to a 4-filter tile). The input is
// packed once into channel quads, one plane per stride phase (4 planes of
// 3x3 pixels: even/odd rows x even/odd columns; columns picked by a
// shuffle, the 3-pixel rows read unmasked up to their end), so every tap
// reads a contiguous run (planes split over threads: 8 multiply-adds'
// worth per packed byte, 4·80·8 = 2560). The tile loops over the 9 taps and the one quad;
// with vnni, 3 vectors of 8 pixels, each filter's 4 weights broadcast as one
// word into vpdpbusd; with avx2 (all weight pairs provably exact), 2 vectors
// of 8 pixels and vpmaddubsw, then vpmaddwd by ones into int32.
// Accumulators start from the bias. The
// wide output (2 rows of 3 pixels, 4 filters) is sliced to 2 filters x 2x2.
// CHECK-LABEL: func.func @strided
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 1, 0, 0]
// CHECK: tensor<1x3x5x6xi8> to tensor<1x4x5x6xi8>
// CHECK: tensor.empty() : tensor<4x80xi8>
// CHECK: vector.transfer_read %[[P]]{{.+}} {in_bounds = [true]} : tensor<1x4x5x6xi8>, vector<5xi8>
// CHECK: vector.shuffle %{{.+}}, %{{.+}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<15xi8>, vector<15xi8>
// CHECK: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<32xi8>, tensor<4x80xi8>
// CHECK-COUNT-3: scf.for
// CHECK: } {octet.parallel = 2560 : i64}
// CHECK: tensor.empty() : tensor<1x4x16xi32>
// CHECK: scf.for
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"(%{{.+}}, %{{.+}}) : (vector<32xi8>, vector<32xi8>) -> vector<16xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0] [1, 4, 6] [1, 1, 1] : tensor<1x4x16xi32> to tensor<1x4x6xi32>
// CHECK: tensor.expand_shape %{{.+}} output_shape [1, 1, 4, 2, 3]
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0, 0, 0] [1, 1, 2, 2, 2] [1, 1, 1, 1, 1]
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x1x2x2x2xi32> into tensor<1x2x2x2xi32>
// CHECK-NOT: octet.conv2d_integer
// VNNI-LABEL: func.func @strided
// VNNI-DAG: %[[B:.+]] = arith.constant dense<[5, 6, 0, 0]> : tensor<4xi32>
// VNNI-DAG: arith.constant dense<"0x01010100{{.+}}"> : tensor<9x16xi8>
// VNNI: tensor.empty() : tensor<1x4x24xi32>
// VNNI: tensor.extract %[[B]]
// VNNI: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// VNNI: arith.divui
// VNNI: arith.remui
// VNNI: scf.for
// VNNI-COUNT-3: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<4x112xi8>, vector<32xi8>
// VNNI: vector.broadcast %{{.+}} : i32 to vector<8xi32>
// VNNI-COUNT-3: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
// VNNI: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<8xi32>, tensor<1x4x24xi32>
// The 6 wide pixels fill no 24-pixel tile (that loop runs 0 times): the
// rest tile computes one vector of 8 pixels per filter.
// VNNI: scf.for {{.+}} -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>) {
// VNNI: vector.transfer_read %{{.+}} : tensor<4x112xi8>, vector<32xi8>
// VNNI-COUNT-4: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
func.func @strided(%x: tensor<1x3x5x6xui8>) -> tensor<1x2x2x2xi32> {
  %w = octet.constant dense<1> : tensor<2x3x3x3xi8>
  %b = octet.constant dense<[5, 6]> : tensor<2xi32>
  %y = octet.conv2d_integer %x, %w bias %b {strides = array<i64: 2, 2>} : (tensor<1x3x5x6xui8>, tensor<2x3x3x3xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}

// -----

// A 1x1 convolution of s8 activations whose int32 result is only
// requantized (multiplier per filter, relu, a quantize of scale 1, zero
// point 3): the packed activations are offset by 128 (xor 0x80) and the
// accumulators start from bias - 128·Σw (100 - 1280, 200 + 1280); the
// requantization runs on the accumulators (the reference lowering's ops,
// in order) and the kernel writes the 8-bit storage; the chain is gone.
// The AVX2 weights are the quads themselves (all pairs exact).
// CHECK-LABEL: func.func @requantized
// CHECK: arith.xori %{{.+}}, %{{.+}} : vector<32xi8>
// CHECK-DAG: arith.constant dense<[-1180, 1480, 0, 0]> : tensor<4xi32>
// CHECK-DAG: arith.constant dense<[5.000000e-01, 2.500000e-01, 0.000000e+00, 0.000000e+00]> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<{{\[}}[1, 2, 3, 4, -1, -2, -3, -4, 0, 0, 0, 0, 0, 0, 0, 0]]> : tensor<1x16xi8>
// CHECK: tensor.empty() : tensor<1x4x16xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK: arith.sitofp %{{.+}} : vector<8xi32> to vector<8xf32>
// CHECK: arith.mulf
// CHECK: arith.maximumf
// CHECK: arith.divf
// CHECK: llvm.call_intrinsic "llvm.x86.avx.round.ps.256"(%{{.+}}, %{{.+}}) : (vector<8xf32>, i32) -> vector<8xf32>
// CHECK: arith.addf
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: arith.fptosi %{{.+}} : vector<8xf32> to vector<8xi32>
// CHECK: arith.trunci %{{.+}} : vector<8xi32> to vector<8xi8>
// CHECK: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<8xi8>, tensor<1x4x16xi8>
// CHECK-NOT: octet.quantize
// CHECK: return %{{.+}} : tensor<1x2x2x8xi8>
func.func @requantized(%x: tensor<1x4x2x8xi8>) -> tensor<1x2x2x8xi8> {
  %w = octet.constant dense<[[[[1]], [[2]], [[3]], [[4]]], [[[-1]], [[-2]], [[-3]], [[-4]]]]> : tensor<2x4x1x1xi8>
  %b = octet.constant dense<[100, 200]> : tensor<2xi32>
  %m = octet.constant dense<[[[[0.5]], [[0.25]]]]> : tensor<1x2x1x1xf32>
  %y = octet.conv2d_integer %x, %w bias %b : (tensor<1x4x2x8xi8>, tensor<2x4x1x1xi8>, tensor<2xi32>) -> tensor<1x2x2x8xi32>
  %f = octet.cast %y : tensor<1x2x2x8xi32> to tensor<1x2x2x8xf32>
  %p = octet.mul %f, %m : (tensor<1x2x2x8xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x8xf32>
  %r = octet.relu %p : tensor<1x2x2x8xf32>
  %q = octet.quantize %r : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.uniform<u8:f32, 1.0:3>>
  %s = quant.scast %q : tensor<1x2x2x8x!quant.uniform<u8:f32, 1.0:3>> to tensor<1x2x2x8xi8>
  return %s : tensor<1x2x2x8xi8>
}

// -----

// AVX2 vpmaddubsw is exact for a weight pair (w0, w1) only if the positive
// and the negative weights each sum to at most 128 (32767 / 255). Filter 0's
// first pair (127, 100) is not: it becomes a = (64, 64) in the main pass
// and b = (63, 36) in a correction, listed for its filter tile (starts
// [0, 1]) at plane row 0 (quad 0, phase 0), offset 0, added by a second
// loop over the list. 1 split step of 3: vpmaddubsw stays.
// CHECK-LABEL: func.func @split
// CHECK-DAG: %[[MAIN:.+]] = arith.constant dense<{{\[}}[64, 64, 0, 0, {{.+}}], [1, 1, 1, 1, {{.+}}], [-2, -2, -2, -2, {{.+}}]]> : tensor<3x16xi8>
// CHECK-DAG: %[[REST:.+]] = arith.constant dense<{{\[}}[63, 36, 0, 0, {{.+}}]]> : tensor<1x16xi8>
// CHECK-DAG: %[[WHERE:.+]] = arith.constant dense<0> : tensor<1x2xi32>
// CHECK-DAG: %[[STARTS:.+]] = arith.constant dense<[0, 1]> : tensor<2xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
// CHECK: tensor.extract %[[STARTS]]
// CHECK: scf.for
// CHECK: tensor.extract %[[WHERE]]
// CHECK: vector.transfer_read %[[REST]]
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.ub.sw"
func.func @split(%x: tensor<1x12x1x8xui8>) -> tensor<1x1x1x8xi32> {
  %w = octet.constant dense<[[[[127]], [[100]], [[0]], [[0]], [[1]], [[1]], [[1]], [[1]], [[-2]], [[-2]], [[-2]], [[-2]]]]> : tensor<1x12x1x1xi8>
  %y = octet.conv2d_integer %x, %w : (tensor<1x12x1x8xui8>, tensor<1x12x1x1xi8>) -> tensor<1x1x1x8xi32>
  return %y : tensor<1x1x1x8xi32>
}

// -----

// When too many steps would need a correction (here all), AVX2 uses the
// exact vpmaddwd path instead: the quads split into even and odd bytes
// (and 0xff, shift by 8) times the 16-bit pairs (w0, w2) = (127, -128) and
// (w1, w3), two vpmaddwd per filter and vector; no corrections.
// CHECK-LABEL: func.func @wide_pairs
// CHECK: arith.constant dense<{{\[}}[127, 0, -128, -1, 127, 0, -128, -1, 0, {{.+}}]]> : tensor<1x32xi8>
// CHECK: arith.andi %{{.+}} : vector<16xi16>
// CHECK: arith.shrui %{{.+}} : vector<16xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK-NOT: pmadd.ub.sw
// CHECK: return
func.func @wide_pairs(%x: tensor<1x4x1x8xui8>) -> tensor<1x1x1x8xi32> {
  %w = octet.constant dense<[[[[127]], [[127]], [[-128]], [[-128]]]]> : tensor<1x4x1x1xi8>
  %y = octet.conv2d_integer %x, %w : (tensor<1x4x1x8xui8>, tensor<1x4x1x1xi8>) -> tensor<1x1x1x8xi32>
  return %y : tensor<1x1x1x8xi32>
}

// -----

// The constant spatial padding octet-propagate-qdq puts before a
// convolution (value 7: the zero point) is written by the packing: the
// pad op is gone, the packed plane (5 rows of 7) gets a row of 7s, then
// per data row 7s at the left and the data (read from the unpadded input)
// from column 2, then a last row of 7s (pixel 28, byte 112).
// VNNI-LABEL: func.func @padded
// VNNI-NOT: octet.pad
// VNNI: tensor.empty() : tensor<1x172xi8>
// VNNI: arith.constant dense<7> : vector<8xi8>
// VNNI: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}] {in_bounds = [true]} : vector<32xi8>, tensor<1x172xi8>
// VNNI: scf.for
// VNNI: vector.transfer_read %{{.+}} {in_bounds = [true]} : tensor<1x4x3x5xi8>, vector<5xi8>
// VNNI: %[[LAST:.+]] = arith.muli %{{.+}}, %c4{{.*}} : index
// VNNI: vector.transfer_write %{{.+}}, %{{.+}}[%{{.+}}, %[[LAST]]] {in_bounds = [true]} : vector<32xi8>, tensor<1x172xi8>
// VNNI: return
func.func @padded(%x: tensor<1x4x3x5xui8>) -> tensor<1x1x3x5xi32> {
  %p = octet.pad %x {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 0>, value = 7.0 : f32} : tensor<1x4x3x5xui8> -> tensor<1x4x5x7xui8>
  %w = octet.constant dense<1> : tensor<1x4x3x3xi8>
  %y = octet.conv2d_integer %p, %w : (tensor<1x4x5x7xui8>, tensor<1x4x3x3xi8>) -> tensor<1x1x3x5xi32>
  return %y : tensor<1x1x3x5xi32>
}

// -----

// An int32 result with another use than the requantization stays int32.
// CHECK-LABEL: func.func @shared_result
// CHECK: vector.transfer_write %{{.+}} : vector<8xi32>
// CHECK: octet.quantize
func.func @shared_result(%x: tensor<1x4x1x8xui8>) -> (tensor<1x1x1x8xi8>, tensor<1x1x1x8xi32>) {
  %w = octet.constant dense<1> : tensor<1x4x1x1xi8>
  %m = octet.constant dense<0.5> : tensor<1x1x1x1xf32>
  %y = octet.conv2d_integer %x, %w : (tensor<1x4x1x8xui8>, tensor<1x4x1x1xi8>) -> tensor<1x1x1x8xi32>
  %f = octet.cast %y : tensor<1x1x1x8xi32> to tensor<1x1x1x8xf32>
  %p = octet.mul %f, %m : (tensor<1x1x1x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x8xf32>
  %q = octet.quantize %p : tensor<1x1x1x8xf32> -> tensor<1x1x1x8x!quant.uniform<u8:f32, 1.0:3>>
  %s = quant.scast %q : tensor<1x1x1x8x!quant.uniform<u8:f32, 1.0:3>> to tensor<1x1x1x8xi8>
  return %s, %y : tensor<1x1x1x8xi8>, tensor<1x1x1x8xi32>
}

// -----

// A depthwise convolution (2 channels, depth multiplier 2, s8): each
// channel is packed into its plane (4 rows of 5 pixels, as they are), and
// each filter's plane is computed wide (2 rows of 5) in 32-pixel tiles:
// taps in pairs, unrolled ((0, 1), (2, 3), ..., (8, alone)); the two runs
// are interleaved byte by byte, sign-extended and multiplied by the weight
// pair (w_a, w_b) = (1, 2) = 131073 with vpmaddwd, from the bias. Filter f
// reads channel f / 2.
// CHECK-LABEL: func.func @depthwise
// CHECK: tensor.empty() : tensor<2x44xi8>
// CHECK: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<8xi8>, tensor<2x44xi8>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[131073, 262147, 393221, 524295, 9], [-65537, -196611, -327685, -458759, 65527], [65537, 65537, 65537, 65537, 1], [131074, 131074, 131074, 131074, 2]]> : tensor<4x5xi32>
// CHECK: tensor.empty() : tensor<1x4x32xi32>
// CHECK: arith.divui %{{.+}}, %c2
// CHECK: tensor.extract %[[B]]
// CHECK: tensor.extract %[[W]]
// CHECK: vector.shuffle %{{.+}}, %{{.+}} [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23] : vector<16xi8>, vector<16xi8>
// CHECK: arith.extsi %{{.+}} : vector<16xi8> to vector<16xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// CHECK: {octet.parallel = 360 : i64}
// CHECK: tensor.expand_shape %{{.+}} output_shape [1, 2, 2, 2, 5]
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0, 0, 0] [1, 2, 2, 2, 3] [1, 1, 1, 1, 1]
// CHECK-NOT: octet.conv2d_integer
func.func @depthwise(%x: tensor<1x2x4x5xi8>) -> tensor<1x4x2x3xi32> {
  %w = octet.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]], [[[1, 1, 1], [1, 1, 1], [1, 1, 1]]], [[[2, 2, 2], [2, 2, 2], [2, 2, 2]]]]> : tensor<4x1x3x3xi8>
  %b = octet.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %y = octet.conv2d_integer %x, %w bias %b {group = 2 : i64} : (tensor<1x2x4x5xi8>, tensor<4x1x3x3xi8>, tensor<4xi32>) -> tensor<1x4x2x3xi32>
  return %y : tensor<1x4x2x3xi32>
}

// -----

// Kept for the reference lowering: groups of channels that are neither
// whole quads nor single channels, zero points, run-time weights or bias,
// padding.
// CHECK-LABEL: func.func @conv_kept
// CHECK-COUNT-5: octet.conv2d_integer
// CHECK-NOT: llvm.call_intrinsic
func.func @conv_kept(%x: tensor<1x4x4x4xui8>, %z: tensor<ui8>, %v: tensor<2x4x1x1xi8>, %bv: tensor<2xi32>) -> (tensor<1x4x4x4xi32>, tensor<1x2x4x4xi32>, tensor<1x2x4x4xi32>, tensor<1x2x4x4xi32>, tensor<1x2x6x6xi32>) {
  %wg = octet.constant dense<1> : tensor<4x2x1x1xi8>
  %a = octet.conv2d_integer %x, %wg {group = 2 : i64} : (tensor<1x4x4x4xui8>, tensor<4x2x1x1xi8>) -> tensor<1x4x4x4xi32>
  %w = octet.constant dense<1> : tensor<2x4x1x1xi8>
  %b = octet.conv2d_integer %x, %w input_zp %z : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>, tensor<ui8>) -> tensor<1x2x4x4xi32>
  %c = octet.conv2d_integer %x, %v : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>) -> tensor<1x2x4x4xi32>
  %d = octet.conv2d_integer %x, %w bias %bv : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>, tensor<2xi32>) -> tensor<1x2x4x4xi32>
  %e = octet.conv2d_integer %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xui8>, tensor<2x4x1x1xi8>) -> tensor<1x2x6x6xi32>
  return %a, %b, %c, %d, %e : tensor<1x4x4x4xi32>, tensor<1x2x4x4xi32>, tensor<1x2x4x4xi32>, tensor<1x2x4x4xi32>, tensor<1x2x6x6xi32>
}

// -----

// A 1x1 convolution of stride 2 reads only stride phase (0, 0): of the
// four phase planes only that one is packed (one 8-pixel block per phase
// row, in a loop and for the last row), the others are never written.
// CHECK-LABEL: func.func @pointwise_strided
// CHECK: tensor.empty() : tensor<4x64xi8>
// CHECK-COUNT-2: vector.transfer_write %{{.+}} : vector<32xi8>, tensor<4x64xi8>
// CHECK-NOT: vector.transfer_write %{{.+}} : vector<32xi8>, tensor<4x64xi8>
// CHECK: } {octet.parallel = 2048 : i64}
func.func @pointwise_strided(%x: tensor<1x4x4x4xui8>) -> tensor<1x4x2x2xi32> {
  %w = octet.constant dense<1> : tensor<4x4x1x1xi8>
  %y = octet.conv2d_integer %x, %w {strides = array<i64: 2, 2>} : (tensor<1x4x4x4xui8>, tensor<4x4x1x1xi8>) -> tensor<1x4x2x2xi32>
  return %y : tensor<1x4x2x2xi32>
}

// -----

// K-blocking (k-block=2 k-quads; K = 18: 5 quads, the last partial): each
// panel runs its rows over quads [0, 2), [2, 4), then [4, 5) with the K
// tail; the first block starts from the bias and leaves its sums in an
// int32 scratch of the panel's rows, the middle one reads and writes it,
// the last reads it and writes the result.
// KBLOCK-LABEL: func.func @k_blocked
// KBLOCK: tensor.empty() : tensor<6x16xi32>
// KBLOCK: scf.for %[[BP:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (tensor<6x16xi32>, tensor<6x16xi32>)
// KBLOCK: vector.transfer_read %{{.+}} : tensor<16xi32>, vector<8xi32>
// KBLOCK: scf.for %{{.+}} = %c0{{.*}} to %c2{{.*}} step
// KBLOCK: vector.transfer_write %{{.+}} : vector<8xi32>, tensor<6x16xi32>
// KBLOCK: vector.transfer_read %{{.+}} : tensor<6x16xi32>, vector<8xi32>
// KBLOCK: scf.for %{{.+}} = %c2{{.*}} to %c4{{.*}} step
// KBLOCK: vector.transfer_read %{{.+}} : tensor<6x16xi32>, vector<8xi32>
// KBLOCK: scf.for %{{.+}} = %c4{{.*}} to %c4{{.*}} step
// KBLOCK: vector.transfer_read %{{.+}}, %{{.+}} : tensor<6x18xi8>, vector<4xi8>
// KBLOCK: vector.transfer_write %{{.+}} {in_bounds = [true]} : vector<8xi32>, tensor<6x16xi32>
func.func @k_blocked(%x: tensor<6x18xui8>, %w: tensor<18x9xi8>) -> tensor<6x9xi32> {
  %c = octet.constant dense<3> : tensor<18x9xi8>
  %y = octet.matmul_integer %x, %c : (tensor<6x18xui8>, tensor<18x9xi8>) -> tensor<6x9xi32>
  return %y : tensor<6x9xi32>
}
