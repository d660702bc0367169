//===- LowerToLinalg.cpp - The octet-lower-to-linalg pass -----------------===//

#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetDialect.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
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
/// `type` with unsigned or signed integers (also as elements) signless.
Type signless(Type type) {
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.isSignless()
               ? type
               : IntegerType::get(type.getContext(), integer.getWidth());
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    Type element = signless(shaped.getElementType());
    return element == shaped.getElementType() ? type
                                              : shaped.clone(element);
  }
  return type;
}

/// Makes every integer in `func` signless, as arith wants them: the
/// lowerings read ui8 tensors through scalar casts, which then fold away
/// (ui8 -> i8 -> ...), so that linalg bodies are plain arith and vectorize.
/// The signedness stays in the ops (extui/uitofp/maxui); the model's C
/// interface was described before lowering.
LogicalResult makeIntegersSignless(func::FuncOp func) {
  auto retype = [](Value v) { v.setType(signless(v.getType())); };
  WalkResult result = func.walk([&](Operation *op) -> WalkResult {
    for (Value v : op->getResults())
      retype(v);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          retype(arg);
    auto constant = dyn_cast<arith::ConstantOp>(op);
    if (!constant)
      return WalkResult::advance();
    Type type = constant.getType();
    Attribute value = constant.getValue();
    if (cast<TypedAttr>(value).getType() == type)
      return WalkResult::advance();
    if (auto dense = dyn_cast<DenseIntElementsAttr>(value)) {
      constant.setValueAttr(
          dense.bitcast(cast<ShapedType>(type).getElementType()));
      return WalkResult::advance();
    }
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
      constant.setValueAttr(DenseResourceElementsAttr::get(
          cast<ShapedType>(type), resource.getRawHandle()));
      return WalkResult::advance();
    }
    return op->emitError("octet-lower-to-linalg: cannot make ")
           << value << " signless";
  });
  if (result.wasInterrupted())
    return failure();
  // The scalar casts between ui8 and i8 are now identities.
  func.walk([](UnrealizedConversionCastOp cast) {
    if (cast->getNumOperands() == 1 && cast->getNumResults() == 1 &&
        cast.getOperand(0).getType() == cast.getResult(0).getType()) {
      cast.getResult(0).replaceAllUsesWith(cast.getOperand(0));
      cast->erase();
    }
  });
  FunctionType type = func.getFunctionType();
  SmallVector<Type> inputs, results;
  for (Type t : type.getInputs())
    inputs.push_back(signless(t));
  for (Type t : type.getResults())
    results.push_back(signless(t));
  func.setFunctionType(FunctionType::get(func.getContext(), inputs, results));
  return success();
}

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
    // arith works on signless integers: unsigned values are reinterpreted
    // by scalar casts inside linalg bodies, and makeIntegersSignless then
    // makes the casts identities.
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
    func::FuncOp func = getOperation();
    if (failed(makeIntegersSignless(func)))
      return signalPassFailure();
    // Remembered for the entry point: bufferization turns results into
    // trailing out-parameters.
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
