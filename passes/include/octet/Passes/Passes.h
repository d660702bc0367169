//===- Passes.h - Octet graph passes ----------------------------*- C++ -*-===//

#ifndef OCTET_PASSES_PASSES_H
#define OCTET_PASSES_PASSES_H

#include "octet/IR/OctetDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class RewritePatternSet;
namespace octet {

#define GEN_PASS_DECL
#include "octet/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "octet/Passes/Passes.h.inc"

/// The attribute octet-fold-calibration leaves on each quantize it creates:
/// the name of the observer whose statistics chose its type (read by the
/// tools' quantization report; later rewrites drop it).
inline constexpr llvm::StringLiteral kObserverAttrName = "octet.observer";

/// conv2d/gemm/matmul + batch_norm -> conv2d/gemm with rescaled weights
/// and bias.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

/// Bias adds and activations into the conv2d/gemm that produces them.
void populateFuseActivationPatterns(RewritePatternSet &patterns);

/// Options of the `octet-optimize` pipeline.
struct OptimizeOptions : public PassPipelineOptions<OptimizeOptions> {
  Option<bool> foldConstants{*this, "fold-constants",
                             llvm::cl::desc("Evaluate constant expressions"),
                             llvm::cl::init(true)};
  Option<bool> foldBatchNorm{*this, "fold-batch-norm",
                             llvm::cl::desc("Fold batch norm into conv/gemm"),
                             llvm::cl::init(true)};
  Option<bool> fuseActivation{
      *this, "fuse-activation",
      llvm::cl::desc("Fuse bias adds and activations into conv/gemm"),
      llvm::cl::init(true)};
  Option<bool> propagateQdq{
      *this, "propagate-qdq",
      llvm::cl::desc("Fold quantize/dequantize around conv/gemm into "
                     "integer ops"),
      llvm::cl::init(true)};
  Option<int64_t> maxConstantElements{
      *this, "max-constant-elements",
      llvm::cl::desc("Largest constant folding may create beyond its inputs"),
      llvm::cl::init(1 << 20)};
};

/// `octet-optimize` with `options`, as pass-pipeline text on a module
/// (without the `builtin.module(...)` anchor).
std::string getOptimizePipeline(const OptimizeOptions &options);

/// The graph pipeline of `octetc -O<level>`: nothing at -O0, constant
/// folding and canonicalization at -O1, all of octet-optimize from -O2.
std::string getOptimizePipeline(unsigned level);

/// Registers the `octet-optimize` pipeline.
void registerOctetPipelines();

} // namespace octet
} // namespace mlir

#endif // OCTET_PASSES_PASSES_H
