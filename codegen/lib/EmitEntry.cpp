//===- EmitEntry.cpp - The exported C entry point of a compiled model -----===//

#include "octet/Codegen/Passes.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETEMITENTRYPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;

namespace {
struct OctetEmitEntryPass
    : octet::impl::OctetEmitEntryPassBase<OctetEmitEntryPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto model = module.lookupSymbol<LLVM::LLVMFuncOp>(functionName);
    if (!model) {
      module.emitError() << "no lowered model function '" << functionName
                         << "'";
      return signalPassFailure();
    }
    auto numInputs = model->getAttrOfType<IntegerAttr>("octet.num_inputs");
    auto numOutputs = model->getAttrOfType<IntegerAttr>("octet.num_outputs");
    unsigned numArgs = model.getNumArguments();
    if (!numInputs || !numOutputs ||
        numInputs.getInt() + numOutputs.getInt() + 1 != numArgs ||
        llvm::any_of(model.getArgumentTypes(),
                     [](Type t) { return !isa<LLVM::LLVMPointerType>(t); })) {
      model.emitError() << "expects the bare-pointer signature (inputs, "
                           "outputs, scratch) of a planned model function";
      return signalPassFailure();
    }

    MLIRContext *ctx = &getContext();
    Location loc = model.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto entry = LLVM::LLVMFuncOp::create(
        b, loc, modelName + "_run",
        LLVM::LLVMFunctionType::get(i32, {ptr, ptr, ptr}));
    Block *body = entry.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    SmallVector<Value> args;
    auto loadPointers = [&](Value array, int64_t count) {
      for (int64_t i = 0; i < count; ++i) {
        Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, array,
                                         ArrayRef<LLVM::GEPArg>{(int32_t)i});
        args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
      }
    };
    loadPointers(body->getArgument(0), numInputs.getInt());
    loadPointers(body->getArgument(1), numOutputs.getInt());
    args.push_back(body->getArgument(2));
    LLVM::CallOp::create(b, loc, model, args);
    Value ok = LLVM::ConstantOp::create(b, loc, i32, 0);
    LLVM::ReturnOp::create(b, loc, ok);
    // Only the entry point is exported.
    model.setLinkage(LLVM::Linkage::Internal);
  }
};
} // namespace
