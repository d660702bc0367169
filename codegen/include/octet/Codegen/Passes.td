//===- Passes.td - Octet code generation passes ---------------*- tablegen -*-===//

#ifndef OCTET_CODEGEN_PASSES_TD
#define OCTET_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def OctetLowerToLinalgPass : Pass<"octet-lower-to-linalg", "func::FuncOp"> {
  let summary = "Lower octet ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every octet op into upstream ops on tensors: named linalg ops
    where one exists (convolutions, pooling, matmul), `linalg.generic` for
    broadcasting elementwise math, `linalg.reduce` for reductions, and the
    tensor dialect for data movement. Constants become `arith.constant`.
    Ops without a lowering are left in place and reported.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::scf::SCFDialect",
  ];
  let statistics = [
    Statistic<"numLoweredOps", "lowered-ops", "Number of octet ops lowered">,
  ];
}

def OctetExpandMathPass : Pass<"octet-expand-math", "func::FuncOp"> {
  let summary = "Expand transcendental math ops into arithmetic";
  let description = [{
    Replaces `math.exp`, `math.log`, `math.tanh`, `math.erf`, `math.powf`
    and friends by polynomial approximations and elementary arithmetic, so
    that generated objects call no libm function (the runtime promise: no
    libc beyond memcpy/memset).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // OCTET_CODEGEN_PASSES_TD
