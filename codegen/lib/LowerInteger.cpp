//===- LowerInteger.cpp - Integer octet ops to linalg ---------------------===//
//
// ONNX's integer forms: ConvInteger and MatMulInteger widen both 8-bit
// operands to i32 and subtract their zero points in one elementwise generic,
// then run the ordinary linalg convolution/contraction on i32, starting
// from the int32 bias when there is one, which is exact (ONNX accumulates
// in int32 and so do we, wrapping on overflow).
// DynamicQuantizeLinear reduces min/max, derives scale and zero point as
// scalars, then quantizes elementwise.
//
// `ui8` tensors are read and written through `toSignless`/`fromSignless`,
// because arith only works on signless integers.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::lowering;

namespace {
/// Sign- or zero-extends an 8-bit scalar (i8 or ui8) to i32.
Value extendToI32(OpBuilder &b, Location loc, Value x) {
  Type i32 = b.getI32Type();
  bool isUnsigned = x.getType().isUnsignedInteger();
  x = toSignless(b, loc, x);
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, i32, x);
  return arith::ExtSIOp::create(b, loc, i32, x);
}

/// `ext(value) - ext(zeroPoint)` as an i32 tensor of value's shape. The zero
/// point is a scalar (shape [] or [1]) or a vector with one entry per index
/// of dimension `channelDim` of `value`.
Value widenAndCenter(OpBuilder &b, Location loc, Value value, Value zeroPoint,
                     int64_t channelDim) {
  auto type = cast<RankedTensorType>(value.getType());
  auto resultType = RankedTensorType::get(type.getShape(), b.getI32Type());
  if (!zeroPoint)
    return buildElementwise(b, loc, resultType, value,
                            [](OpBuilder &nb, Location l, ValueRange args) {
                              return extendToI32(nb, l, args[0]);
                            });
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  auto zpType = cast<RankedTensorType>(zeroPoint.getType());
  SmallVector<AffineExpr> zpRead;
  if (zpType.getRank() == 1)
    zpRead.push_back(zpType.getDimSize(0) == 1 || channelDim < 0
                         ? getAffineConstantExpr(0, ctx)
                         : getAffineDimExpr(channelDim, ctx));
  return buildMappedElementwise(
      b, loc, resultType, {value, zeroPoint},
      {b.getMultiDimIdentityMap(rank), AffineMap::get(rank, 0, zpRead, ctx)},
      [](OpBuilder &nb, Location l, ValueRange args) {
        return arith::SubIOp::create(nb, l, extendToI32(nb, l, args[0]),
                                     extendToI32(nb, l, args[1]))
            .getResult();
      });
}

/// The int32 accumulator a conv/matmul starts from: its bias (one per
/// index of dimension `channelDim`) broadcast, or zeros.
Value accumulatorInit(OpBuilder &b, Location loc, RankedTensorType type,
                      Value bias, int64_t channelDim) {
  if (!bias)
    return zeroTensor(b, loc, type);
  return buildMappedElementwise(
      b, loc, type, bias,
      projectionMap(b.getContext(), type.getRank(), {channelDim}),
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

struct MatMulIntegerLowering : OpRewritePattern<MatMulIntegerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulIntegerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t lhsRank = op.getLhs().getType().getRank();
    int64_t rhsRank = op.getRhs().getType().getRank();
    // a's zero point may be per row (dimension -2), b's per column (-1).
    Value lhs = widenAndCenter(rewriter, loc, op.getLhs(), op.getLhsZeroPoint(),
                               lhsRank >= 2 ? lhsRank - 2 : -1);
    Value rhs = widenAndCenter(rewriter, loc, op.getRhs(), op.getRhsZeroPoint(),
                               rhsRank >= 2 ? rhsRank - 1 : -1);
    Value init = accumulatorInit(rewriter, loc, type, op.getBias(),
                                 type.getRank() - 1);
    if (lhsRank == 2 && rhsRank == 2) {
      rewriter.replaceOp(
          op, linalg::MatmulOp::create(rewriter, loc, ValueRange{lhs, rhs},
                                       ValueRange{init})
                  .getResult(0));
      return success();
    }

    // numpy.matmul in general: loops [batch..., m?, n?, k], where a 1-D lhs
    // has no m and a 1-D rhs no n, and batch dimensions broadcast.
    MLIRContext *ctx = rewriter.getContext();
    bool hasM = lhsRank >= 2, hasN = rhsRank >= 2;
    int64_t outRank = type.getRank();
    int64_t batch = outRank - hasM - hasN;
    int64_t mDim = batch, nDim = batch + hasM, kDim = batch + hasM + hasN;
    int64_t loops = kDim + 1;
    auto batchReads = [&](ArrayRef<int64_t> shape, int64_t matrixDims) {
      SmallVector<AffineExpr> exprs;
      int64_t operandBatch = shape.size() - matrixDims;
      for (int64_t i = 0; i < operandBatch; ++i) {
        int64_t outDim = batch - operandBatch + i;
        exprs.push_back(shape[i] == 1 && type.getDimSize(outDim) != 1
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(outDim, ctx));
      }
      return exprs;
    };
    auto dim = [&](int64_t d) { return getAffineDimExpr(d, ctx); };
    SmallVector<AffineExpr> lhsRead =
        batchReads(op.getLhs().getType().getShape(), hasM ? 2 : 1);
    if (hasM)
      lhsRead.push_back(dim(mDim));
    lhsRead.push_back(dim(kDim));
    SmallVector<AffineExpr> rhsRead =
        batchReads(op.getRhs().getType().getShape(), hasN ? 2 : 1);
    rhsRead.push_back(dim(kDim));
    if (hasN)
      rhsRead.push_back(dim(nDim));
    SmallVector<AffineExpr> outWrite;
    for (int64_t d = 0; d < outRank; ++d)
      outWrite.push_back(dim(d));
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{lhs, rhs}, init,
        {AffineMap::get(loops, 0, lhsRead, ctx),
         AffineMap::get(loops, 0, rhsRead, ctx),
         AffineMap::get(loops, 0, outWrite, ctx)},
        iterators, [](OpBuilder &b, Location l, ValueRange args) {
          Value product = arith::MulIOp::create(b, l, args[0], args[1]);
          linalg::YieldOp::create(
              b, l, arith::AddIOp::create(b, l, args[2], product).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct Conv2DIntegerLowering : OpRewritePattern<Conv2DIntegerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DIntegerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Value input = widenAndCenter(rewriter, loc, op.getInput(),
                                 op.getInputZeroPoint(), /*channelDim=*/-1);
    Value weight = widenAndCenter(rewriter, loc, op.getWeight(),
                                  op.getWeightZeroPoint(), /*channelDim=*/0);

    // After centering, padding with 0 is padding with the input zero point,
    // as ONNX's reference computes it.
    ArrayRef<int64_t> pads = op.getPads();
    if (llvm::any_of(pads, [](int64_t p) { return p != 0; })) {
      auto inType = cast<RankedTensorType>(input.getType());
      SmallVector<int64_t> padded(inType.getShape());
      padded[2] += pads[0] + pads[2];
      padded[3] += pads[1] + pads[3];
      SmallVector<int64_t> low = {0, 0, pads[0], pads[1]};
      SmallVector<int64_t> high = {0, 0, pads[2], pads[3]};
      input = tensor::PadOp::create(
          rewriter, loc, inType.clone(padded), input,
          getAsIndexOpFoldResult(rewriter.getContext(), low),
          getAsIndexOpFoldResult(rewriter.getContext(), high),
          scalarConstant(rewriter, loc, rewriter.getI32Type(), 0));
    }

    Attribute strides = rewriter.getI64VectorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64VectorAttr(op.getDilations());
    int64_t group = op.getGroup();
    Value init = accumulatorInit(rewriter, loc, type, op.getBias(), 1);
    if (group == 1) {
      auto conv = linalg::Conv2DNchwFchwOp::create(
          rewriter, loc, TypeRange{type}, ValueRange{input, weight},
          ValueRange{init}, strides, dilations);
      rewriter.replaceOp(op, conv->getResult(0));
      return success();
    }
    // Depthwise: [C, 1, kH, kW] weights drop their unit dimension.
    auto wType = cast<RankedTensorType>(weight.getType());
    int64_t channels = cast<RankedTensorType>(input.getType()).getDimSize(1);
    if (group == channels && wType.getDimSize(0) == channels) {
      Value w3 = reshapeStaticTensor(
          rewriter, loc, weight,
          wType.clone({channels, wType.getDimSize(2), wType.getDimSize(3)}));
      auto conv = linalg::DepthwiseConv2DNchwChwOp::create(
          rewriter, loc, TypeRange{type}, ValueRange{input, w3},
          ValueRange{init}, strides, dilations);
      rewriter.replaceOp(op, conv->getResult(0));
      return success();
    }
    // Grouped: split the channels into [group, channels / group] and use
    // the grouped named convolution.
    auto split = [&](Value v, int64_t dim) {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape(t.getShape());
      shape[dim] /= group;
      shape.insert(shape.begin() + dim, group);
      return reshapeStaticTensor(rewriter, loc, v, t.clone(shape));
    };
    Value groupedInput = split(input, 1);
    Value groupedWeight = split(weight, 0);
    SmallVector<int64_t> outShape(type.getShape());
    outShape[1] /= group;
    outShape.insert(outShape.begin() + 1, group);
    auto outType = type.clone(outShape);
    auto conv = linalg::Conv2DNgchwGfchwOp::create(
        rewriter, loc, TypeRange{outType},
        ValueRange{groupedInput, groupedWeight}, ValueRange{split(init, 1)},
        strides, dilations);
    rewriter.replaceOp(
        op, reshapeStaticTensor(rewriter, loc, conv->getResult(0), type));
    return success();
  }
};

struct DynamicQuantizeLinearLowering
    : OpRewritePattern<DynamicQuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DynamicQuantizeLinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    DynamicQuantization params =
        buildDynamicQuantization(rewriter, loc, op.getInput());
    Value scale = params.scale, zp = params.zeroPoint;
    Type u8 = op.getZeroPoint().getType().getElementType();
    auto toU8 = [&](OpBuilder &b, Location l, Value v) {
      Value bits = arith::FPToUIOp::create(b, l, b.getI8Type(), v);
      return fromSignless(b, l, bits, u8);
    };

    // y = saturate(round_half_even(x / scale) + zero_point). Division, not a
    // reciprocal multiply, so the result matches the reference bit for bit.
    Value y = buildElementwise(
        rewriter, loc, op.getOutput().getType(), op.getInput(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value q = math::RoundEvenOp::create(
              b, l, arith::DivFOp::create(b, l, args[0], scale));
          return toU8(b, l,
                      clampToU8(b, l, arith::AddFOp::create(b, l, q, zp)));
        });
    Value scaleTensor = tensor::FromElementsOp::create(
        rewriter, loc, op.getScale().getType(), scale);
    Value zpTensor = tensor::FromElementsOp::create(
        rewriter, loc, op.getZeroPoint().getType(), toU8(rewriter, loc, zp));
    rewriter.replaceOp(op, {y, scaleTensor, zpTensor});
    return success();
  }
};
} // namespace

void mlir::octet::lowering::populateLowerIntegerPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatMulIntegerLowering, Conv2DIntegerLowering,
               DynamicQuantizeLinearLowering>(patterns.getContext());
}

Value mlir::octet::lowering::clampToU8(OpBuilder &b, Location loc, Value x) {
  Value lower = arith::MaxNumFOp::create(
      b, loc, x, floatConstant(b, loc, x.getType(), 0.0));
  return arith::MinNumFOp::create(b, loc, lower,
                                  floatConstant(b, loc, x.getType(), 255.0))
      .getResult();
}

DynamicQuantization
mlir::octet::lowering::buildDynamicQuantization(OpBuilder &b, Location loc,
                                                Value input) {
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  // min(x, 0) and max(x, 0) in one pass: both accumulators start at 0.
  // minimumf/maximumf propagate NaN, as numpy's min/max do.
  auto scalarType = RankedTensorType::get({}, f32);
  auto toScalar = AffineMap::get(rank, 0, {}, ctx);
  auto range = linalg::GenericOp::create(
      b, loc, TypeRange{scalarType, scalarType}, input,
      ValueRange{zeroTensor(b, loc, scalarType),
                 zeroTensor(b, loc, scalarType)},
      {b.getMultiDimIdentityMap(rank), toScalar, toScalar},
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::reduction),
      [](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::MinimumFOp::create(nb, l, args[0], args[1]),
                       arith::MaximumFOp::create(nb, l, args[0], args[2])});
      });
  Value lo = tensor::ExtractOp::create(b, loc, range.getResult(0), ValueRange{});
  Value hi = tensor::ExtractOp::create(b, loc, range.getResult(1), ValueRange{});
  auto c = [&](double v) { return floatConstant(b, loc, f32, v); };
  // An all-zero input has max == min == 0, where the formula divides 0 by
  // 0. onnxruntime then uses scale 1 (ONNX's Python reference 1/255);
  // either way y and the zero point are 0. We follow onnxruntime.
  Value degenerate =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, hi, lo);
  Value span = arith::DivFOp::create(
      b, loc, arith::SubFOp::create(b, loc, hi, lo), c(255.0));
  Value scale = arith::SelectOp::create(b, loc, degenerate, c(1.0), span);
  Value initialZp = arith::SubFOp::create(
      b, loc, c(0.0), arith::DivFOp::create(b, loc, lo, scale));
  Value zp = math::RoundEvenOp::create(b, loc, clampToU8(b, loc, initialZp));
  return {scale, zp};
}
