//===- ConstantUtils.h - Reading and creating float constants ---*- C++ -*-===//
//
// Graph passes that rewrite weights compute in double precision and round
// once; these are the two ends of that.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_PASSES_CONSTANTUTILS_H
#define OCTET_PASSES_CONSTANTUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

namespace mlir::octet {

/// The values of a constant float tensor in row-major order, or failure
/// when `v` is not an `octet.constant` of floats.
FailureOr<SmallVector<double>> getConstantFloats(Value v);

/// `values` as elements of float tensor `type`, each rounded once.
DenseElementsAttr getFloatElements(RankedTensorType type,
                                   ArrayRef<double> values);

/// An `octet.constant` of `type` holding `values`, each rounded once to the
/// element type.
Value createFloatConstant(OpBuilder &builder, Location loc,
                          RankedTensorType type, ArrayRef<double> values);

/// `in` transposed by `perm` (any element type); null for elements that are
/// not whole bytes. Defined in FoldConstants.cpp with the other constant
/// evaluations.
DenseElementsAttr transposeConstant(DenseElementsAttr in,
                                    ArrayRef<int64_t> perm);

} // namespace mlir::octet

#endif // OCTET_PASSES_CONSTANTUTILS_H
