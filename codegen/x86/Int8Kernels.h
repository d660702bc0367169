//===- Int8Kernels.h - The x86 int8 kernels of octet-x86-int8-kernels -*- C++ -*-===//
//
// Each rewrite replaces one integer op by a loop nest computing the same
// int32 result with AVX2 vpmaddwd, or fails (leaving the op to the
// reference lowering) when the op is not a form it covers.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_CODEGEN_X86_INT8KERNELS_H
#define OCTET_CODEGEN_X86_INT8KERNELS_H

#include "octet/IR/OctetOps.h"

namespace mlir::octet::x86 {

/// The two 8-bit values at `indices` of `source` (the second 0 when the read
/// may leave the last dimension and `inBounds` is false), widened to 16
/// bits by `isUnsigned` and broadcast as one 32-bit pattern to all 8 lanes
/// of a vpmaddwd operand (vector<16xi16>). Both kernels' broadcast operand.
Value broadcastPair(OpBuilder &b, Location loc, Value source,
                    ValueRange indices, bool isUnsigned, bool inBounds);

/// 2-D matmul_integer by constant int8 weights (Int8Gemm.cpp).
LogicalResult rewriteMatMul(MatMulIntegerOp op);

/// conv2d_integer by constant int8 weights, stride 1, unpadded, one group
/// (Int8Conv.cpp): 1x1 ones, and k x k ones too with `kernelsBeyond1x1`.
LogicalResult rewriteConv(Conv2DIntegerOp op, bool kernelsBeyond1x1);

} // namespace mlir::octet::x86

#endif // OCTET_CODEGEN_X86_INT8KERNELS_H
