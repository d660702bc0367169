//===- ShapeInference.cpp - Shape rules shared by verifiers and builders ===//

#include "octet/IR/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::octet;

LogicalResult ShapeContext::emitError(const Twine &message) const {
  return emitOptionalError(loc, "'", opName, "' op ", message);
}

namespace {
/// Renders a shape as `[1, 3, 224, 224]` for messages.
std::string str(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

/// Element count, or failure when it does not fit in int64.
FailureOr<int64_t> numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (llvm::MulOverflow(n, d, n))
      return failure();
  return n;
}

/// Output size of a sliding window along one dimension, or -1 when empty.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBegin, int64_t padEnd,
                         bool ceilMode) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t avail = in + padBegin + padEnd - span;
  if (avail < 0)
    return -1;
  int64_t out =
      ceilMode ? llvm::divideCeil(avail, stride) + 1 : avail / stride + 1;
  // ONNX: with ceil_mode, a window that would start inside the end padding
  // is dropped.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

/// Checks the shared attributes of 2-D windowed ops.
LogicalResult verifyWindowAttrs(const ShapeContext &ctx,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> dilations,
                                ArrayRef<int64_t> pads) {
  if (strides.size() != 2)
    return ctx.emitError("expects 2 strides, got " + Twine(strides.size()));
  if (dilations.size() != 2)
    return ctx.emitError("expects 2 dilations, got " + Twine(dilations.size()));
  if (pads.size() != 4)
    return ctx.emitError("expects 4 pads [top, left, bottom, right], got " +
                         Twine(pads.size()));
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }))
    return ctx.emitError("expects positive strides, got " + str(strides));
  if (llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return ctx.emitError("expects positive dilations, got " + str(dilations));
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return ctx.emitError("expects non-negative pads, got " + str(pads));
  return success();
}

/// Checks that `axes` are sorted, unique and in `[0, rank)`.
LogicalResult verifyAxesList(const ShapeContext &ctx, ArrayRef<int64_t> axes,
                             int64_t rank) {
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0 || axis >= rank)
      return ctx.emitError("expects axes in [0, " + Twine(rank) + "), got " +
                           Twine(axis));
    if (i > 0 && axes[i - 1] >= axis)
      return ctx.emitError("expects sorted, unique axes, got " + str(axes));
  }
  return success();
}
} // namespace

FailureOr<Shape> mlir::octet::inferBroadcastShape(const ShapeContext &ctx,
                                                  ArrayRef<int64_t> lhs,
                                                  ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l != r && l != 1 && r != 1)
      return ctx.emitError("expects broadcastable shapes, got " + str(lhs) +
                           " and " + str(rhs));
    result[i] = l == 1 ? r : l;
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferConv2DShape(
    const ShapeContext &ctx, ArrayRef<int64_t> input, ArrayRef<int64_t> weight,
    std::optional<ArrayRef<int64_t>> bias, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads, int64_t group) {
  if (input.size() != 4)
    return ctx.emitError("expects rank-4 NCHW input, got rank " +
                         Twine(input.size()));
  if (weight.size() != 4)
    return ctx.emitError(
        "expects rank-4 weight [O, C/group, kH, kW], got rank " +
        Twine(weight.size()));
  if (failed(verifyWindowAttrs(ctx, strides, dilations, pads)))
    return failure();
  if (group < 1)
    return ctx.emitError("expects a positive group count, got " + Twine(group));
  if (input[1] % group != 0 || weight[0] % group != 0)
    return ctx.emitError("expects input channels (" + Twine(input[1]) +
                         ") and output channels (" + Twine(weight[0]) +
                         ") divisible by group (" + Twine(group) + ")");
  if (weight[1] * group != input[1])
    return ctx.emitError("expects weight dim 1 (" + Twine(weight[1]) +
                         ") times group (" + Twine(group) +
                         ") to equal input channels (" + Twine(input[1]) + ")");
  if (bias && (bias->size() != 1 || (*bias)[0] != weight[0]))
    return ctx.emitError("expects bias of shape [" + Twine(weight[0]) +
                         "], got " + str(*bias));
  Shape result = {input[0], weight[0], 0, 0};
  for (int i = 0; i < 2; ++i) {
    int64_t out = windowOutputSize(input[2 + i], weight[2 + i], strides[i],
                                   dilations[i], pads[i], pads[2 + i], false);
    if (out < 1)
      return ctx.emitError("expects the dilated kernel to fit the padded "
                           "input, got input " +
                           str(input) + " and weight " + str(weight));
    result[2 + i] = out;
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferPool2DShape(
    const ShapeContext &ctx, ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    ArrayRef<int64_t> pads, bool ceilMode) {
  if (input.size() != 4)
    return ctx.emitError("expects rank-4 NCHW input, got rank " +
                         Twine(input.size()));
  if (kernel.size() != 2)
    return ctx.emitError("expects a 2-D kernel_shape, got " + str(kernel));
  if (llvm::any_of(kernel, [](int64_t k) { return k < 1; }))
    return ctx.emitError("expects a positive kernel_shape, got " + str(kernel));
  if (failed(verifyWindowAttrs(ctx, strides, dilations, pads)))
    return failure();
  for (int i = 0; i < 2; ++i)
    if (pads[i] >= kernel[i] || pads[2 + i] >= kernel[i])
      return ctx.emitError("expects pads smaller than the kernel, got pads " +
                           str(pads) + " and kernel_shape " + str(kernel));
  Shape result = {input[0], input[1], 0, 0};
  for (int i = 0; i < 2; ++i) {
    int64_t out =
        windowOutputSize(input[2 + i], kernel[i], strides[i], dilations[i],
                         pads[i], pads[2 + i], ceilMode);
    if (out < 1)
      return ctx.emitError("expects the window to fit the padded input, got "
                           "input " +
                           str(input) + " and kernel_shape " + str(kernel));
    result[2 + i] = out;
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferGlobalPoolShape(const ShapeContext &ctx,
                                                   ArrayRef<int64_t> input) {
  if (input.size() < 3)
    return ctx.emitError(
        "expects an input of rank >= 3 [N, C, ...], got rank " +
        Twine(input.size()));
  Shape result(input.begin(), input.end());
  std::fill(result.begin() + 2, result.end(), 1);
  return result;
}

FailureOr<Shape> mlir::octet::inferMatMulShape(const ShapeContext &ctx,
                                               ArrayRef<int64_t> lhs,
                                               ArrayRef<int64_t> rhs) {
  if (lhs.empty() || rhs.empty())
    return ctx.emitError("expects operands of rank >= 1");
  // Promote vectors to matrices, as numpy does.
  Shape l(lhs.begin(), lhs.end()), r(rhs.begin(), rhs.end());
  if (lhs.size() == 1)
    l.insert(l.begin(), 1);
  if (rhs.size() == 1)
    r.push_back(1);
  int64_t m = l[l.size() - 2], k = l.back(), k2 = r[r.size() - 2], n = r.back();
  if (k != k2)
    return ctx.emitError("expects matching contraction dimensions, got " +
                         str(lhs) + " and " + str(rhs));
  FailureOr<Shape> batch = inferBroadcastShape(ctx, ArrayRef(l).drop_back(2),
                                               ArrayRef(r).drop_back(2));
  if (failed(batch))
    return failure();
  Shape result = *batch;
  if (lhs.size() != 1)
    result.push_back(m);
  if (rhs.size() != 1)
    result.push_back(n);
  return result;
}

FailureOr<Shape> mlir::octet::inferGemmShape(const ShapeContext &ctx,
                                             ArrayRef<int64_t> a,
                                             ArrayRef<int64_t> b,
                                             std::optional<ArrayRef<int64_t>> c,
                                             bool transA, bool transB) {
  if (a.size() != 2 || b.size() != 2)
    return ctx.emitError("expects rank-2 A and B, got ranks " +
                         Twine(a.size()) + " and " + Twine(b.size()));
  int64_t m = transA ? a[1] : a[0], k = transA ? a[0] : a[1];
  int64_t kb = transB ? b[1] : b[0], n = transB ? b[0] : b[1];
  if (k != kb)
    return ctx.emitError("expects matching contraction dimensions, got A " +
                         str(a) + " and B " + str(b));
  Shape result = {m, n};
  if (c) {
    // C broadcasts one way only: to [M, N].
    FailureOr<Shape> bc = inferBroadcastShape({}, result, *c);
    if (failed(bc) || *bc != result)
      return ctx.emitError("expects C broadcastable to [" + Twine(m) + ", " +
                           Twine(n) + "], got " + str(*c));
  }
  return result;
}

LogicalResult mlir::octet::verifyBatchNormShapes(const ShapeContext &ctx,
                                                 ArrayRef<int64_t> input,
                                                 ArrayRef<int64_t> param) {
  if (input.size() < 2)
    return ctx.emitError(
        "expects an input of rank >= 2 [N, C, ...], got rank " +
        Twine(input.size()));
  if (param.size() != 1 || param[0] != input[1])
    return ctx.emitError("expects parameters of shape [" + Twine(input[1]) +
                         "], got " + str(param));
  return success();
}

LogicalResult mlir::octet::verifyLayerNormShapes(
    const ShapeContext &ctx, ArrayRef<int64_t> input, ArrayRef<int64_t> scale,
    std::optional<ArrayRef<int64_t>> bias, int64_t axis) {
  if (failed(verifyAxis(ctx, axis, input.size())))
    return failure();
  ArrayRef<int64_t> normalized = input.drop_front(axis);
  if (scale != normalized)
    return ctx.emitError("expects scale of shape " + str(normalized) +
                         ", got " + str(scale));
  if (bias && *bias != normalized)
    return ctx.emitError("expects bias of shape " + str(normalized) + ", got " +
                         str(*bias));
  return success();
}

LogicalResult mlir::octet::verifyAxis(const ShapeContext &ctx, int64_t axis,
                                      int64_t rank, StringRef what) {
  if (axis < 0 || axis >= rank)
    return ctx.emitError("expects " + what + " in [0, " + Twine(rank) +
                         "), got " + Twine(axis));
  return success();
}

FailureOr<Shape> mlir::octet::inferReduceShape(const ShapeContext &ctx,
                                               ArrayRef<int64_t> input,
                                               ArrayRef<int64_t> axes,
                                               bool keepDims) {
  if (failed(verifyAxesList(ctx, axes, input.size())))
    return failure();
  Shape result;
  for (auto [i, d] : llvm::enumerate(input)) {
    bool reduced = axes.empty() || llvm::is_contained(axes, (int64_t)i);
    if (!reduced)
      result.push_back(d);
    else if (keepDims)
      result.push_back(1);
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferFlattenShape(const ShapeContext &ctx,
                                                ArrayRef<int64_t> input,
                                                int64_t axis) {
  if (axis < 0 || axis > (int64_t)input.size())
    return ctx.emitError("expects axis in [0, " + Twine(input.size()) +
                         "], got " + Twine(axis));
  FailureOr<int64_t> outer = numElements(input.take_front(axis));
  FailureOr<int64_t> inner = numElements(input.drop_front(axis));
  if (failed(outer) || failed(inner))
    return ctx.emitError("has too many elements");
  return Shape{*outer, *inner};
}

FailureOr<Shape> mlir::octet::inferTransposeShape(const ShapeContext &ctx,
                                                  ArrayRef<int64_t> input,
                                                  ArrayRef<int64_t> perm) {
  if (perm.size() != input.size())
    return ctx.emitError("expects a permutation of " + Twine(input.size()) +
                         " dimensions, got " + str(perm));
  llvm::SmallBitVector seen(input.size());
  Shape result;
  for (int64_t p : perm) {
    if (p < 0 || p >= (int64_t)input.size() || seen.test(p))
      return ctx.emitError("expects perm to be a permutation of [0, " +
                           Twine(input.size()) + "), got " + str(perm));
    seen.set(p);
    result.push_back(input[p]);
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferConcatShape(
    const ShapeContext &ctx, ArrayRef<ArrayRef<int64_t>> inputs, int64_t axis) {
  if (inputs.empty())
    return ctx.emitError("expects at least one input");
  ArrayRef<int64_t> first = inputs.front();
  if (failed(verifyAxis(ctx, axis, first.size())))
    return failure();
  Shape result(first.begin(), first.end());
  for (ArrayRef<int64_t> in : inputs.drop_front()) {
    if (in.size() != first.size())
      return ctx.emitError("expects inputs of equal rank, got " + str(first) +
                           " and " + str(in));
    for (size_t d = 0; d < in.size(); ++d)
      if ((int64_t)d != axis && in[d] != first[d])
        return ctx.emitError("expects inputs to match except along axis " +
                             Twine(axis) + ", got " + str(first) + " and " +
                             str(in));
    result[axis] += in[axis];
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferSliceShape(const ShapeContext &ctx,
                                              ArrayRef<int64_t> input,
                                              ArrayRef<int64_t> starts,
                                              ArrayRef<int64_t> ends,
                                              ArrayRef<int64_t> steps) {
  size_t rank = input.size();
  if (starts.size() != rank || ends.size() != rank || steps.size() != rank)
    return ctx.emitError("expects starts, ends and steps of size " +
                         Twine(rank) + " (one per dimension)");
  Shape result;
  for (size_t d = 0; d < rank; ++d) {
    int64_t dim = input[d], start = starts[d], end = ends[d], step = steps[d];
    if (step == 0)
      return ctx.emitError("expects non-zero steps, got " + str(steps));
    bool inRange = step > 0
                       ? (start >= 0 && start <= dim && end >= 0 && end <= dim)
                       : (start >= 0 && start < dim && end >= -1 && end < dim);
    if (!inRange)
      return ctx.emitError("expects clamped bounds in dimension " + Twine(d) +
                           " of size " + Twine(dim) + ", got start " +
                           Twine(start) + ", end " + Twine(end) + ", step " +
                           Twine(step));
    int64_t n =
        step > 0 ? llvm::divideCeil(std::max<int64_t>(end - start, 0), step)
                 : llvm::divideCeil(std::max<int64_t>(start - end, 0), -step);
    result.push_back(n);
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferPadShape(const ShapeContext &ctx,
                                            ArrayRef<int64_t> input,
                                            ArrayRef<int64_t> pads,
                                            bool reflect) {
  size_t rank = input.size();
  if (pads.size() != 2 * rank)
    return ctx.emitError("expects " + Twine(2 * rank) +
                         " pads (begins, then ends), got " +
                         Twine(pads.size()));
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return ctx.emitError("expects non-negative pads, got " + str(pads));
  Shape result;
  for (size_t d = 0; d < rank; ++d) {
    if (reflect && (pads[d] >= input[d] || pads[rank + d] >= input[d]))
      return ctx.emitError("expects reflect pads smaller than dimension " +
                           Twine(d) + " of size " + Twine(input[d]));
    result.push_back(input[d] + pads[d] + pads[rank + d]);
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferSqueezeShape(const ShapeContext &ctx,
                                                ArrayRef<int64_t> input,
                                                ArrayRef<int64_t> axes) {
  if (failed(verifyAxesList(ctx, axes, input.size())))
    return failure();
  Shape result;
  for (auto [i, d] : llvm::enumerate(input)) {
    bool listed = llvm::is_contained(axes, (int64_t)i);
    if (listed && d != 1)
      return ctx.emitError("expects squeezed dimension " + Twine(i) +
                           " to have size 1, got " + Twine(d));
    if (listed || (axes.empty() && d == 1))
      continue;
    result.push_back(d);
  }
  return result;
}

FailureOr<Shape> mlir::octet::inferUnsqueezeShape(const ShapeContext &ctx,
                                                  ArrayRef<int64_t> input,
                                                  ArrayRef<int64_t> axes) {
  int64_t rank = input.size() + axes.size();
  if (axes.empty())
    return ctx.emitError("expects at least one axis");
  if (failed(verifyAxesList(ctx, axes, rank)))
    return failure();
  Shape result;
  const int64_t *next = input.begin();
  for (int64_t i = 0; i < rank; ++i)
    result.push_back(llvm::is_contained(axes, i) ? 1 : *next++);
  return result;
}

FailureOr<Shape> mlir::octet::inferGatherShape(const ShapeContext &ctx,
                                               ArrayRef<int64_t> data,
                                               ArrayRef<int64_t> indices,
                                               int64_t axis) {
  if (failed(verifyAxis(ctx, axis, data.size())))
    return failure();
  Shape result(data.begin(), data.begin() + axis);
  result.append(indices.begin(), indices.end());
  result.append(data.begin() + axis + 1, data.end());
  return result;
}

LogicalResult mlir::octet::verifyReshapeShapes(const ShapeContext &ctx,
                                               ArrayRef<int64_t> input,
                                               ArrayRef<int64_t> output) {
  FailureOr<int64_t> in = numElements(input), out = numElements(output);
  if (failed(in) || failed(out) || *in != *out)
    return ctx.emitError("expects the same number of elements, got " +
                         str(input) + " and " + str(output));
  return success();
}

LogicalResult mlir::octet::verifyZeroPointShape(const ShapeContext &ctx,
                                                StringRef what,
                                                ArrayRef<int64_t> shape,
                                                int64_t perChannel) {
  bool scalar = shape.empty() || (shape.size() == 1 && shape[0] == 1);
  bool vector = perChannel > 0 && shape.size() == 1 && shape[0] == perChannel;
  if (scalar || vector)
    return success();
  if (perChannel > 0)
    return ctx.emitError("expects " + what + " to be a scalar or of shape [" +
                         Twine(perChannel) + "], got " + str(shape));
  return ctx.emitError("expects " + what + " to be a scalar, got " +
                       str(shape));
}

FailureOr<std::pair<Shape, Shape>>
mlir::octet::inferRnnShapes(const ShapeContext &ctx, const RnnOperandShapes &s,
                            int64_t gates, int64_t hidden, int64_t dirs) {
  if (hidden < 1)
    return ctx.emitError("expects a positive hidden_size, got " +
                         Twine(hidden));
  if (s.x.size() != 3)
    return ctx.emitError("expects x of rank 3 [seq, batch, input], got " +
                         str(s.x));
  int64_t seq = s.x[0], batch = s.x[1], input = s.x[2];
  auto expect = [&](StringRef name, ArrayRef<int64_t> got,
                    ArrayRef<int64_t> want) -> LogicalResult {
    if (got != want)
      return ctx.emitError("expects " + name + " of shape " + str(want) +
                           ", got " + str(got));
    return success();
  };
  Shape state = {dirs, batch, hidden};
  if (failed(expect("w", s.w, {dirs, gates * hidden, input})) ||
      failed(expect("r", s.r, {dirs, gates * hidden, hidden})) ||
      (s.bias && failed(expect("bias", *s.bias, {dirs, 2 * gates * hidden}))) ||
      (s.initialH && failed(expect("initial_h", *s.initialH, state))) ||
      (s.initialC && failed(expect("initial_c", *s.initialC, state))) ||
      (s.peepholes &&
       failed(expect("peepholes", *s.peepholes, {dirs, 3 * hidden}))))
    return failure();
  return std::make_pair(Shape{seq, dirs, batch, hidden}, state);
}

LogicalResult mlir::octet::verifyIntegerBiasShape(const ShapeContext &ctx,
                                                  ArrayRef<int64_t> shape,
                                                  int64_t channels) {
  if (shape.size() == 1 && shape[0] == channels)
    return success();
  return ctx.emitError("expects bias of shape [" + Twine(channels) +
                       "], got " + str(shape));
}
