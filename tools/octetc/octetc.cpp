//===- octetc.cpp - The Octet ahead-of-time compile driver ----------------===//
//
// Compiles an ONNX model (binary or text), or a module already in the octet
// dialect, into an object file and a C header, in stages chosen by --emit.
// Every stage is a pass pipeline that octet-opt can replay
// (--print-pipeline shows it).
//
//===----------------------------------------------------------------------===//

#include "DiagnosticPrinter.h"
#include "ModelLoading.h"
#include "Quantization.h"
#include "ThreadsOption.h"
#include "octet/Codegen/Compiler.h"
#include "octet/Codegen/Emitter.h"
#include "octet/Codegen/Passes.h"
#include "octet/Onnx/OnnxImporter.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/ViewOpGraph.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;
using namespace mlir;

namespace {
enum class EmitKind { Default, Mlir, LoweredMlir, LLVMIR, Asm, Obj, Header };

cl::opt<std::string>
    inputFile(cl::Positional, cl::desc("<model.onnx|model.onnxtxt|model.mlir>"),
              cl::Optional);
cl::opt<std::string>
    outputFile("o",
               cl::desc("Output: a file for --emit=..., else the path "
                        "prefix of PREFIX.o and PREFIX.h ('-' for stdout)"),
               cl::value_desc("path"), cl::init("-"));
cl::opt<EmitKind> emit(
    "emit", cl::desc("What to produce (default: object file and header)"),
    cl::values(clEnumValN(EmitKind::Mlir, "mlir", "the imported octet dialect"),
               clEnumValN(EmitKind::LoweredMlir, "lowered-mlir",
                          "the LLVM dialect, after all MLIR passes"),
               clEnumValN(EmitKind::LLVMIR, "llvm", "optimized LLVM IR"),
               clEnumValN(EmitKind::Asm, "asm", "target assembly"),
               clEnumValN(EmitKind::Obj, "obj", "an object file"),
               clEnumValN(EmitKind::Header, "header", "the C header")),
    cl::init(EmitKind::Default));
cl::opt<std::string> modelName("name",
                               cl::desc("Prefix of every exported symbol"),
                               cl::init("model"));
cl::opt<std::string> targetTriple("target", cl::desc("Target triple"),
                                  cl::init("x86_64-unknown-linux-gnu"));
cl::opt<std::string>
    targetCpu("cpu",
              cl::desc("Target CPU: x86-64-v3 (default on x86), "
                       "x86-64-v2, native, cortex-a55, ..."),
              cl::init(""));
cl::opt<std::string> targetFeatures("mattr", cl::desc("Extra target features"),
                                    cl::init(""));
cl::opt<unsigned> optLevel(
    "O",
    cl::desc("Optimization level (0-3): -O0 imports and lowers as is, -O1 "
             "folds constants, -O2 and -O3 run all of octet-optimize "
             "(batch-norm folding, activation fusion); also LLVM's -O<n>"),
    cl::Prefix, cl::init(3));
cl::opt<bool> printPipeline(
    "print-pipeline",
    cl::desc("Print the --pass-pipeline that octetc runs on the imported "
             "module (graph optimizations and lowering) and exit"),
    cl::init(false));
cl::opt<std::string> dumpGraph(
    "dump-graph",
    cl::desc("Write Graphviz files of the graph before and after the graph "
             "optimizations: BEFORE.dot,AFTER.dot"),
    cl::value_desc("before.dot,after.dot"));

int fail(const Twine &message) {
  WithColor::error(errs(), "octetc") << message << "\n";
  return 1;
}

std::unique_ptr<ToolOutputFile> open(StringRef path) {
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    fail(error);
  return file;
}
/// Writes the module's graph in Graphviz form (upstream view-op-graph).
bool writeGraph(ModuleOp module, StringRef path) {
  auto out = open(path);
  if (!out)
    return false;
  PassManager pm(module.getContext());
  pm.addPass(createPrintOpGraphPass(out->os()));
  if (failed(pm.run(module)))
    return false;
  out->keep();
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
      "Threads per heavy kernel (default 1). With N > 1 the object calls "
        "the runtime's octet_parallel_for: link liboctet_runtime.a and "
        "-lpthread");
  cl::ParseCommandLineOptions(argc, argv, "Octet ahead-of-time compiler\n");
  // Octet's pass counts (MLIR's own count nothing in Debian's LLVM).
  auto statistics = llvm::make_scope_exit([] {
    if (octet::passStatisticsRequested())
      octet::printPassCounters(errs());
  });

  octet::TargetOptions target;
  target.triple = targetTriple;
  bool aarch64 = StringRef(targetTriple).starts_with("aarch64");
  if (!targetCpu.empty())
    target.cpu = targetCpu;
  else
    target.cpu = aarch64 ? "generic" : "x86-64-v3";
  if (aarch64 && targetCpu.empty())
    target.features = "+neon";
  if (!targetFeatures.empty())
    target.features += (target.features.empty() ? "" : ",") + targetFeatures;
  target.optLevel = optLevel;
  if (threadCount.get() < 1 || threadCount.get() > 64)
    return fail("--threads must be between 1 and 64");
  target.threads = threadCount.get();
  target.referenceInt8Kernels = octet::tools::useReferenceInt8Kernels();
  target.int8KBlock = octet::tools::int8KBlock();

  if (printPipeline) {
    MLIRContext context;
    ScopedDiagnosticHandler diagnostics(&context,
                                        octet::tools::printDiagnostic);
    FailureOr<int64_t> width =
        octet::getVectorWidth(target, UnknownLoc::get(&context));
    FailureOr<std::string> int8Isa =
        octet::getInt8KernelIsa(target, UnknownLoc::get(&context));
    FailureOr<bool> nativeRounding =
        octet::hasNativeRounding(target, UnknownLoc::get(&context));
    if (failed(width) || failed(int8Isa) || failed(nativeRounding))
      return 1;
    // Calibration runs between observers and folding: the printed
    // pipeline folds the statistics --load-stats (or --save-stats) names.
    std::string quantize =
        octet::tools::getQuantizePipeline(octet::tools::getStatsFileName());
    outs() << octet::getCompilePipeline(optLevel, modelName, *width,
                                        threadCount.get(), quantize, *int8Isa,
                                        *nativeRounding)
           << "\n";
    return 0;
  }
  if (inputFile.empty())
    return fail("no input model (see --help)");
  StringRef beforeDot, afterDot;
  if (!dumpGraph.empty()) {
    std::tie(beforeDot, afterDot) = StringRef(dumpGraph).split(',');
    if (beforeDot.empty() || afterDot.empty())
      return fail("--dump-graph expects two files: before.dot,after.dot");
  }

  DialectRegistry registry;
  octet::registerOnnxImportDialects(registry);
  octet::registerCodegenDialects(registry);
  MLIRContext context(registry);
  ScopedDiagnosticHandler diagnostics(&context, octet::tools::printDiagnostic);
  OwningOpRef<ModuleOp> module =
      octet::tools::loadModel(context, inputFile, "octetc");
  if (!module)
    return 1;
  if (!beforeDot.empty() && !writeGraph(*module, beforeDot))
    return 1;
  if (failed(octet::optimizeModel(*module, optLevel)) ||
      failed(octet::tools::quantizeModel(*module)))
    return 1;
  if (octet::tools::isCalibrateOnly())
    return 0;
  if (!afterDot.empty() && !writeGraph(*module, afterDot))
    return 1;

  if (emit == EmitKind::Mlir) {
    auto out = open(outputFile);
    if (!out)
      return 1;
    module->print(out->os());
    out->keep();
    return 0;
  }

  FailureOr<octet::ModelInterface> interface =
      octet::lowerModelToLLVM(*module, modelName, target);
  if (failed(interface))
    return 1;

  auto writeMachineCode = [&](StringRef path, octet::OutputKind kind) {
    auto out = open(path);
    if (!out ||
        failed(octet::emitMachineCode(*module, target, kind, out->os())))
      return false;
    out->keep();
    return true;
  };
  auto writeHeader = [&](StringRef path) {
    auto out = open(path);
    if (!out)
      return false;
    octet::emitHeader(*interface, out->os());
    out->keep();
    return true;
  };

  switch (emit) {
  case EmitKind::LoweredMlir: {
    auto out = open(outputFile);
    if (!out)
      return 1;
    module->print(out->os());
    out->keep();
    return 0;
  }
  case EmitKind::LLVMIR:
    return writeMachineCode(outputFile, octet::OutputKind::LLVMIR) ? 0 : 1;
  case EmitKind::Asm:
    return writeMachineCode(outputFile, octet::OutputKind::Assembly) ? 0 : 1;
  case EmitKind::Obj:
    return writeMachineCode(outputFile, octet::OutputKind::Object) ? 0 : 1;
  case EmitKind::Header:
    return writeHeader(outputFile) ? 0 : 1;
  default:
    break;
  }
  if (outputFile == "-")
    return fail("-o PREFIX is required to write PREFIX.o and PREFIX.h");
  SmallString<256> dir(outputFile);
  sys::path::remove_filename(dir);
  if (!dir.empty() && sys::fs::create_directories(dir))
    return fail("cannot create directory '" + dir + "'");
  return writeMachineCode(outputFile + ".o", octet::OutputKind::Object) &&
                 writeHeader(outputFile + ".h")
             ? 0
             : 1;
}
