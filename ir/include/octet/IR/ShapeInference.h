//===- ShapeInference.h - Shape rules shared by verifiers and builders -===//
//
// One source of truth for every shape and attribute rule of the dialect:
// op verifiers, result-type inference and the C++ builder DSL all call
// these functions, so they cannot disagree. Each function reports a
// violated rule through `emitOptionalError` at `loc` (when given), prefixed
// with the op name as `emitOpError` would, and returns failure.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_IR_SHAPEINFERENCE_H
#define OCTET_IR_SHAPEINFERENCE_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace mlir::octet {

using Shape = SmallVector<int64_t, 4>;

/// Where and for which op a shape rule is being checked.
struct ShapeContext {
  std::optional<Location> loc;
  StringRef opName;

  /// Emits `'<opName>' op <message>` at `loc` (if any); always fails.
  LogicalResult emitError(const Twine &message) const;
};

/// Numpy broadcasting of two shapes.
FailureOr<Shape> inferBroadcastShape(const ShapeContext &ctx,
                                     ArrayRef<int64_t> lhs,
                                     ArrayRef<int64_t> rhs);

/// NCHW conv2d: weight `[O, C/group, kH, kW]`, optional bias `[O]`,
/// strides/dilations of size 2, pads `[top, left, bottom, right]`.
FailureOr<Shape> inferConv2DShape(
    const ShapeContext &ctx, ArrayRef<int64_t> input, ArrayRef<int64_t> weight,
    std::optional<ArrayRef<int64_t>> bias, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads, int64_t group);

/// NCHW 2-D pooling window.
FailureOr<Shape> inferPool2DShape(const ShapeContext &ctx,
                                  ArrayRef<int64_t> input,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> dilations,
                                  ArrayRef<int64_t> pads, bool ceilMode);

/// Global pooling: every dimension after the channel becomes 1.
FailureOr<Shape> inferGlobalPoolShape(const ShapeContext &ctx,
                                      ArrayRef<int64_t> input);

/// numpy.matmul.
FailureOr<Shape> inferMatMulShape(const ShapeContext &ctx,
                                  ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs);

/// ONNX Gemm; `c`, when present, must broadcast to `[M, N]`.
FailureOr<Shape> inferGemmShape(const ShapeContext &ctx, ArrayRef<int64_t> a,
                                ArrayRef<int64_t> b,
                                std::optional<ArrayRef<int64_t>> c, bool transA,
                                bool transB);

/// Inference batch norm: parameters are `[C]` with C = input dim 1.
LogicalResult verifyBatchNormShapes(const ShapeContext &ctx,
                                    ArrayRef<int64_t> input,
                                    ArrayRef<int64_t> param);

/// Layer norm: `scale` (and `bias`) equal the input's dims from `axis` on.
LogicalResult verifyLayerNormShapes(const ShapeContext &ctx,
                                    ArrayRef<int64_t> input,
                                    ArrayRef<int64_t> scale,
                                    std::optional<ArrayRef<int64_t>> bias,
                                    int64_t axis);

/// `0 <= axis < rank`.
LogicalResult verifyAxis(const ShapeContext &ctx, int64_t axis, int64_t rank,
                         StringRef what = "axis");

/// Reductions over sorted, unique, in-range `axes` (all when empty).
FailureOr<Shape> inferReduceShape(const ShapeContext &ctx,
                                  ArrayRef<int64_t> input,
                                  ArrayRef<int64_t> axes, bool keepDims);

FailureOr<Shape> inferFlattenShape(const ShapeContext &ctx,
                                   ArrayRef<int64_t> input, int64_t axis);

FailureOr<Shape> inferTransposeShape(const ShapeContext &ctx,
                                     ArrayRef<int64_t> input,
                                     ArrayRef<int64_t> perm);

FailureOr<Shape> inferConcatShape(const ShapeContext &ctx,
                                  ArrayRef<ArrayRef<int64_t>> inputs,
                                  int64_t axis);

/// Normalized slice: one start/end/step per dimension.
FailureOr<Shape> inferSliceShape(const ShapeContext &ctx,
                                 ArrayRef<int64_t> input,
                                 ArrayRef<int64_t> starts,
                                 ArrayRef<int64_t> ends,
                                 ArrayRef<int64_t> steps);

/// `pads` = begins then ends, non-negative; `reflect` needs pads < dim.
FailureOr<Shape> inferPadShape(const ShapeContext &ctx, ArrayRef<int64_t> input,
                               ArrayRef<int64_t> pads, bool reflect);

FailureOr<Shape> inferSqueezeShape(const ShapeContext &ctx,
                                   ArrayRef<int64_t> input,
                                   ArrayRef<int64_t> axes);

FailureOr<Shape> inferUnsqueezeShape(const ShapeContext &ctx,
                                     ArrayRef<int64_t> input,
                                     ArrayRef<int64_t> axes);

FailureOr<Shape> inferGatherShape(const ShapeContext &ctx,
                                  ArrayRef<int64_t> data,
                                  ArrayRef<int64_t> indices, int64_t axis);

/// Same number of elements, as reshape requires.
LogicalResult verifyReshapeShapes(const ShapeContext &ctx,
                                  ArrayRef<int64_t> input,
                                  ArrayRef<int64_t> output);

/// A zero point of an integer op: a scalar (rank 0 or one element) or, when
/// `perChannel` > 0, a vector of that many entries.
LogicalResult verifyZeroPointShape(const ShapeContext &ctx, StringRef what,
                                   ArrayRef<int64_t> shape,
                                   int64_t perChannel);

/// The int32 bias of an integer conv/matmul: one per output channel.
LogicalResult verifyIntegerBiasShape(const ShapeContext &ctx,
                                     ArrayRef<int64_t> shape,
                                     int64_t channels);

/// Shapes of a recurrent layer's operands; `gates` is 3 (GRU) or 4 (LSTM).
struct RnnOperandShapes {
  ArrayRef<int64_t> x, w, r;
  std::optional<ArrayRef<int64_t>> bias, initialH, initialC, peepholes;
};

/// Returns `{y, y_h}` shapes (y_c, when present, equals y_h).
FailureOr<std::pair<Shape, Shape>>
inferRnnShapes(const ShapeContext &ctx, const RnnOperandShapes &shapes,
               int64_t gates, int64_t hiddenSize, int64_t numDirections);

} // namespace mlir::octet

#endif // OCTET_IR_SHAPEINFERENCE_H
