//===- X86Int8Kernels.cpp - The octet-x86-int8-kernels pass ---------------===//
//
// Gives every integer op a kernel covers its x86 kernel (Int8Kernels.h);
// the others keep the reference lowering.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"
#include "octet/Passes/Statistics.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETX86INT8KERNELSPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
struct OctetX86Int8KernelsPass
    : octet::impl::OctetX86Int8KernelsPassBase<OctetX86Int8KernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (isa != "avx2") {
      getOperation().emitError()
          << "octet-x86-int8-kernels: unknown isa '" << isa << "' (avx2)";
      return signalPassFailure();
    }
    SmallVector<MatMulIntegerOp> candidates;
    getOperation().walk([&](MatMulIntegerOp op) { candidates.push_back(op); });
    for (MatMulIntegerOp op : candidates)
      if (succeeded(x86::rewriteMatMul(op))) {
        ++numKernels;
        ++kernels;
      }
    SmallVector<Conv2DIntegerOp> convs;
    getOperation().walk([&](Conv2DIntegerOp op) { convs.push_back(op); });
    for (Conv2DIntegerOp op : convs)
      if (succeeded(x86::rewriteConv(op, directKxK))) {
        ++numKernels;
        ++kernels;
      }
  }

  PassCounter kernels{getArgument(), "kernels",
                      "int8 layers given an x86 kernel"};
};
} // namespace
