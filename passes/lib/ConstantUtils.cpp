//===- ConstantUtils.cpp - Reading and creating float constants -----------===//

#include "ConstantUtils.h"
#include "octet/IR/OctetOps.h"

using namespace mlir;
using namespace mlir::octet;

FailureOr<SmallVector<double>> mlir::octet::getConstantFloats(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  if (!constant)
    return failure();
  DenseElementsAttr dense = getDenseElements(constant.getValue());
  if (!dense || !isa<FloatType>(dense.getElementType()))
    return failure();
  SmallVector<double> values;
  values.reserve(dense.getNumElements());
  for (APFloat f : dense.getValues<APFloat>()) {
    bool lost;
    f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    values.push_back(f.convertToDouble());
  }
  return values;
}

DenseElementsAttr mlir::octet::getFloatElements(RankedTensorType type,
                                                ArrayRef<double> values) {
  auto floatType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> elements;
  elements.reserve(values.size());
  for (double v : values) {
    APFloat f(v);
    bool lost;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    elements.push_back(f);
  }
  return DenseElementsAttr::get(type, elements);
}

Value mlir::octet::createFloatConstant(OpBuilder &builder, Location loc,
                                       RankedTensorType type,
                                       ArrayRef<double> values) {
  return ConstantOp::create(builder, loc, getFloatElements(type, values));
}
