//===- Int8Requantize.cpp - Requantization fused into the x86 kernels -----===//
//
// octet-propagate-qdq follows every integer op with the reference
// requantization (docs/quantization.md): the int32 sum as f32, times the
// f32 multiplier, the activation, then a quantize of scale 1 with the
// output zero point. A kernel that matches it applies the same operations
// to its accumulators in registers, so the int32 result never goes to
// memory, and the bits are the reference's: the same arith ops in the same
// order (no FMA contraction: MLIR's arith ops carry no `contract` flag).
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::octet;

float x86::Requantization::multiplierOf(int64_t channel) const {
  auto values = multipliers.getValues<float>();
  return multipliers.isSplat() ? values[0] : values[channel];
}

namespace {
/// The only user of `v`, if it is one.
Operation *soleUser(Value v) {
  return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
}

/// A constant whose only non-unit dimension (if any) is `channelDim` of a
/// `rank`-dimensional result (shapes align to the right).
DenseElementsAttr channelConstant(Value v, int64_t rank, int64_t channelDim) {
  auto constant = v.getDefiningOp<ConstantOp>();
  auto attr =
      constant ? dyn_cast<DenseElementsAttr>(constant.getValue()) : nullptr;
  if (!attr || !attr.getElementType().isF32())
    return nullptr;
  if (attr.isSplat() || attr.getNumElements() == 1)
    return attr;
  ArrayRef<int64_t> shape = attr.getType().getShape();
  int64_t offset = rank - (int64_t)shape.size();
  for (auto [i, d] : llvm::enumerate(shape))
    if (d != 1 && (int64_t)i + offset != channelDim)
      return nullptr;
  return attr;
}
} // namespace

FailureOr<x86::Requantization>
x86::matchRequantization(Value int32Result, int64_t channelDim) {
  Requantization r;
  r.channelDim = channelDim;
  auto resultType = cast<RankedTensorType>(int32Result.getType());
  auto toFloat = dyn_cast_if_present<CastOp>(soleUser(int32Result));
  if (!toFloat || !toFloat.getType().getElementType().isF32())
    return failure();
  auto mulOp = dyn_cast_if_present<MulOp>(soleUser(toFloat.getResult()));
  if (!mulOp || mulOp.getType() != toFloat.getType())
    return failure();
  Value other = mulOp.getLhs() == toFloat.getResult() ? mulOp.getRhs()
                                                   : mulOp.getLhs();
  r.multipliers = channelConstant(other, resultType.getRank(), channelDim);
  if (!r.multipliers)
    return failure();
  r.chain = {toFloat, mulOp};
  Operation *next = soleUser(mulOp.getResult());
  if (auto relu = dyn_cast_if_present<ReluOp>(next)) {
    r.activation = Requantization::Activation::Relu;
    r.chain.push_back(relu);
    next = soleUser(relu.getResult());
  } else if (auto clip = dyn_cast_if_present<ClipOp>(next)) {
    r.activation = Requantization::Activation::Clip;
    r.clipMin = clip.getMin().convertToFloat();
    r.clipMax = clip.getMax().convertToFloat();
    r.chain.push_back(clip);
    next = soleUser(clip.getResult());
  }
  auto quantize = dyn_cast_if_present<QuantizeOp>(next);
  if (!quantize)
    return failure();
  auto quantType = dyn_cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(quantize.getType()).getElementType());
  if (!quantType || quantType.getStorageTypeIntegralWidth() != 8 ||
      !quantType.getExpressedType().isF32())
    return failure();
  auto storage =
      dyn_cast_if_present<quant::StorageCastOp>(soleUser(quantize.getResult()));
  auto storageType =
      storage ? dyn_cast<RankedTensorType>(storage.getType()) : nullptr;
  if (!storageType || !storageType.getElementType().isSignlessInteger(8))
    return failure();
  r.scale = (float)quantType.getScale();
  r.zeroPoint = quantType.getZeroPoint();
  r.qmin = quantType.getStorageTypeMin();
  r.qmax = quantType.getStorageTypeMax();
  r.chain.append({quantize, storage});
  return r;
}

Value x86::requantize(OpBuilder &b, Location loc, const Requantization &r,
                      Value acc, Value multiplier) {
  auto floatType = cast<VectorType>(multiplier.getType());
  auto splat = [&](float v) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(floatType, ArrayRef<float>{v}));
  };
  Value x = arith::SIToFPOp::create(b, loc, floatType, acc);
  x = arith::MulFOp::create(b, loc, x, multiplier);
  switch (r.activation) {
  case Requantization::Activation::None:
    break;
  case Requantization::Activation::Relu:
    x = arith::MaximumFOp::create(b, loc, x, splat(0.0f));
    break;
  case Requantization::Activation::Clip:
    x = arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, splat(r.clipMin)),
        splat(r.clipMax));
    break;
  }
  // quantize: saturate(round_half_even(x / scale) + zp), as LowerQuant.
  x = arith::DivFOp::create(b, loc, x, splat(r.scale));
  // math.roundeven would be expanded into integer bit tricks (for targets
  // without a rounding instruction); AVX has one: vroundps, mode 8 (to
  // nearest even, no exceptions).
  Value mode = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(8));
  Value operands[2] = {x, mode};
  x = LLVM::CallIntrinsicOp::create(b, loc, floatType,
                                    b.getStringAttr("llvm.x86.avx.round.ps.256"),
                                    operands)
          .getResult(0);
  x = arith::AddFOp::create(b, loc, x, splat((float)r.zeroPoint));
  x = arith::MaxNumFOp::create(b, loc, x, splat((float)r.qmin));
  x = arith::MinNumFOp::create(b, loc, x, splat((float)r.qmax));
  auto lanes = floatType.getShape();
  Value wide = arith::FPToSIOp::create(
      b, loc, VectorType::get(lanes, b.getI32Type()), x);
  return arith::TruncIOp::create(b, loc, VectorType::get(lanes, b.getI8Type()),
                                 wide);
}

Value x86::writeTile(OpBuilder &b, Location loc, const Requantization *r,
                     Value acc, Value multiplier, Value dest,
                     ValueRange indices) {
  Value tile = r ? requantize(b, loc, *r, acc, multiplier) : acc;
  return vector::TransferWriteOp::create(b, loc, tile, dest, indices,
                                         ArrayRef<bool>{true})
      .getResult();
}

void x86::replaceByKernel(Operation *op, const Requantization *r,
                          Value result) {
  if (r) {
    r->chain.back()->getResult(0).replaceAllUsesWith(result);
    for (Operation *chained : llvm::reverse(r->chain))
      chained->erase();
  } else {
    op->getResult(0).replaceAllUsesWith(result);
  }
  Operation *padding = op->getOperand(0).getDefiningOp<PadOp>();
  op->erase();
  if (padding && padding->use_empty())
    padding->erase();
}
