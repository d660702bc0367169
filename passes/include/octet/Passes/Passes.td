//===- Passes.td - Octet graph passes --------------------------*- tablegen -*-===//

#ifndef OCTET_PASSES_PASSES_TD
#define OCTET_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def OctetFoldBatchNormPass : Pass<"octet-fold-batch-norm", "func::FuncOp"> {
  let summary = "Fold inference batch normalization into the preceding conv";
  let description = [{
    `batch_norm(conv2d(x, w, b))` with constant weight, bias and batch-norm
    parameters becomes one `conv2d(x, w', b')` with
    `w' = w·γ/√(σ²+ε)` per output channel and `b' = (b−μ)·γ/√(σ²+ε)+β`,
    computed in double precision and rounded once. Nothing is folded when
    the convolution has other users, already carries an activation (the
    normalization would have to come first), or when any parameter is not
    a constant.
  }];
  let dependentDialects = ["::mlir::octet::OctetDialect"];
  let statistics = [
    Statistic<"numFolded", "folded", "Batch normalizations folded">,
  ];
}

#endif // OCTET_PASSES_PASSES_TD
