//===- LoweringUtils.h - Helpers shared by the linalg lowerings -*- C++ -*-===//

#ifndef OCTET_CODEGEN_LOWERINGUTILS_H
#define OCTET_CODEGEN_LOWERINGUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::octet::lowering {

/// An uninitialized tensor of `type` (the `outs` of a linalg op).
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);

/// A tensor of `type` filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   double value);

/// A scalar float constant of `type`.
Value floatConstant(OpBuilder &b, Location loc, Type type, double value);

/// The indexing map reading an operand of `operandShape` from an iteration
/// space of `resultShape` under numpy broadcasting (size-1 and missing
/// leading dimensions read index 0).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape);

/// Builds an elementwise `linalg.generic` over `resultType` reading
/// `inputs` with numpy broadcasting; `body` computes the result element
/// from the input elements.
using ElementwiseBody =
    function_ref<Value(OpBuilder &, Location, ValueRange)>;
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ElementwiseBody body);

/// Applies a fused activation (octet's #octet.act) to a scalar.
Value applyActivation(OpBuilder &b, Location loc, Value x, Attribute act);

/// max/min of two floats with the IEEE semantics ONNX uses for Relu/Clip
/// (NaN propagates).
Value floatMax(OpBuilder &b, Location loc, Value x, Value y);
Value floatMin(OpBuilder &b, Location loc, Value x, Value y);

} // namespace mlir::octet::lowering

#endif // OCTET_CODEGEN_LOWERINGUTILS_H
