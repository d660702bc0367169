//===- X86Int8Kernels.cpp - The octet-x86-int8-kernels pass ---------------===//
//
// Gives every integer op a kernel covers its x86 kernel (Int8Kernels.h);
// the others keep the reference lowering. Also the broadcast operand the
// kernels share.
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

Value mlir::octet::x86::broadcastPair(OpBuilder &b, Location loc,
                                      Value source, ValueRange indices,
                                      bool isUnsigned, bool inBounds) {
  Type i8 = b.getI8Type(), i16 = b.getI16Type(), i32 = b.getI32Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value pair = vector::TransferReadOp::create(
      b, loc, VectorType::get({2}, i8), source, indices, zero,
      ArrayRef<bool>{inBounds});
  auto wideType = VectorType::get({2}, i16);
  Value wide =
      isUnsigned ? arith::ExtUIOp::create(b, loc, wideType, pair).getResult()
                 : arith::ExtSIOp::create(b, loc, wideType, pair).getResult();
  Value word = vector::ExtractOp::create(
      b, loc, vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), wide),
      ArrayRef<int64_t>{0});
  return vector::BitCastOp::create(
      b, loc, VectorType::get({16}, i16),
      vector::BroadcastOp::create(b, loc, VectorType::get({8}, i32), word));
}

namespace {
struct OctetX86Int8KernelsPass
    : octet::impl::OctetX86Int8KernelsPassBase<OctetX86Int8KernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<x86::Int8Isa> kind =
        llvm::StringSwitch<std::optional<x86::Int8Isa>>(isa)
            .Case("avx2", x86::Int8Isa::Avx2)
            .Case("vnni", x86::Int8Isa::Vnni)
            .Case("vnni512", x86::Int8Isa::Vnni512)
            .Default(std::nullopt);
    if (!kind) {
      getOperation().emitError() << "octet-x86-int8-kernels: unknown isa '"
                                 << isa << "' (avx2, vnni, vnni512)";
      return signalPassFailure();
    }
    SmallVector<MatMulIntegerOp> candidates;
    getOperation().walk([&](MatMulIntegerOp op) { candidates.push_back(op); });
    for (MatMulIntegerOp op : candidates)
      if (succeeded(x86::rewriteMatMul(op, *kind))) {
        ++numKernels;
        ++kernels;
      }
    SmallVector<Conv2DIntegerOp> convs;
    getOperation().walk([&](Conv2DIntegerOp op) { convs.push_back(op); });
    for (Conv2DIntegerOp op : convs)
      if (succeeded(x86::rewriteDepthwise(op)) ||
          succeeded(x86::rewriteConv(op, *kind))) {
        ++numKernels;
        ++kernels;
      }
  }

  PassCounter kernels{getArgument(), "kernels",
                      "int8 layers given an x86 kernel"};
};
} // namespace
