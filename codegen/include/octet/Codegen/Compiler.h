//===- Compiler.h - A model module lowered to the LLVM dialect --*- C++ -*-===//

#ifndef OCTET_CODEGEN_COMPILER_H
#define OCTET_CODEGEN_COMPILER_H

#include "octet/Codegen/Emitter.h"

namespace mlir::octet {

/// The model function of a module: @main (as imported from ONNX), or the
/// module's only function (as the builder DSL names it after the graph).
FailureOr<func::FuncOp> findModelFunction(ModuleOp module);

/// Runs `pipeline` (pass-pipeline text on a module, without the
/// `builtin.module(...)` anchor) on `module`, honouring the pass-manager
/// command-line options a tool registered (--mlir-print-ir-*, --mlir-timing,
/// --mlir-pass-statistics).
LogicalResult runModulePipeline(ModuleOp module, StringRef pipeline);

/// Applies the graph optimizations of `-O<level>` (octet-optimize) to the
/// model in `module`, still in the octet dialect.
LogicalResult optimizeModel(ModuleOp module, unsigned level);

/// The complete pipeline `octetc -O<level>` runs after import, as one
/// `--pass-pipeline=` string that octet-opt replays step by step.
/// `quantize` (pass-pipeline text) runs between the graph optimizations and
/// the lowering.
std::string getCompilePipeline(unsigned level, StringRef name,
                               int64_t vectorWidth, int64_t threads,
                               StringRef quantize = "",
                               StringRef int8Isa = "",
                               bool nativeRounding = false);

/// Lowers the model in `module` (octet dialect) in place to the LLVM
/// dialect with the entry point `<name>_run`, running the same pipelines
/// `octetc --print-pipeline` shows. Returns what the C header describes.
FailureOr<ModelInterface> lowerModelToLLVM(ModuleOp module, StringRef name,
                                           const TargetOptions &target);

} // namespace mlir::octet

#endif // OCTET_CODEGEN_COMPILER_H
