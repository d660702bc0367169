//===- octet-run.cpp - Compile a model, run it, check its outputs ---------===//
//
// Compiles a model exactly as octetc does (same pipelines, same flags),
// JIT-compiles the resulting LLVM module for this machine and runs the
// entry point NAME_run. Inputs come from an ONNX backend test-data folder
// (input_N.pb, compared against output_N.pb) or from .npy files; outputs can
// be written as .npy.
//
//===----------------------------------------------------------------------===//

#include "DiagnosticPrinter.h"
#include "ModelLoading.h"
#include "Quantization.h"
#include "ThreadsOption.h"
#include "octet/Builder/Npy.h"
#include "octet/Codegen/Compiler.h"
#include "octet/Codegen/Passes.h"
#include "octet/Onnx/OnnxImporter.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"
#include "octet/parallel.h"

#include "mlir/Pass/PassManager.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/TargetParser/Host.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace llvm;
using namespace mlir;

namespace {
cl::opt<std::string>
    inputFile(cl::Positional, cl::desc("<model.onnx|model.onnxtxt|model.mlir>"),
              cl::Required);
cl::opt<std::string>
    testData("test-data",
             cl::desc("An ONNX backend test folder: runs every "
                      "test_data_set_* (or the folder itself) and compares"),
             cl::value_desc("dir"));
cl::list<std::string> npyInputs("input",
                                cl::desc("An input as .npy (float32) or ONNX "
                                         "TensorProto .pb (any type), in order"),
                                cl::value_desc("file.npy"));
cl::opt<std::string> outputDir("output-dir",
                               cl::desc("Write each output as NAME.npy here"),
                               cl::value_desc("dir"));
cl::opt<double> relTolerance("rtol", cl::desc("Relative tolerance"),
                             cl::init(1e-4));
cl::opt<double> absTolerance("atol", cl::desc("Absolute tolerance"),
                             cl::init(1e-5));
cl::opt<std::string> targetCpu(
    "cpu",
    cl::desc("CPU whose kernels to compile (default: native); the JIT runs "
             "them here, so it must be this machine's or a subset of it "
             "(e.g. x86-64-v3 for the AVX2 kernels on an AVX-512 host)"),
    cl::init("native"));
cl::opt<unsigned> optLevel(
    "O",
    cl::desc("Optimization level (0-3), as for octetc: graph passes from "
             "-O1 (octet-optimize from -O2) and LLVM's -O<n>"),
    cl::Prefix, cl::init(3));

int fail(const Twine &message) {
  WithColor::error(errs(), "octet-run") << message << "\n";
  return 2;
}

size_t elementBytes(const octet::TensorInterface &t) {
  static const StringMap<size_t> sizes = {
      {"F32", 4}, {"F64", 8}, {"F16", 2}, {"BF16", 2}, {"I8", 1},
      {"U8", 1},  {"I16", 2}, {"U16", 2}, {"I32", 4},  {"U32", 4},
      {"I64", 8}, {"U64", 8}, {"BOOL", 1}};
  return sizes.lookup(t.dtype);
}

int64_t numElements(const octet::TensorInterface &t) {
  int64_t n = 1;
  for (int64_t d : t.dims)
    n *= d;
  return n;
}

/// The ONNX element type matching a dtype name.
int onnxType(StringRef dtype) {
  static const StringMap<int> types = {
      {"F32", onnx::TensorProto::FLOAT},   {"F64", onnx::TensorProto::DOUBLE},
      {"F16", onnx::TensorProto::FLOAT16}, {"BF16", onnx::TensorProto::BFLOAT16},
      {"I8", onnx::TensorProto::INT8},
      {"U8", onnx::TensorProto::UINT8},    {"I16", onnx::TensorProto::INT16},
      {"U16", onnx::TensorProto::UINT16},  {"I32", onnx::TensorProto::INT32},
      {"U32", onnx::TensorProto::UINT32},  {"I64", onnx::TensorProto::INT64},
      {"U64", onnx::TensorProto::UINT64},  {"BOOL", onnx::TensorProto::BOOL}};
  return types.lookup(dtype);
}

/// Reads a TensorProto file into raw little-endian bytes for `t`.
Expected<std::vector<char>> readTensorProto(StringRef path,
                                            const octet::TensorInterface &t) {
  auto buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return createStringError("cannot read " + path);
  onnx::TensorProto proto;
  StringRef bytes = (*buffer)->getBuffer();
  if (!proto.ParseFromArray(bytes.data(), (int)bytes.size()))
    return createStringError(path + " is not an ONNX TensorProto");
  // ONNX's own test data stores bfloat16 as its uint16 bit patterns.
  bool bf16Bits = t.dtype == "BF16" &&
                  proto.data_type() == onnx::TensorProto::UINT16;
  if (proto.data_type() != onnxType(t.dtype) && !bf16Bits)
    return createStringError(path + ": element type differs from input '" +
                             t.name + "'");
  int64_t count = 1;
  for (int64_t d : proto.dims())
    count *= d;
  if (count != numElements(t))
    return createStringError(path + ": element count differs from '" + t.name +
                             "'");
  size_t size = elementBytes(t);
  std::vector<char> out;
  if (proto.has_raw_data()) {
    out.assign(proto.raw_data().begin(), proto.raw_data().end());
  } else {
    auto append = [&](auto v) {
      const char *p = reinterpret_cast<const char *>(&v);
      out.insert(out.end(), p, p + size);
    };
    if (t.dtype == "F32")
      for (float v : proto.float_data())
        append(v);
    else if (t.dtype == "F64")
      for (double v : proto.double_data())
        append(v);
    else if (t.dtype == "I64")
      for (int64_t v : proto.int64_data())
        append(v);
    else if (t.dtype == "U32" || t.dtype == "U64")
      for (uint64_t v : proto.uint64_data())
        append(v);
    else
      for (int32_t v : proto.int32_data())
        append(v);
  }
  if (out.size() != (size_t)count * size)
    return createStringError(path + ": data size disagrees with its dims");
  return out;
}

/// Element `i` of a raw tensor as a double, for comparisons.
double elementAt(const std::vector<char> &data, StringRef dtype, int64_t i) {
  auto read = [&](auto v) {
    std::memcpy(&v, data.data() + i * sizeof(v), sizeof(v));
    return (double)v;
  };
  auto readHalf = [&](const fltSemantics &semantics) {
    uint16_t bits;
    std::memcpy(&bits, data.data() + i * sizeof(bits), sizeof(bits));
    return APFloat(semantics, APInt(16, bits)).convertToDouble();
  };
  if (dtype == "F16")
    return readHalf(APFloat::IEEEhalf());
  if (dtype == "BF16")
    return readHalf(APFloat::BFloat());
  if (dtype == "F32")
    return read(float());
  if (dtype == "F64")
    return read(double());
  if (dtype == "I8")
    return read(int8_t());
  if (dtype == "U8" || dtype == "BOOL")
    return read(uint8_t());
  if (dtype == "I16")
    return read(int16_t());
  if (dtype == "U16")
    return read(uint16_t());
  if (dtype == "I32")
    return read(int32_t());
  if (dtype == "U32")
    return read(uint32_t());
  if (dtype == "I64")
    return read(int64_t());
  if (dtype == "U64")
    return read(uint64_t());
  return std::nan(""); // No reader: reported as a mismatch.
}

/// Writes a tensor as .npy (format 1.0, little endian, C order).
bool writeNpy(StringRef path, const octet::TensorInterface &t,
              const std::vector<char> &data) {
  static const StringMap<const char *> descr = {
      {"F32", "<f4"}, {"F64", "<f8"}, {"F16", "<f2"}, {"I8", "|i1"},
      {"U8", "|u1"},  {"I16", "<i2"}, {"U16", "<u2"}, {"I32", "<i4"},
      {"U32", "<u4"}, {"I64", "<i8"}, {"U64", "<u8"}, {"BOOL", "|b1"}};
  std::string shape = "(";
  for (int64_t d : t.dims)
    shape += std::to_string(d) + ",";
  if (t.dims.size() > 1)
    shape.pop_back();
  shape += ")";
  std::string header = std::string("{'descr': '") + descr.lookup(t.dtype) +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return false;
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(data.data(), data.size());
  return true;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  octet::registerCodegenPasses();
  octet::registerOctetGraphPasses();
  octet::tools::ThreadsOption threadCount(
      "Threads per heavy kernel, as for octetc");
  cl::ParseCommandLineOptions(argc, argv,
                              "Compile an Octet model, run it, check it\n");
  // Octet's pass counts (MLIR's own count nothing in Debian's LLVM).
  auto statistics = llvm::make_scope_exit([] {
    if (octet::passStatisticsRequested())
      octet::printPassCounters(errs());
  });
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();

  DialectRegistry registry;
  octet::registerOnnxImportDialects(registry);
  octet::registerCodegenDialects(registry);
  MLIRContext context(registry);
  ScopedDiagnosticHandler diagnostics(&context, octet::tools::printDiagnostic);

  OwningOpRef<ModuleOp> module =
      octet::tools::loadModel(context, inputFile, "octet-run");
  if (!module)
    return 2;
  if (failed(octet::optimizeModel(*module, optLevel)) ||
      failed(octet::tools::quantizeModel(*module)))
    return 2;
  if (octet::tools::isCalibrateOnly())
    return 0;

  // The same pipelines as octetc, for this machine's CPU.
  octet::TargetOptions target;
  target.triple = sys::getDefaultTargetTriple();
  target.cpu = targetCpu;
  target.optLevel = optLevel;
  if (threadCount.get() < 1 || threadCount.get() > OCTET_MAX_THREADS)
    return fail("--threads must be between 1 and 64");
  target.threads = threadCount.get();
  target.referenceInt8Kernels = octet::tools::useReferenceInt8Kernels();
  target.int8KBlock = octet::tools::int8KBlock();
  FailureOr<octet::ModelInterface> model =
      octet::lowerModelToLLVM(*module, "model", target);
  if (failed(model))
    return 2;

  ExecutionEngineOptions engineOptions;
  auto transformer = makeOptimizingTransformer(optLevel, 0, nullptr);
  engineOptions.transformer = transformer;
  auto engine = mlir::ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return fail("JIT compilation failed: " + toString(engine.takeError()));
  // The runtime's parallel-for, linked into this tool, for --threads.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("octet_parallel_for")] = {
        llvm::orc::ExecutorAddr::fromPtr(&octet_parallel_for),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  auto entry = (*engine)->lookup("model_run");
  if (!entry)
    return fail("no entry point: " + toString(entry.takeError()));
  using RunFn = int (*)(const void *const *, void *const *, void *);
  auto run = reinterpret_cast<RunFn>(*entry);

  std::vector<char> scratch(model->scratchBytes + 64);
  void *arena = scratch.data() + (64 - (uintptr_t)scratch.data() % 64) % 64;

  // One run: inputs in, outputs out.
  auto runOnce = [&](std::vector<std::vector<char>> &inputs,
                     std::vector<std::vector<char>> &outputs) {
    std::vector<const void *> in;
    for (auto &i : inputs)
      in.push_back(i.data());
    std::vector<void *> out;
    outputs.clear();
    for (const auto &o : model->outputs) {
      outputs.emplace_back(numElements(o) * elementBytes(o));
      out.push_back(outputs.back().data());
    }
    return run(in.data(), out.data(), arena);
  };

  if (!testData.empty()) {
    // A backend test folder holds test_data_set_*; accept one set too.
    std::vector<std::string> sets;
    if (sys::fs::exists(testData + "/input_0.pb") ||
        sys::fs::exists(testData + "/output_0.pb")) {
      sets.push_back(testData);
    } else {
      std::error_code ec;
      for (sys::fs::directory_iterator it(testData, ec), end; it != end && !ec;
           it.increment(ec))
        if (sys::path::filename(it->path()).starts_with("test_data_set_"))
          sets.push_back(it->path());
      llvm::sort(sets);
    }
    if (sets.empty())
      return fail("no test data in " + testData);
    bool allOk = true;
    for (const std::string &set : sets) {
      // Inputs frozen at compile time are skipped: bind by name.
      std::vector<std::vector<char>> inputs(model->inputs.size());
      std::vector<bool> bound(model->inputs.size(), false);
      for (int i = 0;; ++i) {
        std::string path = set + "/input_" + std::to_string(i) + ".pb";
        if (!sys::fs::exists(path))
          break;
        auto buffer = MemoryBuffer::getFile(path);
        onnx::TensorProto proto;
        if (!buffer || !proto.ParseFromArray((*buffer)->getBufferStart(),
                                             (*buffer)->getBufferSize()))
          return fail("cannot read " + path);
        for (auto [k, t] : llvm::enumerate(model->inputs)) {
          bool match =
              proto.name().empty() ? (int)k == i : proto.name() == t.name;
          if (!match || bound[k])
            continue;
          auto data = readTensorProto(path, t);
          if (!data)
            return fail(toString(data.takeError()));
          inputs[k] = std::move(*data);
          bound[k] = true;
          break;
        }
      }
      if (llvm::is_contained(bound, false))
        return fail(set + ": not every model input has a value");
      std::vector<std::vector<char>> outputs;
      if (runOnce(inputs, outputs) != 0)
        return fail("the model returned an error");
      for (auto [k, t] : llvm::enumerate(model->outputs)) {
        std::string path = set + "/output_" + std::to_string(k) + ".pb";
        auto want = readTensorProto(path, t);
        if (!want)
          return fail(toString(want.takeError()));
        double maxAbs = 0, maxRel = 0;
        bool ok = true;
        for (int64_t e = 0; e < numElements(t); ++e) {
          double got = elementAt(outputs[k], t.dtype, e);
          double exp = elementAt(*want, t.dtype, e);
          // Equal values (infinities included) and NaN for NaN match.
          if (got == exp || (std::isnan(exp) && std::isnan(got)))
            continue;
          double err = std::fabs(got - exp);
          maxAbs = std::max(maxAbs, err);
          maxRel = std::max(maxRel, err / std::max(std::fabs(exp), 1e-30));
          ok &= err <= absTolerance + relTolerance * std::fabs(exp);
        }
        outs() << sys::path::filename(set) << " output '" << t.name
               << "': max abs error " << format("%.3g", maxAbs)
               << ", max rel error " << format("%.3g", maxRel) << ": "
               << (ok ? "ok" : "MISMATCH") << "\n";
        allOk &= ok;
      }
    }
    return allOk ? 0 : 1;
  }

  if (npyInputs.size() != model->inputs.size())
    return fail("expects " + Twine(model->inputs.size()) +
                " --input files (or --test-data)");
  std::vector<std::vector<char>> inputs;
  for (auto [path, t] : llvm::zip(npyInputs, model->inputs)) {
    if (sys::path::extension(path) == ".pb") {
      auto data = readTensorProto(path, t);
      if (!data)
        return fail(toString(data.takeError()));
      inputs.push_back(std::move(*data));
      continue;
    }
    auto array = octet::readNpy(path);
    if (!array)
      return fail(toString(array.takeError()));
    if (t.dtype != "F32")
      return fail("--input .npy supports float32 inputs; give a TensorProto "
                  ".pb for '" + t.name + "'");
    auto values = array->toF32();
    if (!values)
      return fail(toString(values.takeError()));
    if ((int64_t)values->size() != numElements(t))
      return fail(path + ": element count differs from input '" + t.name + "'");
    inputs.emplace_back((const char *)values->data(),
                        (const char *)(values->data() + values->size()));
  }
  std::vector<std::vector<char>> outputs;
  if (runOnce(inputs, outputs) != 0)
    return fail("the model returned an error");
  for (auto [k, t] : llvm::enumerate(model->outputs)) {
    if (!outputDir.empty()) {
      sys::fs::create_directories(outputDir);
      std::string file = outputDir + "/" + t.name + ".npy";
      if (!writeNpy(file, t, outputs[k]))
        return fail("cannot write " + file);
      outs() << "wrote " << file << "\n";
    } else {
      outs() << "output '" << t.name << "': first values";
      for (int64_t e = 0; e < std::min<int64_t>(numElements(t), 8); ++e)
        outs() << " " << elementAt(outputs[k], t.dtype, e);
      outs() << "\n";
    }
  }
  return 0;
}
