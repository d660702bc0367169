//===- Calibration.cpp - Running representative data through observers ----===//
//
// The instrumented model is compiled with every observed value as an extra
// result and run with MLIR's JIT; statistics are accumulated here, on the
// host, one sample at a time.
//
//===----------------------------------------------------------------------===//

#include "octet/Codegen/Calibration.h"
#include "octet/Builder/Npy.h"
#include "octet/Codegen/Compiler.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/QuantizationMath.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include <cmath>

using namespace mlir;
using namespace mlir::octet;

namespace {
struct Observer {
  std::string name;
  bool histogram = false;
  bool movingAverage = false;
  bool isSigned = false;
  int64_t bins = 0;
};

/// Moves every observer's input into the model's results (after the
/// model's own) and removes the observers.
SmallVector<Observer> exposeObservers(func::FuncOp model) {
  SmallVector<Observer> observers;
  SmallVector<Value> extra;
  model.walk([&](ObserveOp op) {
    observers.push_back({op.getName().str(),
                         op.getKind() == ObserverKind::histogram,
                         op.getKind() == ObserverKind::moving_average_minmax,
                         op.getDtype() == QuantDtype::s8, op.getBins()});
    extra.push_back(op.getInput());
    op.replaceAllUsesWith(op.getInput());
    op.erase();
  });
  auto ret = cast<func::ReturnOp>(model.getBody().back().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  llvm::append_range(results, extra);
  ret->setOperands(results);
  SmallVector<Type> types;
  for (Value v : results)
    types.push_back(v.getType());
  MLIRContext *context = model.getContext();
  SmallVector<DictionaryAttr> attrs;
  for (unsigned i = 0; i < model.getNumResults(); ++i)
    attrs.push_back(model.getResultAttrDict(i));
  for (const Observer &o : observers)
    attrs.push_back(DictionaryAttr::get(
        context, {NamedAttribute(StringAttr::get(context, "octet.name"),
                                 StringAttr::get(context, o.name))}));
  model.setFunctionType(
      FunctionType::get(context, model.getArgumentTypes(), types));
  model.setAllResultAttrs(attrs);
  return observers;
}

/// The calibration samples, read one at a time so that memory does not grow
/// with their number: the sample files of a folder (one subfolder per
/// input for several inputs), or the slices of one stacked array.
class SampleSource {
public:
  static FailureOr<SampleSource> open(StringRef path,
                                      const ModelInterface &model,
                                      const SampleReader &readOther,
                                      Location loc);
  size_t size() const { return stacked ? numStacked : files.front().size(); }
  /// Sample `s`: one float vector per model input.
  FailureOr<std::vector<std::vector<float>>> load(size_t s) const;

private:
  SampleSource(StringRef path, const ModelInterface &model,
               const SampleReader &readOther, Location loc)
      : path(path.str()), model(&model), readOther(readOther), loc(loc) {}
  LogicalResult fail(const Twine &message) const {
    return emitError(loc) << "calibration data '" << path << "': " << message;
  }
  FailureOr<std::vector<float>> readFloats(StringRef file) const;

  std::string path;
  const ModelInterface *model;
  SampleReader readOther;
  Location loc;
  bool stacked = false;
  std::vector<float> stackedFloats; // the one array of a stacked file
  size_t numStacked = 0;
  std::vector<std::vector<std::string>> files; // [input][sample]
};

int64_t numElements(const TensorInterface &t) {
  int64_t n = 1;
  for (int64_t d : t.dims)
    n *= d;
  return n;
}

bool isSampleFile(StringRef file, bool otherFormats) {
  StringRef ext = llvm::sys::path::extension(file);
  return ext == ".npy" || (otherFormats && ext == ".pb");
}

FailureOr<std::vector<float>> SampleSource::readFloats(StringRef file) const {
  auto array = llvm::sys::path::extension(file) == ".npy" || !readOther
                   ? readNpy(file)
                   : readOther(file);
  if (!array)
    return fail(llvm::toString(array.takeError())), failure();
  auto floats = array->toF32();
  if (!floats)
    return fail(llvm::toString(floats.takeError())), failure();
  return std::move(*floats);
}

FailureOr<SampleSource> SampleSource::open(StringRef path,
                                           const ModelInterface &model,
                                           const SampleReader &readOther,
                                           Location loc) {
  SampleSource source(path, model, readOther, loc);
  if (model.inputs.empty())
    return source.fail("the model has no inputs"), failure();
  for (const TensorInterface &t : model.inputs)
    if (t.dtype != "F32")
      return source.fail("input '" + t.name + "' is not float32"), failure();
  size_t numInputs = model.inputs.size();

  if (!llvm::sys::fs::is_directory(path)) {
    // One stacked array: [samples, ...input shape].
    if (numInputs != 1)
      return source.fail("a stacked .npy needs a one-input model; use one "
                         "subfolder per input"),
             failure();
    auto array = readNpy(path);
    if (!array)
      return source.fail(llvm::toString(array.takeError())), failure();
    auto floats = array->toF32();
    if (!floats)
      return source.fail(llvm::toString(floats.takeError())), failure();
    // [samples, ...input shape], or [samples, ...] replacing a batch of 1.
    ArrayRef<int64_t> dims = model.inputs[0].dims;
    ArrayRef<int64_t> shape = array->shape;
    bool stackedShape =
        shape.size() == dims.size() + 1 && shape.drop_front() == dims;
    bool batched = !dims.empty() && dims[0] == 1 &&
                   shape.size() == dims.size() &&
                   shape.drop_front() == dims.drop_front();
    if (!stackedShape && !batched)
      return source.fail("expects samples shaped like input '" +
                         model.inputs[0].name +
                         "' stacked along a leading axis (or along its batch "
                         "axis of 1)"),
             failure();
    source.stacked = true;
    source.stackedFloats = std::move(*floats);
    source.numStacked =
        source.stackedFloats.size() / std::max<int64_t>(numElements(model.inputs[0]), 1);
    return source;
  }

  // A folder: files for one input, or a subfolder per input name.
  std::string kinds = readOther ? ".npy or .pb" : ".npy";
  for (const TensorInterface &t : model.inputs) {
    SmallString<256> dir(path);
    if (numInputs > 1)
      llvm::sys::path::append(dir, t.name);
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      if (isSampleFile(it->path(), (bool)readOther))
        names.push_back(it->path());
    llvm::sort(names);
    if (names.empty())
      return source.fail("no " + kinds + " samples for input '" + t.name +
                         "' in '" + dir + "'"),
             failure();
    source.files.push_back(std::move(names));
    if (source.files.back().size() != source.files.front().size())
      return source.fail("inputs have different numbers of samples"),
             failure();
  }
  return source;
}

FailureOr<std::vector<std::vector<float>>>
SampleSource::load(size_t s) const {
  if (stacked) {
    size_t per = numElements(model->inputs[0]);
    return std::vector<std::vector<float>>{std::vector<float>(
        stackedFloats.begin() + s * per, stackedFloats.begin() + (s + 1) * per)};
  }
  std::vector<std::vector<float>> sample;
  for (auto [i, input] : llvm::enumerate(model->inputs)) {
    FailureOr<std::vector<float>> floats = readFloats(files[i][s]);
    if (failed(floats))
      return failure();
    if ((int64_t)floats->size() != numElements(input))
      return fail("'" + files[i][s] + "' is not shaped like input '" +
                  input.name + "'"),
             failure();
    sample.push_back(std::move(*floats));
  }
  return sample;
}

/// "calibrating  37/200 [#######.............]" on a terminal.
void progress(size_t done, size_t total, StringRef what) {
  if (!llvm::sys::Process::StandardErrIsDisplayed())
    return;
  constexpr size_t width = 30;
  size_t filled = total ? done * width / total : width;
  llvm::errs() << "\r" << what << " " << done << "/" << total << " ["
               << std::string(filled, '#') << std::string(width - filled, '.')
               << "]";
  if (done == total)
    llvm::errs() << "\n";
}
} // namespace

namespace {
/// A copy of a model with observers, compiled by the JIT for this machine
/// with every observed value as an extra result, run one sample at a time.
class ObservedModel {
public:
  static FailureOr<std::unique_ptr<ObservedModel>> create(ModuleOp module,
                                                          Location loc);
  const SmallVector<Observer> &getObservers() const { return observers; }
  const ModelInterface &getInterface() const { return interface; }
  /// Runs `sample` (number `k`, for messages); the observed values are
  /// then `observed(i)`.
  LogicalResult run(const std::vector<std::vector<float>> &sample, size_t k);
  ArrayRef<float> observed(size_t i) const {
    return outputs[numResults + i];
  }

private:
  using RunFn = int (*)(const void *const *, void *const *, void *);
  explicit ObservedModel(Location loc) : loc(loc) {}

  Location loc;
  OwningOpRef<ModuleOp> copy;
  SmallVector<Observer> observers;
  ModelInterface interface;
  unsigned numResults = 0;
  std::unique_ptr<ExecutionEngine> engine;
  RunFn entry = nullptr;
  std::vector<std::vector<float>> outputs;
  std::vector<char> scratch;
};

FailureOr<std::unique_ptr<ObservedModel>>
ObservedModel::create(ModuleOp module, Location loc) {
  std::unique_ptr<ObservedModel> m(new ObservedModel(loc));
  m->copy = module.clone();
  FailureOr<func::FuncOp> model = findModelFunction(*m->copy);
  if (failed(model))
    return failure();
  m->numResults = model->getNumResults();
  m->observers = exposeObservers(*model);
  if (m->observers.empty())
    return emitError(loc) << "calibration: the model has no observers",
           failure();

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  TargetOptions target;
  target.triple = llvm::sys::getDefaultTargetTriple();
  target.cpu = "native";
  FailureOr<ModelInterface> interface =
      lowerModelToLLVM(*m->copy, "calibration", target);
  if (failed(interface))
    return failure();
  m->interface = std::move(*interface);

  ExecutionEngineOptions engineOptions;
  auto transformer = makeOptimizingTransformer(3, 0, nullptr);
  engineOptions.transformer = transformer;
  auto engine = ExecutionEngine::create(*m->copy, engineOptions);
  if (!engine)
    return emitError(loc) << "calibration: JIT compilation failed: "
                          << llvm::toString(engine.takeError()),
           failure();
  m->engine = std::move(*engine);
  auto entry = m->engine->lookup("calibration_run");
  if (!entry)
    return emitError(loc) << "calibration: no entry point", failure();
  m->entry = reinterpret_cast<RunFn>(*entry);
  for (const TensorInterface &t : m->interface.outputs)
    m->outputs.emplace_back(numElements(t));
  m->scratch.resize(m->interface.scratchBytes + 64);
  return m;
}

LogicalResult ObservedModel::run(const std::vector<std::vector<float>> &sample,
                                 size_t k) {
  std::vector<const void *> in;
  for (const auto &v : sample)
    in.push_back(v.data());
  std::vector<void *> out;
  for (auto &v : outputs)
    out.push_back(v.data());
  void *arena = reinterpret_cast<void *>(
      llvm::alignTo(reinterpret_cast<uintptr_t>(scratch.data()), 64));
  if (entry(in.data(), out.data(), arena) != 0)
    return emitError(loc) << "calibration: the model failed on sample " << k;
  return success();
}
} // namespace

FailureOr<CalibrationStats>
mlir::octet::calibrate(ModuleOp module, StringRef dataPath,
                       const NoiseMeasurement *measure,
                       const SampleReader &readOther) {
  Location loc = module.getLoc();
  FailureOr<std::unique_ptr<ObservedModel>> observedModel =
      ObservedModel::create(module, loc);
  if (failed(observedModel))
    return failure();
  ObservedModel &model = **observedModel;
  const SmallVector<Observer> &observers = model.getObservers();
  FailureOr<SampleSource> samples =
      SampleSource::open(dataPath, model.getInterface(), readOther, loc);
  if (failed(samples))
    return failure();
  if (samples->size() == 0)
    return emitError(loc) << "calibration data '" << dataPath
                          << "' holds no samples",
           failure();
  // Runs sample `k`; its observed values are then `model.observed(i)`.
  auto runSample = [&](size_t k) -> LogicalResult {
    FailureOr<std::vector<std::vector<float>>> sample = samples->load(k);
    if (failed(sample))
      return failure();
    return model.run(*sample, k);
  };

  CalibrationStats stats;
  // Pass 1: ranges.
  for (size_t k = 0, e = samples->size(); k < e; ++k) {
    if (failed(runSample(k)))
      return failure();
    for (auto [i, observer] : llvm::enumerate(observers)) {
      ArrayRef<float> v = model.observed(i);
      float lo = INFINITY, hi = -INFINITY;
      for (float x : v)
        if (!std::isnan(x)) {
          lo = std::min(lo, x);
          hi = std::max(hi, x);
        }
      if (lo > hi)
        continue; // All NaN: nothing to learn.
      ObserverStats &s = stats[observer.name];
      s.min = s.samples ? std::min<double>(s.min, lo) : lo;
      s.max = s.samples ? std::max<double>(s.max, hi) : hi;
      s.meanMin += lo;
      s.meanMax += hi;
      ++s.samples;
    }
    progress(k + 1, samples->size(), "calibrating: ranges    ");
  }
  for (auto &[name, s] : stats) {
    s.meanMin /= std::max<int64_t>(s.samples, 1);
    s.meanMax /= std::max<int64_t>(s.samples, 1);
  }
  // Pass 2: histograms over the now known ranges.
  if (llvm::any_of(observers, [](const Observer &o) { return o.histogram; })) {
    for (const Observer &o : observers)
      if (o.histogram && stats.count(o.name))
        stats[o.name].histogram.assign(o.bins, 0);
    for (size_t k = 0, e = samples->size(); k < e; ++k) {
      if (failed(runSample(k)))
        return failure();
      for (auto [i, observer] : llvm::enumerate(observers)) {
        auto it = stats.find(observer.name);
        if (!observer.histogram || it == stats.end())
          continue;
        ObserverStats &s = it->second;
        double width = (s.max - s.min) / observer.bins;
        for (float x : model.observed(i)) {
          if (std::isnan(x))
            continue;
          int64_t bin = width > 0 ? (int64_t)((x - s.min) / width) : 0;
          ++s.histogram[std::clamp<int64_t>(bin, 0, observer.bins - 1)];
        }
      }
      progress(k + 1, samples->size(), "calibrating: histograms");
    }
  }
  for (const Observer &o : observers)
    if (!stats.count(o.name))
      return emitError(loc) << "calibration: observer '" << o.name
                            << "' saw no numbers",
             failure();
  if (!measure)
    return stats;
  // Pass 3: the noise of quantizing each value as folding will.
  struct Params {
    double scale;
    int64_t zero, qmin, qmax;
  };
  SmallVector<Params> params;
  for (const Observer &o : observers) {
    auto range = chooseRange(stats[o.name], measure->method,
                             measure->percentile, o.movingAverage);
    if (!range)
      return emitError(loc) << "observer '" << o.name
                            << "': " << llvm::toString(range.takeError()),
             failure();
    auto [scale, zero] =
        activationScaleAndZeroPoint(range->first, range->second, o.isSigned);
    params.push_back({scale, zero, o.isSigned ? -128 : 0,
                      o.isSigned ? 127 : 255});
  }
  for (size_t k = 0, e = samples->size(); k < e; ++k) {
    if (failed(runSample(k)))
      return failure();
    for (auto [i, observer] : llvm::enumerate(observers)) {
      ObserverStats &s = stats[observer.name];
      const Params &p = params[i];
      for (float x : model.observed(i)) {
        if (std::isnan(x))
          continue;
        // round(x / s) + z, saturated, as quantize computes it.
        int64_t q = roundClamp(std::nearbyint(x / p.scale) + p.zero, p.qmin,
                               p.qmax);
        double back = (q - p.zero) * p.scale;
        s.signalEnergy += (double)x * x;
        s.noiseEnergy += (x - back) * (x - back);
      }
    }
    progress(k + 1, samples->size(), "calibrating: noise     ");
  }
  return stats;
}

FailureOr<llvm::StringMap<AccumulatedError>> mlir::octet::measureAccumulatedError(
    ModuleOp floatModule, ModuleOp quantizedModule, StringRef dataPath,
    const SampleReader &readOther) {
  Location loc = floatModule.getLoc();
  FailureOr<std::unique_ptr<ObservedModel>> reference =
      ObservedModel::create(floatModule, loc);
  if (failed(reference))
    return failure();
  FailureOr<std::unique_ptr<ObservedModel>> quantized =
      ObservedModel::create(quantizedModule, loc);
  if (failed(quantized))
    return failure();
  FailureOr<SampleSource> samples = SampleSource::open(
      dataPath, (*reference)->getInterface(), readOther, loc);
  if (failed(samples))
    return failure();
  // The quantized model's observers, by name, among the float model's.
  llvm::StringMap<size_t> quantizedIndex;
  for (auto [i, o] : llvm::enumerate((*quantized)->getObservers()))
    quantizedIndex[o.name] = i;
  llvm::StringMap<AccumulatedError> errors;
  for (size_t k = 0, e = samples->size(); k < e; ++k) {
    FailureOr<std::vector<std::vector<float>>> sample = samples->load(k);
    if (failed(sample) || failed((*reference)->run(*sample, k)) ||
        failed((*quantized)->run(*sample, k)))
      return failure();
    for (auto [i, o] : llvm::enumerate((*reference)->getObservers())) {
      auto it = quantizedIndex.find(o.name);
      if (it == quantizedIndex.end())
        continue;
      ArrayRef<float> x = (*reference)->observed(i);
      ArrayRef<float> y = (*quantized)->observed(it->second);
      AccumulatedError &error = errors[o.name];
      for (size_t j = 0, n = std::min(x.size(), y.size()); j < n; ++j) {
        if (std::isnan(x[j]) || std::isnan(y[j]))
          continue;
        double d = (double)x[j] - y[j];
        error.signalEnergy += (double)x[j] * x[j];
        error.noiseEnergy += d * d;
      }
    }
    progress(k + 1, samples->size(), "measuring accumulated error");
  }
  return errors;
}
