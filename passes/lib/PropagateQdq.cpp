//===- PropagateQdq.cpp - Q/DQ around conv/gemm -> integer ops ------------===//
//
// The requantization is ONNX's (QLinearConv/QLinearMatMul): the exact int32
// sum (zero points folded by the integer op) plus the int32 bias, converted
// to f32, times an f32 multiplier per output channel, then rounded half to
// even, offset and saturated by a quantize of scale 1. It is written with
// ordinary ops (cast, add, mul, quantize), so every backend computes the
// same bits.
//
//===----------------------------------------------------------------------===//

#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETPROPAGATEQDQPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
/// An 8-bit per-tensor quantized activation.
struct Activation {
  Value quantized;
  Value storage; // signless i8, when the quantized value is a storage cast
  double scale;
  int64_t zeroPoint;
  bool isSigned;
};

std::optional<Activation> perTensor8(Value quantized) {
  auto type = dyn_cast<RankedTensorType>(quantized.getType());
  auto uniform = type ? dyn_cast<quant::UniformQuantizedType>(
                            type.getElementType())
                      : nullptr;
  if (!uniform || uniform.getStorageTypeIntegralWidth() != 8)
    return std::nullopt;
  Activation a;
  a.quantized = quantized;
  a.scale = uniform.getScale();
  a.zeroPoint = uniform.getZeroPoint();
  a.isSigned = uniform.isSigned();
  if (auto storageCast = quantized.getDefiningOp<quant::StorageCastOp>())
    a.storage = storageCast.getInput();
  return a;
}

/// The integer constant behind `dequantize(scast(constant))`, its scales per
/// slice along `axis` (expanded to `channels` when per tensor), and whether
/// every zero point is 0.
struct QuantConstant {
  DenseElementsAttr values;
  SmallVector<double> scales;
};

std::optional<QuantConstant> quantizedConstant(Value floatValue, int64_t axis,
                                               int64_t channels,
                                               unsigned width) {
  auto dq = floatValue.getDefiningOp<DequantizeOp>();
  auto storageCast =
      dq ? dq.getInput().getDefiningOp<quant::StorageCastOp>() : nullptr;
  auto constant = storageCast
                      ? storageCast.getInput().getDefiningOp<ConstantOp>()
                      : nullptr;
  if (!constant)
    return std::nullopt;
  QuantConstant c;
  c.values = getDenseElements(constant.getValue());
  Type quantElement =
      cast<RankedTensorType>(storageCast.getType()).getElementType();
  if (!c.values ||
      c.values.getElementType().getIntOrFloatBitWidth() != width)
    return std::nullopt;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(quantElement)) {
    if (uniform.getZeroPoint() != 0)
      return std::nullopt;
    c.scales.assign(channels, uniform.getScale());
    return c;
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantElement);
  if (!perAxis || perAxis.getQuantizedDimension() != axis ||
      (int64_t)perAxis.getScales().size() != channels ||
      llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z != 0; }))
    return std::nullopt;
  llvm::append_range(c.scales, perAxis.getScales());
  return c;
}

/// Whether the integer epilogue can apply `act` (none, relu, clip).
bool isFoldableActivation(ActivationAttr act) {
  return !act || act.getKind() == ActivationKind::none ||
         act.getKind() == ActivationKind::relu ||
         act.getKind() == ActivationKind::clip;
}

/// The (foldable) activation in the scaled output domain (y / s_y).
Value scaledActivation(PatternRewriter &rewriter, Location loc, Value y,
                       ActivationAttr act, double sy) {
  assert(isFoldableActivation(act) && "checked before rewriting");
  if (!act || act.getKind() == ActivationKind::none)
    return y;
  if (act.getKind() == ActivationKind::relu)
    return ReluOp::create(rewriter, loc, y);
  return ClipOp::create(
      rewriter, loc, y,
      rewriter.getF32FloatAttr(act.getAlpha().convertToDouble() / sy),
      rewriter.getF32FloatAttr(act.getBeta().convertToDouble() / sy));
}

/// f32 constant of `shape` holding `values` (one per output channel).
Value channelConstant(PatternRewriter &rewriter, Location loc,
                      ArrayRef<int64_t> shape, ArrayRef<double> values) {
  SmallVector<APFloat> elements;
  for (double v : values)
    elements.push_back(APFloat((float)v));
  return ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get(shape, rewriter.getF32Type()),
                             elements));
}

/// acc (int32) [+ bias] -> f32 -> x M -> activation -> quantize(scale 1,
/// z_y) -> the original quantized type, with M[c] = s_x · s_w[c] / s_y.
Value requantize(PatternRewriter &rewriter, Location loc, Value acc,
                 std::optional<QuantConstant> bias, const Activation &x,
                 ArrayRef<double> weightScales, ArrayRef<int64_t> channelShape,
                 ActivationAttr act, QuantizeOp quantize,
                 const Activation &out) {
  auto accType = cast<RankedTensorType>(acc.getType());
  auto floatType = accType.clone(rewriter.getF32Type());
  Value y = CastOp::create(rewriter, loc, floatType, acc);
  if (bias) {
    SmallVector<double> b;
    for (APInt v : bias->values.getValues<APInt>())
      b.push_back((double)v.getSExtValue());
    y = AddOp::create(rewriter, loc, floatType, y,
                      channelConstant(rewriter, loc, channelShape, b));
  }
  SmallVector<double> multipliers;
  for (double sw : weightScales)
    multipliers.push_back(x.scale * sw / out.scale);
  y = MulOp::create(rewriter, loc, floatType, y,
                    channelConstant(rewriter, loc, channelShape, multipliers));
  y = scaledActivation(rewriter, loc, y, act, out.scale);
  auto outType = cast<RankedTensorType>(quantize.getType());
  auto outQuant = cast<quant::UniformQuantizedType>(outType.getElementType());
  auto unitType = quant::UniformQuantizedType::get(
      outQuant.getFlags(), outQuant.getStorageType(),
      rewriter.getF32Type(), 1.0, out.zeroPoint,
      outQuant.getStorageTypeMin(), outQuant.getStorageTypeMax());
  Value q = QuantizeOp::create(rewriter, loc, outType.clone(unitType), y);
  Value storage = quant::StorageCastOp::create(
      rewriter, loc, outType.clone(outQuant.getStorageType()), q);
  return quant::StorageCastOp::create(rewriter, loc, outType, storage);
}

/// x's storage as the integer op wants it: ui8 for unsigned types.
Value integerInput(PatternRewriter &rewriter, Location loc,
                   const Activation &x) {
  Value storage = x.storage;
  if (!storage) {
    auto type = cast<RankedTensorType>(x.quantized.getType());
    storage = quant::StorageCastOp::create(
        rewriter, loc, type.clone(rewriter.getIntegerType(8)), x.quantized);
  }
  if (x.isSigned)
    return storage;
  auto type = cast<RankedTensorType>(storage.getType());
  return CastOp::create(rewriter, loc,
                        type.clone(rewriter.getIntegerType(8, false)),
                        storage);
}

Value zeroPointConstant(PatternRewriter &rewriter, Location loc,
                        const Activation &x) {
  // The integer ops take signless i8 as signed and ui8 as unsigned.
  Type element = x.isSigned ? rewriter.getIntegerType(8)
                            : rewriter.getIntegerType(8, /*isSigned=*/false);
  auto type = RankedTensorType::get({}, element);
  return ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(type, APInt(8, x.zeroPoint, x.isSigned)));
}

struct FoldConv : OpRewritePattern<QuantizeOp> {
  FoldConv(MLIRContext *context, PassCounter *counter)
      : OpRewritePattern(context), counter(counter) {}

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto conv = quantize.getInput().getDefiningOp<Conv2DOp>();
    if (!conv || !conv->hasOneUse())
      return failure();
    auto out = perTensor8(quantize.getResult());
    auto dqx = conv.getInput().getDefiningOp<DequantizeOp>();
    auto x = dqx ? perTensor8(dqx.getInput()) : std::nullopt;
    if (!out || !x)
      return rewriter.notifyMatchFailure(quantize, "not an 8-bit QDQ conv");
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    int64_t channels = wType.getDimSize(0);
    auto w = quantizedConstant(conv.getWeight(), 0, channels, 8);
    if (!w)
      return rewriter.notifyMatchFailure(quantize, "weight is not int8");
    std::optional<QuantConstant> bias;
    if (conv.getBias()) {
      bias = quantizedConstant(conv.getBias(), 0, channels, 32);
      if (!bias)
        return rewriter.notifyMatchFailure(quantize, "bias is not int32");
    }
    if (!isFoldableActivation(conv.getActivationAttr()))
      return rewriter.notifyMatchFailure(quantize, "activation not foldable");
    Location loc = conv.getLoc();
    auto outType = cast<RankedTensorType>(conv.getType());
    Value xi = integerInput(rewriter, loc, *x);
    Value weight =
        ConstantOp::create(rewriter, loc, w->values).getResult();
    auto accType = outType.clone(rewriter.getI32Type());
    Value acc = Conv2DIntegerOp::create(
        rewriter, loc, accType, xi, weight,
        zeroPointConstant(rewriter, loc, *x), Value(), conv.getStridesAttr(),
        conv.getDilationsAttr(), conv.getPadsAttr(), conv.getGroupAttr());
    rewriter.replaceOp(quantize,
                       requantize(rewriter, loc, acc, bias, *x, w->scales,
                                  {1, channels, 1, 1},
                                  conv.getActivationAttr(), quantize, *out));
    if (counter)
      ++*counter;
    return success();
  }
  PassCounter *counter;
};

struct FoldGemm : OpRewritePattern<QuantizeOp> {
  FoldGemm(MLIRContext *context, PassCounter *counter)
      : OpRewritePattern(context), counter(counter) {}

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *producer = quantize.getInput().getDefiningOp();
    auto gemm = dyn_cast_or_null<GemmOp>(producer);
    auto matmul = dyn_cast_or_null<MatMulOp>(producer);
    if ((!gemm && !matmul) || !producer->hasOneUse())
      return failure();
    if (gemm && (gemm.getTransA() || gemm.getTransB() ||
                 gemm.getAlpha().convertToDouble() != 1.0 ||
                 gemm.getBeta().convertToDouble() != 1.0))
      return rewriter.notifyMatchFailure(quantize, "gemm is not a plain A·B+C");
    Value a = producer->getOperand(0), b = producer->getOperand(1);
    auto bType = cast<RankedTensorType>(b.getType());
    auto outType = cast<RankedTensorType>(producer->getResult(0).getType());
    if (bType.getRank() != 2 || outType.getRank() != 2)
      return rewriter.notifyMatchFailure(quantize, "not a 2-D product");
    auto out = perTensor8(quantize.getResult());
    auto dqa = a.getDefiningOp<DequantizeOp>();
    auto x = dqa ? perTensor8(dqa.getInput()) : std::nullopt;
    if (!out || !x)
      return rewriter.notifyMatchFailure(quantize, "not an 8-bit QDQ gemm");
    int64_t n = bType.getDimSize(1);
    auto w = quantizedConstant(b, 1, n, 8);
    if (!w)
      return rewriter.notifyMatchFailure(quantize, "weight is not int8");
    std::optional<QuantConstant> bias;
    if (gemm && gemm.getC()) {
      auto cType = cast<RankedTensorType>(gemm.getC().getType());
      if (cType.getRank() != 1)
        return rewriter.notifyMatchFailure(quantize, "bias is not [N]");
      bias = quantizedConstant(gemm.getC(), 0, n, 32);
      if (!bias)
        return rewriter.notifyMatchFailure(quantize, "bias is not int32");
    }
    if (gemm && !isFoldableActivation(gemm.getActivationAttr()))
      return rewriter.notifyMatchFailure(quantize, "activation not foldable");
    Location loc = producer->getLoc();
    Value ai = integerInput(rewriter, loc, *x);
    Value weight = ConstantOp::create(rewriter, loc, w->values).getResult();
    Value acc = MatMulIntegerOp::create(
        rewriter, loc, outType.clone(rewriter.getI32Type()), ai, weight,
        zeroPointConstant(rewriter, loc, *x), Value());
    rewriter.replaceOp(
        quantize, requantize(rewriter, loc, acc, bias, *x, w->scales, {1, n},
                             gemm ? gemm.getActivationAttr() : ActivationAttr(),
                             quantize, *out));
    if (counter)
      ++*counter;
    return success();
  }
  PassCounter *counter;
};

/// quantize(dequantize(q)) into q's own type is q.
struct CancelPair : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto dq = quantize.getInput().getDefiningOp<DequantizeOp>();
    if (!dq)
      return failure();
    if (dq.getInput().getType() == quantize.getType()) {
      rewriter.replaceOp(quantize, dq.getInput());
      return success();
    }
    rewriter.replaceOpWithNewOp<RequantizeOp>(quantize, quantize.getType(),
                                              dq.getInput());
    return success();
  }
};

struct OctetPropagateQdqPass
    : octet::impl::OctetPropagateQdqPassBase<OctetPropagateQdqPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldConv, FoldGemm>(&getContext(), &folded);
    patterns.add<CancelPair>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
  PassCounter folded{getArgument(), "folded",
                     "Layers turned into integer ops"};
};
} // namespace
