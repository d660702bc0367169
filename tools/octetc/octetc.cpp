//===- octetc.cpp - The Octet compile driver ------------------------------===//
//
// Compiles an ONNX model (binary or text) in stages selected by --emit.
// Today it imports to the octet dialect; later stages (optimization,
// quantization, code generation) extend the same driver.
//
//===----------------------------------------------------------------------===//

#include "octet/Onnx/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
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
cl::opt<int64_t> maxElements(
    "max-elements",
    cl::desc("Refuse tensors with more elements than this (default 2^31)"),
    cl::init(int64_t(1) << 31));
/// Prints diagnostics as `file: severity: message`; imported ops carry
/// file locations without line numbers (a model is not a text file).
LogicalResult printDiagnostic(Diagnostic &diag) {
  raw_ostream &os = errs();
  Location loc = diag.getLocation();
  if (auto file = loc->findInstanceOf<FileLineColLoc>()) {
    os << file.getFilename().getValue();
    if (file.getLine())
      os << ":" << file.getLine() << ":" << file.getColumn();
    os << ": ";
  }
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    os << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    os << "warning: ";
    break;
  case DiagnosticSeverity::Note:
    os << "note: ";
    break;
  case DiagnosticSeverity::Remark:
    os << "remark: ";
    break;
  }
  os << diag << "\n";
  for (Diagnostic &note : diag.getNotes())
    (void)printDiagnostic(note);
  return success();
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
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

  DialectRegistry registry;
  octet::registerOnnxImportDialects(registry);
  MLIRContext context(registry);
  ScopedDiagnosticHandler diagnostics(&context, printDiagnostic);
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
