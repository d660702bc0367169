//===- octet-opt.cpp - Runs Octet and upstream passes on MLIR files -------===//
//
// The opt-style driver: every Octet pass and the upstream passes people
// expect in a pipeline, over the octet, func, arith and quant dialects. It
// also reads ONNX models (`.onnx`, `.onnxtxt`) directly, importing them
// first exactly as `octetc --emit=mlir` does.
//
//===----------------------------------------------------------------------===//

#include "DiagnosticPrinter.h"
#include "ModelLoading.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetDialect.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"
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

/// Imports an ONNX model and returns it as MLIR text for MlirOptMain.
static std::unique_ptr<llvm::MemoryBuffer>
importOnnx(llvm::StringRef path, DialectRegistry &registry) {
  MLIRContext context(registry);
  ScopedDiagnosticHandler handler(&context, octet::tools::printDiagnostic);
  OwningOpRef<ModuleOp> module =
      octet::tools::loadModel(context, path, "octet-opt");
  if (!module)
    return nullptr;
  std::string text;
  llvm::raw_string_ostream os(text);
  // With locations: the ONNX node names live on in diagnostics and passes.
  module->print(os, OpPrintingFlags().enableDebugInfo());
  return llvm::MemoryBuffer::getMemBufferCopy(text, path);
}

int main(int argc, char **argv) {
  DialectRegistry registry;
  registry.insert<quant::QuantDialect>();
  octet::registerCodegenDialects(registry);
  octet::registerCodegenPasses();
  octet::registerOctetGraphPasses();
  octet::registerOctetPipelines();

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
  if (octet::tools::isOnnxPath(inputFile)) {
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
  LogicalResult result =
      MlirOptMain(output->os(), std::move(input), registry, config);
  // Octet's pass counts (MLIR's own count nothing in Debian's LLVM).
  if (octet::passStatisticsRequested())
    octet::printPassCounters(llvm::errs());
  if (failed(result))
    return 1;
  output->keep();
  return 0;
}
