//===- FuseActivation.cpp - Bias adds and activations into conv/gemm ------===//
//
// A conv or gemm kernel applies its bias and activation while the result is
// still in registers; these patterns move standalone bias adds and
// activations into that epilogue.
//
//===----------------------------------------------------------------------===//

#include "ConstantUtils.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETFUSEACTIVATIONPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
/// Counts successful rewrites into a pass's statistics, when there are.
struct Counter {
  Pass::Statistic *statistic = nullptr;
  PassCounter *counter = nullptr;
  void bump() const {
    if (statistic)
      ++*statistic;
    if (counter)
      ++*counter;
  }
};

/// The operand of `add` that is produced by an op of type OpTy with no
/// other users, and the other operand.
template <typename OpTy>
std::optional<std::pair<OpTy, Value>> matchAddOperand(AddOp add) {
  for (int i = 0; i < 2; ++i) {
    auto producer = add->getOperand(i).getDefiningOp<OpTy>();
    if (producer && producer->hasOneUse())
      return std::make_pair(producer, add->getOperand(1 - i));
  }
  return std::nullopt;
}

/// add(conv2d(x, w[, b]), c) with a constant c that is the same along all
/// but the channel axis -> conv2d(x, w, b + c).
struct FuseConvBiasAdd : OpRewritePattern<AddOp> {
  FuseConvBiasAdd(MLIRContext *context, Counter counter)
      : OpRewritePattern(context), counter(counter) {}

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    auto match = matchAddOperand<Conv2DOp>(add);
    if (!match)
      return rewriter.notifyMatchFailure(add, "no single-use conv2d operand");
    auto [conv, other] = *match;
    if (conv.getActivation())
      return rewriter.notifyMatchFailure(add, "the conv has an activation");
    if (add.getType() != conv.getType())
      return rewriter.notifyMatchFailure(add, "the add broadcasts the conv");
    auto c = getConstantFloats(other);
    if (failed(c))
      return rewriter.notifyMatchFailure(add, "the addend is not constant");
    // Right-aligned against [N, O, H, W], only O may differ from 1.
    auto cType = cast<RankedTensorType>(other.getType());
    auto outType = cast<RankedTensorType>(conv.getType());
    int64_t channels = outType.getDimSize(1);
    SmallVector<int64_t> shape(4 - cType.getRank(), 1);
    llvm::append_range(shape, cType.getShape());
    if (shape[0] != 1 || shape[2] != 1 || shape[3] != 1)
      return rewriter.notifyMatchFailure(add, "the addend is not per channel");
    SmallVector<double> bias(channels, 0.0);
    if (Value old = conv.getBias()) {
      auto values = getConstantFloats(old);
      if (failed(values))
        return rewriter.notifyMatchFailure(add, "the conv bias is not constant");
      bias = *values;
    }
    for (int64_t o = 0; o < channels; ++o)
      bias[o] += (*c)[shape[1] == 1 ? 0 : o];
    Value newBias = createFloatConstant(
        rewriter, add.getLoc(),
        RankedTensorType::get({channels}, outType.getElementType()), bias);
    rewriter.modifyOpInPlace(conv, [&] {
      if (conv.getBias())
        conv.getBiasMutable().assign(newBias);
      else
        conv.getBiasMutable().append(newBias);
      conv->setLoc(rewriter.getFusedLoc({conv.getLoc(), add.getLoc()}));
    });
    // The new bias is defined after the conv: move the conv down to the add.
    rewriter.moveOpBefore(conv, add);
    rewriter.replaceOp(add, conv.getResult());
    counter.bump();
    return success();
  }
  Counter counter;
};

/// add(matmul(a, b), c) on matrices -> gemm(a, b, c); add(gemm(a, b), c)
/// without a bias -> gemm(a, b, c).
struct FuseGemmBiasAdd : OpRewritePattern<AddOp> {
  FuseGemmBiasAdd(MLIRContext *context, Counter counter)
      : OpRewritePattern(context), counter(counter) {}

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    Value a, b, other;
    FloatAttr alpha = rewriter.getF32FloatAttr(1.0);
    bool transA = false, transB = false;
    Operation *producer;
    if (auto match = matchAddOperand<GemmOp>(add)) {
      auto [gemm, value] = *match;
      if (gemm.getC() || gemm.getActivation())
        return rewriter.notifyMatchFailure(add, "the gemm has a bias or act");
      a = gemm.getA(), b = gemm.getB(), other = value;
      alpha = gemm.getAlphaAttr();
      transA = gemm.getTransA(), transB = gemm.getTransB();
      producer = gemm;
    } else if (auto match = matchAddOperand<MatMulOp>(add)) {
      auto [matmul, value] = *match;
      a = matmul.getLhs(), b = matmul.getRhs(), other = value;
      producer = matmul;
    } else {
      return rewriter.notifyMatchFailure(add, "no single-use gemm or matmul");
    }
    if (cast<RankedTensorType>(a.getType()).getRank() != 2 ||
        cast<RankedTensorType>(b.getType()).getRank() != 2)
      return rewriter.notifyMatchFailure(add, "a matmul that is not 2-D");
    // gemm's C only broadcasts towards [M, N]; it never widens the result.
    if (add.getType() != producer->getResult(0).getType())
      return rewriter.notifyMatchFailure(add, "the add broadcasts the product");
    auto gemm = GemmOp::create(
        rewriter, rewriter.getFusedLoc({producer->getLoc(), add.getLoc()}),
        add.getType(), a, b, other, alpha, rewriter.getF32FloatAttr(1.0),
        rewriter.getBoolAttr(transA), rewriter.getBoolAttr(transB),
        ActivationAttr());
    rewriter.replaceOp(add, gemm.getResult());
    rewriter.eraseOp(producer);
    counter.bump();
    return success();
  }
  Counter counter;
};

ActivationAttr makeActivation(MLIRContext *context, ActivationKind kind,
                              double alpha = 0.0, double beta = 0.0) {
  return ActivationAttr::get(context, kind, APFloat(alpha), APFloat(beta));
}

/// The fused form of an activation op, or null when kernels have none.
ActivationAttr getFusedActivation(Operation *op) {
  MLIRContext *context = op->getContext();
  if (isa<ReluOp>(op))
    return makeActivation(context, ActivationKind::relu);
  if (isa<SigmoidOp>(op))
    return makeActivation(context, ActivationKind::sigmoid);
  if (isa<HardSwishOp>(op))
    return makeActivation(context, ActivationKind::hard_swish);
  if (auto clip = dyn_cast<ClipOp>(op))
    return makeActivation(context, ActivationKind::clip,
                          clip.getMin().convertToDouble(),
                          clip.getMax().convertToDouble());
  if (auto leaky = dyn_cast<LeakyReluOp>(op))
    return makeActivation(context, ActivationKind::leaky_relu,
                          leaky.getAlpha().convertToDouble());
  if (auto hard = dyn_cast<HardSigmoidOp>(op))
    return makeActivation(context, ActivationKind::hard_sigmoid,
                          hard.getAlpha().convertToDouble(),
                          hard.getBeta().convertToDouble());
  return {};
}

/// A relu or clip as the interval it clamps to.
std::optional<std::pair<double, double>> clampInterval(ActivationAttr act) {
  if (!act)
    return std::nullopt;
  if (act.getKind() == ActivationKind::relu)
    return std::make_pair(0.0, std::numeric_limits<double>::infinity());
  if (act.getKind() == ActivationKind::clip)
    return std::make_pair(act.getAlpha().convertToDouble(),
                          act.getBeta().convertToDouble());
  return std::nullopt;
}

/// `second(first(x))` as one activation when both clamp to overlapping
/// intervals (ReLU then Clip(0, 6) is ReLU6, as torch exports it); null
/// otherwise.
ActivationAttr composeActivations(ActivationAttr first,
                                  ActivationAttr second) {
  auto a = clampInterval(first), b = clampInterval(second);
  if (!a || !b)
    return {};
  double lo = std::max(a->first, b->first);
  double hi = std::min(a->second, b->second);
  if (lo > hi)
    return {};
  if (lo == 0.0 && std::isinf(hi))
    return makeActivation(first.getContext(), ActivationKind::relu);
  return makeActivation(first.getContext(), ActivationKind::clip, lo, hi);
}

/// act(conv2d | gemm | 2-D matmul) -> the producer with the activation in
/// its epilogue.
template <typename ActOp> struct FuseActivation : OpRewritePattern<ActOp> {
  FuseActivation(MLIRContext *context, Counter counter)
      : OpRewritePattern<ActOp>(context), counter(counter) {}

  LogicalResult matchAndRewrite(ActOp op,
                                PatternRewriter &rewriter) const override {
    ActivationAttr act = getFusedActivation(op);
    Operation *producer = op.getInput().getDefiningOp();
    if (!producer || !producer->hasOneUse())
      return rewriter.notifyMatchFailure(op, "no single-use producer");
    Location loc = rewriter.getFusedLoc({producer->getLoc(), op.getLoc()});
    auto setActivation = [&](auto fusable) -> LogicalResult {
      ActivationAttr fused = act;
      if (auto existing = fusable.getActivationAttr()) {
        fused = composeActivations(existing, act);
        if (!fused)
          return rewriter.notifyMatchFailure(op, "already has an activation");
      }
      rewriter.modifyOpInPlace(fusable, [&] {
        fusable.setActivationAttr(fused);
        fusable->setLoc(loc);
      });
      rewriter.replaceOp(op, fusable->getResults());
      counter.bump();
      return success();
    };
    if (auto conv = dyn_cast<Conv2DOp>(producer))
      return setActivation(conv);
    if (auto gemm = dyn_cast<GemmOp>(producer))
      return setActivation(gemm);
    auto matmul = dyn_cast<MatMulOp>(producer);
    if (!matmul || matmul.getLhs().getType().getRank() != 2 ||
        matmul.getRhs().getType().getRank() != 2)
      return rewriter.notifyMatchFailure(op, "no fusable producer");
    auto gemm = GemmOp::create(
        rewriter, loc, matmul.getType(), matmul.getLhs(), matmul.getRhs(),
        Value(), rewriter.getF32FloatAttr(1.0), rewriter.getF32FloatAttr(1.0),
        rewriter.getBoolAttr(false), rewriter.getBoolAttr(false), act);
    rewriter.replaceOp(op, gemm.getResult());
    rewriter.eraseOp(matmul);
    counter.bump();
    return success();
  }
  Counter counter;
};

void addPatterns(RewritePatternSet &patterns, Counter biases,
                 Counter activations) {
  MLIRContext *context = patterns.getContext();
  patterns.add<FuseConvBiasAdd, FuseGemmBiasAdd>(context, biases);
  patterns.add<FuseActivation<ReluOp>, FuseActivation<ClipOp>,
               FuseActivation<LeakyReluOp>, FuseActivation<SigmoidOp>,
               FuseActivation<HardSigmoidOp>, FuseActivation<HardSwishOp>>(
      context, activations);
}

struct OctetFuseActivationPass
    : octet::impl::OctetFuseActivationPassBase<OctetFuseActivationPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    addPatterns(patterns, Counter{&numBiases, &biases},
                Counter{&numActivations, &activations});
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }

  PassCounter biases{getArgument(), "biases", "Bias adds fused"};
  PassCounter activations{getArgument(), "activations", "Activations fused"};
};
} // namespace

void mlir::octet::populateFuseActivationPatterns(RewritePatternSet &patterns) {
  addPatterns(patterns, Counter{}, Counter{});
}
