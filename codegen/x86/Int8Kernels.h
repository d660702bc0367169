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

/// `int32 → f32 · multiplier → [relu | clip] → quantize → storage`, the
/// requantization octet-propagate-qdq writes after an integer op, matched
/// so that a kernel can apply it to its accumulators (`requantize`) and
/// produce the 8-bit storage directly (`replaceRequantized`).
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

/// Replaces the storage the chain produced by `storage` (the same shape,
/// i8 bits) and erases the chain.
void replaceRequantized(const Requantization &r, Value storage);

/// The two 8-bit values at `indices` of `source` (the second 0 when the read
/// may leave the last dimension and `inBounds` is false), widened to 16
/// bits by `isUnsigned` and broadcast as one 32-bit pattern to all 8 lanes
/// of a vpmaddwd operand (vector<16xi16>).
Value broadcastPair(OpBuilder &b, Location loc, Value source,
                    ValueRange indices, bool isUnsigned, bool inBounds);

/// 2-D matmul_integer by constant int8 weights (Int8Gemm.cpp).
LogicalResult rewriteMatMul(MatMulIntegerOp op, Int8Isa isa);

/// conv2d_integer by constant int8 weights (Int8Conv.cpp).
LogicalResult rewriteConv(Conv2DIntegerOp op, Int8Isa isa);

/// Depthwise conv2d_integer (one input channel per group) by constant int8
/// weights, with vpmaddwd on tap pairs (Int8Depthwise.cpp).
LogicalResult rewriteDepthwise(Conv2DIntegerOp op);

} // namespace mlir::octet::x86

#endif // OCTET_CODEGEN_X86_INT8KERNELS_H
