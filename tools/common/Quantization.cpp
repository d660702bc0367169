//===- Quantization.cpp - The tools' post-training quantization flags -----===//

#include "Quantization.h"
#include "QuantizationReport.h"
#include "TensorProtoFile.h"
#include "octet/Codegen/Calibration.h"
#include "octet/Codegen/Compiler.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

using namespace llvm;
using namespace mlir;

namespace {
cl::OptionCategory category("Quantization options");

enum class Mode { None, Int8, Int8Dynamic };
cl::opt<Mode> quantize(
    "quantize", cl::desc("Quantize the model"),
    cl::values(clEnumValN(Mode::None, "none", "keep it float (default)"),
               clEnumValN(Mode::Int8, "int8",
                          "static post-training int8: calibrate activation "
                          "ranges on --calibration-data"),
               clEnumValN(Mode::Int8Dynamic, "int8-dynamic",
                          "int8 weights of gemm/matmul, activation scales "
                          "computed at run time (no calibration)")),
    cl::init(Mode::None), cl::cat(category));
cl::opt<std::string> calibrationData(
    "calibration-data",
    cl::desc("Representative inputs: a folder of samples, .npy or ONNX "
             "TensorProto .pb (one subfolder per input name for several "
             "inputs), or one .npy stacking samples along a leading axis"),
    cl::value_desc("path"), cl::cat(category));
cl::opt<std::string> saveStats("save-stats",
                               cl::desc("Write calibration statistics here"),
                               cl::value_desc("stats.json"), cl::cat(category));
cl::opt<std::string> loadStats(
    "load-stats", cl::desc("Use saved calibration statistics (no data run)"),
    cl::value_desc("stats.json"), cl::cat(category));
cl::opt<std::string> observer(
    "observer", cl::desc("minmax (default), moving-average-minmax, histogram"),
    cl::init("minmax"), cl::cat(category));
cl::opt<int64_t> bins("histogram-bins", cl::desc("Histogram bins"),
                      cl::init(2048), cl::cat(category));
cl::opt<std::string> method(
    "calibration-method",
    cl::desc("How ranges are chosen: minmax (default), or from a histogram "
             "(--observer=histogram): percentile, entropy (KL divergence), "
             "mse"),
    cl::init("minmax"), cl::cat(category));
cl::opt<double> percentile("percentile",
                           cl::desc("Percentile kept on each side"),
                           cl::init(99.99), cl::cat(category));
cl::opt<std::string> activationDtype(
    "activation-dtype", cl::desc("u8 (asymmetric, default) or s8"),
    cl::init("u8"), cl::cat(category));
cl::list<std::string> skipLayers(
    "keep-float", cl::desc("ONNX node name of a layer to keep in float "
                           "(repeatable)"),
    cl::value_desc("node"), cl::cat(category));
cl::opt<std::string> report(
    "report",
    cl::desc("Print what quantization cost, per layer (SQNR of weights and "
             "activations, ranges, integer and float layers, weight bytes): "
             "--report or --report=json"),
    cl::ValueOptional, cl::value_desc("text|json"), cl::cat(category));
cl::opt<bool> perTensorWeights(
    "per-tensor-weights",
    cl::desc("One weight scale per tensor instead of per output channel"),
    cl::init(false), cl::cat(category));

enum class Int8Kernels { Target, Reference };
cl::opt<Int8Kernels> int8Kernels(
    "int8-kernels", cl::desc("Kernels of the integer layers"),
    cl::values(clEnumValN(Int8Kernels::Target, "target",
                          "the target's fast kernels where they exist "
                          "(x86 AVX2 gemm), else the reference ones "
                          "(default)"),
               clEnumValN(Int8Kernels::Reference, "reference",
                          "the portable reference kernels only")),
    cl::init(Int8Kernels::Target), cl::cat(category));
cl::opt<int64_t> int8KBlock(
    "x86-int8-k-block",
    cl::desc("K-blocking of the x86 int8 GEMMs: k-quads per block (default "
             "0: none; it measured no gain up to K = 3072 on Zen 4)"),
    cl::init(0), cl::cat(category));
cl::opt<bool> calibrateOnly(
    "calibrate",
    cl::desc("Only calibrate: run --calibration-data through the model with "
             "observers and write the statistics to --save-stats, then stop "
             "(compile later with --quantize=int8 --load-stats)"),
    cl::init(false), cl::cat(category));
cl::opt<bool> quantizedIo(
    "quantized-io",
    cl::desc("With --quantize=int8: inputs and outputs as their 8-bit "
             "quantized integers (the header's descriptors give scale and "
             "zero point) instead of float"),
    cl::init(false), cl::cat(category));

std::string observersPipeline() {
  std::string skip;
  for (const std::string &s : skipLayers)
    skip += (skip.empty() ? "" : ",") + s;
  return "func.func(octet-insert-observers{observer=" + observer.getValue() +
         " bins=" + std::to_string(bins) + " dtype=" +
         activationDtype.getValue() +
         (skip.empty() ? "" : " skip=" + skip) + "})";
}

std::string dynamicPipeline() {
  return "func.func(octet-quantize-dynamic,canonicalize,cse)";
}

/// octet-fold-calibration alone, then the integer rewrites after it.
std::string foldCalibrationPipeline(StringRef statsFile) {
  return "func.func(octet-fold-calibration{stats=" + statsFile.str() +
         " method=" + method.getValue() +
         " percentile=" + std::to_string(percentile.getValue()) +
         (perTensorWeights ? " per-tensor-weights=1" : "") + "})";
}
std::string integerPipeline() {
  return std::string("func.func(octet-propagate-qdq,") +
         (quantizedIo ? "octet-quantize-io," : "") + "canonicalize,cse)";
}
std::string foldPipeline(StringRef statsFile) {
  return foldCalibrationPipeline(statsFile) + "," + integerPipeline();
}
/// A copy of the folded (QDQ) `module` with an observer, named after the
/// observer folding replaced, on each dequantized activation.
OwningOpRef<ModuleOp> observeQuantized(ModuleOp module) {
  OwningOpRef<ModuleOp> copy = module.clone();
  MLIRContext *context = module.getContext();
  copy->walk([&](octet::QuantizeOp quantize) {
    auto name = quantize->getAttrOfType<StringAttr>(octet::kObserverAttrName);
    if (!name)
      return;
    for (Operation *user : llvm::to_vector(quantize->getUsers())) {
      auto dq = dyn_cast<octet::DequantizeOp>(user);
      if (!dq)
        continue;
      OpBuilder b(context);
      b.setInsertionPointAfter(dq);
      auto observe = octet::ObserveOp::create(
          b, dq.getLoc(), dq.getType(), dq.getResult(), name,
          octet::ObserverKindAttr::get(context, octet::ObserverKind::minmax),
          b.getI64IntegerAttr(0), octet::QuantDtypeAttr::get(context, octet::QuantDtype::u8));
      dq.getResult().replaceAllUsesExcept(observe.getResult(), observe);
      break; // One observer per name.
    }
  });
  return copy;
}
} // namespace

std::string octet::tools::getStatsFileName() {
  if (!loadStats.empty())
    return loadStats;
  return saveStats.empty() ? "stats.json" : saveStats.getValue();
}

std::string octet::tools::getQuantizePipeline(StringRef statsFile) {
  if (quantize == Mode::None)
    return "";
  if (quantize == Mode::Int8Dynamic)
    return dynamicPipeline();
  return observersPipeline() + "," + foldPipeline(statsFile);
}

bool octet::tools::isCalibrateOnly() { return calibrateOnly; }

int64_t octet::tools::int8KBlock() { return ::int8KBlock; }

bool octet::tools::useReferenceInt8Kernels() {
  return int8Kernels == Int8Kernels::Reference;
}

LogicalResult octet::tools::quantizeModel(ModuleOp module) {
  Location loc = module.getLoc();
  if (calibrateOnly) {
    if (quantize == Mode::Int8Dynamic || calibrationData.empty() ||
        saveStats.empty() || !loadStats.empty())
      return emitError(loc) << "--calibrate needs --calibration-data and "
                               "--save-stats (and no --load-stats or "
                               "--quantize=int8-dynamic)";
    if (failed(runModulePipeline(module, observersPipeline())))
      return failure();
    FailureOr<CalibrationStats> stats = calibrate(
        module, calibrationData, nullptr, octet::tools::readTensorProtoFile);
    if (failed(stats))
      return failure();
    if (Error error = writeCalibrationStats(*stats, saveStats))
      return emitError(loc) << toString(std::move(error));
    int64_t samples = stats->empty() ? 0 : stats->begin()->second.samples;
    outs() << "calibrated " << stats->size() << " observed values on "
           << samples << " samples: " << saveStats << "\n";
    return success();
  }
  if (quantizedIo && quantize != Mode::Int8)
    return emitError(loc) << "--quantized-io needs --quantize=int8";
  if (quantize == Mode::None) {
    if (!calibrationData.empty() || !loadStats.empty())
      return emitError(loc) << "--calibration-data/--load-stats need "
                               "--quantize=int8";
    return success();
  }
  if (quantize == Mode::Int8Dynamic) {
    if (!calibrationData.empty() || !loadStats.empty())
      return emitError(loc) << "--quantize=int8-dynamic needs no "
                               "calibration data";
    return runModulePipeline(module, dynamicPipeline());
  }
  if (calibrationData.empty() == loadStats.empty())
    return emitError(loc) << "--quantize=int8 needs --calibration-data or "
                             "--load-stats (one of them)";
  bool reporting = report.getNumOccurrences() > 0;
  if (reporting && report != "" && report != "text" && report != "json")
    return emitError(loc) << "--report takes text or json";
  QuantizationReport summary;
  summary.method = method;
  summary.weightBytesBefore = constantBytes(module);
  if (failed(runModulePipeline(module, observersPipeline())))
    return failure();
  // The float model with its observers, to measure the error the quantized
  // one accumulates against it.
  OwningOpRef<ModuleOp> observedFloat;
  if (reporting) {
    summary.layers = measureWeights(module, perTensorWeights);
    if (!calibrationData.empty())
      observedFloat = module.clone();
  }

  std::string statsFile = loadStats;
  SmallString<128> temporary;
  if (statsFile.empty()) {
    NoiseMeasurement measure;
    std::optional<RangeMethod> parsed = parseRangeMethod(method);
    if (!parsed)
      return emitError(loc) << "unknown --calibration-method '" << method
                            << "' (minmax, percentile, entropy, mse)";
    measure.method = *parsed;
    measure.percentile = percentile;
    FailureOr<CalibrationStats> stats =
        calibrate(module, calibrationData, &measure,
                  octet::tools::readTensorProtoFile);
    if (failed(stats))
      return failure();
    summary.stats = *stats;
    statsFile = saveStats;
    if (statsFile.empty()) {
      int fd;
      if (sys::fs::createTemporaryFile("octet-stats", "json", fd, temporary))
        return emitError(loc) << "cannot create a temporary file";
      sys::Process::SafelyCloseFileDescriptor(fd);
      statsFile = temporary.str().str();
    }
    if (Error error = writeCalibrationStats(*stats, statsFile))
      return emitError(loc) << toString(std::move(error));
  }
  if (reporting && summary.stats.empty()) {
    Expected<CalibrationStats> loaded = readCalibrationStats(statsFile);
    if (!loaded)
      return emitError(loc) << toString(loaded.takeError());
    summary.stats = *loaded;
  }
  LogicalResult folded =
      runModulePipeline(module, foldCalibrationPipeline(statsFile));
  if (!temporary.empty())
    sys::fs::remove(temporary);
  if (failed(folded))
    return failure();
  // The fake-quantized (QDQ) model, observed where the float one was.
  if (observedFloat) {
    OwningOpRef<ModuleOp> observedQuantized = observeQuantized(module);
    FailureOr<llvm::StringMap<AccumulatedError>> accumulated =
        measureAccumulatedError(*observedFloat, *observedQuantized,
                                calibrationData,
                                octet::tools::readTensorProtoFile);
    if (failed(accumulated))
      return failure();
    summary.accumulated = std::move(*accumulated);
  }
  // What folding chose, before the integer rewrites replace the quantizes.
  module.walk([&](QuantizeOp quantize) {
    auto name = quantize->getAttrOfType<StringAttr>(kObserverAttrName);
    if (!name)
      return;
    if (auto uniform = dyn_cast<quant::UniformQuantizedType>(
            quantize.getType().getElementType()))
      summary.chosen[name.getValue()] = uniform;
    quantize->removeAttr(kObserverAttrName);
  });
  if (failed(runModulePipeline(module, integerPipeline())))
    return failure();
  if (reporting) {
    listLayers(module, summary);
    summary.weightBytesAfter = constantBytes(module);
    printReport(summary, report == "json", outs());
  }
  return success();
}
