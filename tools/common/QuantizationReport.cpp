//===- QuantizationReport.cpp - What quantization cost, per layer ---------===//

#include "QuantizationReport.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/StringSet.h"
#include "octet/Passes/QuantizationMath.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::tools;

int64_t mlir::octet::tools::constantBytes(ModuleOp module) {
  int64_t bytes = 0;
  module.walk([&](ConstantOp op) {
    auto type = cast<ShapedType>(op.getValue().getType());
    bytes += type.getNumElements() *
             llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  });
  return bytes;
}

std::vector<LayerReport> mlir::octet::tools::measureWeights(ModuleOp module,
                                                            bool perTensor) {
  std::vector<LayerReport> layers;
  module.walk([&](Operation *op) {
    if (!isa<Conv2DOp, GemmOp, MatMulOp>(op) ||
        !op->getOperand(0).getDefiningOp<ObserveOp>())
      return;
    auto constant = op->getOperand(1).getDefiningOp<ConstantOp>();
    DenseElementsAttr dense =
        constant ? getDenseElements(constant.getValue()) : nullptr;
    if (!dense || !isa<FloatType>(dense.getElementType()))
      return;
    auto type = cast<RankedTensorType>(dense.getType());
    int64_t axis = 0;
    if (auto gemm = dyn_cast<GemmOp>(op))
      axis = gemm.getTransB() ? 0 : 1;
    else if (isa<MatMulOp>(op))
      axis = type.getRank() - 1;
    SmallVector<double> w;
    for (APFloat f : dense.getValues<APFloat>()) {
      bool lost;
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      w.push_back(f.convertToDouble());
    }
    QuantizedWeights q = quantizeWeights(w, type.getShape(), axis, perTensor);
    LayerReport layer;
    layer.name = getNodeName(op->getLoc());
    layer.op = op->getName().stripDialect().str();
    layer.weightSqnr = q.sqnrDb;
    layer.weightChannels = q.scales.size();
    layers.push_back(layer);
  });
  return layers;
}

namespace {
/// Whether `op` computes on integers: an integer kernel, a max pool or
/// concat on storage integers, or the quantize of scale 1 that ends the
/// requantization of an integer conv, gemm, add or average pool.
bool isIntegerLayerOp(Operation *op) {
  if (isa<Conv2DIntegerOp, MatMulIntegerOp>(op))
    return true;
  if (isa<MaxPoolOp, ConcatOp>(op))
    return isa<IntegerType>(
        cast<RankedTensorType>(op->getResult(0).getType()).getElementType());
  auto quantize = dyn_cast<QuantizeOp>(op);
  auto uniform =
      quantize ? dyn_cast<quant::UniformQuantizedType>(
                     cast<RankedTensorType>(quantize.getType()).getElementType())
               : nullptr;
  return uniform && uniform.getScale() == 1.0;
}
} // namespace

void mlir::octet::tools::listLayers(ModuleOp module,
                                    QuantizationReport &report) {
  // Integer layers by name first: the float ops of a requantization (bias
  // add, multiplier) carry their layer's name too.
  llvm::StringSet<> integer;
  module.walk([&](Operation *op) {
    std::string name = getNodeName(op->getLoc());
    if (isIntegerLayerOp(op) && integer.insert(name).second)
      report.integerLayers.push_back(name);
  });
  module.walk([&](Operation *op) {
    std::string name = getNodeName(op->getLoc());
    if (isa<Conv2DOp, GemmOp, MatMulOp, AddOp, ConcatOp, AvgPoolOp, MaxPoolOp,
            GlobalAvgPoolOp>(op) &&
        !integer.contains(name))
      report.floatLayers.push_back(name + " (" +
                                   op->getName().stripDialect().str() + ")");
  });
}

namespace {
/// SQNR of an observed activation, or nullopt when not measured.
std::optional<double> activationSqnr(const ObserverStats &s) {
  if (s.signalEnergy <= 0)
    return std::nullopt;
  return sqnrDecibels(s.signalEnergy, s.noiseEnergy);
}

std::string decibels(std::optional<double> db) {
  if (!db)
    return "-";
  if (std::isinf(*db))
    return "exact";
  return llvm::formatv("{0:f1} dB", *db).str();
}
} // namespace

namespace {
/// The quantization folding chose for an activation: the range it can
/// represent, scale and zero point.
struct ChosenQuantization {
  double lo, hi, scale;
  int64_t zeroPoint;
};

std::optional<ChosenQuantization>
chosenQuantization(const QuantizationReport &report, StringRef name) {
  auto it = report.chosen.find(name);
  if (it == report.chosen.end())
    return std::nullopt;
  quant::UniformQuantizedType type = it->second;
  double scale = type.getScale();
  int64_t zero = type.getZeroPoint();
  return ChosenQuantization{scale * (type.getStorageTypeMin() - zero),
                            scale * (type.getStorageTypeMax() - zero), scale,
                            zero};
}
} // namespace

/// SQNR of an activation of the quantized model against the float one.
std::optional<double> accumulatedSqnr(const QuantizationReport &report,
                                      StringRef name) {
  auto it = report.accumulated.find(name);
  if (it == report.accumulated.end() || it->second.signalEnergy <= 0)
    return std::nullopt;
  return sqnrDecibels(it->second.signalEnergy, it->second.noiseEnergy);
}

void mlir::octet::tools::printReport(const QuantizationReport &report,
                                     bool json, llvm::raw_ostream &os) {
  // Worst first: the values and weights losing most.
  std::vector<std::pair<std::string, const ObserverStats *>> acts;
  for (const auto &[name, s] : report.stats)
    acts.push_back({name, &s});
  llvm::stable_sort(acts, [](const auto &a, const auto &b) {
    return activationSqnr(*a.second).value_or(INFINITY) <
           activationSqnr(*b.second).value_or(INFINITY);
  });
  std::vector<LayerReport> layers = report.layers;
  llvm::stable_sort(layers, [](const LayerReport &a, const LayerReport &b) {
    return a.weightSqnr < b.weightSqnr;
  });

  if (json) {
    llvm::json::Array jsonActs, jsonLayers;
    for (auto &[name, s] : acts) {
      llvm::json::Object o{{"name", name}, {"min", s->min}, {"max", s->max}};
      if (auto db = activationSqnr(*s); db && std::isfinite(*db))
        o["sqnr_db"] = *db;
      if (auto db = accumulatedSqnr(report, name); db && std::isfinite(*db))
        o["accumulated_sqnr_db"] = *db;
      if (auto q = chosenQuantization(report, name)) {
        o["range"] = llvm::json::Array{q->lo, q->hi};
        o["scale"] = q->scale;
        o["zero_point"] = q->zeroPoint;
      }
      jsonActs.push_back(std::move(o));
    }
    for (const LayerReport &l : layers) {
      llvm::json::Object o{{"name", l.name},
                           {"op", l.op},
                           {"weight_scales", l.weightChannels}};
      if (std::isfinite(l.weightSqnr))
        o["weight_sqnr_db"] = l.weightSqnr;
      jsonLayers.push_back(std::move(o));
    }
    llvm::json::Array integer, floats;
    for (const std::string &n : report.integerLayers)
      integer.push_back(n);
    for (const std::string &n : report.floatLayers)
      floats.push_back(n);
    os << llvm::formatv(
              "{0:2}",
              llvm::json::Value(llvm::json::Object{
                  {"method", report.method},
                  {"activations", std::move(jsonActs)},
                  {"weights", std::move(jsonLayers)},
                  {"integer_layers", std::move(integer)},
                  {"float_layers", std::move(floats)},
                  {"weight_bytes_before", report.weightBytesBefore},
                  {"weight_bytes_after", report.weightBytesAfter}}))
       << "\n";
    return;
  }
  os << "Quantization report (range method: " << report.method
     << "; SQNR = 10·log10(Σx² / Σ(x − x̂)²), worst first)\n";
  os << "SQNR: the value's own quantization; end-to-end: the quantized "
        "model's value against the float model's, with the error of every "
        "layer before it\n\n";
  bool accumulated = !report.accumulated.empty();
  os << llvm::formatv("{0,-32} {1,10} {2,10} {3,10} {4,10} {5,12} {6,4} {7,9}",
                      "activation", "min", "max", "range lo", "range hi",
                      "scale", "zp", "SQNR");
  if (accumulated)
    os << llvm::formatv(" {0,12}", "end-to-end");
  os << "\n";
  for (auto &[name, s] : acts) {
    std::optional<ChosenQuantization> q = chosenQuantization(report, name);
    os << llvm::formatv("{0,-32} {1,10:g} {2,10:g} ", name, s->min, s->max);
    if (q)
      os << llvm::formatv("{0,10:g} {1,10:g} {2,12:e} {3,4} ", q->lo, q->hi,
                          q->scale, q->zeroPoint);
    else
      os << llvm::formatv("{0,10} {1,10} {2,12} {3,4} ", "-", "-", "-", "-");
    os << llvm::formatv("{0,9}", decibels(activationSqnr(*s)));
    if (accumulated)
      os << llvm::formatv(" {0,12}", decibels(accumulatedSqnr(report, name)));
    os << "\n";
  }
  os << "\n"
     << llvm::formatv("{0,-40} {1,-8} {2,8} {3,10}\n", "weights of", "op",
                      "scales", "SQNR");
  for (const LayerReport &l : layers)
    os << llvm::formatv("{0,-40} {1,-8} {2,8} {3,10}\n", l.name, l.op,
                        l.weightChannels, decibels(l.weightSqnr));
  os << "\nInteger layers (" << report.integerLayers.size() << "):";
  for (const std::string &n : report.integerLayers)
    os << " " << n;
  os << "\nStill float, between dequantize and quantize ("
     << report.floatLayers.size() << "):";
  for (const std::string &n : report.floatLayers)
    os << " " << n;
  os << "\nWeight bytes: " << report.weightBytesBefore << " before, "
     << report.weightBytesAfter << " after\n";
}
