//===- FoldCalibration.cpp - Observers -> quantize/dequantize -------------===//

#include "ConstantUtils.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/CalibrationStats.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/QuantizationMath.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cmath>

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETFOLDCALIBRATIONPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;
using llvm::Expected;
using llvm::toString;

namespace {
Type storageI8(MLIRContext *context) { return IntegerType::get(context, 8); }

quant::UniformQuantizedType activationType(MLIRContext *context,
                                           QuantDtype dtype, Type expressed,
                                           double scale, int64_t zero) {
  bool isSigned = dtype == QuantDtype::s8;
  return quant::UniformQuantizedType::get(
      isSigned ? quant::QuantizationFlags::Signed : 0, storageI8(context),
      expressed, scale, zero, isSigned ? -128 : 0, isSigned ? 127 : 255);
}

/// A constant of `storage` integers behind quant.scast and dequantize.
Value dequantizedConstant(OpBuilder &b, Location loc,
                          RankedTensorType floatType, IntegerType storage,
                          ArrayRef<int64_t> values, Type quantElement) {
  auto storageType = floatType.clone(storage);
  SmallVector<APInt> ints;
  for (int64_t v : values)
    ints.push_back(APInt(storage.getWidth(), v, /*isSigned=*/true));
  Value stored =
      ConstantOp::create(b, loc, DenseElementsAttr::get(storageType, ints));
  Value quantized = quant::StorageCastOp::create(
      b, loc, floatType.clone(quantElement), stored);
  return DequantizeOp::create(b, loc, floatType, quantized);
}

struct OctetFoldCalibrationPass
    : octet::impl::OctetFoldCalibrationPassBase<OctetFoldCalibrationPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (statsFile.empty()) {
      func.emitError("octet-fold-calibration needs stats=FILE");
      return signalPassFailure();
    }
    Expected<CalibrationStats> stats = readCalibrationStats(statsFile);
    if (!stats) {
      func.emitError() << toString(stats.takeError());
      return signalPassFailure();
    }
    std::optional<RangeMethod> rangeMethod = parseRangeMethod(method);
    if (!rangeMethod) {
      func.emitError() << "octet-fold-calibration: unknown method '" << method
                       << "' (minmax, percentile, entropy, mse)";
      return signalPassFailure();
    }

    SmallVector<ObserveOp> observers;
    func.walk([&](ObserveOp op) { observers.push_back(op); });
    for (ObserveOp op : observers)
      if (failed(foldObserver(op, *stats, *rangeMethod)))
        return signalPassFailure();

    // Weights and biases of the layers whose input is now quantized.
    SmallVector<Operation *> layers;
    func.walk([&](Operation *op) {
      if (isa<Conv2DOp, GemmOp, MatMulOp>(op))
        layers.push_back(op);
    });
    for (Operation *op : layers)
      quantizeLayerWeights(op);
  }

  LogicalResult foldObserver(ObserveOp op, const CalibrationStats &stats,
                             RangeMethod rangeMethod) {
    // What a value-preserving op (max pooling, reshape, ...) produces from a
    // quantized input keeps that input's scale and zero point: its range
    // lies within the input's, and octet-propagate-qdq then runs the op on
    // the integers with no requantization.
    if (auto inherited = inheritedType(op)) {
      replaceObserver(op, *inherited);
      return success();
    }
    auto it = stats.find(op.getName().str());
    if (it == stats.end())
      return op.emitError() << "no calibration statistics for observer '"
                            << op.getName() << "'";
    Expected<std::pair<double, double>> range =
        chooseRange(it->second, rangeMethod, percentile,
                    op.getKind() == ObserverKind::moving_average_minmax);
    if (!range)
      return op.emitError() << "observer '" << op.getName()
                            << "': " << toString(range.takeError());
    auto [scale, zero] = activationScaleAndZeroPoint(
        range->first, range->second, op.getDtype() == QuantDtype::s8);
    auto type = cast<RankedTensorType>(op.getType());
    replaceObserver(op, type.clone(activationType(&getContext(), op.getDtype(),
                                                  type.getElementType(), scale,
                                                  zero)));
    return success();
  }

  /// The input's quantized type when `op` observes the result of a
  /// single-input value-preserving op whose input is quantized per tensor
  /// with the observer's dtype.
  std::optional<RankedTensorType> inheritedType(ObserveOp op) {
    Operation *producer = op.getInput().getDefiningOp();
    if (!producer ||
        !isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, TransposeOp,
             SliceOp, PadOp, MaxPoolOp>(producer))
      return std::nullopt;
    // A constant pad adds its value, inside the input's range only if it is
    // 0 (always exact).
    if (auto pad = dyn_cast<PadOp>(producer))
      if (pad.getMode() == PadMode::constant &&
          pad.getValue().convertToDouble() != 0.0)
        return std::nullopt;
    auto dq = producer->getOperand(0).getDefiningOp<DequantizeOp>();
    if (!dq)
      return std::nullopt;
    auto inType = cast<RankedTensorType>(dq.getInput().getType());
    auto uniform = dyn_cast<quant::UniformQuantizedType>(inType.getElementType());
    if (!uniform || uniform.isSigned() != (op.getDtype() == QuantDtype::s8))
      return std::nullopt;
    return cast<RankedTensorType>(op.getType()).clone(uniform);
  }

  void replaceObserver(ObserveOp op, RankedTensorType quantType) {
    OpBuilder b(op);
    auto q = QuantizeOp::create(b, op.getLoc(), quantType, op.getInput());
    // For the report: which observer chose this quantization.
    q->setAttr(kObserverAttrName, op.getNameAttr());
    Value dq = DequantizeOp::create(b, op.getLoc(), op.getType(), q);
    op.replaceAllUsesWith(dq);
    op.erase();
    ++numActivations;
    ++activations;
  }

  /// Per-tensor input scale of `op`, when its activation input comes out of
  /// a dequantize.
  std::optional<double> inputScale(Value input) {
    auto dq = input.getDefiningOp<DequantizeOp>();
    if (!dq)
      return std::nullopt;
    auto type = cast<RankedTensorType>(dq.getInput().getType());
    if (auto uniform =
            dyn_cast<quant::UniformQuantizedType>(type.getElementType()))
      return uniform.getScale();
    return std::nullopt;
  }

  void quantizeLayerWeights(Operation *op) {
    Value input = op->getOperand(0), weight = op->getOperand(1);
    std::optional<double> sIn = inputScale(input);
    auto values = getConstantFloats(weight);
    if (!sIn || failed(values))
      return;
    auto wType = cast<RankedTensorType>(weight.getType());
    // The output-channel axis of the weight.
    int64_t axis = 0;
    if (auto gemm = dyn_cast<GemmOp>(op)) {
      if (gemm.getTransA() || wType.getRank() != 2)
        return;
      axis = gemm.getTransB() ? 0 : 1;
    } else if (isa<MatMulOp>(op)) {
      if (wType.getRank() != 2)
        return;
      axis = 1;
    }
    int64_t channels = perTensorWeights ? 1 : wType.getDimSize(axis);
    QuantizedWeights quantized =
        octet::quantizeWeights(*values, wType.getShape(), axis,
                               perTensorWeights);
    ArrayRef<double> scales = quantized.scales;
    ArrayRef<int64_t> q = quantized.values;

    MLIRContext *context = &getContext();
    Type expressed = wType.getElementType();
    Type weightElement;
    if (perTensorWeights)
      weightElement = quant::UniformQuantizedType::get(
          quant::QuantizationFlags::Signed, storageI8(context), expressed,
          scales[0], 0, -127, 127);
    else
      weightElement = quant::UniformQuantizedPerAxisType::get(
          quant::QuantizationFlags::Signed, storageI8(context), expressed,
          scales, SmallVector<int64_t>(channels, 0), axis, -127, 127);
    OpBuilder b(op);
    Location loc = weight.getLoc();
    op->setOperand(1, dequantizedConstant(b, loc, wType,
                                          IntegerType::get(context, 8), q,
                                          weightElement));
    ++numWeights;
    ++weights;

    // The bias, int32 with scale s_in · s_w per output channel.
    if (op->getNumOperands() < 3)
      return;
    Value bias = op->getOperand(2);
    auto biasValues = getConstantFloats(bias);
    auto biasType = cast<RankedTensorType>(bias.getType());
    int64_t n = wType.getDimSize(axis);
    if (failed(biasValues) || biasType.getRank() != 1 ||
        biasType.getDimSize(0) != n)
      return;
    SmallVector<double> biasScales;
    SmallVector<int64_t> qb;
    for (int64_t c = 0; c < n; ++c) {
      double s = *sIn * scales[perTensorWeights ? 0 : c];
      biasScales.push_back(s);
      qb.push_back(roundClamp((*biasValues)[c] / s, INT32_MIN, INT32_MAX));
    }
    auto i32 = IntegerType::get(context, 32);
    Type biasElement = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i32, expressed, biasScales,
        SmallVector<int64_t>(n, 0), 0, INT32_MIN, INT32_MAX);
    op->setOperand(2, dequantizedConstant(b, bias.getLoc(), biasType, i32, qb,
                                          biasElement));
  }

  PassCounter activations{getArgument(), "activations",
                          "Activations quantized"};
  PassCounter weights{getArgument(), "weights", "Weights quantized"};
};
} // namespace
