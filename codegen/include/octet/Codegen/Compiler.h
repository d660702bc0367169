//===- Compiler.h - A model module lowered to the LLVM dialect --*- C++ -*-===//

#ifndef OCTET_CODEGEN_COMPILER_H
#define OCTET_CODEGEN_COMPILER_H

#include "octet/Codegen/Emitter.h"

namespace mlir::octet {

/// The model function of a module: @main (as imported from ONNX), or the
/// module's only function (as the builder DSL names it after the graph).
FailureOr<func::FuncOp> findModelFunction(ModuleOp module);

/// Lowers the model in `module` (octet dialect) in place to the LLVM
/// dialect with the entry point `<name>_run`, running the same pipelines
/// `octetc --print-pipeline` shows. Returns what the C header describes.
FailureOr<ModelInterface> lowerModelToLLVM(ModuleOp module, StringRef name,
                                           const TargetOptions &target);

} // namespace mlir::octet

#endif // OCTET_CODEGEN_COMPILER_H
