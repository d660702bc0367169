//===- LowerReduction.cpp - Reductions, softmax, layer norm to linalg -----===//
//
// Reductions become `linalg.reduce` over the reduced dimensions (which
// drops them) followed, for `keepdims`, by a `tensor.expand_shape` that
// restores them as size 1. Softmax, log-softmax and layer norm are built
// from the same reductions plus `linalg.generic`s that read the reduced
// values through projection maps, so nothing is materialized at full size
// that does not have to be.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::lowering;

namespace {
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

Value addCombiner(OpBuilder &b, Location loc, Value x, Value acc) {
  return arith::AddFOp::create(b, loc, x, acc);
}

Value maxCombiner(OpBuilder &b, Location loc, Value x, Value acc) {
  return floatMax(b, loc, x, acc);
}

/// The dimensions of a rank-`rank` tensor that are not in `dims`.
SmallVector<int64_t> keptDims(int64_t rank, ArrayRef<int64_t> dims) {
  SmallVector<int64_t> kept;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(dims, i))
      kept.push_back(i);
  return kept;
}

/// The number of elements each reduction combines.
int64_t reducedCount(ArrayRef<int64_t> shape, ArrayRef<int64_t> dims) {
  int64_t count = 1;
  for (int64_t d : dims)
    count *= shape[d];
  return count;
}

/// Divides every element of `x` by the constant `count`.
Value divideBy(OpBuilder &b, Location loc, Value x, int64_t count) {
  return buildElementwise(
      b, loc, cast<RankedTensorType>(x.getType()), x,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value n = floatConstant(nb, l, args[0].getType(), double(count));
        return arith::DivFOp::create(nb, l, args[0], n).getResult();
      });
}

/// reduce_sum, reduce_mean and reduce_max: one `linalg.reduce`, the mean's
/// division, then the `keepdims` reshape.
template <typename OpTy> struct ReduceLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> dims(op.getAxes());
    if (dims.empty())
      for (int64_t i = 0; i < inputType.getRank(); ++i)
        dims.push_back(i);

    constexpr bool isMax = std::is_same_v<OpTy, ReduceMaxOp>;
    Value reduced =
        buildReduce(rewriter, loc, op.getInput(), dims, isMax ? kNegInf : 0.0,
                    isMax ? maxCombiner : addCombiner);
    if constexpr (std::is_same_v<OpTy, ReduceMeanOp>)
      reduced = divideBy(rewriter, loc, reduced,
                         reducedCount(inputType.getShape(), dims));
    FailureOr<Value> result = reshapeTensor(rewriter, loc, reduced, resultType);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "unexpected result shape");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// softmax and log_softmax along `axis`, shifted by the maximum so that
/// `exp` cannot overflow:
///   m = max(x), e = exp(x - m), s = sum(e)
///   softmax = e / s, log_softmax = (x - m) - log(s).
template <typename OpTy> struct SoftmaxLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    unsigned rank = type.getRank();
    int64_t axis = op.getAxis();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reducedMap = projectionMap(ctx, rank, keptDims(rank, {axis}));

    Value x = op.getInput();
    Value max = buildReduce(rewriter, loc, x, {axis}, kNegInf, maxCombiner);
    Value exp = buildMappedElementwise(
        rewriter, loc, type, {x, max}, {identity, reducedMap},
        [](OpBuilder &b, Location l, ValueRange args) {
          Value shifted = arith::SubFOp::create(b, l, args[0], args[1]);
          return math::ExpOp::create(b, l, shifted).getResult();
        });
    Value sum = buildReduce(rewriter, loc, exp, {axis}, 0.0, addCombiner);

    Value result;
    if constexpr (std::is_same_v<OpTy, SoftmaxOp>) {
      result = buildMappedElementwise(
          rewriter, loc, type, {exp, sum}, {identity, reducedMap},
          [](OpBuilder &b, Location l, ValueRange args) {
            return arith::DivFOp::create(b, l, args[0], args[1]).getResult();
          });
    } else {
      result = buildMappedElementwise(
          rewriter, loc, type, {x, max, sum},
          {identity, reducedMap, reducedMap},
          [](OpBuilder &b, Location l, ValueRange args) {
            Value shifted = arith::SubFOp::create(b, l, args[0], args[1]);
            Value logSum = math::LogOp::create(b, l, args[2]);
            return arith::SubFOp::create(b, l, shifted, logSum).getResult();
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Converts a scalar between float types (no-op when they match).
Value convertFloat(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}

/// ONNX LayerNormalization with stash_type f32: over the dimensions
/// axis..rank-1,
///   d = x - mean(x), y = d / sqrt(mean(d^2) + epsilon) * scale + bias,
/// with the statistics computed in f32 whatever the element type.
struct LayerNormLowering : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    Type f32 = rewriter.getF32Type();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    SmallVector<int64_t> dims;
    for (int64_t i = axis; i < rank; ++i)
      dims.push_back(i);
    SmallVector<int64_t> outer = keptDims(rank, dims);
    int64_t count = reducedCount(type.getShape(), dims);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap outerMap = projectionMap(ctx, rank, outer);
    AffineMap innerMap = projectionMap(ctx, rank, dims);
    auto statType = type.clone(f32);

    Value x = op.getInput();
    if (elementType != f32)
      x = buildElementwise(rewriter, loc, statType, x,
                           [&](OpBuilder &b, Location l, ValueRange args) {
                             return convertFloat(b, l, args[0], f32);
                           });
    Value mean =
        divideBy(rewriter, loc,
                 buildReduce(rewriter, loc, x, dims, 0.0, addCombiner), count);
    Value centered = buildMappedElementwise(
        rewriter, loc, statType, {x, mean}, {identity, outerMap},
        [](OpBuilder &b, Location l, ValueRange args) {
          return arith::SubFOp::create(b, l, args[0], args[1]).getResult();
        });
    Value sumSquares =
        buildReduce(rewriter, loc, centered, dims, 0.0,
                    [](OpBuilder &b, Location l, Value d, Value acc) {
                      Value sq = arith::MulFOp::create(b, l, d, d);
                      return arith::AddFOp::create(b, l, sq, acc).getResult();
                    });
    // 1 / sqrt(variance + epsilon), once per normalized row.
    double epsilon = op.getEpsilon().convertToDouble();
    Value invStdDev = buildElementwise(
        rewriter, loc, cast<RankedTensorType>(sumSquares.getType()), sumSquares,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value var = arith::DivFOp::create(
              b, l, args[0], floatConstant(b, l, f32, double(count)));
          Value varEps = arith::AddFOp::create(
              b, l, var, floatConstant(b, l, f32, epsilon));
          Value sd = math::SqrtOp::create(b, l, varEps);
          return arith::DivFOp::create(b, l, floatConstant(b, l, f32, 1.0), sd)
              .getResult();
        });

    SmallVector<Value> inputs = {centered, invStdDev, op.getScale()};
    SmallVector<AffineMap> maps = {identity, outerMap, innerMap};
    if (Value bias = op.getBias()) {
      inputs.push_back(bias);
      maps.push_back(innerMap);
    }
    Value y = buildMappedElementwise(
        rewriter, loc, type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value normalized = arith::MulFOp::create(b, l, args[0], args[1]);
          Value scaled = arith::MulFOp::create(
              b, l, normalized, convertFloat(b, l, args[2], f32));
          if (args.size() > 3)
            scaled = arith::AddFOp::create(b, l, scaled,
                                           convertFloat(b, l, args[3], f32));
          return convertFloat(b, l, scaled, elementType);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};
} // namespace

void mlir::octet::populateLowerReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp>, ReduceLowering<ReduceMeanOp>,
               ReduceLowering<ReduceMaxOp>, SoftmaxLowering<SoftmaxOp>,
               SoftmaxLowering<LogSoftmaxOp>, LayerNormLowering>(
      patterns.getContext());
}
