//===- LowerTensor.cpp - Data-movement octet ops to tensor and linalg -----===//
//
// Constants, reshapes, transpose, concat, slice, pad and gather. Static
// shapes let every op become either a tensor op that bufferizes to a view
// or a copy (collapse/expand_shape, extract_slice, concat, pad) or one
// `linalg.generic` over the result whose body computes where to read from.
// Generated code never reads out of bounds: gather clamps its indices.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::lowering;

namespace {
/// All-parallel iterators for a generic of `rank` loops.
SmallVector<utils::IteratorType> parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

/// Builds a `linalg.generic` over `resultType` with no inputs whose body
/// computes each element from its indices (`linalg.index`).
Value buildIndexedGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> body) {
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{}, emptyTensor(b, loc, resultType),
      b.getMultiDimIdentityMap(resultType.getRank()),
      parallelIterators(resultType.getRank()),
      [&](OpBuilder &nb, Location nloc, ValueRange) {
        SmallVector<Value> ivs;
        for (int64_t d = 0; d < resultType.getRank(); ++d)
          ivs.push_back(linalg::IndexOp::create(nb, nloc, d));
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, ivs));
      });
  return generic.getResult(0);
}

Value indexConstant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

bool isQuantized(Type type) {
  return isa<quant::QuantizedType>(getElementTypeOrSelf(type));
}

struct ConstantLowering : OpRewritePattern<ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOp op,
                                PatternRewriter &rewriter) const override {
    // Quantized weights stay for the quantization lowering, which knows
    // their storage type.
    if (isQuantized(op.getType()))
      return rewriter.notifyMatchFailure(op, "quantized constant");
    // dense and dense_resource attributes carry over unchanged, so weights
    // stay blobs all the way to the object file.
    Value result = arith::ConstantOp::create(rewriter, op.getLoc(),
                                             cast<TypedAttr>(op.getValue()));
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// reshape, flatten, squeeze and unsqueeze only reinterpret the shape: the
/// result type says everything.
template <typename OpTy> struct ReshapeLikeLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeStaticTensor(rewriter, op.getLoc(),
                                               op.getInput(), op.getType()));
    return success();
  }
};

struct TransposeLowering : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto transpose = linalg::TransposeOp::create(
        rewriter, loc, op.getInput(), emptyTensor(rewriter, loc, op.getType()),
        op.getPerm());
    rewriter.replaceOp(op, transpose->getResult(0));
    return success();
  }
};

struct ConcatLowering : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInputs().size() == 1) {
      rewriter.replaceOp(op, op.getInputs().front());
      return success();
    }
    // tensor.concat bufferizes (MLIR 22) into one buffer and a copy of each
    // input into its subview.
    Value result = tensor::ConcatOp::create(rewriter, op.getLoc(), op.getType(),
                                            op.getAxis(), op.getInputs());
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    // An empty result reads nothing (and a start at the end of a dimension
    // is no valid slice offset, nor a loop range to check a read map on).
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      Value result = tensor::ExtractSliceOp::create(
          rewriter, loc, type, op.getInput(),
          getAsIndexOpFoldResult(rewriter.getContext(), starts),
          getAsIndexOpFoldResult(rewriter.getContext(), type.getShape()),
          getAsIndexOpFoldResult(rewriter.getContext(), steps));
      rewriter.replaceOp(op, result);
      return success();
    }
    // A negative step walks backwards: element i of dimension d reads
    // start + step * i, an affine map linalg.generic takes as is.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> reads;
    for (auto [d, start, step] : llvm::enumerate(starts, steps))
      reads.push_back(getAffineConstantExpr(start, ctx) +
                      getAffineDimExpr(d, ctx) * step);
    int64_t rank = type.getRank();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, op.getInput(), emptyTensor(rewriter, loc, type),
        {AffineMap::get(rank, 0, reads, ctx),
         rewriter.getMultiDimIdentityMap(rank)},
        parallelIterators(rank), [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct PadLowering : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    auto inputType = op.getInput().getType();
    Type elementType = type.getElementType();
    if (isQuantized(elementType))
      return rewriter.notifyMatchFailure(op, "quantized element type");
    int64_t rank = type.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    ArrayRef<int64_t> low = pads.take_front(rank), high = pads.drop_front(rank);

    if (op.getMode() == PadMode::constant) {
      Value fill = scalarConstant(rewriter, loc, elementType,
                                  op.getValue().convertToDouble());
      Value result = tensor::PadOp::create(
          rewriter, loc, type, op.getInput(),
          getAsIndexOpFoldResult(rewriter.getContext(), low),
          getAsIndexOpFoldResult(rewriter.getContext(), high), fill);
      rewriter.replaceOp(op, result);
      return success();
    }

    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    if (inputType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "edge/reflect pad of an empty "
                                             "tensor has nothing to repeat");
    // reflect and edge: each output element reads the input at its index
    // mirrored about (reflect) or clamped to (edge) the input's border. The
    // verifier keeps reflect pads below the dimension, so one reflection
    // suffices.
    bool reflect = op.getMode() == PadMode::reflect;
    Value input = op.getInput();
    Value result = buildIndexedGeneric(
        rewriter, loc, type,
        [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d) {
            if (low[d] == 0 && high[d] == 0) {
              at.push_back(ivs[d]);
              continue;
            }
            int64_t last = inputType.getDimSize(d) - 1;
            Value i = arith::SubIOp::create(b, l, ivs[d],
                                            indexConstant(b, l, low[d]));
            Value zero = indexConstant(b, l, 0);
            if (reflect) {
              // i < 0 -> -i;  i > last -> 2 * last - i.
              Value neg = arith::SubIOp::create(b, l, zero, i);
              i = arith::MaxSIOp::create(b, l, i, neg);
              Value mirrored =
                  arith::SubIOp::create(b, l, indexConstant(b, l, 2 * last), i);
              i = arith::MinSIOp::create(b, l, i, mirrored);
            } else {
              i = arith::MinSIOp::create(b, l,
                                         arith::MaxSIOp::create(b, l, i, zero),
                                         indexConstant(b, l, last));
            }
            at.push_back(i);
          }
          return tensor::ExtractOp::create(b, l, input, at).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherLowering : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    auto dataType = op.getData().getType();
    auto indicesType = op.getIndices().getType();
    int64_t axis = op.getAxis();
    int64_t q = indicesType.getRank();
    int64_t size = dataType.getDimSize(axis);
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    if (size == 0)
      return rewriter.notifyMatchFailure(op, "gather from an empty axis");

    // Result dimensions [axis, axis + q) walk the indices tensor.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> indexDims;
    for (int64_t i = 0; i < q; ++i)
      indexDims.push_back(getAffineDimExpr(axis + i, ctx));
    int64_t rank = type.getRank();
    Value data = op.getData();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, op.getIndices(), emptyTensor(rewriter, loc, type),
        {AffineMap::get(rank, 0, indexDims, ctx),
         rewriter.getMultiDimIdentityMap(rank)},
        parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          // ONNX: negative indices count from the end. Out-of-range ones are
          // undefined; clamping keeps the read inside `data`.
          Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value zero = indexConstant(b, l, 0);
          Value isNeg =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
          Value wrapped =
              arith::AddIOp::create(b, l, i, indexConstant(b, l, size));
          i = arith::SelectOp::create(b, l, isNeg, wrapped, i);
          i = arith::MinSIOp::create(b, l,
                                     arith::MaxSIOp::create(b, l, i, zero),
                                     indexConstant(b, l, size - 1));
          SmallVector<Value> at;
          for (int64_t d = 0; d < dataType.getRank(); ++d) {
            if (d < axis)
              at.push_back(linalg::IndexOp::create(b, l, d));
            else if (d == axis)
              at.push_back(i);
            else
              at.push_back(linalg::IndexOp::create(b, l, d - 1 + q));
          }
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, data, at).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};
} // namespace

void mlir::octet::populateLowerTensorPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLikeLowering<ReshapeOp>,
               ReshapeLikeLowering<FlattenOp>, ReshapeLikeLowering<SqueezeOp>,
               ReshapeLikeLowering<UnsqueezeOp>, TransposeLowering,
               ConcatLowering, SliceLowering, PadLowering, GatherLowering>(
      patterns.getContext());
  populateLowerIntegerPatterns(patterns);
}
