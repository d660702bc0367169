//===- MachineCode.cpp - LLVM IR, assembly and object files ---------------===//

#include "octet/Codegen/Emitter.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
/// A target machine for `target`, or a diagnostic at `loc`.
FailureOr<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &target, Location loc) {
  static bool initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)initialized;
  llvm::Triple triple(target.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return emitError(loc) << "unknown target '" << target.triple
                          << "': " << error,
           failure();
  std::string cpu = target.cpu, features = target.features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
    for (auto &f : host)
      features += (features.empty() ? "" : ",") +
                  std::string(f.second ? "+" : "-") + f.first().str();
  }
  if (!llvmTarget->hasTargetMachine())
    return emitError(loc) << "target '" << target.triple
                          << "' cannot generate code",
           failure();
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt,
      target.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
      : target.optLevel == 0 ? llvm::CodeGenOptLevel::None
                             : llvm::CodeGenOptLevel::Default));
  if (!machine)
    return emitError(loc) << "cannot create a target machine for '"
                          << target.triple << "'",
           failure();
  // An unknown CPU name would silently fall back to a generic one.
  if (cpu != "generic" && !machine->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return emitError(loc) << "unknown CPU '" << target.cpu << "' for "
                          << target.triple,
           failure();
  return machine;
}

void optimize(llvm::Module &module, llvm::TargetMachine &machine,
              unsigned level) {
  if (level == 0)
    return;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel opt = level >= 3   ? llvm::OptimizationLevel::O3
                                : level == 2 ? llvm::OptimizationLevel::O2
                                             : llvm::OptimizationLevel::O1;
  builder.buildPerModuleDefaultPipeline(opt).run(module, mam);
}
} // namespace

FailureOr<std::string>
mlir::octet::describeTargetFeatures(const TargetOptions &target, Location loc) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, loc);
  if (failed(machine))
    return failure();
  // Every feature the CPU and the explicit ones enable, not only the latter.
  const llvm::MCSubtargetInfo *subtarget = (*machine)->getMCSubtargetInfo();
  std::string features;
  for (const llvm::SubtargetFeatureKV &kv :
       subtarget->getAllProcessorFeatures())
    if (subtarget->getFeatureBits().test(kv.Value))
      features += (features.empty() ? "+" : ",+") + std::string(kv.Key);
  return features;
}

FailureOr<int64_t> mlir::octet::getVectorWidth(const TargetOptions &target,
                                              Location loc) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, loc);
  if (failed(machine))
    return failure();
  const llvm::MCSubtargetInfo *subtarget = (*machine)->getMCSubtargetInfo();
  if ((*machine)->getTargetTriple().isX86() &&
      subtarget->checkFeatures("+avx512f"))
    return 16;
  return 8;
}

FailureOr<bool> mlir::octet::hasNativeRounding(const TargetOptions &target,
                                               Location loc) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, loc);
  if (failed(machine))
    return failure();
  const llvm::Triple &triple = (*machine)->getTargetTriple();
  return triple.isAArch64() ||
         (triple.isX86() &&
          (*machine)->getMCSubtargetInfo()->checkFeatures("+sse4.1"));
}

FailureOr<std::string>
mlir::octet::getInt8KernelIsa(const TargetOptions &target, Location loc) {
  if (target.referenceInt8Kernels)
    return std::string();
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, loc);
  if (failed(machine))
    return failure();
  if (!(*machine)->getTargetTriple().isX86())
    return std::string();
  // vpdpbusd on 256-bit registers: EVEX (AVX512-VNNI + VL, 32 registers)
  // or VEX (AVX-VNNI, 16); otherwise AVX2's exact vpmaddwd.
  const llvm::MCSubtargetInfo *subtarget = (*machine)->getMCSubtargetInfo();
  std::string isa;
  if (subtarget->checkFeatures("+avx512vnni,+avx512vl"))
    isa = "vnni512";
  else if (subtarget->checkFeatures("+avxvnni"))
    isa = "vnni";
  else if (subtarget->checkFeatures("+avx2"))
    isa = "avx2";
  if (!isa.empty() && target.int8KBlock > 0)
    isa += " k-block=" + std::to_string(target.int8KBlock);
  return isa;
}

LogicalResult mlir::octet::emitMachineCode(ModuleOp module,
                                           const TargetOptions &target,
                                           OutputKind kind,
                                           llvm::raw_pwrite_stream &os) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, module.getLoc());
  if (failed(machine))
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return module.emitError("cannot translate the module to LLVM IR");
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  llvmModule->setDataLayout((*machine)->createDataLayout());
  // Every function gets the target's CPU and features, so that inlined and
  // vectorized code uses them.
  for (llvm::Function &f : *llvmModule) {
    f.addFnAttr("target-cpu", (*machine)->getTargetCPU());
    if (!(*machine)->getTargetFeatureString().empty())
      f.addFnAttr("target-features", (*machine)->getTargetFeatureString());
  }
  optimize(*llvmModule, **machine, target.optLevel);
  if (kind == OutputKind::LLVMIR) {
    llvmModule->print(os, nullptr);
    return success();
  }
  llvm::legacy::PassManager codegen;
  if ((*machine)->addPassesToEmitFile(
          codegen, os, nullptr,
          kind == OutputKind::Object ? llvm::CodeGenFileType::ObjectFile
                                     : llvm::CodeGenFileType::AssemblyFile))
    return module.emitError("the target cannot emit this file type");
  codegen.run(*llvmModule);
  return success();
}
