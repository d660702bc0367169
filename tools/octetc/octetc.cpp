//===- octetc.cpp - The Octet compile driver ------------------------------===//
//
// Compiles an ONNX model (binary or text) in stages selected by --emit.
// Today it imports to the octet dialect; later stages (optimization,
// quantization, code generation) extend the same driver.
//
//===----------------------------------------------------------------------===//

#include "DiagnosticPrinter.h"
#include "octet/Onnx/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;
using namespace mlir;

namespace {
enum class EmitKind { Mlir };

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                               cl::Required);
cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"));
cl::opt<EmitKind> emit("emit", cl::desc("What to produce"),
                       cl::values(clEnumValN(EmitKind::Mlir, "mlir",
                                             "the imported octet dialect")),
                       cl::init(EmitKind::Mlir));
cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static shape of a model input: NAME=1x3x224x224 "
                         "(repeatable, or comma-separated)"),
                cl::value_desc("name=shape"));
cl::list<std::string> frozenInputs(
    "freeze-input",
    cl::desc("Fix a model input to the value in an ONNX TensorProto file: "
             "NAME=value.pb (repeatable)"),
    cl::value_desc("name=file"));
cl::opt<int64_t> maxElements(
    "max-elements",
    cl::desc("Refuse tensors with more elements than this (default 2^31)"),
    cl::init(int64_t(1) << 31));
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "Octet ahead-of-time compiler\n");

  octet::OnnxImportOptions options;
  options.maxElements = maxElements;
  for (const std::string &spec : inputShapes) {
    std::string error = octet::parseInputShapes(spec, options.inputShapes);
    if (!error.empty()) {
      WithColor::error(errs(), "octetc") << "--input-shape: " << error << "\n";
      return 1;
    }
  }

  for (const std::string &spec : frozenInputs) {
    std::string error = octet::parseFrozenInputs(spec, options.frozenInputs);
    if (!error.empty()) {
      WithColor::error(errs(), "octetc") << "--freeze-input: " << error << "\n";
      return 1;
    }
  }

  DialectRegistry registry;
  octet::registerOnnxImportDialects(registry);
  MLIRContext context(registry);
  ScopedDiagnosticHandler diagnostics(&context, octet::tools::printDiagnostic);
  OwningOpRef<ModuleOp> module =
      octet::importOnnxFile(&context, inputFile, options);
  if (!module)
    return 1;

  std::string error;
  std::unique_ptr<ToolOutputFile> output = openOutputFile(outputFile, &error);
  if (!output) {
    WithColor::error(errs(), "octetc") << error << "\n";
    return 1;
  }
  module->print(output->os());
  output->keep();
  return 0;
}
