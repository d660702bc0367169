//===- ExpandMath.cpp - Transcendentals without libm ----------------------===//

#include "octet/Codegen/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETEXPANDMATHPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;

namespace {
struct OctetExpandMathPass
    : octet::impl::OctetExpandMathPassBase<OctetExpandMathPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // powf -> exp/log first, then polynomials for every transcendental.
    SmallVector<StringRef> expanded = {"powf", "tanh", "sinh", "cosh",
                                       "exp2", "ceil",  "round"};
    if (!keepRoundEven)
      expanded.push_back("roundeven");
    math::populateExpansionPatterns(patterns, expanded);
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      // Called with op mnemonics or full names depending on the pattern.
      name.consume_front("math.");
      return llvm::is_contained({"exp", "log", "log2", "log1p", "tanh", "erf",
                                 "expm1", "atan", "atan2", "sin", "cos"},
                                name);
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
