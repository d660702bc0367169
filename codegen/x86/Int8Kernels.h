//===- Int8Kernels.h - The x86 int8 kernels of octet-x86-int8-kernels -*- C++ -*-===//
//
// Each rewrite replaces one integer op by a loop nest computing the same
// result exactly, or fails (leaving the op to the reference lowering) when
// the op is not a form it covers. Where the int32 result is only
// requantized to 8 bits, the kernel does that in registers too.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_CODEGEN_X86_INT8KERNELS_H
#define OCTET_CODEGEN_X86_INT8KERNELS_H

#include "octet/IR/OctetOps.h"

namespace mlir::octet::x86 {

/// The dot-product instructions a kernel is built from.
enum class Int8Isa {
  /// AVX2: exact vpmaddwd on 16-bit lanes.
  Avx2,
  /// vpdpbusd on 256-bit registers, 16 of them (AVX-VNNI).
  Vnni,
  /// vpdpbusd on 256-bit registers, 32 of them (AVX512-VNNI with VL).
  Vnni512,
};

/// How a tile multiplies u8 quads by s8 quads into int32 accumulators.
enum class Dot {
  /// vpdpbusd (VNNI).
  Vnni,
  /// AVX2 vpmaddubsw then vpmaddwd by ones, on weight pairs proven exact
  /// (pairIsExact) or split.
  MaddUbsw,
  /// AVX2, exact without proof: the quads split into even and odd bytes,
  /// two vpmaddwd by 16-bit weight pairs (w0, w2) and (w1, w3).
  MaddWd,
};

/// Whether vpmaddubsw adds the u8 pair (x0, x1) times (w0, w1) without
/// saturating int16 for every x0, x1 in 0..255: the positive and the
/// negative weights each sum to at most 32767/255 (32768/255).
bool pairIsExact(int64_t w0, int64_t w1);

/// acc + the exact dot products of the u8 quads `quads` (vector<32xi8>)
/// with the s8 weights: one vector<32xi8> operand, or for MaddWd the two
/// vector<16xi16> of pairs (w0, w2) and (w1, w3).
Value dot(OpBuilder &b, Location loc, Dot kind, Value acc, Value quads,
          ArrayRef<Value> weights);

/// The index constant `v`.
Value index(OpBuilder &b, Location loc, int64_t v);

/// Four vector<8xi8> (rows r0..r3 of 8 lanes) as the 32 bytes
/// r0[l], r1[l], r2[l], r3[l] for l = 0..7: the quads vpdpbusd multiplies.
Value interleaveQuads(OpBuilder &b, Location loc, ArrayRef<Value> rows);

/// Above this fraction of tile steps with split weight pairs, AVX2 uses
/// the exact vpmaddwd path instead of vpmaddubsw plus corrections: a split
/// costs a second pass, and vpmaddwd runs at about 2/3 of vpmaddubsw's
/// rate (docs/x86-int8-kernels.md sections 1 and 4.4).
constexpr double kMaxSplitFraction = 0.4;

/// `int32 → f32 · multiplier → [relu | clip] → quantize → storage`, the
/// requantization octet-propagate-qdq writes after an integer op, matched
/// so that a kernel can apply it to its accumulators (`writeTile`) and
/// produce the 8-bit storage directly (`replaceByKernel`).
struct Requantization {
  DenseElementsAttr multipliers; // splat, or one per channel
  int64_t channelDim;
  enum class Activation { None, Relu, Clip } activation = Activation::None;
  float clipMin = 0, clipMax = 0;
  float scale = 1;
  int64_t zeroPoint = 0, qmin = 0, qmax = 0;
  /// cast, mul, [activation], quantize, storage cast: the ops replaced.
  SmallVector<Operation *> chain;

  float multiplierOf(int64_t channel) const;
};

/// The requantization of `int32Result` (channels along `channelDim`), if
/// it is its only use and has the form above.
FailureOr<Requantization> matchRequantization(Value int32Result,
                                              int64_t channelDim);

/// `acc` (vector<8xi32>) requantized with the per-lane `multiplier`
/// (vector<8xf32>) to storage bits (vector<8xi8>), with exactly the
/// reference lowering's operations.
Value requantize(OpBuilder &b, Location loc, const Requantization &r,
                 Value acc, Value multiplier);

/// Writes the accumulators `acc` (vector<8xi32>) into `dest` at `indices`:
/// requantized with `multiplier` when `r` is set (8-bit storage), else as
/// they are.
Value writeTile(OpBuilder &b, Location loc, const Requantization *r,
                Value acc, Value multiplier, Value dest, ValueRange indices);

/// Replaces `op` by the kernel's `result`: the storage of its matched
/// requantization `r` (which goes too), or its own int32 result. An
/// octet.pad that fed `op` and is now unused (folded into the kernel's
/// packing) is erased as well.
void replaceByKernel(Operation *op, const Requantization *r, Value result);

/// The elements of `value` if an octet.constant defines it, else null (the
/// kernels specialize on constant weights and biases).
DenseElementsAttr constantOf(Value value);

/// 2-D matmul_integer by constant int8 weights (Int8Gemm.cpp).
LogicalResult rewriteMatMul(MatMulIntegerOp op, Int8Isa isa, int64_t kBlock);

/// matmul_integer of two activations (attention's Q·Kᵀ and P·V): any
/// batch of equal shapes, scalar zero points, packed at run time
/// (Int8DynamicMatMul.cpp).
LogicalResult rewriteDynamicMatMul(MatMulIntegerOp op, Int8Isa isa,
                                   int64_t kBlock);

/// conv2d_integer by constant int8 weights (Int8Conv.cpp).
LogicalResult rewriteConv(Conv2DIntegerOp op, Int8Isa isa);

/// Depthwise conv2d_integer (one input channel per group) by constant int8
/// weights, with vpmaddwd on tap pairs (Int8Depthwise.cpp).
LogicalResult rewriteDepthwise(Conv2DIntegerOp op);

} // namespace mlir::octet::x86

#endif // OCTET_CODEGEN_X86_INT8KERNELS_H
