//===- Emitter.h - Objects, assembly, LLVM IR and C headers -----*- C++ -*-===//

#ifndef OCTET_CODEGEN_EMITTER_H
#define OCTET_CODEGEN_EMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::octet {

/// Where the generated code runs. The ISA comes from here (`--cpu`), never
/// from the machine that compiles.
struct TargetOptions {
  std::string triple = "x86_64-unknown-linux-gnu";
  std::string cpu = "x86-64-v3";
  std::string features;
  unsigned optLevel = 3;
  /// Threads per heavy kernel, through the runtime's octet_parallel_for;
  /// 1 builds code that never references it.
  int64_t threads = 1;
  /// Lower int8 layers with the portable reference kernels only, even where
  /// faster target kernels exist (to compare them bit for bit).
  bool referenceInt8Kernels = false;
  /// K-blocking of the x86 int8 GEMMs: k-quads per block (0: none).
  int64_t int8KBlock = 0;
};

/// One input or output of a compiled model, for the C descriptor table.
struct TensorInterface {
  std::string name;
  std::string cType; ///< e.g. "float", "uint8_t".
  std::string dtype; ///< The OCTET_DTYPE_* enumerator suffix, e.g. "F32".
  std::vector<int64_t> dims;
  bool quantized = false;
  double scale = 0.0;
  int64_t zeroPoint = 0;
};

/// What the header describes.
struct ModelInterface {
  std::string name;
  std::vector<TensorInterface> inputs, outputs;
  int64_t scratchBytes = 0;
  int64_t weightBytes = 0;
  TargetOptions target;
};

/// Reads names, types and shapes from the model function (tensor level,
/// before lowering). Fails with a diagnostic for unsupported types.
FailureOr<ModelInterface> describeModel(func::FuncOp model, StringRef name);

/// Writes the C99 header for `model`.
void emitHeader(const ModelInterface &model, llvm::raw_ostream &os);

enum class OutputKind { LLVMIR, Assembly, Object };

/// Translates an LLVM-dialect module to LLVM IR, optimizes it for `target`
/// and writes it as `kind`.
LogicalResult emitMachineCode(ModuleOp module, const TargetOptions &target,
                              OutputKind kind, llvm::raw_pwrite_stream &os);

/// The CPU features `target` enables, as LLVM spells them ("+avx2,...").
FailureOr<std::string> describeTargetFeatures(const TargetOptions &target,
                                              Location loc);

/// Floats per vector register of `target`: 16 with AVX-512, 8 otherwise
/// (AVX2; on AArch64 one row of a register tile is two NEON registers).
FailureOr<int64_t> getVectorWidth(const TargetOptions &target, Location loc);

/// Whether the target rounds floats to nearest even in one instruction
/// (x86 with SSE4.1, AArch64), so math.roundeven needs no expansion.
FailureOr<bool> hasNativeRounding(const TargetOptions &target, Location loc);

/// The x86 int8 kernels the target can run ("vnni512", "vnni" or "avx2",
/// followed by " k-block=N" when `target.int8KBlock` is set: the options
/// of octet-x86-int8-kernels after `isa=`), or "" for the reference
/// lowering only (other targets, no AVX2, or `target.referenceInt8Kernels`).
FailureOr<std::string> getInt8KernelIsa(const TargetOptions &target,
                                        Location loc);

} // namespace mlir::octet

#endif // OCTET_CODEGEN_EMITTER_H
