//===- ModelLoading.h - Reading a model the same way in every tool -*- C++ -*-===//
//
// octetc, octet-run and octet-opt accept the same model files and the same
// import options (--input-shape, --freeze-input, --max-elements); they are
// defined once here.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_TOOLS_MODELLOADING_H
#define OCTET_TOOLS_MODELLOADING_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::octet::tools {

/// Whether `path` names an ONNX model (binary or text) rather than MLIR.
bool isOnnxPath(llvm::StringRef path);

/// Reads `path`: `.mlir` as MLIR, anything else through the ONNX importer
/// with the command-line import options. Errors are reported (as `tool`'s) and
/// give a null module.
OwningOpRef<ModuleOp> loadModel(MLIRContext &context, llvm::StringRef path,
                                llvm::StringRef tool);

} // namespace mlir::octet::tools

#endif // OCTET_TOOLS_MODELLOADING_H
