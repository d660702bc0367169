//===- OnnxImportFuzzer.cpp - libFuzzer entry point for the ONNX importer -===//
//
// Feeds arbitrary bytes to the importer as a binary model, or as ONNX text
// when they look like text. Any crash, hang, leak or sanitizer report is a
// bug; diagnostics are expected and discarded.
//
//===----------------------------------------------------------------------===//

#include "octet/Onnx/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    octet::registerOnnxImportDialects(*r);
    return r;
  }();
  // A fresh context per input: nothing carries over between runs.
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });

  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::StringRef trimmed = bytes.ltrim();
  bool isText = trimmed.starts_with("<") || trimmed.starts_with("#");
  octet::OnnxImportOptions options;
  // Small limits keep each run fast and bounded in memory.
  options.maxElements = int64_t(1) << 20;
  (void)octet::importOnnxBuffer(&context, bytes, "fuzz.onnx",
                                /*modelDir=*/"", isText, options);
  return 0;
}
