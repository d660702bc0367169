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

def OctetX86Int8KernelsPass : Pass<"octet-x86-int8-kernels", "func::FuncOp"> {
  let summary = "x86 register-tiled kernels for int8 gemm and convolutions";
  let description = [{
    Runs before `octet-lower-to-linalg`. Each covered integer op becomes
    a loop nest of register tiles computing the same result, bit for bit,
    with accumulators that start from the bias (and the zero-point terms)
    and stay in registers over the reduction (docs/x86-int8-kernels.md):
    - `conv2d_integer` by constant weights (any kernel, stride and
      dilation; one group, or groups of whole channel quads): an implicit
      GEMM over activations packed once per image into channel quads, the
      used stride phases as separate planes, computed over padded-width
      rows;
    - depthwise `conv2d_integer`: per-channel phase planes, exact vpmaddwd
      on tap pairs;
    - 2-D `matmul_integer` by constant weights packed at compile time, and
      `matmul_integer` of two activations (attention) packed at run time:
      4 rows × one panel of 16 or 24 columns of k-quads.
    Tiles are 8 × 24 (`vnni512`: vpdpbusd, 32 registers), 4 × 24 (`vnni`)
    or 4 × 16 (`avx2`: vpmaddubsw on weight pairs proven exact, or the
    exact even/odd-byte vpmaddwd). Where the int32 result is only
    requantized (cast, multiplier, relu/clip, quantize), the tile applies
    that in registers and writes the 8-bit output. Other integer ops keep
    the reference lowering.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"avx2\"",
           "Instruction set of the kernels: avx2, vnni or vnni512">,
    Option<"kBlock", "k-block", "int64_t", /*default=*/"0",
           "GEMM K-blocking: k-quads per block (0: none; measured no gain "
           "on Zen 4 up to K = 3072, docs/x86-int8-kernels.md)">,
  ];
  let statistics = [
    Statistic<"numKernels", "kernels", "int8 layers given an x86 kernel">,
  ];
}

def OctetVectorizePass : Pass<"octet-vectorize", "func::FuncOp"> {
  let summary = "Tile linalg contractions and convolutions for registers and vectorize them";
  let description = [{
    Runs on linalg on tensors, before bufferization. Convolutions
    (`conv_2d_nchw_fchw`) become im2col + a matmul-shaped contraction
    (`filter[F, C·kH·kW] × columns[C·kH·kW, OH·OW]`, the output's spatial
    axis contiguous). Every contraction (matmul, batch_matmul, the
    im2col products) is tiled into `rows × vector-width` register tiles with
    a reduction loop of step 1, vectorized to `vector.contract`, lowered to
    outer products (FMAs on whole vectors), and its accumulator hoisted out
    of the reduction loop so it stays in registers. Tile sizes divide the
    static dimensions exactly, so no masking is needed; dimensions with no
    useful divisor stay scalar loops.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::ub::UBDialect"];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"8",
           "Elements per vector register (8 floats for AVX2)">,
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"8",
           "Rows of a register tile">,
    Option<"tileVectors", "tile-vectors", "int64_t", /*default=*/"2",
           "Vectors per register-tile row, where they divide the columns">,
  ];
}

def OctetParallelizePass : Pass<"octet-parallelize", "ModuleOp"> {
  let summary = "Run the outer tile loops of heavy kernels on the runtime's threads";
  let description = [{
    Runs after bufferization and memory planning. For each outermost loop
    that `octet-vectorize` marked as a parallel tile loop (`octet.parallel`,
    the multiply-adds of its kernel) with at least `min-work` multiply-adds
    and at least two iterations, the loop body becomes a task function
    `@<model>_task<k>(begin, end, captures...)` running iterations
    `[begin, end)`, and the loop becomes a call of the runtime's
    `octet_parallel_for(count, trampoline, context, threads)`. The context
    is a stack array of the captured buffers' addresses; the trampoline
    (`@<model>_task<k>_entry`, a declaration here, given a body by
    `octet-emit-task-entries` once the module is in the LLVM dialect)
    unpacks it. Iterations write disjoint tiles, so results do not depend
    on the thread count. With `threads=1` nothing changes, and the object
    never references the runtime.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Threads per kernel">,
    Option<"minWork", "min-work", "int64_t", /*default=*/"1 << 20",
           "Fewest multiply-adds worth starting threads for">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect"];
}

def OctetEmitTaskEntriesPass : Pass<"octet-emit-task-entries", "ModuleOp"> {
  let summary = "Bodies for the task trampolines of octet-parallelize";
  let description = [{
    Runs on the LLVM dialect. Each `@<model>_task<k>_entry(context, begin,
    end)` declaration gets a body that loads the task's captured addresses
    from the context array and calls `@<model>_task<k>`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def OctetExpandMathPass : Pass<"octet-expand-math", "func::FuncOp"> {
  let summary = "Expand transcendental math ops into arithmetic";
  let description = [{
    Replaces `math.exp`, `math.log`, `math.tanh`, `math.erf`, `math.powf`
    and friends by polynomial approximations and elementary arithmetic, so
    that generated objects call no libm function (the runtime promise: no
    libc beyond memcpy/memset). `math.roundeven` (quantization's rounding)
    is expanded into integer arithmetic too, unless `keep-roundeven`: for
    targets with a rounding instruction (x86 SSE4.1 `roundps`, AArch64
    `frintn`), where LLVM emits that instead of a libm call.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
  let options = [
    Option<"keepRoundEven", "keep-roundeven", "bool", /*default=*/"false",
           "Leave math.roundeven to LLVM (the target rounds natively)">,
  ];
}

def OctetPlanMemoryPass : Pass<"octet-plan-memory", "ModuleOp"> {
  let summary = "Place every intermediate buffer in one scratch arena";
  let description = [{
    After bufferization, each `memref.alloc` of a model function becomes a
    `memref.view` into a new trailing `scratch` argument (`memref<Nxi8>`).
    Offsets come from a liveness analysis over the function's top-level ops:
    buffers whose lifetimes do not overlap share bytes; each buffer is
    64-byte aligned. N, a compile-time constant, is recorded as the
    function's `octet.scratch_bytes` attribute. Constant globals (weights)
    are aligned to 64 bytes. The generated code thus never allocates.
    First, a buffer whose last use is the copy into a result (an output
    parameter) is replaced by that output, so results are computed in the
    caller's buffers rather than copied there.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numBuffers", "buffers", "Buffers placed in the arena">,
    Statistic<"arenaBytes", "arena-bytes", "Bytes of the largest arena">,
    Statistic<"naiveBytes", "naive-bytes",
              "Bytes the buffers would take without sharing">,
  ];
}

def OctetLowerCopiesPass : Pass<"octet-lower-copies", "func::FuncOp"> {
  let summary = "Turn memref.copy into linalg.copy, i.e. plain loops";
  let description = [{
    Bufferization copies into strided views (padding, concatenation) with
    `memref.copy`, whose LLVM lowering calls the `memrefCopy` library
    function for non-contiguous memrefs. As `linalg.copy` it becomes loops,
    and generated objects stay free of library calls.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def OctetEmitEntryPass : Pass<"octet-emit-entry", "ModuleOp"> {
  let summary = "Add the C entry point NAME_run(inputs, outputs, scratch)";
  let description = [{
    Runs on the LLVM dialect, after the model function was lowered with the
    bare-pointer calling convention. Adds `int32_t NAME_run(const void *const
    *inputs, void *const *outputs, void *scratch)`, which loads each pointer
    and calls the model, and makes the model function internal so the
    object exports only the entry point.
  }];
  let options = [
    Option<"modelName", "name", "std::string", /*default=*/"\"model\"",
           "Prefix of the exported symbols">,
    Option<"functionName", "function", "std::string", /*default=*/"\"main\"",
           "The model function to wrap">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // OCTET_CODEGEN_PASSES_TD
