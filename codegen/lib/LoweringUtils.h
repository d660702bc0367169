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
using ElementwiseBody = function_ref<Value(OpBuilder &, Location, ValueRange)>;
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ElementwiseBody body);

/// Applies a fused activation (octet's #octet.act) to a scalar.
Value applyActivation(OpBuilder &b, Location loc, Value x, Attribute act);

/// max/min of two floats with the IEEE semantics ONNX uses for Relu/Clip
/// (NaN propagates).
Value floatMax(OpBuilder &b, Location loc, Value x, Value y);
Value floatMin(OpBuilder &b, Location loc, Value x, Value y);

/// Like `buildElementwise`, but input `i` is read through `inputMaps[i]`
/// (a map from the result's iteration space) instead of by broadcasting.
Value buildMappedElementwise(OpBuilder &b, Location loc,
                             RankedTensorType resultType, ValueRange inputs,
                             ArrayRef<AffineMap> inputMaps,
                             ElementwiseBody body);

/// The map from a rank-`rank` iteration space to the dimensions `kept`
/// (sorted): `(d0, ..., d{rank-1}) -> (d{kept[0]}, ...)`.
AffineMap projectionMap(MLIRContext *ctx, unsigned rank,
                        ArrayRef<int64_t> kept);

/// Combines one input element into the accumulator of a reduction.
using ReduceCombiner =
    function_ref<Value(OpBuilder &, Location, Value element, Value acc)>;

/// A `linalg.reduce` of `input` over the sorted dimensions `dims`, with the
/// accumulator starting at `init`; the result drops `dims`.
Value buildReduce(OpBuilder &b, Location loc, Value input,
                  ArrayRef<int64_t> dims, double init, ReduceCombiner combine);

/// Reshapes `value` to `type` (same elements) with one
/// `tensor.collapse_shape` or `tensor.expand_shape`; fails when the shapes
/// are not related by merging or splitting adjacent dimensions.
FailureOr<Value> reshapeTensor(OpBuilder &b, Location loc, Value value,
                               RankedTensorType type);

/// A tensor of `type` filled with zero (any integer or float element type).
Value zeroTensor(OpBuilder &b, Location loc, RankedTensorType type);

/// A scalar constant of element type `type`: float, signless integer, or
/// signed/unsigned integer (extracted from a rank-0 constant tensor, as
/// arith.constant builds no unsigned scalar).
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// arith only accepts signless integers, while octet tensors may hold `ui8`:
/// these reinterpret a scalar between a signed/unsigned integer type and the
/// signless type of its width (identity for other types). The casts are
/// `builtin.unrealized_conversion_cast`s, which the LLVM type conversion
/// folds away (both types become the same LLVM integer); the
/// octet-lower-to-linalg target must accept them.
Value toSignless(OpBuilder &b, Location loc, Value scalar);
Value fromSignless(OpBuilder &b, Location loc, Value scalar, Type type);

/// Reshapes a static tensor to `resultType` (same element count); unlike
/// `reshapeTensor` it always succeeds: where no single collapse or expand
/// relates the shapes (2x3 -> 3x2), it collapses to 1-D and expands again.
Value reshapeStaticTensor(OpBuilder &b, Location loc, Value input,
                          RankedTensorType resultType);

/// `linalg.matmul` of 2-D `lhs` [M, K] and `rhs` [K, N] into a zero-filled
/// [M, N] tensor of lhs's element type.
Value buildMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs);

/// Patterns for the integer ops (conv2d_integer, matmul_integer,
/// dynamic_quantize_linear); part of populateLowerTensorPatterns.
void populateLowerIntegerPatterns(RewritePatternSet &patterns);

/// `x` clamped to [0, 255] (f32), NaN-free bounds as ONNX saturates.
Value clampToU8(OpBuilder &b, Location loc, Value x);

/// DynamicQuantizeLinear's parameters of f32 tensor `input`, computed at
/// run time: its range widened to hold 0 (one reduction), the scale
/// (max − min) / 255 (1 for an all-zero input, as onnxruntime) and the zero
/// point round_half_even(clamp(−min / scale, 0, 255)), as f32 scalars.
struct DynamicQuantization {
  Value scale, zeroPoint;
};
DynamicQuantization buildDynamicQuantization(OpBuilder &b, Location loc,
                                             Value input);

} // namespace mlir::octet::lowering

#endif // OCTET_CODEGEN_LOWERINGUTILS_H
