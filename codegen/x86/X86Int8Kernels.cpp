//===- X86Int8Kernels.cpp - The octet-x86-int8-kernels pass ---------------===//
//
// Gives every integer op a kernel covers its x86 kernel (Int8Kernels.h);
// the others keep the reference lowering. Also what the kernels share: the
// exactness rule and the dot-product step.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETX86INT8KERNELSPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

DenseElementsAttr mlir::octet::x86::constantOf(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  return constant ? dyn_cast<DenseElementsAttr>(constant.getValue()) : nullptr;
}

static constexpr int64_t kLanes = 8; // int32 per 256-bit register

Value mlir::octet::x86::index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

bool mlir::octet::x86::pairIsExact(int64_t w0, int64_t w1) {
  auto pos = [](int64_t w) { return std::max<int64_t>(w, 0); };
  auto neg = [](int64_t w) { return std::max<int64_t>(-w, 0); };
  return 255 * (pos(w0) + pos(w1)) <= 32767 &&
         255 * (neg(w0) + neg(w1)) <= 32768;
}

static Value callIntrinsic(OpBuilder &b, Location loc, Type result, StringRef name,
                    ArrayRef<Value> operands) {
  return LLVM::CallIntrinsicOp::create(b, loc, result, b.getStringAttr(name),
                                       operands)
      .getResult(0);
}

Value mlir::octet::x86::dot(OpBuilder &b, Location loc, Dot kind, Value acc,
                            Value acts, ArrayRef<Value> weights) {
  auto accType = VectorType::get({kLanes}, b.getI32Type());
  auto pairType = VectorType::get({2 * kLanes}, b.getI16Type());
  auto splat = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(pairType, APInt(16, v)));
  };
  switch (kind) {
  case Dot::Vnni:
    return callIntrinsic(b, loc, accType, "llvm.x86.avx512.vpdpbusd.256",
                         {acc, acts, weights[0]});
  case Dot::MaddUbsw: {
    Value pairs = callIntrinsic(b, loc, pairType, "llvm.x86.avx2.pmadd.ub.sw",
                                {acts, weights[0]});
    Value sums = callIntrinsic(b, loc, accType, "llvm.x86.avx2.pmadd.wd",
                               {pairs, splat(1)});
    return arith::AddIOp::create(b, loc, acc, sums);
  }
  case Dot::MaddWd: {
    Value halves = vector::BitCastOp::create(b, loc, pairType, acts);
    Value even = arith::AndIOp::create(b, loc, halves, splat(0xff));
    Value odd = arith::ShRUIOp::create(b, loc, halves, splat(8));
    Value sum = acc;
    Value parts[2] = {even, odd};
    for (int64_t i = 0; i < 2; ++i)
      sum = arith::AddIOp::create(
          b, loc, sum,
          callIntrinsic(b, loc, accType, "llvm.x86.avx2.pmadd.wd",
                        {parts[i], weights[i]}));
    return sum;
  }
  }
  llvm_unreachable("unknown dot kind");
}

Value mlir::octet::x86::interleaveQuads(OpBuilder &b, Location loc,
                                        ArrayRef<Value> rows) {
  SmallVector<int64_t> pairs, quads;
  for (int64_t i = 0; i < kLanes; ++i)
    pairs.append({i, kLanes + i});
  for (int64_t i = 0; i < kLanes; ++i)
    quads.append({2 * i, 2 * i + 1, 2 * kLanes + 2 * i, 2 * kLanes + 2 * i + 1});
  Value low = vector::ShuffleOp::create(b, loc, rows[0], rows[1], pairs);
  Value high = vector::ShuffleOp::create(b, loc, rows[2], rows[3], pairs);
  return vector::ShuffleOp::create(b, loc, low, high, quads);
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
      if (succeeded(x86::rewriteMatMul(op, *kind, kBlock)) ||
          succeeded(x86::rewriteDynamicMatMul(op, *kind, kBlock))) {
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
