//===- LowerQuant.cpp - quantize / dequantize / requantize, reference form -===//
//
// The ONNX semantics, elementwise on the storage integers: dequantize is
// `(float)(q - zero_point) * scale`; quantize is
// `saturate(round_half_even(x / scale) + zero_point)`, divided (not
// multiplied by a reciprocal) as ONNX's reference does; requantize is the
// two composed. Per-axis types read their scale and zero point along the
// quantized dimension. A quantized tensor is its storage tensor behind a
// `quant.scast`, which these patterns look through and create, and which
// folds away in pairs.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::lowering;

namespace {
/// Scale and zero point of every slice along `axis` (one slice, axis -1,
/// for per-tensor types), and the storage range.
struct QuantParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t axis = -1;
  int64_t qmin = 0, qmax = 0;
  bool isSigned = true;
  IntegerType storage;
};

FailureOr<QuantParams> getParams(Type element) {
  QuantParams p;
  auto quantized = dyn_cast<quant::QuantizedType>(element);
  if (!quantized)
    return failure();
  p.qmin = quantized.getStorageTypeMin();
  p.qmax = quantized.getStorageTypeMax();
  p.isSigned = quantized.isSigned();
  p.storage = dyn_cast<IntegerType>(quantized.getStorageType());
  if (!p.storage)
    return failure();
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element)) {
    p.scales.push_back(uniform.getScale());
    p.zeroPoints.push_back(uniform.getZeroPoint());
    return p;
  }
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    llvm::append_range(p.scales, perAxis.getScales());
    llvm::append_range(p.zeroPoints, perAxis.getZeroPoints());
    p.axis = perAxis.getQuantizedDimension();
    return p;
  }
  return failure();
}

/// The storage tensor behind quantized `value`.
Value storageOf(OpBuilder &b, Location loc, Value value,
                const QuantParams &p) {
  if (auto cast = value.getDefiningOp<quant::StorageCastOp>())
    return cast.getInput();
  auto type = cast<RankedTensorType>(value.getType());
  return quant::StorageCastOp::create(b, loc, type.clone(p.storage), value);
}

/// Per-slice scale and zero point as extra inputs of an elementwise op over
/// a rank-`rank` result, read along the quantized axis; scalars are built
/// as constants in the body instead.
struct ParamInputs {
  SmallVector<Value> values;
  SmallVector<AffineMap> maps;
};

ParamInputs paramInputs(OpBuilder &b, Location loc, const QuantParams &p,
                        Type floatType, int64_t rank) {
  ParamInputs in;
  if (p.axis < 0)
    return in;
  int64_t n = p.scales.size();
  SmallVector<Attribute> scales, zeros;
  for (int64_t i = 0; i < n; ++i) {
    scales.push_back(b.getFloatAttr(floatType, p.scales[i]));
    zeros.push_back(b.getI32IntegerAttr(p.zeroPoints[i]));
  }
  auto scaleType = RankedTensorType::get({n}, floatType);
  auto zeroType = RankedTensorType::get({n}, b.getI32Type());
  in.values.push_back(arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(scaleType, scales)));
  in.values.push_back(arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(zeroType, zeros)));
  AffineMap map = projectionMap(b.getContext(), rank, {(unsigned)p.axis});
  in.maps = {map, map};
  return in;
}

/// (scale, zero point as i32) for the element being computed: the extra
/// inputs of a per-axis op, or constants.
std::pair<Value, Value> scaleAndZero(OpBuilder &b, Location loc,
                                     const QuantParams &p, Type floatType,
                                     ValueRange extra) {
  if (p.axis >= 0)
    return {extra[0], extra[1]};
  return {floatConstant(b, loc, floatType, p.scales[0]),
          arith::ConstantIntOp::create(b, loc, p.zeroPoints[0], 32)};
}

/// `(float)(q - zp) * scale` for one signless storage integer.
Value dequantizeScalar(OpBuilder &b, Location loc, Value q,
                       const QuantParams &p, Type floatType, Value scale,
                       Value zero) {
  Type i32 = b.getI32Type();
  Value wide = q;
  if (p.storage.getWidth() < 32)
    wide = p.isSigned ? arith::ExtSIOp::create(b, loc, i32, q).getResult()
                      : arith::ExtUIOp::create(b, loc, i32, q).getResult();
  Value centered = arith::SubIOp::create(b, loc, wide, zero);
  Value asFloat = arith::SIToFPOp::create(b, loc, floatType, centered);
  return arith::MulFOp::create(b, loc, asFloat, scale);
}

/// `saturate(round_half_even(x / scale) + zp)` as a signless storage
/// integer.
Value quantizeScalar(OpBuilder &b, Location loc, Value x,
                     const QuantParams &p, Value scale, Value zero) {
  Type floatType = x.getType();
  Value scaled = arith::DivFOp::create(b, loc, x, scale);
  Value rounded = math::RoundEvenOp::create(b, loc, scaled);
  Value shifted = arith::AddFOp::create(
      b, loc, rounded, arith::SIToFPOp::create(b, loc, floatType, zero));
  // maxnumf/minnumf: a NaN input saturates to qmin rather than poison.
  Value low = arith::MaxNumFOp::create(
      b, loc, shifted, floatConstant(b, loc, floatType, (double)p.qmin));
  Value clamped = arith::MinNumFOp::create(
      b, loc, low, floatConstant(b, loc, floatType, (double)p.qmax));
  // In range after the clamp; i32 where that holds every storage value
  // (the widest vector conversion AVX2 has).
  Type wide = p.storage.getWidth() <= 16 ? b.getI32Type() : b.getI64Type();
  Value asInt = arith::FPToSIOp::create(b, loc, wide, clamped);
  return arith::TruncIOp::create(b, loc, p.storage, asInt);
}

struct DequantizeLowering : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    FailureOr<QuantParams> p = getParams(inType.getElementType());
    if (failed(p))
      return rewriter.notifyMatchFailure(op, "not a uniform quantized type");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type floatType = resultType.getElementType();
    Value storage = storageOf(rewriter, loc, op.getInput(), *p);
    int64_t rank = resultType.getRank();
    ParamInputs extra = paramInputs(rewriter, loc, *p, floatType, rank);
    SmallVector<Value> inputs = {storage};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    llvm::append_range(inputs, extra.values);
    llvm::append_range(maps, extra.maps);
    QuantParams params = *p;
    Value result = buildMappedElementwise(
        rewriter, loc, resultType, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange args) {
          auto [scale, zero] =
              scaleAndZero(b, l, params, floatType, args.drop_front());
          return dequantizeScalar(b, l, args[0], params, floatType, scale,
                                  zero);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Storage integers of `input` (floats) quantized to `quantType`'s element
/// type, as the quantized tensor.
Value buildQuantize(PatternRewriter &rewriter, Location loc, Value input,
                    RankedTensorType quantType, const QuantParams &p) {
  auto storageType = quantType.clone(p.storage);
  int64_t rank = quantType.getRank();
  Type floatType = cast<RankedTensorType>(input.getType()).getElementType();
  ParamInputs extra = paramInputs(rewriter, loc, p, floatType, rank);
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
  llvm::append_range(inputs, extra.values);
  llvm::append_range(maps, extra.maps);
  Value storage = buildMappedElementwise(
      rewriter, loc, storageType, inputs, maps,
      [&](OpBuilder &b, Location l, ValueRange args) {
        auto [scale, zero] =
            scaleAndZero(b, l, p, floatType, args.drop_front());
        return quantizeScalar(b, l, args[0], p, scale, zero);
      });
  return quant::StorageCastOp::create(rewriter, loc, quantType, storage);
}

struct QuantizeLowering : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    FailureOr<QuantParams> p = getParams(type.getElementType());
    if (failed(p))
      return rewriter.notifyMatchFailure(op, "not a uniform quantized type");
    rewriter.replaceOp(
        op, buildQuantize(rewriter, op.getLoc(), op.getInput(), type, *p));
    return success();
  }
};

/// Reference form: dequantize, then quantize into the result type.
struct RequantizeLowering : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    auto inQuant = cast<quant::QuantizedType>(inType.getElementType());
    FailureOr<QuantParams> out = getParams(outType.getElementType());
    if (failed(out))
      return rewriter.notifyMatchFailure(op, "not a uniform quantized type");
    Location loc = op.getLoc();
    Value floats = DequantizeOp::create(
        rewriter, loc, inType.clone(inQuant.getExpressedType()),
        op.getInput());
    rewriter.replaceOp(op, buildQuantize(rewriter, loc, floats, outType, *out));
    return success();
  }
};
} // namespace

void mlir::octet::populateLowerQuantPatterns(RewritePatternSet &patterns) {
  patterns.add<DequantizeLowering, QuantizeLowering, RequantizeLowering>(
      patterns.getContext());
}
