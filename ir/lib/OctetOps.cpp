//===- OctetOps.cpp - Result-type inference and verifiers -----------------===//
//
// Every rule lives in ShapeInference.cpp; this file adapts ops to it. Types
// are checked defensively because the parser infers result types before
// operand type constraints are verified.
//
//===----------------------------------------------------------------------===//

#include "octet/IR/OctetOps.h"
#include "octet/IR/ShapeInference.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
template <typename OpTy>
ShapeContext shapeContext(std::optional<Location> loc) {
  return {loc, OpTy::getOperationName()};
}

/// The ranked tensor type of `v`, or a diagnostic naming `what`.
FailureOr<RankedTensorType> tensorType(const ShapeContext &ctx, Value v,
                                       StringRef what) {
  auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : RankedTensorType();
  if (!type) {
    (void)ctx.emitError("expects " + what + " to be a ranked tensor");
    return failure();
  }
  return type;
}

/// Shape of an optional operand, if present and ranked.
std::optional<ArrayRef<int64_t>> optionalShape(Value v) {
  if (auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr)
    return type.getShape();
  return std::nullopt;
}

/// Operands (null ones skipped) must share the first one's element type.
LogicalResult verifySameElementType(const ShapeContext &ctx,
                                    ArrayRef<Value> values) {
  Type first;
  for (Value v : values) {
    if (!v)
      continue;
    Type elem = getElementTypeOrSelf(v.getType());
    if (!first)
      first = elem;
    else if (elem != first)
      return emitOptionalError(ctx.loc, "'", ctx.opName,
                               "' op expects operands of one element type, "
                               "got ",
                               first, " and ", elem);
  }
  return success();
}

LogicalResult pushTensor(SmallVectorImpl<Type> &types, FailureOr<Shape> shape,
                         Type elementType) {
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// NN ops
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<Conv2DOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  auto weight = tensorType(ctx, adaptor.getWeight(), "weight");
  if (failed(input) || failed(weight) ||
      failed(verifySameElementType(
          ctx, {adaptor.getInput(), adaptor.getWeight(), adaptor.getBias()})))
    return failure();
  return pushTensor(types,
                    inferConv2DShape(ctx, input->getShape(), weight->getShape(),
                                     optionalShape(adaptor.getBias()),
                                     adaptor.getStrides(),
                                     adaptor.getDilations(), adaptor.getPads(),
                                     adaptor.getGroup()),
                    input->getElementType());
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<MatMulOp>(loc);
  auto lhs = tensorType(ctx, adaptor.getLhs(), "lhs");
  auto rhs = tensorType(ctx, adaptor.getRhs(), "rhs");
  if (failed(lhs) || failed(rhs) ||
      failed(verifySameElementType(ctx, {adaptor.getLhs(), adaptor.getRhs()})))
    return failure();
  return pushTensor(types,
                    inferMatMulShape(ctx, lhs->getShape(), rhs->getShape()),
                    lhs->getElementType());
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<GemmOp>(loc);
  auto a = tensorType(ctx, adaptor.getA(), "A");
  auto b = tensorType(ctx, adaptor.getB(), "B");
  if (failed(a) || failed(b) ||
      failed(verifySameElementType(
          ctx, {adaptor.getA(), adaptor.getB(), adaptor.getC()})))
    return failure();
  return pushTensor(types,
                    inferGemmShape(ctx, a->getShape(), b->getShape(),
                                   optionalShape(adaptor.getC()),
                                   adaptor.getTransA(), adaptor.getTransB()),
                    a->getElementType());
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<BatchNormOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  auto scale = tensorType(ctx, adaptor.getScale(), "scale");
  if (failed(input) || failed(scale) ||
      failed(verifySameElementType(ctx,
                                   {adaptor.getInput(), adaptor.getScale()})) ||
      failed(verifyBatchNormShapes(ctx, input->getShape(), scale->getShape())))
    return failure();
  types.push_back(*input);
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<LayerNormOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  auto scale = tensorType(ctx, adaptor.getScale(), "scale");
  if (failed(input) || failed(scale) ||
      failed(verifySameElementType(
          ctx, {adaptor.getInput(), adaptor.getScale(), adaptor.getBias()})) ||
      failed(verifyLayerNormShapes(ctx, input->getShape(), scale->getShape(),
                                   optionalShape(adaptor.getBias()),
                                   adaptor.getAxis())))
    return failure();
  types.push_back(*input);
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<MaxPoolOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  return pushTensor(
      types,
      inferPool2DShape(ctx, input->getShape(), adaptor.getKernelShape(),
                       adaptor.getStrides(), adaptor.getDilations(),
                       adaptor.getPads(), adaptor.getCeilMode()),
      input->getElementType());
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<AvgPoolOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  int64_t noDilation[] = {1, 1};
  return pushTensor(types,
                    inferPool2DShape(ctx, input->getShape(),
                                     adaptor.getKernelShape(),
                                     adaptor.getStrides(), noDilation,
                                     adaptor.getPads(), adaptor.getCeilMode()),
                    input->getElementType());
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<GlobalAvgPoolOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  return pushTensor(types, inferGlobalPoolShape(ctx, input->getShape()),
                    input->getElementType());
}

template <typename OpTy> static LogicalResult verifySoftmaxAxis(OpTy op) {
  return verifyAxis({op.getLoc(), OpTy::getOperationName()},
                    static_cast<int64_t>(op.getAxis()),
                    op.getInput().getType().getRank());
}
LogicalResult SoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }

/// Shared by gru (3 gates) and lstm (4 gates).
template <typename Adaptor>
static LogicalResult
inferRnnTypes(const ShapeContext &ctx, Adaptor adaptor, RnnOperandShapes shapes,
              int64_t gates, int numResults, SmallVectorImpl<Type> &types) {
  auto x = tensorType(ctx, adaptor.getX(), "x");
  auto w = tensorType(ctx, adaptor.getW(), "w");
  auto r = tensorType(ctx, adaptor.getR(), "r");
  if (failed(x) || failed(w) || failed(r))
    return failure();
  shapes.x = x->getShape();
  shapes.w = w->getShape();
  shapes.r = r->getShape();
  int64_t dirs = adaptor.getDirection() == RnnDirection::bidirectional ? 2 : 1;
  auto result =
      inferRnnShapes(ctx, shapes, gates, adaptor.getHiddenSize(), dirs);
  if (failed(result))
    return failure();
  Type elem = x->getElementType();
  types.push_back(RankedTensorType::get(result->first, elem));
  for (int i = 1; i < numResults; ++i)
    types.push_back(RankedTensorType::get(result->second, elem));
  return success();
}

/// What a recurrent weight computes with: its element type, or the
/// expressed type of a quantized one.
static Type rnnWeightElementType(Value weight) {
  Type elem = getElementTypeOrSelf(weight.getType());
  if (auto quantized = dyn_cast<quant::QuantizedType>(elem))
    return quantized.getExpressedType();
  return elem;
}

/// Shared by gru and lstm: quantized weights are int8 with one scale per row
/// (dimension 1), and express the same float type as `x`.
template <typename OpTy> static LogicalResult verifyRnnWeights(OpTy op) {
  Type expected = getElementTypeOrSelf(op.getX().getType());
  for (Value weight : {op.getW(), op.getR()}) {
    if (rnnWeightElementType(weight) != expected)
      return op.emitOpError("expects weights of element type ")
             << expected << ", got " << weight.getType();
    auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(
        getElementTypeOrSelf(weight.getType()));
    if (!perAxis) {
      if (isa<quant::QuantizedType>(getElementTypeOrSelf(weight.getType())))
        return op.emitOpError("expects quantized weights per axis, got ")
               << weight.getType();
      continue;
    }
    int64_t rows = cast<RankedTensorType>(weight.getType()).getDimSize(1);
    if (perAxis.getStorageTypeIntegralWidth() != 8 || !perAxis.isSigned() ||
        !perAxis.getExpressedType().isF32() ||
        perAxis.getQuantizedDimension() != 1 ||
        (int64_t)perAxis.getScales().size() != rows ||
        llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z; }))
      return op.emitOpError("expects quantized weights to be signed int8 "
                            "of f32, symmetric, with one scale per row "
                            "(dimension 1), got ")
             << weight.getType();
  }
  return success();
}

LogicalResult GruOp::verify() { return verifyRnnWeights(*this); }
LogicalResult LstmOp::verify() { return verifyRnnWeights(*this); }

LogicalResult GruOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<GruOp>(loc);
  if (failed(verifySameElementType(
          ctx, {adaptor.getX(), adaptor.getBias(), adaptor.getInitialH()})))
    return failure();
  RnnOperandShapes shapes;
  shapes.bias = optionalShape(adaptor.getBias());
  shapes.initialH = optionalShape(adaptor.getInitialH());
  return inferRnnTypes(ctx, adaptor, shapes, /*gates=*/3, /*numResults=*/2,
                       types);
}

LogicalResult LstmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<LstmOp>(loc);
  if (failed(verifySameElementType(
          ctx, {adaptor.getX(), adaptor.getBias(), adaptor.getInitialH(),
                adaptor.getInitialC(), adaptor.getPeepholes()})))
    return failure();
  RnnOperandShapes shapes;
  shapes.bias = optionalShape(adaptor.getBias());
  shapes.initialH = optionalShape(adaptor.getInitialH());
  shapes.initialC = optionalShape(adaptor.getInitialC());
  shapes.peepholes = optionalShape(adaptor.getPeepholes());
  return inferRnnTypes(ctx, adaptor, shapes, /*gates=*/4, /*numResults=*/3,
                       types);
}

//===----------------------------------------------------------------------===//
// Math ops
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult inferBinaryTypes(std::optional<Location> loc,
                                      typename OpTy::Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<OpTy>(loc);
  auto lhs = tensorType(ctx, adaptor.getLhs(), "lhs");
  auto rhs = tensorType(ctx, adaptor.getRhs(), "rhs");
  if (failed(lhs) || failed(rhs) ||
      failed(verifySameElementType(ctx, {adaptor.getLhs(), adaptor.getRhs()})))
    return failure();
  return pushTensor(types,
                    inferBroadcastShape(ctx, lhs->getShape(), rhs->getShape()),
                    lhs->getElementType());
}

#define OCTET_BINARY_INFER(OpTy)                                               \
  LogicalResult OpTy::inferReturnTypes(                                        \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferBinaryTypes<OpTy>(loc, adaptor, types);                        \
  }
OCTET_BINARY_INFER(AddOp)
OCTET_BINARY_INFER(SubOp)
OCTET_BINARY_INFER(MulOp)
OCTET_BINARY_INFER(DivOp)
OCTET_BINARY_INFER(PowOp)
#undef OCTET_BINARY_INFER

LogicalResult ClipOp::verify() {
  if (getMin() > getMax())
    return emitOpError() << "expects min <= max, got "
                         << getMin().convertToDouble() << " > "
                         << getMax().convertToDouble();
  return success();
}

template <typename OpTy>
static LogicalResult inferReduceTypes(std::optional<Location> loc,
                                      typename OpTy::Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<OpTy>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  return pushTensor(types,
                    inferReduceShape(ctx, input->getShape(), adaptor.getAxes(),
                                     adaptor.getKeepdims()),
                    input->getElementType());
}

#define OCTET_REDUCE_INFER(OpTy)                                               \
  LogicalResult OpTy::inferReturnTypes(                                        \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &types) {                                          \
    return inferReduceTypes<OpTy>(loc, adaptor, types);                        \
  }
OCTET_REDUCE_INFER(ReduceMeanOp)
OCTET_REDUCE_INFER(ReduceSumOp)
OCTET_REDUCE_INFER(ReduceMaxOp)
#undef OCTET_REDUCE_INFER

//===----------------------------------------------------------------------===//
// Tensor ops
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType(), out = getOutput().getType();
  if (in.getElementType() != out.getElementType())
    return emitOpError() << "expects input and output of one element type, got "
                         << in.getElementType() << " and "
                         << out.getElementType();
  return verifyReshapeShapes({getLoc(), getOperationName()}, in.getShape(),
                             out.getShape());
}

/// Infers a data-movement op's result: same element type, new shape.
template <typename OpTy, typename ShapeFn>
static LogicalResult inferMovedTypes(std::optional<Location> loc, Value input,
                                     SmallVectorImpl<Type> &types,
                                     ShapeFn shapeFn) {
  ShapeContext ctx = shapeContext<OpTy>(loc);
  auto type = tensorType(ctx, input, "input");
  if (failed(type))
    return failure();
  return pushTensor(types, shapeFn(ctx, type->getShape()),
                    type->getElementType());
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferMovedTypes<FlattenOp>(
      loc, adaptor.getInput(), types, [&](auto &ctx, ArrayRef<int64_t> s) {
        return inferFlattenShape(ctx, s, adaptor.getAxis());
      });
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferMovedTypes<TransposeOp>(
      loc, adaptor.getInput(), types, [&](auto &ctx, ArrayRef<int64_t> s) {
        return inferTransposeShape(ctx, s, adaptor.getPerm());
      });
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  return inferMovedTypes<SliceOp>(
      loc, adaptor.getInput(), types, [&](auto &ctx, ArrayRef<int64_t> s) {
        return inferSliceShape(ctx, s, adaptor.getStarts(), adaptor.getEnds(),
                               adaptor.getSteps());
      });
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  return inferMovedTypes<PadOp>(
      loc, adaptor.getInput(), types, [&](auto &ctx, ArrayRef<int64_t> s) {
        return inferPadShape(ctx, s, adaptor.getPads(),
                             adaptor.getMode() == PadMode::reflect);
      });
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferMovedTypes<SqueezeOp>(
      loc, adaptor.getInput(), types, [&](auto &ctx, ArrayRef<int64_t> s) {
        return inferSqueezeShape(ctx, s, adaptor.getAxes());
      });
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferMovedTypes<UnsqueezeOp>(
      loc, adaptor.getInput(), types, [&](auto &ctx, ArrayRef<int64_t> s) {
        return inferUnsqueezeShape(ctx, s, adaptor.getAxes());
      });
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<ConcatOp>(loc);
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : adaptor.getInputs()) {
    auto type = tensorType(ctx, v, "inputs");
    if (failed(type))
      return failure();
    shapes.push_back(type->getShape());
  }
  if (failed(verifySameElementType(ctx, llvm::to_vector(adaptor.getInputs()))))
    return failure();
  FailureOr<Shape> shape = inferConcatShape(ctx, shapes, adaptor.getAxis());
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(
      *shape, getElementTypeOrSelf(adaptor.getInputs().front().getType())));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<GatherOp>(loc);
  auto data = tensorType(ctx, adaptor.getData(), "data");
  auto indices = tensorType(ctx, adaptor.getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  return pushTensor(types,
                    inferGatherShape(ctx, data->getShape(), indices->getShape(),
                                     adaptor.getAxis()),
                    data->getElementType());
}

//===----------------------------------------------------------------------===//
// Quantization ops
//===----------------------------------------------------------------------===//

LogicalResult ObserveOp::verify() {
  if (getName().empty())
    return emitOpError() << "expects a non-empty name";
  if (getBins() < 2)
    return emitOpError() << "expects at least 2 histogram bins, got "
                         << getBins();
  return success();
}

/// Checks that a tensor of quantized type `type` is well formed: a uniform
/// type, and for per-axis types an in-range axis with one scale per slice.
static LogicalResult verifyQuantizedTensor(Operation *op, StringRef what,
                                           RankedTensorType type) {
  Type elem = type.getElementType();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(elem)) {
    int64_t axis = perAxis.getQuantizedDimension();
    if (axis >= type.getRank())
      return op->emitOpError()
             << "expects the " << what << " quantized dimension " << axis
             << " to be below rank " << type.getRank();
    if ((int64_t)perAxis.getScales().size() != type.getDimSize(axis))
      return op->emitOpError() << "expects " << type.getDimSize(axis) << " "
                               << what << " scales (dimension " << axis
                               << "), got " << perAxis.getScales().size();
    return success();
  }
  if (!isa<quant::UniformQuantizedType>(elem))
    return op->emitOpError()
           << "expects a uniform quantized " << what << " type, got " << elem;
  return success();
}

LogicalResult QuantizeOp::verify() {
  auto in = getInput().getType();
  auto out = getOutput().getType();
  if (in.getShape() != out.getShape())
    return emitOpError() << "expects input and output of one shape";
  auto quantType = cast<quant::QuantizedType>(out.getElementType());
  if (quantType.getExpressedType() != in.getElementType())
    return emitOpError() << "expects the result's expressed type "
                         << quantType.getExpressedType()
                         << " to match the input element type "
                         << in.getElementType();
  return verifyQuantizedTensor(*this, "result", out);
}

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<DequantizeOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  auto quantType = dyn_cast<quant::QuantizedType>(input->getElementType());
  if (!quantType)
    return ctx.emitError("expects a quantized input");
  types.push_back(input->clone(quantType.getExpressedType()));
  return success();
}

LogicalResult RequantizeOp::verify() {
  auto in = getInput().getType();
  auto out = getOutput().getType();
  if (in.getShape() != out.getShape())
    return emitOpError() << "expects input and output of one shape";
  auto inQuant = cast<quant::QuantizedType>(in.getElementType());
  auto outQuant = cast<quant::QuantizedType>(out.getElementType());
  if (inQuant.getExpressedType() != outQuant.getExpressedType())
    return emitOpError() << "expects input and output of one expressed type";
  if (failed(verifyQuantizedTensor(*this, "input", in)))
    return failure();
  return verifyQuantizedTensor(*this, "result", out);
}

LogicalResult Conv2DIntegerOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<Conv2DIntegerOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  auto weight = tensorType(ctx, adaptor.getWeight(), "weight");
  if (failed(input) || failed(weight))
    return failure();
  FailureOr<Shape> shape = inferConv2DShape(
      ctx, input->getShape(), weight->getShape(), std::nullopt,
      adaptor.getStrides(), adaptor.getDilations(), adaptor.getPads(),
      adaptor.getGroup());
  if (failed(shape))
    return failure();
  if (auto zp = optionalShape(adaptor.getInputZeroPoint()))
    if (failed(verifyZeroPointShape(ctx, "input_zero_point", *zp, 0)))
      return failure();
  if (auto zp = optionalShape(adaptor.getWeightZeroPoint()))
    if (failed(verifyZeroPointShape(ctx, "weight_zero_point", *zp,
                                    weight->getDimSize(0))))
      return failure();
  if (auto bias = optionalShape(adaptor.getBias()))
    if (failed(verifyIntegerBiasShape(ctx, *bias, weight->getDimSize(0))))
      return failure();
  types.push_back(
      RankedTensorType::get(*shape, IntegerType::get(context, 32)));
  return success();
}

LogicalResult MatMulIntegerOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<MatMulIntegerOp>(loc);
  auto lhs = tensorType(ctx, adaptor.getLhs(), "lhs");
  auto rhs = tensorType(ctx, adaptor.getRhs(), "rhs");
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Shape> shape =
      inferMatMulShape(ctx, lhs->getShape(), rhs->getShape());
  if (failed(shape))
    return failure();
  // Per-row zero points of lhs and per-column ones of rhs, as ONNX allows.
  int64_t rows = lhs->getRank() >= 2 ? lhs->getDimSize(lhs->getRank() - 2) : 0;
  int64_t cols = rhs->getRank() >= 2 ? rhs->getDimSize(rhs->getRank() - 1) : 0;
  if (auto zp = optionalShape(adaptor.getLhsZeroPoint()))
    if (failed(verifyZeroPointShape(ctx, "lhs_zero_point", *zp, rows)))
      return failure();
  if (auto zp = optionalShape(adaptor.getRhsZeroPoint()))
    if (failed(verifyZeroPointShape(ctx, "rhs_zero_point", *zp, cols)))
      return failure();
  if (auto bias = optionalShape(adaptor.getBias()))
    if (failed(verifyIntegerBiasShape(ctx, *bias, shape->back())))
      return failure();
  types.push_back(
      RankedTensorType::get(*shape, IntegerType::get(context, 32)));
  return success();
}

LogicalResult DynamicQuantizeLinearOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  ShapeContext ctx = shapeContext<DynamicQuantizeLinearOp>(loc);
  auto input = tensorType(ctx, adaptor.getInput(), "input");
  if (failed(input))
    return failure();
  Type u8 = IntegerType::get(context, 8, IntegerType::Unsigned);
  types.push_back(input->clone(u8));
  types.push_back(RankedTensorType::get({}, Float32Type::get(context)));
  types.push_back(RankedTensorType::get({}, u8));
  return success();
}

#define GET_OP_CLASSES
#include "octet/IR/OctetOps.cpp.inc"
