//===- Compiler.cpp - A model module lowered to the LLVM dialect ----------===//

#include "octet/Codegen/Compiler.h"
#include "octet/Codegen/Passes.h"
#include "octet/Passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::octet;

LogicalResult mlir::octet::runModulePipeline(ModuleOp module,
                                             StringRef pipeline) {
  PassManager pm(module.getContext());
  if (failed(parsePassPipeline(pipeline, pm)))
    return module.emitError("invalid pass pipeline: ") << pipeline;
  // Fails only when the tool registered no such options; then none apply.
  (void)applyPassManagerCLOptions(pm);
  applyDefaultTimingPassManagerCLOptions(pm);
  return pm.run(module);
}

LogicalResult mlir::octet::optimizeModel(ModuleOp module, unsigned level) {
  std::string pipeline = getOptimizePipeline(level);
  if (pipeline.empty())
    return success();
  return runModulePipeline(module, pipeline);
}

std::string mlir::octet::getCompilePipeline(unsigned level, StringRef name,
                                            int64_t vectorWidth,
                                            int64_t threads,
                                            StringRef quantize,
                                            StringRef int8Isa,
                                            bool nativeRounding) {
  std::string graph = getOptimizePipeline(level);
  if (!quantize.empty())
    graph += (graph.empty() ? "" : ",") + quantize.str();
  return "builtin.module(" + (graph.empty() ? "" : graph + ",") +
         getLowerToLLVMPipeline(vectorWidth, threads, int8Isa,
                                nativeRounding) +
         ",octet-emit-entry{name=" + name.str() +
         "})";
}

namespace {

/// Bytes of constant data (weights) the object file will hold.
int64_t weightBytes(ModuleOp module) {
  int64_t bytes = 0;
  for (auto global : module.getOps<memref::GlobalOp>())
    if (global.getConstant()) {
      MemRefType type = global.getType();
      bytes += type.getNumElements() *
               llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    }
  return bytes;
}
} // namespace

FailureOr<func::FuncOp> mlir::octet::findModelFunction(ModuleOp module) {
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    return main;
  auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError("expects a function @main, or exactly one "
                            "function"),
           failure();
  return funcs.front();
}

FailureOr<ModelInterface>
mlir::octet::lowerModelToLLVM(ModuleOp module, StringRef name,
                              const TargetOptions &target) {
  FailureOr<func::FuncOp> model = findModelFunction(module);
  if (failed(model))
    return failure();
  std::string functionName = model->getSymName().str();
  FailureOr<ModelInterface> interface = describeModel(*model, name);
  if (failed(interface))
    return failure();
  FailureOr<std::string> features =
      describeTargetFeatures(target, module.getLoc());
  if (failed(features))
    return failure();
  interface->target = target;
  interface->target.features = *features;
  // The names now live in the interface; LLVM has no use for them.
  for (StringRef attr : {"octet.name", "octet.quantized"}) {
    auto key = StringAttr::get(module.getContext(), attr);
    for (unsigned i = 0; i < model->getNumArguments(); ++i)
      model->removeArgAttr(i, key);
    for (unsigned i = 0; i < model->getNumResults(); ++i)
      model->removeResultAttr(i, key);
  }

  FailureOr<int64_t> vectorWidth = getVectorWidth(target, module.getLoc());
  FailureOr<std::string> int8Isa = getInt8KernelIsa(target, module.getLoc());
  FailureOr<bool> nativeRounding =
      hasNativeRounding(target, module.getLoc());
  if (failed(vectorWidth) || failed(int8Isa) || failed(nativeRounding))
    return failure();
  if (failed(runModulePipeline(
          module,
          getBufferizePipeline(*vectorWidth, target.threads, *int8Isa))))
    return failure();
  if (auto planned = module.lookupSymbol<func::FuncOp>(functionName))
    if (auto bytes = planned->getAttrOfType<IntegerAttr>("octet.scratch_bytes"))
      interface->scratchBytes = bytes.getInt();
  interface->weightBytes = weightBytes(module);
  if (failed(runModulePipeline(module, getToLLVMPipeline(*nativeRounding) +
                                     ",octet-emit-entry{name=" + name.str() +
                                     " function=" + functionName + "}")))
    return failure();
  return interface;
}
