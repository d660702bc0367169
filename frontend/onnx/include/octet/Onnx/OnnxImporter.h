//===- OnnxImporter.h - ONNX models into the octet dialect ------*- C++ -*-===//
//
// Reads binary `.onnx` or ONNX text syntax, validates it with ONNX's checker
// and shape inference, and maps every node to octet ops. All problems are
// reported as MLIR diagnostics naming the file, node and op.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_ONNX_ONNXIMPORTER_H
#define OCTET_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlir::octet {

struct OnnxImportOptions {
  /// Static shapes for graph inputs with symbolic dimensions, by input name.
  llvm::StringMap<SmallVector<int64_t>> inputShapes;
  /// Graph inputs fixed to constants at compile time, by input name: the
  /// path of an ONNX TensorProto (`.pb`) file holding the value. A model
  /// that takes a shape, axes or clip bounds as inputs becomes importable.
  llvm::StringMap<std::string> frozenInputs;
  /// Refuse any tensor (input, initializer, intermediate) with more elements
  /// than this before allocating anything for it.
  int64_t maxElements = int64_t(1) << 31;
  /// Name of the generated function.
  std::string functionName = "main";
  /// Initializers with more elements than this become `dense_resource`
  /// blobs; smaller ones stay inline `dense` so shape data stays readable.
  int64_t inlineConstantLimit = 16;
};

/// Parses `--input-shape` values such as `x=1x3x224x224` (several may be
/// separated by commas) into `shapes`. Returns an error message on failure.
std::string parseInputShapes(llvm::StringRef spec,
                             llvm::StringMap<SmallVector<int64_t>> &shapes);

/// Parses `--freeze-input` values such as `shape=shape.pb`.
std::string parseFrozenInputs(llvm::StringRef spec,
                              llvm::StringMap<std::string> &inputs);

/// Imports the model at `path` (binary protobuf, or ONNX text syntax when
/// the file name ends in `.onnxtxt`/`.txt` or the bytes are not a valid
/// protobuf). External data is resolved relative to the model's directory.
OwningOpRef<ModuleOp> importOnnxFile(MLIRContext *context, llvm::StringRef path,
                                     const OnnxImportOptions &options);

/// Imports a model held in memory; `displayName` names it in diagnostics
/// and `modelDir` is where external data lives ("" forbids external data).
OwningOpRef<ModuleOp> importOnnxBuffer(MLIRContext *context,
                                       llvm::StringRef bytes,
                                       llvm::StringRef displayName,
                                       llvm::StringRef modelDir, bool isText,
                                       const OnnxImportOptions &options);

/// Registers the dialects an imported module uses.
void registerOnnxImportDialects(DialectRegistry &registry);

} // namespace mlir::octet

#endif // OCTET_ONNX_ONNXIMPORTER_H
