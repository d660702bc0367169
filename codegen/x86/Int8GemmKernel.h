//===- Int8GemmKernel.h - The register-tiled int8 GEMM loop nest -*- C++ -*-===//
//
// What the constant-weight GEMM (Int8Gemm.cpp) and the product of two
// activations (Int8DynamicMatMul.cpp) share: given activations [M, K] (or
// a batch of them) and weights packed into panels of k-quads, the loops
// over panels and 4-row tiles whose accumulators stay in registers for the
// whole reduction and are requantized (or written as int32) at the end.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_CODEGEN_X86_INT8GEMMKERNEL_H
#define OCTET_CODEGEN_X86_INT8GEMMKERNEL_H

#include "Int8Kernels.h"

namespace mlir::octet::x86::gemm {

constexpr int64_t kTileRows = 4;
constexpr int64_t kLanes = 8; // int32 per 256-bit register

/// Columns per panel: two 8-lane vectors for AVX2, three for VNNI (the
/// register budget of a 4-row tile).
struct Layout {
  int64_t vectors;
  int64_t columns() const { return vectors * kLanes; }
  /// Bytes of one packed k-quad row of a panel: per 8 columns the quads
  /// (32), or for MaddWd the 16-bit pairs (w0, w2) then (w1, w3) (64).
  int64_t bytes(Dot dot) const {
    return vectors * (dot == Dot::MaddWd ? 64 : 32);
  }
};

struct KernelOperands {
  Dot dot;
  Layout layout;
  /// [M, K] i8, or [B, M, K] when `batched` (the bits of u8 when
  /// `isUnsigned`; signed values are offset by 128 as they are read).
  Value activations;
  bool isUnsigned;
  bool batched = false;
  int64_t batches = 1;
  /// [batches·panels·ceil(K/4), layout.bytes(dot)]: batch b's panel p is
  /// the ceil(K/4) rows from (b·panels + p)·ceil(K/4).
  Value packedWeights;
  /// Split weight pairs' second halves (constant AVX2 weights), or null:
  /// rows [E, bytes] at k-quads `where` [E], panel p's from starts[p] to
  /// starts[p + 1].
  Value corrections, where, starts;
  /// Where the sums start, per column: [panels·columns] i32, or
  /// [B, panels·columns] when batched.
  Value start;
  /// Null, or [B, M] i32 added to every column of a row (a zero-point term).
  Value rowTerms;
  /// K-blocking: k-quads per block (0: the whole reduction at once).
  int64_t kBlockQuads = 0;
  const Requantization *requantization; // or null: int32 outputs
  Value multipliers; // [panels·columns] f32 when requantizing
  int64_t m, k, n;
};

/// The whole product: [M, panels·columns] (or [B, M, panels·columns]) of
/// int32, or of requantized 8-bit storage. The loop over (batch, panel)
/// pairs may run on several threads (octet.parallel).
Value emitKernel(OpBuilder &b, Location loc, const KernelOperands &in);

} // namespace mlir::octet::x86::gemm

#endif // OCTET_CODEGEN_X86_INT8GEMMKERNEL_H
