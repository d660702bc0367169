//===- LoweringUtils.cpp - Helpers shared by the linalg lowerings ---------===//

#include "LoweringUtils.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::octet;

Value lowering::emptyTensor(OpBuilder &b, Location loc,
                            RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value lowering::floatConstant(OpBuilder &b, Location loc, Type type,
                              double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value lowering::filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                             double value) {
  Value scalar = floatConstant(b, loc, type.getElementType(), value);
  return linalg::FillOp::create(b, loc, scalar, emptyTensor(b, loc, type))
      .getResult(0);
}

AffineMap lowering::broadcastMap(MLIRContext *ctx,
                                 ArrayRef<int64_t> operandShape,
                                 ArrayRef<int64_t> resultShape) {
  size_t offset = resultShape.size() - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, d] : llvm::enumerate(operandShape)) {
    if (d == 1 && resultShape[offset + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, ctx);
}

Value lowering::buildElementwise(OpBuilder &b, Location loc,
                                 RankedTensorType resultType,
                                 ValueRange inputs, ElementwiseBody body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(
        ctx, cast<RankedTensorType>(in.getType()).getShape(),
        resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, emptyTensor(b, loc, resultType), maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, result);
      });
  return generic.getResult(0);
}

Value lowering::floatMax(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::MaximumFOp::create(b, loc, x, y);
}

Value lowering::floatMin(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::MinimumFOp::create(b, loc, x, y);
}

Value lowering::applyActivation(OpBuilder &b, Location loc, Value x,
                                Attribute attr) {
  auto act = dyn_cast_if_present<ActivationAttr>(attr);
  if (!act)
    return x;
  Type type = x.getType();
  auto c = [&](double v) { return floatConstant(b, loc, type, v); };
  double alpha = act.getAlpha().convertToDouble();
  double beta = act.getBeta().convertToDouble();
  switch (act.getKind()) {
  case ActivationKind::none:
    return x;
  case ActivationKind::relu:
    return floatMax(b, loc, x, c(0.0));
  case ActivationKind::clip:
    return floatMin(b, loc, floatMax(b, loc, x, c(alpha)), c(beta));
  case ActivationKind::leaky_relu: {
    Value isNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                        c(0.0));
    Value scaled = arith::MulFOp::create(b, loc, x, c(alpha));
    return arith::SelectOp::create(b, loc, isNeg, scaled, x);
  }
  case ActivationKind::sigmoid: {
    Value negExp = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, c(1.0),
                                 arith::AddFOp::create(b, loc, c(1.0), negExp));
  }
  case ActivationKind::hard_sigmoid: {
    Value lin = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, c(alpha)), c(beta));
    return floatMin(b, loc, floatMax(b, loc, lin, c(0.0)), c(1.0));
  }
  case ActivationKind::hard_swish: {
    Value lin = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, c(1.0 / 6.0)), c(0.5));
    Value gate = floatMin(b, loc, floatMax(b, loc, lin, c(0.0)), c(1.0));
    return arith::MulFOp::create(b, loc, x, gate);
  }
  }
  return x;
}
