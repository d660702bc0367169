//===- Pipeline.cpp - The octet -> LLVM dialect pipeline and registration -===//

#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetDialect.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

std::string octet::getBufferizePipeline(int64_t vectorWidth,
                                        int64_t threads, StringRef int8Isa) {
  std::string kernels =
      int8Isa.empty()
          ? std::string()
          : "octet-x86-int8-kernels{isa=" + int8Isa.str() + "},";
  return "func.func(" + kernels + "octet-lower-to-linalg,canonicalize,"
         "octet-vectorize{vector-width=" +
         std::to_string(vectorWidth) +
         "},canonicalize),"
         "one-shot-bufferize{bufferize-function-boundaries "
         "function-boundary-type-conversion=identity-layout-map},"
         "canonicalize,cse,"
         "buffer-results-to-out-params{hoist-static-allocs "
         "modify-public-functions},canonicalize,octet-plan-memory" +
         (threads > 1
              ? ",octet-parallelize{threads=" + std::to_string(threads) + "}"
              : std::string());
}

std::string octet::getToLLVMPipeline(bool nativeRounding) {
  // Model functions take bare pointers (static shapes make memref
  // descriptors redundant); octet-emit-entry wraps them in the C API.
  return "func.func(octet-lower-copies,convert-linalg-to-loops,"
         "octet-expand-math{keep-roundeven=" +
         std::string(nativeRounding ? "1" : "0") +
         "},convert-vector-to-scf{full-unroll=true}),"
         "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
         "convert-vector-to-llvm,finalize-memref-to-llvm,convert-math-to-llvm,"
         "convert-arith-to-llvm,convert-ub-to-llvm,"
         "convert-cf-to-llvm,convert-func-to-llvm{use-bare-ptr-memref-call-"
         "conv},"
         "reconcile-unrealized-casts,octet-emit-task-entries";
}

std::string octet::getLowerToLLVMPipeline(int64_t vectorWidth,
                                          int64_t threads, StringRef int8Isa,
                                          bool nativeRounding) {
  return getBufferizePipeline(vectorWidth, threads, int8Isa) + "," +
         getToLLVMPipeline(nativeRounding);
}

void octet::registerCodegenPasses() {
  registerOctetCodegenPasses();
  registerCanonicalizerPass();
  registerCSEPass();
  bufferization::registerBufferizationPasses();
  registerLinalgPasses();
  memref::registerMemRefPasses();
  registerLowerAffinePass();
  registerSCFToControlFlowPass();
  registerFinalizeMemRefToLLVMConversionPass();
  registerConvertVectorToSCF();
  registerConvertVectorToLLVMPass();
  registerUBToLLVMConversionPass();
  registerConvertMathToLLVMPass();
  registerArithToLLVMConversionPass();
  registerConvertControlFlowToLLVMPass();
  registerConvertFuncToLLVMPass();
  registerReconcileUnrealizedCastsPass();
  PassPipelineRegistration<>(
      "octet-lower-to-llvm",
      "Lower a model in the octet dialect to the LLVM dialect",
      [](OpPassManager &pm) {
        if (failed(parsePassPipeline(getLowerToLLVMPipeline(), pm)))
          llvm::report_fatal_error("invalid built-in pipeline");
      });
}

void octet::registerCodegenDialects(DialectRegistry &registry) {
  registry.insert<OctetDialect, affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect, ub::UBDialect,
                  vector::VectorDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  // Tiling and hoisting (octet-vectorize) work through these interfaces.
  linalg::registerTilingInterfaceExternalModels(registry);
  linalg::registerSubsetOpInterfaceExternalModels(registry);
  tensor::registerSubsetOpInterfaceExternalModels(registry);
  tensor::registerValueBoundsOpInterfaceExternalModels(registry);
  vector::registerSubsetOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}
