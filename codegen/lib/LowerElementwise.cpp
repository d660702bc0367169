//===- LowerElementwise.cpp - Elementwise octet ops to linalg.generic -----===//
//
// Every elementwise op (numpy-broadcasting binaries, unaries, activations,
// casts) becomes one `linalg.generic` whose body is arith/math on scalars.
// Transcendentals use the math dialect; codegen expands them into
// polynomials, so the object file needs no libm.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

#include <limits>

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::lowering;

namespace {
/// Lowers a one-input op whose scalar semantics is `Fn(builder, loc, x, op)`.
template <typename OpTy, typename Fn>
struct UnaryLowering : OpRewritePattern<OpTy> {
  UnaryLowering(MLIRContext *ctx, Fn fn)
      : OpRewritePattern<OpTy>(ctx), fn(fn) {}
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result =
        buildElementwise(rewriter, op.getLoc(), type, op->getOperands(),
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return fn(b, loc, args[0], op);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
  Fn fn;
};

template <typename OpTy, typename Fn>
void addUnary(RewritePatternSet &patterns, Fn fn) {
  patterns.add<UnaryLowering<OpTy, Fn>>(patterns.getContext(), fn);
}

/// Lowers a broadcasting binary op to `ArithOp` on scalars.
template <typename OpTy, typename ArithOp>
struct BinaryLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value result = buildElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        op->getOperands(), [](OpBuilder &b, Location loc, ValueRange args) {
          return ArithOp::create(b, loc, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// x^y as C's pow: math.powf expands to exp(y·log x), which is NaN for a
/// negative base, so the base's magnitude goes through it and the sign is
/// restored for integer exponents (odd: negative); a negative base with a
/// fractional exponent is NaN, and x^0 is 1 (even 0^0 and NaN^0).
struct PowLowering : OpRewritePattern<PowOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PowOp op,
                                PatternRewriter &rewriter) const override {
    Value result = buildElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        op->getOperands(), [](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0], y = args[1];
          Type t = x.getType();
          auto c = [&](double v) { return floatConstant(b, loc, t, v); };
          Value magnitude = math::PowFOp::create(
              b, loc, math::AbsFOp::create(b, loc, x), y);
          Value isInteger = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OEQ, y,
              math::FloorOp::create(b, loc, y));
          Value half = arith::MulFOp::create(b, loc, y, c(0.5));
          Value isOdd = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::ONE, half,
              math::FloorOp::create(b, loc, half));
          Value negated = arith::SelectOp::create(
              b, loc, isOdd, arith::NegFOp::create(b, loc, magnitude),
              magnitude);
          Value forNegative = arith::SelectOp::create(
              b, loc, isInteger, negated,
              c(std::numeric_limits<double>::quiet_NaN()));
          Value isNegative = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OLT, x, c(0.0));
          Value r = arith::SelectOp::create(b, loc, isNegative, forNegative,
                                            magnitude);
          Value isZeroExponent = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OEQ, y, c(0.0));
          return arith::SelectOp::create(b, loc, isZeroExponent, c(1.0), r)
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// octet.cast between integer and float types, with ONNX's conversions.
/// arith takes signless integers, so integer values are reinterpreted around
/// the conversion and the source/target signedness picks the op.
struct CastLowering : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    Type from = op.getInput().getType().getElementType();
    Type to = op.getOutput().getType().getElementType();
    Value result = buildElementwise(
        rewriter, op.getLoc(), op.getOutput().getType(), op.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x =
              isa<FloatType>(from) ? args[0] : toSignless(b, loc, args[0]);
          Value y = castScalar(b, loc, x, from, to);
          return isa<FloatType>(to) ? y : fromSignless(b, loc, y, to);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  /// Converts signless/float `x` (of ONNX type `from`) to `to`'s signless
  /// or float type.
  static Value castScalar(OpBuilder &b, Location loc, Value x, Type from,
                          Type to) {
    bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
    Type target =
        toFloat ? to
                : IntegerType::get(b.getContext(), to.getIntOrFloatBitWidth());
    if (fromFloat && toFloat)
      return from.getIntOrFloatBitWidth() > to.getIntOrFloatBitWidth()
                 ? arith::TruncFOp::create(b, loc, target, x).getResult()
                 : arith::ExtFOp::create(b, loc, target, x).getResult();
    if (fromFloat)
      return to.isUnsignedInteger()
                 ? arith::FPToUIOp::create(b, loc, target, x).getResult()
                 : arith::FPToSIOp::create(b, loc, target, x).getResult();
    if (toFloat)
      return from.isUnsignedInteger()
                 ? arith::UIToFPOp::create(b, loc, target, x).getResult()
                 : arith::SIToFPOp::create(b, loc, target, x).getResult();
    unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
    if (fw == tw)
      return x; // Same width: the bits are the value (ONNX wraps).
    if (fw > tw)
      return arith::TruncIOp::create(b, loc, target, x);
    return from.isUnsignedInteger()
               ? arith::ExtUIOp::create(b, loc, target, x).getResult()
               : arith::ExtSIOp::create(b, loc, target, x).getResult();
  }
};

Value constantLike(OpBuilder &b, Location loc, Value x, double v) {
  return floatConstant(b, loc, x.getType(), v);
}
} // namespace

void mlir::octet::populateLowerElementwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<BinaryLowering<AddOp, arith::AddFOp>,
               BinaryLowering<SubOp, arith::SubFOp>,
               BinaryLowering<MulOp, arith::MulFOp>,
               BinaryLowering<DivOp, arith::DivFOp>,
               PowLowering, CastLowering>(
      patterns.getContext());

  addUnary<SqrtOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return math::SqrtOp::create(b, l, x).getResult();
  });
  addUnary<ExpOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return math::ExpOp::create(b, l, x).getResult();
  });
  addUnary<LogOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return math::LogOp::create(b, l, x).getResult();
  });
  addUnary<ErfOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return math::ErfOp::create(b, l, x).getResult();
  });
  addUnary<NegOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return arith::NegFOp::create(b, l, x).getResult();
  });
  addUnary<AbsOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return math::AbsFOp::create(b, l, x).getResult();
  });
  addUnary<TanhOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return math::TanhOp::create(b, l, x).getResult();
  });
  addUnary<ReluOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return applyActivation(b, l, x,
                           ActivationAttr::get(b.getContext(),
                                               ActivationKind::relu,
                                               APFloat(0.0), APFloat(0.0)));
  });
  addUnary<SigmoidOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return applyActivation(b, l, x,
                           ActivationAttr::get(b.getContext(),
                                               ActivationKind::sigmoid,
                                               APFloat(0.0), APFloat(0.0)));
  });
  addUnary<HardSwishOp>(patterns, [](OpBuilder &b, Location l, Value x, auto) {
    return applyActivation(b, l, x,
                           ActivationAttr::get(b.getContext(),
                                               ActivationKind::hard_swish,
                                               APFloat(0.0), APFloat(0.0)));
  });
  addUnary<ClipOp>(patterns, [](OpBuilder &b, Location l, Value x, ClipOp op) {
    Value lo =
        floatMax(b, l, x, constantLike(b, l, x, op.getMin().convertToDouble()));
    return floatMin(b, l, lo,
                    constantLike(b, l, x, op.getMax().convertToDouble()));
  });
  addUnary<LeakyReluOp>(
      patterns, [](OpBuilder &b, Location l, Value x, LeakyReluOp op) {
        return applyActivation(
            b, l, x,
            ActivationAttr::get(b.getContext(), ActivationKind::leaky_relu,
                                APFloat(op.getAlpha().convertToDouble()),
                                APFloat(0.0)));
      });
  addUnary<HardSigmoidOp>(
      patterns, [](OpBuilder &b, Location l, Value x, HardSigmoidOp op) {
        return applyActivation(
            b, l, x,
            ActivationAttr::get(b.getContext(), ActivationKind::hard_sigmoid,
                                APFloat(op.getAlpha().convertToDouble()),
                                APFloat(op.getBeta().convertToDouble())));
      });
  addUnary<GeluOp>(patterns, [](OpBuilder &b, Location l, Value x, GeluOp op) {
    auto c = [&](double v) { return constantLike(b, l, x, v); };
    Value half = arith::MulFOp::create(b, l, x, c(0.5));
    Value inner;
    if (op.getApproximate() == GeluApproximation::tanh) {
      // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
      Value x3 =
          arith::MulFOp::create(b, l, x, arith::MulFOp::create(b, l, x, x));
      Value poly = arith::AddFOp::create(
          b, l, x, arith::MulFOp::create(b, l, x3, c(0.044715)));
      inner = math::TanhOp::create(
          b, l, arith::MulFOp::create(b, l, poly, c(std::sqrt(2.0 / M_PI))));
    } else {
      inner = math::ErfOp::create(b, l,
                                  arith::MulFOp::create(b, l, x, c(M_SQRT1_2)));
    }
    return arith::MulFOp::create(b, l, half,
                                 arith::AddFOp::create(b, l, c(1.0), inner))
        .getResult();
  });
}
