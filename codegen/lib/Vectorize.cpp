//===- Vectorize.cpp - Register tiles and vectors for contractions --------===//
//
// The recipe (measured in docs/codegen-performance.md): convolutions go
// through im2col so every heavy op is a contraction; each contraction is
// tiled to `rows x vector` register tiles with a unit-step reduction loop,
// vectorized to vector.contract, lowered to outer products, and its
// accumulator hoisted out of the reduction loop.
//
//===----------------------------------------------------------------------===//

#include "octet/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
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

/// Register-tile sizes for a contraction: 1 for batch, outer m/n and k
/// dimensions; `rows` on the innermost m dimension, `width` on the
/// innermost n dimension (the contiguous one of the result).
std::optional<SmallVector<int64_t>>
contractionTileSizes(linalg::LinalgOp op, int64_t rows, int64_t width) {
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
  tiles[n] = dividingTile(bounds[n], width);
  // A one-element vector gains nothing over the scalar loops.
  if (tiles[n] < 4)
    return std::nullopt;
  return tiles;
}

struct OctetVectorizePass
    : octet::impl::OctetVectorizePassBase<OctetVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());

    // Convolutions as im2col + a contraction.
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    func.walk([&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      rewriter.setInsertionPoint(conv);
      // Unsupported forms (dynamic shapes) keep the direct loops.
      (void)linalg::rewriteInIm2Col(rewriter, conv);
    }

    SmallVector<linalg::LinalgOp> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && linalg::isaContractionOpInterface(op))
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions)
      if (failed(tileAndVectorize(rewriter, op)))
        return signalPassFailure();

    if (failed(lowerVectorOps()))
      return signalPassFailure();
    // Keep accumulators in registers: the transfer_read/transfer_write pair
    // of each reduction loop's iter_arg moves out of the loop, innermost
    // loops first.
    func.walk([&](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
    func.walk([&](scf::ForOp loop) {
      hoistLoopInvariantSubsets(rewriter, cast<LoopLikeOpInterface>(*loop));
    });
  }

  LogicalResult tileAndVectorize(RewriterBase &rewriter, linalg::LinalgOp op) {
    std::optional<SmallVector<int64_t>> tiles =
        contractionTileSizes(op, tileRows, vectorWidth);
    if (!tiles)
      return success(); // Left to the scalar loops.
    rewriter.setInsertionPoint(op);
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(op.getContext(), *tiles));
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return op.emitError("octet-vectorize: tiling failed");
    rewriter.replaceOp(op, tiled->replacements);
    Operation *tile = tiled->tiledOps.front();
    rewriter.setInsertionPoint(tile);
    FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
        rewriter, tile, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/true);
    if (failed(vectorized))
      return tile->emitError("octet-vectorize: vectorization failed");
    rewriter.replaceOp(tile, vectorized->replacements);
    return success();
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
