//===- LowerToLinalg.cpp - The octet-lower-to-linalg pass -----------------===//

#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetDialect.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETLOWERTOLINALGPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

void mlir::octet::populateOctetToLinalgPatterns(RewritePatternSet &patterns) {
  populateLowerElementwisePatterns(patterns);
  populateLowerNNPatterns(patterns);
  populateLowerReductionPatterns(patterns);
  populateLowerTensorPatterns(patterns);
  populateLowerRnnPatterns(patterns);
}

namespace {
struct OctetLowerToLinalgPass
    : octet::impl::OctetLowerToLinalgPassBase<OctetLowerToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           scf::SCFDialect, func::FuncDialect>();
    // Observers only exist in calibration builds, which lower them
    // themselves.
    target.addIllegalDialect<OctetDialect>();
    target.addLegalOp<ObserveOp>();
    target.addLegalDialect<quant::QuantDialect>();
    // arith works on signless integers: unsigned tensors are reinterpreted
    // inside linalg bodies; the casts fold away when lowering to LLVM.
    target.addLegalOp<UnrealizedConversionCastOp>();

    // Quantization boundaries first: they rewrite through quant.scast pairs,
    // which fold away as the greedy driver goes.
    RewritePatternSet quantPatterns(ctx);
    populateLowerQuantPatterns(quantPatterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(quantPatterns))))
      return signalPassFailure();

    RewritePatternSet patterns(ctx);
    populateOctetToLinalgPatterns(patterns);
    int64_t before = 0;
    getOperation().walk([&](Operation *op) {
      if (isa<OctetDialect>(op->getDialect()))
        ++before;
    });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    // Remembered for the entry point: bufferization turns results into
    // trailing out-parameters.
    func::FuncOp func = getOperation();
    Builder b(ctx);
    func->setAttr("octet.num_inputs",
                  b.getI64IntegerAttr(func.getNumArguments()));
    func->setAttr("octet.num_outputs",
                  b.getI64IntegerAttr(func.getNumResults()));
    numLoweredOps = before;
    lowered += before;
  }

  octet::PassCounter lowered{getArgument(), "lowered-ops",
                      "Number of octet ops lowered"};
};
} // namespace
