//===- LoweringUtils.cpp - Helpers shared by the linalg lowerings ---------===//

#include "LoweringUtils.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::octet;

Value lowering::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
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
                                 RankedTensorType resultType, ValueRange inputs,
                                 ElementwiseBody body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(ctx,
                                cast<RankedTensorType>(in.getType()).getShape(),
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
    Value isNeg =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, c(0.0));
    Value scaled = arith::MulFOp::create(b, loc, x, c(alpha));
    return arith::SelectOp::create(b, loc, isNeg, scaled, x);
  }
  case ActivationKind::sigmoid: {
    Value negExp =
        math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
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

Value lowering::buildMappedElementwise(OpBuilder &b, Location loc,
                                       RankedTensorType resultType,
                                       ValueRange inputs,
                                       ArrayRef<AffineMap> inputMaps,
                                       ElementwiseBody body) {
  SmallVector<AffineMap> maps(inputMaps);
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

AffineMap lowering::projectionMap(MLIRContext *ctx, unsigned rank,
                                  ArrayRef<int64_t> kept) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : kept)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value lowering::buildReduce(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> dims, double init,
                            ReduceCombiner combine) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (auto [i, d] : llvm::enumerate(inputType.getShape()))
    if (!llvm::is_contained(dims, (int64_t)i))
      shape.push_back(d);
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  Value acc = filledTensor(b, loc, resultType, init);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{input}, ValueRange{acc}, dims,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, combine(nb, nloc, args[0], args[1]));
      });
  return reduce.getResult(0);
}

/// Groups the dimensions of `large` into runs whose products are the
/// dimensions of `small` (unit dimensions join a neighbouring run).
static std::optional<SmallVector<ReassociationIndices>>
reassociation(ArrayRef<int64_t> large, ArrayRef<int64_t> small) {
  SmallVector<ReassociationIndices> groups;
  if (small.empty()) {
    if (llvm::any_of(large, [](int64_t d) { return d != 1; }))
      return std::nullopt;
    return groups;
  }
  size_t i = 0;
  for (int64_t target : small) {
    ReassociationIndices group;
    int64_t product = 1;
    do {
      if (i == large.size())
        return std::nullopt;
      product *= large[i];
      group.push_back(i++);
    } while (product < target);
    if (product != target)
      return std::nullopt;
    groups.push_back(group);
  }
  // Trailing unit dimensions join the last run.
  for (; i < large.size(); ++i) {
    if (large[i] != 1)
      return std::nullopt;
    groups.back().push_back(i);
  }
  return groups;
}

FailureOr<Value> lowering::reshapeTensor(OpBuilder &b, Location loc,
                                         Value value, RankedTensorType type) {
  auto source = cast<RankedTensorType>(value.getType());
  if (source == type)
    return value;
  if (source.getRank() > type.getRank()) {
    auto groups = reassociation(source.getShape(), type.getShape());
    if (!groups)
      return failure();
    return tensor::CollapseShapeOp::create(b, loc, type, value, *groups)
        .getResult();
  }
  auto groups = reassociation(type.getShape(), source.getShape());
  if (!groups || source.getRank() == type.getRank())
    return failure();
  return tensor::ExpandShapeOp::create(b, loc, type, value, *groups)
      .getResult();
}

Value lowering::zeroTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  Value zero = scalarConstant(b, loc, type.getElementType(), 0.0);
  return linalg::FillOp::create(b, loc, zero, emptyTensor(b, loc, type))
      .getResult(0);
}

Value lowering::scalarConstant(OpBuilder &b, Location loc, Type type,
                               double value) {
  if (isa<FloatType>(type))
    return floatConstant(b, loc, type, value);
  auto intType = cast<IntegerType>(type);
  // Wraps like a C cast to the element type (pad values are float attrs).
  APInt bits(intType.getWidth(), static_cast<int64_t>(value),
             /*isSigned=*/true, /*implicitTrunc=*/true);
  if (intType.isSignless())
    return arith::ConstantOp::create(b, loc, type,
                                     b.getIntegerAttr(type, bits));
  // arith.constant only builds signless scalars, but any integer tensor:
  // read the value out of a rank-0 one (canonicalization keeps it so).
  auto scalarType = RankedTensorType::get({}, type);
  Value tensor = arith::ConstantOp::create(
      b, loc, scalarType, DenseElementsAttr::get(scalarType, bits));
  return tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
}

Value lowering::toSignless(OpBuilder &b, Location loc, Value scalar) {
  auto intType = dyn_cast<IntegerType>(scalar.getType());
  if (!intType || intType.isSignless())
    return scalar;
  return UnrealizedConversionCastOp::create(
             b, loc, b.getIntegerType(intType.getWidth()), scalar)
      .getResult(0);
}

Value lowering::fromSignless(OpBuilder &b, Location loc, Value scalar,
                             Type type) {
  if (scalar.getType() == type)
    return scalar;
  return UnrealizedConversionCastOp::create(b, loc, type, scalar).getResult(0);
}

Value lowering::reshapeStaticTensor(OpBuilder &b, Location loc, Value input,
                                    RankedTensorType resultType) {
  FailureOr<Value> direct = reshapeTensor(b, loc, input, resultType);
  if (succeeded(direct))
    return *direct;
  auto inputType = cast<RankedTensorType>(input.getType());
  // No dimension grouping maps one shape onto the other (2x3 -> 3x2): every
  // static shape collapses to and expands from 1-D.
  auto flatType = RankedTensorType::get({inputType.getNumElements()},
                                        inputType.getElementType());
  auto allDims = [](int64_t rank) {
    SmallVector<ReassociationIndices> groups;
    if (rank > 0)
      groups.push_back(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    return groups;
  };
  Value flat = input;
  if (inputType.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                           allDims(inputType.getRank()));
  if (resultType.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, resultType, flat,
                                           allDims(0));
  if (resultType.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                       allDims(resultType.getRank()));
}

Value lowering::buildMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  auto resultType = RankedTensorType::get(
      {lhsType.getDimSize(0), rhsType.getDimSize(1)}, lhsType.getElementType());
  return linalg::MatmulOp::create(b, loc, ValueRange{lhs, rhs},
                                  ValueRange{zeroTensor(b, loc, resultType)})
      .getResult(0);
}
