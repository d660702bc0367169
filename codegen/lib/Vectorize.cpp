//===- Vectorize.cpp - Register tiles and vectors for contractions --------===//
//
// The recipe (docs/design.md, "Tiling and vectorization"): convolutions go
// through im2col so every heavy op is a contraction; each contraction is
// tiled to `rows x vector` register tiles with a unit-step reduction loop,
// vectorized to vector.contract, lowered to outer products, and its
// accumulator hoisted out of the reduction loop.
//
//===----------------------------------------------------------------------===//

#include "octet/Codegen/Passes.h"

#include "mlir/Analysis/FlatLinearValueConstraints.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETVECTORIZEPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;

namespace {
/// The largest of `preferred`, preferred/2, ..., 1 that divides `size`.
int64_t dividingTile(int64_t size, int64_t preferred) {
  for (int64_t t = preferred; t > 1; t /= 2)
    if (size % t == 0)
      return t;
  return 1;
}

/// The vector length for a dimension of `size`: a divisor of `size` (so
/// every tile is full and static) of at most one register of `width`
/// lanes, filling it best, the longer one on a tie. 196 = 14·14 gets 14
/// lanes of a 16-lane register rather than 4. (Longer vectors that are not
/// a multiple of the register are scalarized by LLVM when loop-carried.)
int64_t vectorTile(int64_t size, int64_t width) {
  int64_t best = 1;
  double bestFill = 0.0;
  for (int64_t t = 1; t <= std::min(size, width); ++t) {
    if (size % t)
      continue;
    double fill = double(t) / double(llvm::divideCeil(t, width) * width);
    if (fill >= bestFill) {
      best = t;
      bestFill = fill;
    }
  }
  return best;
}

/// Register-tile sizes for a contraction: 1 for batch, outer m/n and k
/// dimensions; `rows` on the innermost m dimension, `width` on the
/// innermost n dimension (the contiguous one of the result). The loop
/// order puts column panels outside row tiles, so the [K, lanes] panel of
/// the right operand is reused by every row tile while it is in cache.
struct ContractionTiling {
  SmallVector<int64_t> tiles, order;
};

std::optional<ContractionTiling>
contractionTiling(linalg::LinalgOp op, int64_t rows, int64_t width,
                  int64_t vectors) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->n.empty() || dims->k.empty())
    return std::nullopt;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  if (llvm::any_of(bounds, ShapedType::isDynamic))
    return std::nullopt;
  SmallVector<int64_t> tiles(bounds.size(), 1);
  if (!dims->m.empty()) {
    unsigned m = dims->m.back();
    tiles[m] = dividingTile(bounds[m], rows);
  }
  unsigned n = dims->n.back();
  // Two vectors per row when they divide the columns: each broadcast of
  // the left operand then feeds two FMAs, so loads stop being the limit.
  tiles[n] = bounds[n] % (vectors * width) == 0
                 ? vectors * width
                 : vectorTile(bounds[n], width);
  // A one-element vector gains nothing over the scalar loops.
  if (tiles[n] < 4)
    return std::nullopt;
  ContractionTiling tiling;
  tiling.tiles = std::move(tiles);
  for (ArrayRef<unsigned> group : {ArrayRef<unsigned>(dims->batch),
                                   ArrayRef<unsigned>(dims->n),
                                   ArrayRef<unsigned>(dims->m),
                                   ArrayRef<unsigned>(dims->k)})
    llvm::append_range(tiling.order, group);
  // Loops that are none of these (a generic with extra parallel loops)
  // keep their own order.
  if (tiling.order.size() != op.getNumLoops())
    tiling.order.clear();
  return tiling;
}

/// The coefficients of d0..d(n-1) in `expr` if it is a linear combination
/// of dims with non-negative constant coefficients and no constant term
/// (no floordiv/mod: those flatten to extra local variables).
std::optional<SmallVector<int64_t>> linearCoefficients(AffineExpr expr,
                                                       unsigned dims) {
  SmallVector<int64_t> flat; // dims, then the constant term
  if (failed(getFlattenedAffineExpr(expr, dims, /*numSymbols=*/0, &flat)) ||
      flat.size() != dims + 1 || flat.back() != 0 ||
      llvm::any_of(flat, [](int64_t c) { return c < 0; }))
    return std::nullopt;
  flat.pop_back();
  return flat;
}

/// A window reduction over NCHW (max pooling): loops (n, c, oh, ow, kh,
/// kw), the last two reductions, the result read and written at
/// (n, c, oh, ow), and one input read at (n, c, oh·sH + kh·dH,
/// ow·sW + kw·dW); other inputs only along (kh, kw) (the window shape).
struct WindowReduction {
  unsigned input; // operand number of the windowed input
  int64_t strideH, strideW, dilationH, dilationW;
};

std::optional<WindowReduction> matchWindowReduction(linalg::GenericOp op) {
  using utils::IteratorType;
  SmallVector<IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<IteratorType> expected(4, IteratorType::parallel);
  expected.append(2, IteratorType::reduction);
  if (iterators != expected || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() ||
      llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return std::nullopt;
  MLIRContext *context = op.getContext();
  AffineExpr d[6];
  bindDimsList(context, MutableArrayRef<AffineExpr>(d));
  if (op.getMatchingIndexingMap(op.getDpsInitOperand(0)) !=
      AffineMap::get(6, 0, {d[0], d[1], d[2], d[3]}, context))
    return std::nullopt;
  std::optional<WindowReduction> found;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (map == AffineMap::get(6, 0, {d[4], d[5]}, context))
      continue; // the window's shape
    if (found || map.getNumResults() != 4 || map.getResult(0) != d[0] ||
        map.getResult(1) != d[1])
      return std::nullopt;
    auto rows = linearCoefficients(map.getResult(2), 6);
    auto cols = linearCoefficients(map.getResult(3), 6);
    if (!rows || !cols)
      return std::nullopt;
    for (unsigned i : {0u, 1u, 3u, 5u})
      if ((*rows)[i] != 0)
        return std::nullopt;
    for (unsigned i : {0u, 1u, 2u, 4u})
      if ((*cols)[i] != 0)
        return std::nullopt;
    if ((*rows)[2] < 1 || (*cols)[3] < 1)
      return std::nullopt;
    found = WindowReduction{operand->getOperandNumber(), (*rows)[2],
                            (*cols)[3], (*rows)[4], (*cols)[5]};
  }
  return found;
}

/// `input` [N, C, H, W] with its width split into `s` phases,
/// X'[n, c, h, p, q] = X[n, c, h, q·s + p] (one copy; widths that are no
/// multiple of s padded with `padding`, which no output reads): a window
/// tap kw of stride s reads phase kw mod s at q = ow + kw div s, a
/// contiguous run of ow again.
Value splitWidthPhases(RewriterBase &rewriter, Location loc, Value input,
                       int64_t s, TypedAttr padding) {
  MLIRContext *context = rewriter.getContext();
  auto inType = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> shape = inType.getShape();
  int64_t phases = llvm::divideCeil(shape[3], s);
  auto phaseType = RankedTensorType::get(
      {shape[0], shape[1], shape[2], s, phases}, inType.getElementType());
  Value pad = arith::ConstantOp::create(rewriter, loc, padding);
  SmallVector<OpFoldResult> low(4, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> high(4, rewriter.getIndexAttr(0));
  high[3] = rewriter.getIndexAttr(phases * s - shape[3]);
  Value padded = tensor::PadOp::create(
      rewriter, loc,
      RankedTensorType::get({shape[0], shape[1], shape[2], phases * s},
                            inType.getElementType()),
      input, low, high, pad);
  AffineExpr d0, d1, d2, d3, d4;
  bindDims(context, d0, d1, d2, d3, d4);
  Value init = tensor::EmptyOp::create(rewriter, loc, phaseType.getShape(),
                                       phaseType.getElementType());
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{phaseType}, ValueRange{padded},
             ValueRange{init},
             {AffineMap::get(5, 0, {d0, d1, d2, d4 * s + d3}, context),
              AffineMap::get(5, 0, {d0, d1, d2, d3, d4}, context)},
             SmallVector<utils::IteratorType>(5,
                                              utils::IteratorType::parallel),
             [](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(b, l, args[0]);
             })
      .getResult(0);
}

/// `depthwise_conv_2d_nchw_chw` as a generic that reads the filter first
/// (so the vectorized update is `acc + broadcast(w) * x`, not a transposed
/// accumulator) with `contract` fast-math so it becomes FMAs. A stride
/// along W reads a phase-split copy of the input.
linalg::GenericOp depthwiseAsGeneric(RewriterBase &rewriter,
                                     linalg::DepthwiseConv2DNchwChwOp conv) {
  MLIRContext *context = rewriter.getContext();
  auto stride = conv.getStrides().getValues<int64_t>();
  auto dilation = conv.getDilations().getValues<int64_t>();
  AffineExpr n, c, oh, ow, kh, kw;
  bindDims(context, n, c, oh, ow, kh, kw);
  auto map = [&](ArrayRef<AffineExpr> results) {
    return AffineMap::get(6, 0, results, context);
  };
  Value input = conv.getInputs()[0], filter = conv.getInputs()[1];
  rewriter.setInsertionPoint(conv);
  AffineMap inputMap = map({n, c, oh * stride[0] + kh * dilation[0],
                            ow * stride[1] + kw * dilation[1]});
  if (int64_t s = stride[1]; s > 1) {
    // A strided window is no projected permutation: read the phase split.
    input = splitWidthPhases(
        rewriter, conv.getLoc(), input, s,
        cast<TypedAttr>(rewriter.getZeroAttr(
            cast<RankedTensorType>(input.getType()).getElementType())));
    inputMap = map({n, c, oh * stride[0] + kh * dilation[0], kw % s,
                    ow + kw.floorDiv(s)});
  }
  SmallVector<AffineMap> maps = {map({c, kh, kw}), inputMap,
                                 map({n, c, oh, ow})};
  SmallVector<utils::IteratorType> iterators(4,
                                             utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      rewriter, conv.getLoc(), conv.getResultTypes(),
      ValueRange{filter, input}, conv.getOutputs(), maps, iterators,
      [](OpBuilder &b, Location loc, ValueRange args) {
        auto contract = arith::FastMathFlagsAttr::get(
            b.getContext(), arith::FastMathFlags::contract);
        Value product =
            arith::MulFOp::create(b, loc, args[0], args[1], contract);
        Value sum = arith::AddFOp::create(b, loc, args[2], product, contract);
        linalg::YieldOp::create(b, loc, sum);
      });
  rewriter.replaceOp(conv, generic.getResults());
  return generic;
}

/// The register tile of `op`: its parallel dimensions tiled by `tiles`
/// with the `linalg.fill` that zeroes its result fused into the tile loops
/// (so the accumulator starts in registers, not in memory), then its
/// reduction dimensions tiled by 1. Returns the innermost op and the fused
/// fill tile (null when the result is not a fill).
FailureOr<std::pair<Operation *, Operation *>>
tileWithFusedFill(RewriterBase &rewriter, linalg::LinalgOp op,
                  ArrayRef<int64_t> tiles, ArrayRef<int64_t> interchange = {}) {
  MLIRContext *context = op.getContext();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> parallel(tiles), reduction(tiles.size(), 0);
  for (auto [i, kind] : llvm::enumerate(iterators))
    if (kind == utils::IteratorType::reduction) {
      parallel[i] = 0;
      reduction[i] = tiles[i];
    }
  scf::SCFTileAndFuseOptions options;
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(getAsIndexOpFoldResult(context, parallel));
  if (!interchange.empty())
    tiling.setInterchange(interchange);
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (isDestination && isa<linalg::FillOp>(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(fused))
    return failure();
  for (OpResult result : op->getResults())
    rewriter.replaceAllUsesWith(result, fused->replacements.lookup(result));
  // Tiles are independent: octet-parallelize may run these loops on
  // threads. The attribute carries the kernel's multiply-adds.
  int64_t work = 1;
  for (int64_t range : op.getStaticLoopRanges())
    work *= range;
  for (LoopLikeOpInterface loop : fused->loops)
    loop->setAttr("octet.parallel", rewriter.getI64IntegerAttr(work));
  Operation *tile = fused->tiledAndFusedOps.front();
  Operation *fill = nullptr;
  for (Operation *fusedOp : fused->tiledAndFusedOps)
    if (isa<linalg::FillOp>(fusedOp))
      fill = fusedOp;

  scf::SCFTilingOptions inner;
  inner.setTileSizes(getAsIndexOpFoldResult(context, reduction));
  rewriter.setInsertionPoint(tile);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(tile), inner);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(tile, tiled->replacements);
  return std::make_pair(tiled->tiledOps.front(), fill);
}

/// A read of a tensor that a splat was just written over entirely (the
/// vectorized, fused fill), seen through slices of it, is that splat: the
/// accumulator starts as a register constant.
struct ForwardSplatWrite : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    Value source = read.getBase();
    while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>())
      source = slice.getSource();
    auto write = source.getDefiningOp<vector::TransferWriteOp>();
    if (!write || read.getMask() || write.getMask())
      return failure();
    auto destType = dyn_cast<RankedTensorType>(write.getBase().getType());
    if (!destType ||
        write.getVectorType().getShape() != destType.getShape() ||
        !write.getPermutationMap().isMinorIdentity() ||
        !llvm::all_of(write.getIndices(), isZeroInteger))
      return failure();
    SplatElementsAttr splat;
    if (!matchPattern(write.getVector(), m_Constant(&splat)))
      return failure();
    if (llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }))
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        read, SplatElementsAttr::get(read.getVectorType(),
                                     splat.getSplatValue<Attribute>()));
    return success();
  }
};

/// Vectorizes `op` in place (contractions straight to vector.contract).
/// On failure `op` is left as it is, to become scalar loops.
LogicalResult vectorizeOp(RewriterBase &rewriter, Operation *op) {
  if (failed(linalg::vectorizeOpPrecondition(op)))
    return failure();
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
      rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
      /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
      /*assumeDynamicDimsMatchVecSizes=*/false,
      /*createNamedContraction=*/true);
  if (failed(vectorized))
    return failure();
  rewriter.replaceOp(op, vectorized->replacements);
  return success();
}

/// Whether `value` is (a reshape of) a slice smaller than its source.
bool isSliceOfLarger(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(op)) {
      value = op->getOperand(0);
      continue;
    }
    auto slice = dyn_cast<tensor::ExtractSliceOp>(op);
    return slice && slice.getSourceType().getNumElements() !=
                        slice.getResultType().getNumElements();
  }
  return false;
}

struct OctetVectorizePass
    : octet::impl::OctetVectorizePassBase<OctetVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());

    // Grouped convolutions as one convolution per group.
    SmallVector<linalg::Conv2DNgchwGfchwOp> grouped;
    func.walk([&](linalg::Conv2DNgchwGfchwOp conv) { grouped.push_back(conv); });
    for (linalg::Conv2DNgchwGfchwOp conv : grouped)
      splitGroups(rewriter, conv);

    // Convolutions as im2col + a contraction.
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    func.walk([&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      rewriter.setInsertionPoint(conv);
      // Unsupported forms (dynamic shapes) keep the direct loops.
      (void)linalg::rewriteInIm2Col(rewriter, conv);
    }

    SmallVector<linalg::DepthwiseConv2DNchwChwOp> depthwise;
    func.walk([&](linalg::DepthwiseConv2DNchwChwOp conv) {
      depthwise.push_back(conv);
    });
    for (linalg::DepthwiseConv2DNchwChwOp conv : depthwise)
      if (failed(vectorizeDepthwise(rewriter, conv)))
        return signalPassFailure();

    // Window reductions (max pooling) the same way as depthwise.
    SmallVector<linalg::PoolingNchwMaxOp> pools;
    func.walk([&](linalg::PoolingNchwMaxOp pool) { pools.push_back(pool); });
    for (linalg::PoolingNchwMaxOp pool : pools) {
      rewriter.setInsertionPoint(pool);
      (void)linalg::generalizeNamedOp(rewriter, pool);
    }
    SmallVector<linalg::GenericOp> windows;
    func.walk([&](linalg::GenericOp op) {
      if (!op->getParentOfType<scf::ForOp>() && matchWindowReduction(op))
        windows.push_back(op);
    });
    for (linalg::GenericOp op : windows)
      if (failed(vectorizeWindowReduction(rewriter, op)))
        return signalPassFailure();

    SmallVector<linalg::LinalgOp> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && linalg::isaContractionOpInterface(op))
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions)
      if (failed(tileAndVectorize(rewriter, op)))
        return signalPassFailure();

    // Elementwise ops and row reductions: one vector along the innermost
    // (contiguous) dimension.
    SmallVector<linalg::LinalgOp> rowOps;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::GenericOp, linalg::ReduceOp>(op) &&
          op.hasPureTensorSemantics() && !op->getParentOfType<scf::ForOp>())
        rowOps.push_back(op);
    });
    for (linalg::LinalgOp op : rowOps) {
      if (op.getNumReductionLoops() == 0)
        vectorizeElementwise(rewriter, op);
      else
        vectorizeRowReduction(rewriter, op);
    }

    if (failed(lowerVectorOps()))
      return signalPassFailure();
    // Keep accumulators in registers: the transfer_read/transfer_write pair
    // of each reduction loop's iter_arg moves out of the loop, innermost
    // loops first.
    func.walk([&](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
    func.walk([&](scf::ForOp loop) {
      hoistLoopInvariantSubsets(rewriter, cast<LoopLikeOpInterface>(*loop));
    });
    // A hoisted accumulator read right after the fused fill's write folds
    // to the fill's vector: the accumulator never touches memory first.
    RewritePatternSet cleanup(&getContext());
    cleanup.add<ForwardSplatWrite>(&getContext());
    addCanonicalizations(cleanup);
    if (failed(applyPatternsGreedily(func, std::move(cleanup))))
      return signalPassFailure();
  }

  LogicalResult tileAndVectorize(RewriterBase &rewriter, linalg::LinalgOp op) {
    std::optional<ContractionTiling> tiling =
        contractionTiling(op, tileRows, vectorWidth, tileVectors);
    if (!tiling)
      return success(); // Left to the scalar loops.
    auto tiled = tileWithFusedFill(rewriter, op, tiling->tiles, tiling->order);
    if (failed(tiled))
      return op.emitError("octet-vectorize: tiling failed");
    auto [tile, fill] = *tiled;
    if (fill)
      (void)vectorizeOp(rewriter, fill);
    if (failed(vectorizeOp(rewriter, tile)))
      return tile->emitError("octet-vectorize: vectorization failed");
    return success();
  }

  static constexpr int64_t kMaxSplitGroups = 64;

  /// `conv_2d_ngchw_gfchw` as G `conv_2d_nchw_fchw` on slices of the
  /// input, filter and output, each then vectorized like any convolution.
  void splitGroups(RewriterBase &rewriter, linalg::Conv2DNgchwGfchwOp conv) {
    auto inType = cast<RankedTensorType>(conv.getInputs()[0].getType());
    auto wType = cast<RankedTensorType>(conv.getInputs()[1].getType());
    auto outType = cast<RankedTensorType>(conv.getResultTypes()[0]);
    if (!inType.hasStaticShape() || !wType.hasStaticShape() ||
        !outType.hasStaticShape())
      return;
    // The IR grows with the number of groups: many small groups stay one
    // grouped loop nest.
    if (inType.getDimSize(1) > kMaxSplitGroups)
      return;
    Location loc = conv.getLoc();
    rewriter.setInsertionPoint(conv);
    auto slice = [&](Value source, RankedTensorType type, int64_t groupDim,
                     int64_t g) -> Value {
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(type.getRank(),
                                               rewriter.getIndexAttr(1));
      SmallVector<int64_t> reduced;
      offsets[groupDim] = rewriter.getIndexAttr(g);
      for (int64_t d = 0; d < type.getRank(); ++d) {
        int64_t size = d == groupDim ? 1 : type.getDimSize(d);
        sizes.push_back(rewriter.getIndexAttr(size));
        if (d != groupDim)
          reduced.push_back(size);
      }
      return tensor::ExtractSliceOp::create(
          rewriter, loc,
          RankedTensorType::get(reduced, type.getElementType()), source,
          offsets, sizes, strides);
    };
    Value result = conv.getOutputs()[0];
    int64_t groups = inType.getDimSize(1);
    for (int64_t g = 0; g < groups; ++g) {
      Value x = slice(conv.getInputs()[0], inType, 1, g);
      Value w = slice(conv.getInputs()[1], wType, 0, g);
      Value init = slice(result, outType, 1, g);
      Value y = linalg::Conv2DNchwFchwOp::create(
                    rewriter, loc, TypeRange{init.getType()}, ValueRange{x, w},
                    ValueRange{init}, conv.getStrides(), conv.getDilations())
                    .getResult(0);
      SmallVector<OpFoldResult> offsets(5, rewriter.getIndexAttr(0));
      offsets[1] = rewriter.getIndexAttr(g);
      SmallVector<OpFoldResult> sizes;
      for (int64_t d = 0; d < 5; ++d)
        sizes.push_back(rewriter.getIndexAttr(d == 1 ? 1 : outType.getDimSize(d)));
      result = tensor::InsertSliceOp::create(
          rewriter, loc, y, result, offsets, sizes,
          SmallVector<OpFoldResult>(5, rewriter.getIndexAttr(1)));
    }
    rewriter.replaceOp(conv, result);
  }

  /// Tiles of `channels x vector` outputs; each kernel tap is one vector
  /// FMA per channel row. Strided windows do not vectorize this way (the
  /// input map is not a projected permutation) and keep scalar loops.
  LogicalResult vectorizeDepthwise(RewriterBase &rewriter,
                                   linalg::DepthwiseConv2DNchwChwOp conv) {
    auto outType = cast<RankedTensorType>(conv.getResultTypes()[0]);
    // The tap loop below is float FMAs; integer depthwise (the reference
    // int8 kernels) keeps its loops.
    if (!isa<FloatType>(outType.getElementType()))
      return success();
    // Strided windows along W go through the phase split, which assumes
    // taps next to each other (no dilation along W).
    auto strides = conv.getStrides().getValues<int64_t>();
    auto dilations = conv.getDilations().getValues<int64_t>();
    if (!outType.hasStaticShape() ||
        (strides[1] > 1 && dilations[1] != 1))
      return success();
    int64_t channels = outType.getDimSize(1), width = outType.getDimSize(3);
    // Every tap loads a fresh input vector, so lanes should make whole
    // (half) registers: a 14-lane load is three loads and two inserts. Still
    // better than scalar loops when no power of two divides the width
    // (MobileNet's 14x14 and 7x7 maps).
    int64_t lanes = dividingTile(width, vectorWidth);
    if (lanes < 4)
      lanes = vectorTile(width, vectorWidth);
    if (lanes < 4)
      return success();
    linalg::GenericOp generic = depthwiseAsGeneric(rewriter, conv);
    return tileAndVectorizeWindow(rewriter, generic, channels, lanes);
  }

  /// A window generic (loops n, c, oh, ow, kh, kw) tiled to `channels ×
  /// lanes` outputs (channels rounded down to a divisor) with the window
  /// loops by 1, its fill fused, and vectorized: after the tile's unit
  /// dimensions (n, oh, kh, kw) are dropped, every tap reads a plain
  /// [channels, lanes] slice.
  LogicalResult tileAndVectorizeWindow(RewriterBase &rewriter,
                                       linalg::GenericOp op, int64_t channels,
                                       int64_t lanes) {
    SmallVector<int64_t> tiles = {1, dividingTile(channels, 4), 1, lanes, 1, 1};
    auto tiled = tileWithFusedFill(rewriter, op, tiles);
    if (failed(tiled))
      return op.emitError("octet-vectorize: window tiling failed");
    auto [tileOp, fill] = *tiled;
    if (fill)
      (void)vectorizeOp(rewriter, fill);
    auto tile = cast<linalg::GenericOp>(tileOp);
    linalg::ControlDropUnitDims control;
    control.rankReductionStrategy = linalg::ControlDropUnitDims::
        RankReductionStrategy::ExtractInsertSlice;
    rewriter.setInsertionPoint(tile);
    FailureOr<linalg::DropUnitDimsResult> dropped =
        linalg::dropUnitDims(rewriter, tile, control);
    if (failed(dropped))
      return tile.emitError("octet-vectorize: cannot drop unit dimensions");
    rewriter.replaceOp(tile, dropped->replacements);
    Operation *reduced = dropped->resultOp.getOperation();
    if (failed(vectorizeOp(rewriter, reduced)))
      return reduced->emitError("octet-vectorize: window vectorization "
                                "failed");
    return success();
  }

  /// A window reduction (max pooling) tiled to `channels × lanes` outputs
  /// with the window loops by 1 and vectorized along the output width:
  /// every tap reads one contiguous vector (a stride along W through the
  /// phase split, which needs taps next to each other).
  LogicalResult vectorizeWindowReduction(RewriterBase &rewriter,
                                         linalg::GenericOp op) {
    WindowReduction window = *matchWindowReduction(op);
    auto outType = cast<RankedTensorType>(op.getResultTypes()[0]);
    if (window.strideW > 1 && window.dilationW != 1)
      return success();
    int64_t channels = outType.getDimSize(1), width = outType.getDimSize(3);
    int64_t lanes = dividingTile(width, vectorWidth);
    if (lanes < 4)
      lanes = vectorTile(width, vectorWidth);
    if (lanes < 4)
      return success();
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    if (int64_t s = window.strideW; s > 1) {
      OpOperand &operand = op->getOpOperand(window.input);
      Type element = getElementTypeOrSelf(operand.get().getType());
      // The phase copy's padding is never read; any value does.
      Value phases = splitWidthPhases(rewriter, loc, operand.get(), s,
                                      cast<TypedAttr>(rewriter.getZeroAttr(
                                          element)));
      MLIRContext *context = rewriter.getContext();
      AffineExpr d[6];
      bindDimsList(context, MutableArrayRef<AffineExpr>(d));
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      maps[window.input] = AffineMap::get(
          6, 0,
          {d[0], d[1], d[2] * window.strideH + d[4] * window.dilationH,
           d[5] % s, d[3] + d[5].floorDiv(s)},
          context);
      SmallVector<Value> inputs(op.getDpsInputs());
      inputs[window.input] = phases;
      auto split = linalg::GenericOp::create(
          rewriter, loc, op.getResultTypes(), inputs, op.getDpsInits(), maps,
          op.getIteratorTypesArray());
      rewriter.inlineRegionBefore(op.getRegion(), split.getRegion(),
                                  split.getRegion().begin());
      rewriter.replaceOp(op, split.getResults());
      op = split;
    }
    return tileAndVectorizeWindow(rewriter, op, channels, lanes);
  }

  /// Lanes along the innermost loop of `op`, when every operand reads it
  /// contiguously (or not at all: a broadcast) — no gathers, no transposed
  /// reads — and the shape is static; 0 otherwise.
  int64_t innermostLanes(linalg::LinalgOp op) {
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    if (bounds.empty() || llvm::any_of(bounds, ShapedType::isDynamic))
      return 0;
    unsigned inner = bounds.size() - 1;
    for (AffineMap map : op.getIndexingMapsArray()) {
      if (!map.isProjectedPermutation())
        return 0;
      for (unsigned r = 0; r + 1 < map.getNumResults(); ++r)
        if (map.getDimPosition(r) == inner)
          return 0; // The innermost loop walks a strided dimension.
    }
    if (op->walk([](linalg::IndexOp) { return WalkResult::interrupt(); })
            .wasInterrupted())
      return 0;
    int64_t lanes = dividingTile(bounds[inner], vectorWidth);
    return lanes >= 4 ? lanes : 0;
  }

  /// Tiles every loop of an all-parallel op by 1 but the innermost, by the
  /// vector, and vectorizes the tile. Anything the vectorizer refuses stays
  /// a (tiled) scalar loop nest.
  void vectorizeElementwise(RewriterBase &rewriter, linalg::LinalgOp op) {
    op = collapseInnermost(rewriter, op);
    int64_t lanes = innermostLanes(op);
    if (!lanes || failed(linalg::vectorizeOpPrecondition(op)))
      return;
    SmallVector<int64_t> tiles(op.getNumLoops(), 1);
    tiles.back() = lanes;
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), tiles));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return;
    rewriter.replaceOp(op, tiled->replacements);
    markParallel(rewriter, tiled->loops, op);
    (void)vectorizeOp(rewriter, tiled->tiledOps.front());
  }

  /// An element of an elementwise op or row reduction, in multiply-adds
  /// (octet-parallelize's unit): a few cycles of loads, stores and
  /// conversions, so ops of about 2^15 elements and up are worth splitting
  /// over threads.
  static constexpr int64_t kElementWork = 32;

  /// Marks the loops over an elementwise op's or row reduction's rows
  /// (independent) for octet-parallelize, with the op's work.
  void markParallel(RewriterBase &rewriter, ArrayRef<LoopLikeOpInterface> loops,
                    linalg::LinalgOp op) {
    int64_t elements = 1;
    for (int64_t range : op.getStaticLoopRanges())
      elements *= range;
    for (LoopLikeOpInterface loop : loops)
      loop->setAttr("octet.parallel",
                    rewriter.getI64IntegerAttr(elements * kElementWork));
  }

  /// `op` without unit loops and with its innermost loops merged into one,
  /// as far as every operand reads them contiguously or not at all: a
  /// [1, C, 7, 7] elementwise op becomes [C·49] (or [C, 49] next to a
  /// per-channel operand), so that small feature maps still fill whole
  /// vectors.
  linalg::LinalgOp collapseInnermost(RewriterBase &rewriter,
                                     linalg::LinalgOp op) {
    int64_t loops = op.getNumLoops();
    if (!isa<linalg::GenericOp>(op) || loops < 2 ||
        llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
      return op;
    // Only plain and broadcast reads (each index a loop or 0); ops that
    // compute indices (im2col) keep their shape.
    auto plainOrBroadcast = [](AffineMap map) {
      return llvm::all_of(map.getResults(), [](AffineExpr e) {
        auto constant = dyn_cast<AffineConstantExpr>(e);
        return isa<AffineDimExpr>(e) || (constant && constant.getValue() == 0);
      });
    };
    if (!llvm::all_of(op.getIndexingMapsArray(), plainOrBroadcast) ||
        op->walk([](linalg::IndexOp) { return WalkResult::interrupt(); })
            .wasInterrupted())
      return op;
    // First the unit dimensions: a broadcast read of [1, C, 1, 1] as
    // (d0, d1, 0, 0) becomes a projection, and unit loops go away.
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::DropUnitDimsResult> dropped = linalg::dropUnitDims(
        rewriter, cast<linalg::GenericOp>(op), linalg::ControlDropUnitDims());
    if (succeeded(dropped)) {
      rewriter.replaceOp(op, dropped->replacements);
      op = cast<linalg::LinalgOp>(dropped->resultOp.getOperation());
      loops = op.getNumLoops();
      if (loops < 2)
        return op;
    }
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (!llvm::all_of(maps,
                      [](AffineMap m) { return m.isProjectedPermutation(); }))
      return op;
    // A slice (e.g. the x86 int8 convolutions' output, cut from a wider
    // buffer) is strided in memory: merging its dimensions would make
    // bufferization copy it first.
    if (llvm::any_of(op->getOperands(), isSliceOfLarger))
      return op;
    for (int64_t first = 0; first + 1 < loops; ++first) {
      ReassociationIndices group;
      for (int64_t d = first; d < loops; ++d)
        group.push_back(d);
      if (!linalg::areDimSequencesPreserved(maps, {group}))
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::CollapseResult> collapsed =
          linalg::collapseOpIterationDims(op, {group}, rewriter);
      if (failed(collapsed))
        return op;
      rewriter.replaceOp(op, collapsed->results);
      return collapsed->collapsedOp;
    }
    return op;
  }

  /// A reduction over the innermost loop (softmax, layer norm, reduce_*):
  /// one row at a time, with `lanes` partial accumulators so that the loop
  /// body is a vector op (a serial chain over the whole row would gain
  /// nothing), merged once at the end of the row.
  void vectorizeRowReduction(RewriterBase &rewriter, linalg::LinalgOp op) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    unsigned inner = iterators.size() - 1;
    if (op.getNumReductionLoops() != 1 ||
        iterators[inner] != utils::IteratorType::reduction ||
        op.getNumDpsInits() != 1)
      return;
    int64_t lanes = innermostLanes(op);
    if (!lanes || failed(linalg::vectorizeOpPrecondition(op)))
      return;
    MLIRContext *context = &getContext();
    SmallVector<int64_t> rows(iterators.size(), 1);
    rows[inner] = 0;
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(context, rows));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return;
    rewriter.replaceOp(op, tiled->replacements);
    markParallel(rewriter, tiled->loops, op);
    Operation *row = tiled->tiledOps.front();

    SmallVector<int64_t> chunks(iterators.size(), 0);
    chunks[inner] = lanes;
    rewriter.setInsertionPoint(row);
    FailureOr<scf::SCFTilingResult> partial = scf::tileReductionUsingScf(
        rewriter, cast<PartialReductionOpInterface>(row),
        getAsIndexOpFoldResult(context, chunks));
    if (failed(partial))
      return; // No known neutral element: the row stays scalar.
    rewriter.replaceOp(row, partial->replacements);
    SmallVector<Operation *> parts;
    for (Value init : partial->initialValues)
      if (Operation *fill = init.getDefiningOp())
        parts.push_back(fill);
    llvm::append_range(parts, partial->tiledOps);
    llvm::append_range(parts, partial->mergeOps);
    for (Operation *part : parts)
      if (isa<linalg::LinalgOp>(part))
        (void)vectorizeOp(rewriter, part);
  }

  void addCanonicalizations(RewritePatternSet &patterns) {
    MLIRContext *context = &getContext();
    for (Dialect *dialect : context->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : context->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, context);
  }

  /// Multiply-reduce -> vector.contract first (in its own round, before
  /// anything lowers the reduction), then vector.contract -> outer
  /// products -> FMAs on whole vectors.
  LogicalResult lowerVectorOps() {
    MLIRContext *context = &getContext();
    RewritePatternSet toContract(context);
    vector::populateVectorReductionToContractPatterns(toContract);
    vector::populateVectorTransferPermutationMapLoweringPatterns(toContract);
    addCanonicalizations(toContract);
    if (failed(applyPatternsGreedily(getOperation(), std::move(toContract))))
      return failure();
    RewritePatternSet lowering(context);
    vector::populateVectorContractLoweringPatterns(
        lowering, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorTransferPermutationMapLoweringPatterns(lowering);
    vector::populateVectorMultiReductionLoweringPatterns(
        lowering, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateVectorOuterProductLoweringPatterns(lowering);
    addCanonicalizations(lowering);
    return applyPatternsGreedily(getOperation(), std::move(lowering));
  }
};
} // namespace
