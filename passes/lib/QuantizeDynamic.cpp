//===- QuantizeDynamic.cpp - Run-time activation scales for gemm/matmul ---===//

#include "ConstantUtils.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/QuantizationMath.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETQUANTIZEDYNAMICPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
/// `act` as a standalone op on `y`.
Value applyActivationOp(OpBuilder &b, Location loc, Value y,
                        ActivationAttr act) {
  if (!act)
    return y;
  double alpha = act.getAlpha().convertToDouble();
  double beta = act.getBeta().convertToDouble();
  switch (act.getKind()) {
  case ActivationKind::none:
    return y;
  case ActivationKind::relu:
    return ReluOp::create(b, loc, y);
  case ActivationKind::clip:
    return ClipOp::create(b, loc, y, b.getF32FloatAttr(alpha),
                          b.getF32FloatAttr(beta));
  case ActivationKind::leaky_relu:
    return LeakyReluOp::create(b, loc, y, b.getF32FloatAttr(alpha));
  case ActivationKind::sigmoid:
    return SigmoidOp::create(b, loc, y);
  case ActivationKind::hard_sigmoid:
    return HardSigmoidOp::create(b, loc, y, b.getF32FloatAttr(alpha),
                                 b.getF32FloatAttr(beta));
  case ActivationKind::hard_swish:
    return HardSwishOp::create(b, loc, y);
  }
  return y;
}

struct OctetQuantizeDynamicPass
    : octet::impl::OctetQuantizeDynamicPassBase<OctetQuantizeDynamicPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> layers;
    getOperation().walk([&](Operation *op) {
      if (isa<GemmOp, MatMulOp>(op))
        layers.push_back(op);
    });
    for (Operation *op : layers)
      if (quantize(op)) {
        ++numQuantized;
        ++quantized;
      }
    SmallVector<Operation *> recurrent;
    getOperation().walk([&](Operation *op) {
      if (isa<GruOp, LstmOp>(op))
        recurrent.push_back(op);
    });
    for (Operation *op : recurrent)
      if (quantizeRecurrent(op)) {
        ++numQuantized;
        ++quantized;
      }
  }

  /// GRU/LSTM: the op takes int8 weights (operands 1 and 2), one scale per
  /// row shared by the directions, and quantizes what they multiply at run
  /// time in its lowering.
  bool quantizeRecurrent(Operation *op) {
    SmallVector<std::pair<RankedTensorType, QuantizedWeights>> weights;
    for (unsigned i : {1u, 2u}) {
      Value weight = op->getOperand(i);
      auto type = cast<RankedTensorType>(weight.getType());
      auto values = getConstantFloats(weight);
      if (failed(values) || !type.getElementType().isF32())
        return false;
      weights.push_back({type, quantizeWeights(*values, type.getShape(), 1,
                                               /*perTensor=*/false)});
    }
    OpBuilder b(op);
    MLIRContext *context = &getContext();
    auto i8 = IntegerType::get(context, 8);
    for (auto [i, weight] : llvm::enumerate(weights)) {
      auto &[type, q] = weight;
      SmallVector<APInt> ints;
      for (int64_t v : q.values)
        ints.push_back(APInt(8, v, /*isSigned=*/true));
      Value stored = ConstantOp::create(
          b, op->getLoc(), DenseElementsAttr::get(type.clone(i8), ints));
      auto element = quant::UniformQuantizedPerAxisType::get(
          quant::QuantizationFlags::Signed, i8, type.getElementType(),
          q.scales, SmallVector<int64_t>(q.scales.size(), 0), 1, -127, 127);
      op->setOperand(i + 1, quant::StorageCastOp::create(
                                b, op->getLoc(), type.clone(element), stored));
    }
    return true;
  }

  bool quantize(Operation *op) {
    auto gemm = dyn_cast<GemmOp>(op);
    if (gemm && (gemm.getTransA() || gemm.getTransB() ||
                 gemm.getAlpha().convertToDouble() != 1.0 ||
                 gemm.getBeta().convertToDouble() != 1.0))
      return false;
    Value x = op->getOperand(0), weight = op->getOperand(1);
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(weight.getType());
    auto values = getConstantFloats(weight);
    if (failed(values) || wType.getRank() != 2 ||
        !xType.getElementType().isF32())
      return false;
    int64_t n = wType.getDimSize(1);
    QuantizedWeights q = quantizeWeights(*values, wType.getShape(), 1,
                                         /*perTensor=*/false);

    OpBuilder b(op);
    Location loc = op->getLoc();
    MLIRContext *context = &getContext();
    auto u8 = IntegerType::get(context, 8, IntegerType::Unsigned);
    auto f32 = b.getF32Type();
    auto dql = DynamicQuantizeLinearOp::create(
        b, loc, xType.clone(u8), RankedTensorType::get({}, f32),
        RankedTensorType::get({}, u8), x);
    SmallVector<APInt> ints;
    for (int64_t v : q.values)
      ints.push_back(APInt(8, v, /*isSigned=*/true));
    Value w8 = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(wType.clone(IntegerType::get(context, 8)),
                               ints));
    auto outType = cast<RankedTensorType>(op->getResult(0).getType());
    Value acc = MatMulIntegerOp::create(b, loc, outType.clone(b.getI32Type()),
                                        dql.getOutput(), w8,
                                        dql.getZeroPoint(), Value(),
                                        /*bias=*/Value());
    Value y = CastOp::create(b, loc, outType, acc);
    // s_x (run time) · s_w[n] (compile time), one multiplier per column.
    auto columns = RankedTensorType::get({n}, f32);
    Value weightScales = createFloatConstant(b, loc, columns, q.scales);
    Value multipliers =
        MulOp::create(b, loc, columns, dql.getScale(), weightScales);
    y = MulOp::create(b, loc, outType, y, multipliers);
    if (gemm && gemm.getC())
      y = AddOp::create(b, loc, outType, y, gemm.getC());
    if (gemm)
      y = applyActivationOp(b, loc, y, gemm.getActivationAttr());
    op->getResult(0).replaceAllUsesWith(y);
    op->erase();
    return true;
  }

  PassCounter quantized{getArgument(), "quantized", "Layers quantized"};
};
} // namespace
