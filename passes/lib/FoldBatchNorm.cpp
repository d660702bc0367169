//===- FoldBatchNorm.cpp - Conv/Gemm + inference BatchNorm -> one op ------===//

#include "ConstantUtils.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETFOLDBATCHNORMPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
/// The batch norm as a per-channel affine map `y = x·scale + shift`.
struct ChannelAffine {
  SmallVector<double> scale, shift;
};

FailureOr<ChannelAffine> getChannelAffine(BatchNormOp bn) {
  auto gamma = getConstantFloats(bn.getScale());
  auto beta = getConstantFloats(bn.getBias());
  auto mean = getConstantFloats(bn.getMean());
  auto var = getConstantFloats(bn.getVariance());
  if (failed(gamma) || failed(beta) || failed(mean) || failed(var))
    return failure();
  double eps = bn.getEpsilon().convertToDouble();
  ChannelAffine affine;
  for (size_t c = 0; c < gamma->size(); ++c) {
    double factor = (*gamma)[c] / std::sqrt((*var)[c] + eps);
    affine.scale.push_back(factor);
    affine.shift.push_back((*beta)[c] - (*mean)[c] * factor);
  }
  return affine;
}

struct FoldConvBatchNorm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<Conv2DOp>();
    if (!conv)
      return rewriter.notifyMatchFailure(bn, "input is not a conv2d");
    if (!conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "the conv has other users");
    if (conv.getActivation())
      return rewriter.notifyMatchFailure(bn, "the conv has a fused activation");
    auto w = getConstantFloats(conv.getWeight());
    auto affine = getChannelAffine(bn);
    if (failed(w) || failed(affine))
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    int64_t channels = wType.getDimSize(0);
    SmallVector<double> b(channels, 0.0);
    if (Value bias = conv.getBias()) {
      auto values = getConstantFloats(bias);
      if (failed(values))
        return rewriter.notifyMatchFailure(bn, "conv bias is not constant");
      b = *values;
    }
    int64_t perChannel = wType.getNumElements() / channels;
    SmallVector<double> newW(*w), newB(channels);
    for (int64_t c = 0; c < channels; ++c) {
      for (int64_t i = 0; i < perChannel; ++i)
        newW[c * perChannel + i] *= affine->scale[c];
      newB[c] = b[c] * affine->scale[c] + affine->shift[c];
    }
    Location loc = bn.getLoc();
    Value weight = createFloatConstant(rewriter, loc, wType, newW);
    Value bias = createFloatConstant(
        rewriter, loc,
        RankedTensorType::get({channels}, wType.getElementType()), newB);
    auto fused = Conv2DOp::create(
        rewriter, rewriter.getFusedLoc({conv.getLoc(), loc}), conv.getInput(),
        weight, bias, conv.getStridesAttr(), conv.getDilationsAttr(),
        conv.getPadsAttr(), conv.getGroupAttr(), ActivationAttr());
    rewriter.replaceOp(bn, fused.getResult());
    rewriter.eraseOp(conv);
    return success();
  }
};

/// A 2-D gemm or matmul with a constant weight, seen as `alpha·A·op(B) +
/// beta·C`; batch norm on its `[M, N]` result normalizes column n.
struct FoldGemmBatchNorm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    Operation *producer = bn.getInput().getDefiningOp();
    auto gemm = dyn_cast_or_null<GemmOp>(producer);
    auto matmul = dyn_cast_or_null<MatMulOp>(producer);
    if (!gemm && !matmul)
      return rewriter.notifyMatchFailure(bn, "input is not a gemm or matmul");
    if (!producer->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "the producer has other users");
    if (gemm && gemm.getActivation())
      return rewriter.notifyMatchFailure(bn, "the gemm has a fused activation");
    Value a = gemm ? gemm.getA() : matmul.getLhs();
    Value weight = gemm ? gemm.getB() : matmul.getRhs();
    auto aType = cast<RankedTensorType>(a.getType());
    auto wType = cast<RankedTensorType>(weight.getType());
    if (aType.getRank() != 2 || wType.getRank() != 2)
      return rewriter.notifyMatchFailure(bn, "a matmul that is not 2-D");
    bool transB = gemm && gemm.getTransB();
    int64_t n = transB ? wType.getDimSize(0) : wType.getDimSize(1);
    int64_t k = transB ? wType.getDimSize(1) : wType.getDimSize(0);

    auto w = getConstantFloats(weight);
    auto affine = getChannelAffine(bn);
    if (failed(w) || failed(affine))
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    // beta·C per column; a C that varies along rows cannot be folded.
    SmallVector<double> c(n, 0.0);
    if (gemm && gemm.getC()) {
      auto values = getConstantFloats(gemm.getC());
      if (failed(values))
        return rewriter.notifyMatchFailure(bn, "gemm bias is not constant");
      auto cType = cast<RankedTensorType>(gemm.getC().getType());
      bool perColumn = values->size() == 1 ||
                       (int64_t(values->size()) == n &&
                        cType.getDimSize(cType.getRank() - 1) == n);
      if (!perColumn)
        return rewriter.notifyMatchFailure(bn, "gemm bias varies along rows");
      double beta = gemm.getBeta().convertToDouble();
      for (int64_t j = 0; j < n; ++j)
        c[j] = beta * (*values)[values->size() == 1 ? 0 : j];
    }
    SmallVector<double> newW(*w), newC(n);
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t i = 0; i < k; ++i)
        newW[transB ? j * k + i : i * n + j] *= affine->scale[j];
      newC[j] = c[j] * affine->scale[j] + affine->shift[j];
    }
    Location loc = bn.getLoc();
    Type element = wType.getElementType();
    Value newWeight = createFloatConstant(rewriter, loc, wType, newW);
    Value bias = createFloatConstant(rewriter, loc,
                                     RankedTensorType::get({n}, element), newC);
    auto f32 = rewriter.getF32Type();
    auto fused = GemmOp::create(
        rewriter, rewriter.getFusedLoc({producer->getLoc(), loc}),
        bn.getType(), a, newWeight, bias,
        gemm ? gemm.getAlphaAttr() : rewriter.getFloatAttr(f32, 1.0),
        rewriter.getFloatAttr(f32, 1.0),
        rewriter.getBoolAttr(gemm && gemm.getTransA()),
        rewriter.getBoolAttr(transB), ActivationAttr());
    rewriter.replaceOp(bn, fused.getResult());
    rewriter.eraseOp(producer);
    return success();
  }
};

struct OctetFoldBatchNormPass
    : octet::impl::OctetFoldBatchNormPassBase<OctetFoldBatchNormPass> {
  using Base::Base;
  void runOnOperation() override {
    int64_t before = 0;
    getOperation().walk([&](BatchNormOp) { ++before; });
    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    int64_t after = 0;
    getOperation().walk([&](BatchNormOp) { ++after; });
    numFolded = before - after;
    folded += before - after;
  }

  PassCounter folded{getArgument(), "folded", "Batch normalizations folded"};
};
} // namespace

void mlir::octet::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldConvBatchNorm, FoldGemmBatchNorm>(patterns.getContext());
}
