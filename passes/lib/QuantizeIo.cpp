//===- QuantizeIo.cpp - 8-bit model inputs and outputs --------------------===//
//
// Firmware that reads a camera or writes a class score wants the model's
// own integers at its boundary, not floats it must convert twice. This pass
// moves the first quantize of an input and the last dequantize of an output
// out of the model, into the caller, and records the quantized type on the
// argument or result so the header can describe it.
//
//===----------------------------------------------------------------------===//

#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETQUANTIZEIOPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
constexpr StringLiteral kQuantizedAttr = "octet.quantized";

/// The 8-bit per-tensor quantized element type of `type`, if it has one.
quant::UniformQuantizedType quantized8(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  auto uniform = tensor ? dyn_cast<quant::UniformQuantizedType>(
                              tensor.getElementType())
                        : nullptr;
  if (!uniform || uniform.getStorageTypeIntegralWidth() != 8)
    return nullptr;
  return uniform;
}

/// The C-visible storage element of `uniform`: ui8 for unsigned types.
Type interfaceElement(quant::UniformQuantizedType uniform) {
  return IntegerType::get(uniform.getContext(), 8,
                          uniform.isSigned() ? IntegerType::Signless
                                             : IntegerType::Unsigned);
}

struct OctetQuantizeIoPass
    : octet::impl::OctetQuantizeIoPassBase<OctetQuantizeIoPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    for (BlockArgument arg : func.getArguments())
      quantizeInput(func, arg);
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    for (OpOperand &operand : ret->getOpOperands())
      quantizeOutput(func, operand);
    func.setType(FunctionType::get(&getContext(),
                                   func.getBody().getArgumentTypes(),
                                   ret.getOperandTypes()));
  }

  /// Every use of `arg` quantizes it into one type: the caller does that.
  void quantizeInput(func::FuncOp func, BlockArgument arg) {
    if (arg.use_empty())
      return;
    Type quantType;
    SmallVector<QuantizeOp> quantizes;
    for (Operation *user : arg.getUsers()) {
      auto quantize = dyn_cast<QuantizeOp>(user);
      if (!quantize || !quantized8(quantize.getType()) ||
          (quantType && quantize.getType() != quantType)) {
        // The user asked for integer inputs: say which one stays float.
        func.emitWarning() << "input " << arg.getArgNumber()
                           << " stays float: not only quantized into one "
                              "8-bit type";
        return;
      }
      quantType = quantize.getType();
      quantizes.push_back(quantize);
    }
    auto type = cast<RankedTensorType>(quantType);
    quant::UniformQuantizedType uniform = quantized8(type);
    arg.setType(type.clone(interfaceElement(uniform)));
    OpBuilder b(&getContext());
    b.setInsertionPointToStart(arg.getOwner());
    Value storage = arg;
    if (!uniform.isSigned())
      storage = CastOp::create(b, arg.getLoc(),
                               type.clone(b.getIntegerType(8)), arg);
    Value q = quant::StorageCastOp::create(b, arg.getLoc(), type, storage);
    for (QuantizeOp quantize : quantizes) {
      quantize.getResult().replaceAllUsesWith(q);
      quantize.erase();
    }
    func.setArgAttr(arg.getArgNumber(), kQuantizedAttr, TypeAttr::get(uniform));
    ++numInputs;
  }

  /// A returned dequantize: return its quantized storage instead.
  void quantizeOutput(func::FuncOp func, OpOperand &operand) {
    auto dq = operand.get().getDefiningOp<DequantizeOp>();
    if (!dq)
      return;
    Value q = dq.getInput();
    quant::UniformQuantizedType uniform = quantized8(q.getType());
    if (!uniform)
      return;
    auto type = cast<RankedTensorType>(q.getType());
    OpBuilder b(operand.getOwner());
    Value storage = quant::StorageCastOp::create(
        b, dq.getLoc(), type.clone(b.getIntegerType(8)), q);
    if (!uniform.isSigned())
      storage = CastOp::create(b, dq.getLoc(),
                               type.clone(interfaceElement(uniform)), storage);
    operand.set(storage);
    if (dq->use_empty())
      dq->erase();
    func.setResultAttr(operand.getOperandNumber(), kQuantizedAttr,
                       TypeAttr::get(uniform));
    ++numOutputs;
  }
};
} // namespace
