//===- FoldBatchNorm.cpp - Conv + inference BatchNorm -> one Conv ---------===//

#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"

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
/// The values of a constant float tensor, or failure.
FailureOr<SmallVector<double>> constantValues(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  if (!constant)
    return failure();
  DenseElementsAttr dense = getDenseElements(constant.getValue());
  if (!dense)
    return failure();
  if (!isa<FloatType>(dense.getElementType()))
    return failure();
  SmallVector<double> values;
  for (APFloat f : dense.getValues<APFloat>()) {
    bool lost;
    f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    values.push_back(f.convertToDouble());
  }
  return values;
}

/// A constant tensor of `type` holding `values` (rounded once).
Value makeConstant(PatternRewriter &rewriter, Location loc,
                   RankedTensorType type, ArrayRef<double> values) {
  SmallVector<APFloat> elements;
  auto floatType = cast<FloatType>(type.getElementType());
  for (double v : values) {
    APFloat f(v);
    bool lost;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    elements.push_back(f);
  }
  return ConstantOp::create(rewriter, loc,
                            DenseElementsAttr::get(type, elements));
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
    auto w = constantValues(conv.getWeight());
    auto gamma = constantValues(bn.getScale());
    auto beta = constantValues(bn.getBias());
    auto mean = constantValues(bn.getMean());
    auto var = constantValues(bn.getVariance());
    if (failed(w) || failed(gamma) || failed(beta) || failed(mean) ||
        failed(var))
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    SmallVector<double> b;
    if (Value bias = conv.getBias()) {
      auto values = constantValues(bias);
      if (failed(values))
        return rewriter.notifyMatchFailure(bn, "conv bias is not constant");
      b = *values;
    }
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    int64_t channels = wType.getDimSize(0);
    int64_t perChannel = wType.getNumElements() / channels;
    if (b.empty())
      b.assign(channels, 0.0);
    double eps = bn.getEpsilon().convertToDouble();
    SmallVector<double> newW(*w), newB(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double factor = (*gamma)[c] / std::sqrt((*var)[c] + eps);
      for (int64_t i = 0; i < perChannel; ++i)
        newW[c * perChannel + i] = (*w)[c * perChannel + i] * factor;
      newB[c] = (b[c] - (*mean)[c]) * factor + (*beta)[c];
    }
    Location loc = bn.getLoc();
    Value weight = makeConstant(rewriter, loc, wType, newW);
    Value bias = makeConstant(
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
  }
};
} // namespace

void mlir::octet::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldConvBatchNorm>(patterns.getContext());
}
