//===- Passes.h - Octet code generation passes ------------------*- C++ -*-===//

#ifndef OCTET_CODEGEN_PASSES_H
#define OCTET_CODEGEN_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class TypeConverter;

namespace octet {

#define GEN_PASS_DECL
#include "octet/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "octet/Codegen/Passes.h.inc"

/// Lowering patterns from octet to linalg/tensor/arith/math, per op family.
void populateLowerElementwisePatterns(RewritePatternSet &patterns);
void populateLowerNNPatterns(RewritePatternSet &patterns);
void populateLowerReductionPatterns(RewritePatternSet &patterns);
void populateLowerTensorPatterns(RewritePatternSet &patterns);
void populateLowerRnnPatterns(RewritePatternSet &patterns);
/// quantize/dequantize/requantize in their reference (ONNX) form; applied
/// greedily before the conversion, as they rewrite through quant.scast.
void populateLowerQuantPatterns(RewritePatternSet &patterns);

/// All of the above.
void populateOctetToLinalgPatterns(RewritePatternSet &patterns);

/// The textual pass pipeline (the passes run on a builtin.module) from the
/// octet dialect to the LLVM dialect, so that `octetc` and
/// `octet-opt --octet-lower-to-llvm` run the same passes.
/// `vectorWidth` is the target's floats per vector register; with
/// `threads` > 1 heavy kernels run on the runtime's parallel-for.
/// `int8Isa` names the x86 int8 kernels to use (octet-x86-int8-kernels),
/// empty for the reference lowering only. `nativeRounding`: the target
/// rounds to nearest even in one instruction (math.roundeven stays).
std::string getLowerToLLVMPipeline(int64_t vectorWidth = 8,
                                   int64_t threads = 1,
                                   llvm::StringRef int8Isa = "",
                                   bool nativeRounding = false);
/// Its two halves: octet to bufferized, arena-planned memrefs; and those to
/// the LLVM dialect.
std::string getBufferizePipeline(int64_t vectorWidth = 8, int64_t threads = 1,
                                 llvm::StringRef int8Isa = "");
std::string getToLLVMPipeline(bool nativeRounding = false);

/// Registers Octet's codegen passes, the upstream passes its pipeline uses,
/// and the `octet-lower-to-llvm` pipeline.
void registerCodegenPasses();

/// Registers the dialects and interfaces (bufferization, LLVM translation)
/// code generation needs.
void registerCodegenDialects(DialectRegistry &registry);

} // namespace octet
} // namespace mlir

#endif // OCTET_CODEGEN_PASSES_H
