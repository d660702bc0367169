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

/// 1x1 conv2d_integer by constant int8 weights (Int8Conv1x1.cpp).
LogicalResult rewriteConv1x1(Conv2DIntegerOp op);

} // namespace mlir::octet::x86

#endif // OCTET_CODEGEN_X86_INT8KERNELS_H
