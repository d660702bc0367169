//===- octet-opt.cpp - Runs Octet and upstream passes on MLIR files -------===//
//
// The opt-style driver: every Octet pass and the upstream passes people
// expect in a pipeline, over the octet, func, arith and quant dialects. It
// also reads ONNX models (`.onnx`, `.onnxtxt`) directly, importing them
// first exactly as `octetc --emit=mlir` does.
//
//===----------------------------------------------------------------------===//

#include "DiagnosticPrinter.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetDialect.h"
#include "octet/Passes/Passes.h"
#include "octet/Onnx/OnnxImporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

static llvm::cl::list<std::string> inputShapes(
    "input-shape",
    llvm::cl::desc("For ONNX inputs: static shape of a model input, "
                   "NAME=1x3x224x224"),
    llvm::cl::value_desc("name=shape"));

static llvm::cl::list<std::string> frozenInputs(
    "freeze-input",
    llvm::cl::desc("For ONNX inputs: fix a model input to the value in a "
                   "TensorProto file, NAME=value.pb"),
    llvm::cl::value_desc("name=file"));

/// Imports an ONNX model and returns it as MLIR text for MlirOptMain.
static std::unique_ptr<llvm::MemoryBuffer>
importOnnx(llvm::StringRef path, DialectRegistry &registry) {
  octet::OnnxImportOptions options;
  for (const std::string &spec : inputShapes) {
    std::string error = octet::parseInputShapes(spec, options.inputShapes);
    if (!error.empty()) {
      llvm::errs() << "error: --input-shape: " << error << "\n";
      return nullptr;
    }
  }
  for (const std::string &spec : frozenInputs) {
    std::string error = octet::parseFrozenInputs(spec, options.frozenInputs);
    if (!error.empty()) {
      llvm::errs() << "error: --freeze-input: " << error << "\n";
      return nullptr;
    }
  }
  MLIRContext context(registry);
  ScopedDiagnosticHandler handler(&context, octet::tools::printDiagnostic);
  OwningOpRef<ModuleOp> module = octet::importOnnxFile(&context, path, options);
  if (!module)
    return nullptr;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return llvm::MemoryBuffer::getMemBufferCopy(text, path);
}

int main(int argc, char **argv) {
  DialectRegistry registry;
  registry.insert<quant::QuantDialect>();
  octet::registerCodegenDialects(registry);
  octet::registerCodegenPasses();
  octet::registerOctetGraphPasses();

  // A curated set of upstream passes rather than all of them: the tool stays
  // small and its --help readable.
  registerCanonicalizerPass();
  registerCSEPass();
  registerInlinerPass();
  registerSymbolDCEPass();
  registerViewOpGraphPass();
  registerPrintOpStatsPass();
  registerSCCPPass();

  auto [inputFile, outputFile] = registerAndParseCLIOptions(
      argc, argv, "Octet optimizer driver\n", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input;
  llvm::StringRef ext = llvm::sys::path::extension(inputFile);
  if (ext == ".onnx" || ext == ".onnxtxt") {
    input = importOnnx(inputFile, registry);
    if (!input)
      return 1;
  } else if (!(input = openInputFile(inputFile, &error))) {
    llvm::errs() << error << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (failed(MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
