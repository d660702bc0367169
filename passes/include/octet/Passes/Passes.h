//===- Passes.h - Octet graph passes ----------------------------*- C++ -*-===//

#ifndef OCTET_PASSES_PASSES_H
#define OCTET_PASSES_PASSES_H

#include "octet/IR/OctetDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace octet {

#define GEN_PASS_DECL
#include "octet/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "octet/Passes/Passes.h.inc"

/// conv2d + batch_norm -> conv2d with rescaled weights and bias.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

} // namespace octet
} // namespace mlir

#endif // OCTET_PASSES_PASSES_H
