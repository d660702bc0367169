//===- PropagateQdq.cpp - Q/DQ around compute ops -> integer ops ----------===//
//
// Layers between dequantize and quantize become integer ops on the stored
// integers: conv/gemm/matmul/average pools accumulate exactly in int32 from
// an int32 bias that absorbs the input zero point; the requantization is
// ONNX's (QLinearConv/QLinearMatMul): the int32 sum converted to f32, times
// an f32 multiplier per output channel, then rounded half to even, offset
// and saturated by a quantize of scale 1. Adds follow QLinearAdd; data
// movement and max pooling run on the integers unchanged. Everything is
// written with ordinary ops (cast, mul, quantize), so every backend computes
// the same bits.
//
//===----------------------------------------------------------------------===//

#include "ConstantUtils.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>
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
  // Stored integers are read as signed (i8 weights, i32 biases).
  auto quantized = dyn_cast<quant::QuantizedType>(quantElement);
  if (!quantized || !quantized.isSigned())
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

/// Whether an int32 bias has the accumulator's scale s_x·s_w[c] in every
/// channel (as ONNX's QLinearConv requires), so its integers add to the sums
/// as they are.
bool hasAccumulatorScale(const QuantConstant &bias, const Activation &x,
                         ArrayRef<double> weightScales) {
  for (auto [sb, sw] : llvm::zip_equal(bias.scales, weightScales)) {
    double expected = x.scale * sw;
    if (std::abs(sb - expected) > 1e-6 * expected)
      return false;
  }
  return true;
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

Value quantizeScaled(PatternRewriter &rewriter, Location loc, Value y,
                     QuantizeOp quantize, const Activation &out);

/// s_a · s_b / s_c in f32 arithmetic, two roundings, as ONNX's reference
/// and onnxruntime compute QLinearConv/QLinearMatMul multipliers (scales
/// are f32 in ONNX).
double f32Multiplier(double sa, double sb, double sc) {
  float product = (float)sa * (float)sb;
  return product / (float)sc;
}

/// acc (int32, the bias included) -> f32 -> x M -> activation ->
/// quantize(scale 1, z_y) -> the original quantized type, with
/// M[c] = s_x · s_w[c] / s_y.
Value requantize(PatternRewriter &rewriter, Location loc, Value acc,
                 const Activation &x, ArrayRef<double> weightScales,
                 ArrayRef<int64_t> channelShape, ActivationAttr act,
                 QuantizeOp quantize, const Activation &out) {
  auto accType = cast<RankedTensorType>(acc.getType());
  auto floatType = accType.clone(rewriter.getF32Type());
  Value y = CastOp::create(rewriter, loc, floatType, acc);
  SmallVector<double> multipliers;
  for (double sw : weightScales)
    multipliers.push_back(f32Multiplier(x.scale, sw, out.scale));
  y = MulOp::create(rewriter, loc, floatType, y,
                    channelConstant(rewriter, loc, channelShape, multipliers));
  y = scaledActivation(rewriter, loc, y, act, out.scale);
  return quantizeScaled(rewriter, loc, y, quantize, out);
}

/// The sum of the weights of each output channel (the slices along `axis`).
SmallVector<int64_t> channelSums(DenseElementsAttr weights, int64_t axis) {
  auto type = cast<RankedTensorType>(weights.getType());
  int64_t channels = type.getDimSize(axis);
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<int64_t> sums(channels, 0);
  for (auto [i, v] : llvm::enumerate(weights.getValues<APInt>()))
    sums[(i / inner) % channels] += v.getSExtValue();
  return sums;
}

/// The int32 bias an integer layer starts from, with the input zero point
/// folded in: b[c] − z_x · Σw[c], since Σ(x − z_x)·w = Σx·w − z_x·Σw. So
/// the kernel multiplies the stored integers directly. Null when there is
/// nothing to add; failure when a value leaves int32.
FailureOr<Value> foldedBias(PatternRewriter &rewriter, Location loc,
                            std::optional<QuantConstant> bias,
                            DenseElementsAttr weights, int64_t axis,
                            int64_t zeroPoint) {
  SmallVector<int64_t> sums = channelSums(weights, axis);
  if (!bias && zeroPoint == 0)
    return Value();
  SmallVector<APInt> values;
  for (auto [c, sum] : llvm::enumerate(sums)) {
    int64_t b =
        bias ? bias->values.getValues<APInt>()[c].getSExtValue() : 0;
    int64_t folded = b - zeroPoint * sum;
    if (folded < INT32_MIN || folded > INT32_MAX)
      return failure();
    values.push_back(APInt(32, folded, /*isSigned=*/true));
  }
  auto type = RankedTensorType::get({(int64_t)sums.size()},
                                    rewriter.getI32Type());
  return ConstantOp::create(rewriter, loc,
                            DenseElementsAttr::get(type, values))
      .getResult();
}

/// `xi` with the spatial padding `pads` ([top, left, bottom, right]) made
/// explicit, filled with the zero point (the value that stands for 0).
Value padWithZeroPoint(PatternRewriter &rewriter, Location loc, Value xi,
                       ArrayRef<int64_t> pads, int64_t zeroPoint) {
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return xi;
  auto type = cast<RankedTensorType>(xi.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += pads[0] + pads[2];
  shape[3] += pads[1] + pads[3];
  return PadOp::create(
      rewriter, loc, type.clone(shape), xi,
      rewriter.getDenseI64ArrayAttr(
          {0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]}),
      PadModeAttr::get(rewriter.getContext(), PadMode::constant),
      rewriter.getF32FloatAttr((float)zeroPoint));
}

Value integerInput(PatternRewriter &rewriter, Location loc,
                   const Activation &x);

/// conv2d_integer of the stored integers: padding explicit and filled with
/// the input zero point, which is folded into the int32 bias.
FailureOr<Value> integerConv(PatternRewriter &rewriter, Location loc,
                             RankedTensorType accType, const Activation &x,
                             DenseElementsAttr weights,
                             std::optional<QuantConstant> bias,
                             ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> dilations,
                             ArrayRef<int64_t> pads, int64_t group) {
  FailureOr<Value> b =
      foldedBias(rewriter, loc, bias, weights, /*axis=*/0, x.zeroPoint);
  if (failed(b))
    return failure();
  Value xi = padWithZeroPoint(rewriter, loc, integerInput(rewriter, loc, x),
                              pads, x.zeroPoint);
  return Conv2DIntegerOp::create(
             rewriter, loc, accType, xi,
             ConstantOp::create(rewriter, loc, weights), Value(), Value(), *b,
             rewriter.getDenseI64ArrayAttr(strides),
             rewriter.getDenseI64ArrayAttr(dilations),
             rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
             rewriter.getI64IntegerAttr(group))
      .getResult();
}

/// y, already divided by s_y, rounded half to even, offset by z_y and
/// saturated (a quantize of scale 1), in `quantize`'s result type.
Value quantizeScaled(PatternRewriter &rewriter, Location loc, Value y,
                     QuantizeOp quantize, const Activation &out) {
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

/// A rewrite rooted at a quantize that counts what it folds.
struct CountedQuantizeRewrite : OpRewritePattern<QuantizeOp> {
  CountedQuantizeRewrite(MLIRContext *context, PassCounter *counter)
      : OpRewritePattern(context), counter(counter) {}

  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const final {
    if (failed(foldQuantize(quantize, rewriter)))
      return failure();
    if (counter)
      ++*counter;
    return success();
  }
  virtual LogicalResult foldQuantize(QuantizeOp quantize,
                                     PatternRewriter &rewriter) const = 0;

private:
  PassCounter *counter;
};

struct FoldConv : CountedQuantizeRewrite {
  using CountedQuantizeRewrite::CountedQuantizeRewrite;

  LogicalResult foldQuantize(QuantizeOp quantize,
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
      if (!bias || !hasAccumulatorScale(*bias, *x, w->scales))
        return rewriter.notifyMatchFailure(
            quantize, "bias is not int32 of scale s_x·s_w");
    }
    if (!isFoldableActivation(conv.getActivationAttr()))
      return rewriter.notifyMatchFailure(quantize, "activation not foldable");
    Location loc = conv.getLoc();
    auto outType = cast<RankedTensorType>(conv.getType());
    FailureOr<Value> acc = integerConv(
        rewriter, loc, outType.clone(rewriter.getI32Type()), *x, w->values,
        bias, conv.getStrides(), conv.getDilations(), conv.getPads(),
        conv.getGroup());
    if (failed(acc))
      return rewriter.notifyMatchFailure(quantize, "bias leaves int32");
    rewriter.replaceOp(quantize,
                       requantize(rewriter, loc, *acc, *x, w->scales,
                                  {1, channels, 1, 1},
                                  conv.getActivationAttr(), quantize, *out));
    return success();
  }
};

struct FoldGemm : CountedQuantizeRewrite {
  using CountedQuantizeRewrite::CountedQuantizeRewrite;

  LogicalResult foldQuantize(QuantizeOp quantize,
                             PatternRewriter &rewriter) const override {
    Operation *producer = quantize.getInput().getDefiningOp();
    auto gemm = dyn_cast_or_null<GemmOp>(producer);
    auto matmul = dyn_cast_or_null<MatMulOp>(producer);
    if ((!gemm && !matmul) || !producer->hasOneUse())
      return failure();
    if (gemm && (gemm.getTransA() ||
                 gemm.getAlpha().convertToDouble() != 1.0 ||
                 gemm.getBeta().convertToDouble() != 1.0))
      return rewriter.notifyMatchFailure(quantize,
                                         "gemm is not a plain A·B(ᵀ)+C");
    // ONNX Linear weights are stored [N, K], quantized along N (axis 0).
    bool transB = gemm && gemm.getTransB();
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
    int64_t n = bType.getDimSize(transB ? 0 : 1);
    auto w = quantizedConstant(b, transB ? 0 : 1, n, 8);
    if (!w)
      return rewriter.notifyMatchFailure(quantize, "weight is not int8");
    if (transB)
      w->values = transposeConstant(w->values, {1, 0});
    std::optional<QuantConstant> bias;
    if (gemm && gemm.getC()) {
      auto cType = cast<RankedTensorType>(gemm.getC().getType());
      if (cType.getRank() != 1)
        return rewriter.notifyMatchFailure(quantize, "bias is not [N]");
      bias = quantizedConstant(gemm.getC(), 0, n, 32);
      if (!bias || !hasAccumulatorScale(*bias, *x, w->scales))
        return rewriter.notifyMatchFailure(
            quantize, "bias is not int32 of scale s_x·s_w");
    }
    if (gemm && !isFoldableActivation(gemm.getActivationAttr()))
      return rewriter.notifyMatchFailure(quantize, "activation not foldable");
    Location loc = producer->getLoc();
    FailureOr<Value> intBias =
        foldedBias(rewriter, loc, bias, w->values, /*axis=*/1, x->zeroPoint);
    if (failed(intBias))
      return rewriter.notifyMatchFailure(quantize, "bias leaves int32");
    Value acc = MatMulIntegerOp::create(
        rewriter, loc, outType.clone(rewriter.getI32Type()),
        integerInput(rewriter, loc, *x),
        ConstantOp::create(rewriter, loc, w->values), Value(), Value(),
        *intBias);
    rewriter.replaceOp(
        quantize, requantize(rewriter, loc, acc, *x, w->scales, {1, n},
                             gemm ? gemm.getActivationAttr() : ActivationAttr(),
                             quantize, *out));
    return success();
  }
};

/// A scalar zero-point constant of `x`'s storage type (ui8 or i8), or null
/// for 0 (absent zero points are 0).
Value zeroPointConstant(PatternRewriter &rewriter, Location loc,
                        const Activation &x) {
  if (x.zeroPoint == 0)
    return Value();
  auto type = RankedTensorType::get(
      {}, x.isSigned ? rewriter.getIntegerType(8)
                     : rewriter.getIntegerType(8, /*isSigned=*/false));
  return ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(type, APInt(8, x.zeroPoint, x.isSigned)));
}

/// quantize(matmul(dequantize(a), dequantize(b))) with both operands 8-bit
/// per-tensor activations (attention's Q·Kᵀ and P·V) -> matmul_integer of
/// the stored integers with both zero points, then the requantization with
/// the multiplier s_a · s_b / s_y, as QLinearMatMul. Constant weights are
/// FoldGemm's (their zero points fold into the bias).
struct FoldDynamicMatMul : CountedQuantizeRewrite {
  using CountedQuantizeRewrite::CountedQuantizeRewrite;

  LogicalResult foldQuantize(QuantizeOp quantize,
                             PatternRewriter &rewriter) const override {
    auto matmul = quantize.getInput().getDefiningOp<MatMulOp>();
    if (!matmul || !matmul->hasOneUse())
      return failure();
    auto dqa = matmul.getLhs().getDefiningOp<DequantizeOp>();
    auto dqb = matmul.getRhs().getDefiningOp<DequantizeOp>();
    auto a = dqa ? perTensor8(dqa.getInput()) : std::nullopt;
    auto b = dqb ? perTensor8(dqb.getInput()) : std::nullopt;
    auto out = perTensor8(quantize.getResult());
    if (!a || !b || !out)
      return rewriter.notifyMatchFailure(quantize,
                                         "not an 8-bit per-tensor QDQ matmul");
    auto outType = cast<RankedTensorType>(matmul.getType());
    Location loc = matmul.getLoc();
    Value acc = MatMulIntegerOp::create(
        rewriter, loc, outType.clone(rewriter.getI32Type()),
        integerInput(rewriter, loc, *a), integerInput(rewriter, loc, *b),
        zeroPointConstant(rewriter, loc, *a),
        zeroPointConstant(rewriter, loc, *b), Value());
    SmallVector<int64_t> scalarShape(outType.getRank(), 1);
    rewriter.replaceOp(quantize,
                       requantize(rewriter, loc, acc, *a, {b->scale},
                                  scalarShape, ActivationAttr(), quantize,
                                  *out));
    return success();
  }
};

/// The activation (relu, or clip with constant bounds) between `quantize`
/// and the op producing its input, if any, as an epilogue attribute.
std::pair<Operation *, ActivationAttr> producerAndActivation(QuantizeOp quantize) {
  Value v = quantize.getInput();
  Operation *op = v.getDefiningOp();
  MLIRContext *context = quantize.getContext();
  if (auto relu = dyn_cast_or_null<ReluOp>(op)) {
    if (!relu->hasOneUse())
      return {nullptr, {}};
    return {relu.getInput().getDefiningOp(),
            ActivationAttr::get(context, ActivationKind::relu, APFloat(0.0f),
                                APFloat(0.0f))};
  }
  if (auto clip = dyn_cast_or_null<ClipOp>(op)) {
    if (!clip->hasOneUse())
      return {nullptr, {}};
    return {clip.getInput().getDefiningOp(),
            ActivationAttr::get(context, ActivationKind::clip, clip.getMin(),
                                clip.getMax())};
  }
  return {op, {}};
}

/// quantize([relu|clip](add(dequantize(a), dequantize(b)))) -> the integer
/// add of QLinearAdd: y = (f32(a) - z_a)·(s_a/s_y) + (f32(b) - z_b)·(s_b/s_y),
/// each multiplier an f32, no FMA; then the activation in that scaled
/// domain and quantize(scale 1, z_y).
struct FoldAdd : CountedQuantizeRewrite {
  using CountedQuantizeRewrite::CountedQuantizeRewrite;

  LogicalResult foldQuantize(QuantizeOp quantize,
                             PatternRewriter &rewriter) const override {
    auto [producer, act] = producerAndActivation(quantize);
    auto add = dyn_cast_or_null<AddOp>(producer);
    if (!add || !add->hasOneUse())
      return failure();
    auto out = perTensor8(quantize.getResult());
    SmallVector<Activation> terms;
    for (Value operand : add->getOperands()) {
      auto dq = operand.getDefiningOp<DequantizeOp>();
      auto x = dq ? perTensor8(dq.getInput()) : std::nullopt;
      if (!x)
        return rewriter.notifyMatchFailure(quantize, "not an 8-bit QDQ add");
      terms.push_back(*x);
    }
    if (!out)
      return rewriter.notifyMatchFailure(quantize, "not an 8-bit QDQ add");
    Location loc = add.getLoc();
    auto floatType = cast<RankedTensorType>(add.getType());
    SmallVector<Value> scaled;
    for (const Activation &x : terms) {
      Value xi = integerInput(rewriter, loc, x);
      auto xType = cast<RankedTensorType>(xi.getType());
      Value f = CastOp::create(rewriter, loc,
                               xType.clone(rewriter.getF32Type()), xi);
      // Scalar (rank-0) constants broadcast to any operand, a rank-0 one
      // (a layer norm's epsilon) included.
      f = SubOp::create(rewriter, loc, f.getType(), f,
                        channelConstant(rewriter, loc, {},
                                        {(double)x.zeroPoint}));
      f = MulOp::create(rewriter, loc, f.getType(), f,
                        channelConstant(rewriter, loc, {},
                                        {f32Multiplier(x.scale, 1.0,
                                                       out->scale)}));
      scaled.push_back(f);
    }
    Value y = AddOp::create(rewriter, loc, floatType, scaled[0], scaled[1]);
    y = scaledActivation(rewriter, loc, y, act, out->scale);
    rewriter.replaceOp(quantize,
                       quantizeScaled(rewriter, loc, y, quantize, *out));
    return success();
  }
};

/// quantize(avg_pool | global_avg_pool (dequantize(x))) -> a depthwise
/// conv2d_integer with all-one weights (the exact int32 window sum, the
/// padding contributing zero) requantized with the multiplier
/// s_x / (count · s_y). Average pools whose divisor varies over the output
/// (padding not counted, ceil mode) stay in float.
struct FoldAvgPool : CountedQuantizeRewrite {
  using CountedQuantizeRewrite::CountedQuantizeRewrite;

  LogicalResult foldQuantize(QuantizeOp quantize,
                             PatternRewriter &rewriter) const override {
    Operation *pool = quantize.getInput().getDefiningOp();
    if (!isa_and_nonnull<AvgPoolOp, GlobalAvgPoolOp>(pool) ||
        !pool->hasOneUse())
      return failure();
    auto inType = cast<RankedTensorType>(pool->getOperand(0).getType());
    if (inType.getRank() != 4)
      return rewriter.notifyMatchFailure(quantize, "not a 2-D pool");
    SmallVector<int64_t> kernel = {inType.getDimSize(2), inType.getDimSize(3)};
    SmallVector<int64_t> strides = {1, 1}, pads = {0, 0, 0, 0};
    if (auto avg = dyn_cast<AvgPoolOp>(pool)) {
      kernel.assign(avg.getKernelShape().begin(), avg.getKernelShape().end());
      strides.assign(avg.getStrides().begin(), avg.getStrides().end());
      pads.assign(avg.getPads().begin(), avg.getPads().end());
      bool padded = llvm::any_of(pads, [](int64_t p) { return p != 0; });
      if (avg.getCeilMode() || (padded && !avg.getCountIncludePad()))
        return rewriter.notifyMatchFailure(quantize, "divisor varies");
    }
    auto dq = pool->getOperand(0).getDefiningOp<DequantizeOp>();
    auto x = dq ? perTensor8(dq.getInput()) : std::nullopt;
    auto out = perTensor8(quantize.getResult());
    if (!x || !out)
      return rewriter.notifyMatchFailure(quantize, "not an 8-bit QDQ pool");
    Location loc = pool->getLoc();
    int64_t channels = inType.getDimSize(1);
    auto onesType = RankedTensorType::get({channels, 1, kernel[0], kernel[1]},
                                          rewriter.getIntegerType(8));
    auto ones = DenseElementsAttr::get(onesType, APInt(8, 1));
    auto resultType = cast<RankedTensorType>(pool->getResult(0).getType());
    FailureOr<Value> acc = integerConv(
        rewriter, loc, resultType.clone(rewriter.getI32Type()), *x, ones,
        std::nullopt, strides, {1, 1}, pads, channels);
    if (failed(acc))
      return rewriter.notifyMatchFailure(quantize, "bias leaves int32");
    SmallVector<double> inverseCount(channels,
                                     1.0 / double(kernel[0] * kernel[1]));
    rewriter.replaceOp(quantize,
                       requantize(rewriter, loc, *acc, *x, inverseCount,
                                  {1, channels, 1, 1}, ActivationAttr(),
                                  quantize, *out));
    return success();
  }
};

/// `value` (quantized, 8-bit per tensor) in `target`'s type: itself, or a
/// requantize.
Value inType(PatternRewriter &rewriter, Location loc, Value value,
             RankedTensorType target) {
  auto type = cast<RankedTensorType>(value.getType());
  auto quantType = type.clone(target.getElementType());
  if (type == quantType)
    return value;
  return RequantizeOp::create(rewriter, loc, quantType, value);
}

/// Ops that move, select or compare values without computing new ones.
bool isValuePreserving(Operation *op) {
  return isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, TransposeOp,
             SliceOp, ConcatOp, MaxPoolOp, PadOp>(op);
}

/// quantize(X(dequantize(a), ...)) -> X(a, ...) for a value-preserving X:
/// quantization is monotonic, so it commutes with moving, padding (the pad
/// value is quantized too), concatenating and taking maxima. X then runs on
/// the 8-bit storage (max pooling compares as ui8 for unsigned types); each
/// input whose type differs from the result's is requantized first.
struct QuantizeBeforeDataMovement : CountedQuantizeRewrite {
  using CountedQuantizeRewrite::CountedQuantizeRewrite;

  LogicalResult foldQuantize(QuantizeOp quantize,
                             PatternRewriter &rewriter) const override {
    Operation *op = quantize.getInput().getDefiningOp();
    if (!op || !op->hasOneUse() || !isValuePreserving(op))
      return failure();
    auto out = perTensor8(quantize.getResult());
    if (!out)
      return rewriter.notifyMatchFailure(quantize, "not 8-bit per tensor");
    // Every data operand must be dequantized 8-bit per tensor of the same
    // signedness.
    unsigned numData = isa<ConcatOp>(op) ? op->getNumOperands() : 1;
    SmallVector<Value> inputs;
    for (unsigned i = 0; i < numData; ++i) {
      auto dq = op->getOperand(i).getDefiningOp<DequantizeOp>();
      auto in = dq ? perTensor8(dq.getInput()) : std::nullopt;
      if (!in || in->isSigned != out->isSigned)
        return rewriter.notifyMatchFailure(quantize,
                                           "input is not dequantized int8");
      inputs.push_back(dq.getInput());
    }
    Location loc = op->getLoc();
    auto quantType = cast<RankedTensorType>(quantize.getType());
    auto storageType = quantType.clone(rewriter.getIntegerType(8));
    // Max pooling compares unsigned storage as ui8.
    bool asUnsigned = isa<MaxPoolOp>(op) && !out->isSigned;
    Type element = asUnsigned ? rewriter.getIntegerType(8, /*isSigned=*/false)
                              : rewriter.getIntegerType(8);
    SmallVector<Value> storage;
    for (Value input : inputs) {
      Value q = inType(rewriter, loc, input, quantType);
      auto type = cast<RankedTensorType>(q.getType());
      Value s = quant::StorageCastOp::create(
          rewriter, loc, type.clone(rewriter.getIntegerType(8)), q);
      if (asUnsigned)
        s = CastOp::create(rewriter, loc, type.clone(element), s);
      storage.push_back(s);
    }
    Operation *clone = rewriter.clone(*op);
    for (auto [i, s] : llvm::enumerate(storage))
      clone->setOperand(i, s);
    clone->getResult(0).setType(quantType.clone(element));
    if (auto pad = dyn_cast<PadOp>(clone))
      pad.setValueAttr(rewriter.getF32FloatAttr(
          (float)quantizedPadValue(pad.getValue().convertToDouble(), *out,
                                   quantType)));
    Value result = clone->getResult(0);
    if (asUnsigned)
      result = CastOp::create(rewriter, loc, storageType, result);
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(quantize, quantType,
                                                      result);
    return success();
  }

  /// The stored integer of `value` quantized into `type`.
  static int64_t quantizedPadValue(double value, const Activation &out,
                                   RankedTensorType type) {
    auto uniform = cast<quant::UniformQuantizedType>(type.getElementType());
    double lo = uniform.getStorageTypeMin(), hi = uniform.getStorageTypeMax();
    // As quantize: a NaN saturates to the lower bound; infinities and huge
    // values saturate before any conversion to an integer.
    double q = std::nearbyint((double)((float)value / (float)out.scale));
    if (std::isnan(q))
      return (int64_t)lo;
    return (int64_t)std::clamp(q + out.zeroPoint, lo, hi);
  }
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
    patterns.add<FoldConv, FoldGemm, FoldDynamicMatMul, FoldAdd, FoldAvgPool>(&getContext(),
                                                           &folded);
    patterns.add<QuantizeBeforeDataMovement>(&getContext(), &moved);
    patterns.add<CancelPair>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
  PassCounter folded{getArgument(), "folded",
                     "Layers turned into integer ops"};
  PassCounter moved{getArgument(), "moved",
                    "Data-movement ops run on quantized values"};
};
} // namespace
