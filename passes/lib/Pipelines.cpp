//===- Pipelines.cpp - octet-optimize and the -O levels -------------------===//

#include "octet/Passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::octet;

std::string mlir::octet::getOptimizePipeline(const OptimizeOptions &options) {
  std::string passes = "canonicalize";
  if (options.foldConstants)
    passes += ",octet-fold-constants{max-elements=" +
              std::to_string(options.maxConstantElements) + "}";
  if (options.foldBatchNorm)
    passes += ",octet-fold-batch-norm";
  if (options.fuseActivation)
    passes += ",octet-fuse-activation";
  if (options.propagateQdq)
    passes += ",octet-propagate-qdq";
  // Fusion leaves dead constants and duplicate weights behind.
  passes += ",canonicalize,cse";
  return "func.func(" + passes + ")";
}

std::string mlir::octet::getOptimizePipeline(unsigned level) {
  if (level == 0)
    return "";
  OptimizeOptions options;
  if (level == 1) {
    options.foldBatchNorm = false;
    options.fuseActivation = false;
    options.propagateQdq = false;
  }
  return getOptimizePipeline(options);
}

void mlir::octet::registerOctetPipelines() {
  PassPipelineRegistration<OptimizeOptions>(
      "octet-optimize",
      "Graph optimizations: constant folding, batch-norm folding, "
      "activation fusion, integer ops from Q/DQ pairs, then "
      "canonicalization and CSE",
      [](OpPassManager &pm, const OptimizeOptions &options) {
        if (failed(parsePassPipeline(getOptimizePipeline(options), pm)))
          llvm::report_fatal_error("invalid built-in pipeline");
      });
}
