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

/// 2-D matmul_integer by constant int8 weights (Int8Gemm.cpp).
LogicalResult rewriteMatMul(MatMulIntegerOp op);

/// conv2d_integer by constant int8 weights, stride 1, unpadded, one group
/// (Int8Conv.cpp): 1x1 ones, and k x k ones too with `kernelsBeyond1x1`.
LogicalResult rewriteConv(Conv2DIntegerOp op, bool kernelsBeyond1x1);

} // namespace mlir::octet::x86

#endif // OCTET_CODEGEN_X86_INT8KERNELS_H
