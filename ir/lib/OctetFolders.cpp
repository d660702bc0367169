//===- OctetFolders.cpp - Folds that need no pattern ----------------------===//
//
// Only folds that are always profitable live here (identity ops, chains of
// reshapes and transposes, constants); constant evaluation of arithmetic is
// the job of the constant-folding pass, which bounds the size it creates.
//
//===----------------------------------------------------------------------===//

#include "octet/IR/OctetOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::octet;

DenseElementsAttr mlir::octet::getDenseElements(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    ArrayRef<char> data = resource.getData();
    auto type = cast<ShapedType>(resource.getType());
    bool splat = false;
    if (DenseElementsAttr::isValidRawBuffer(type, data, splat))
      return DenseElementsAttr::getFromRawBuffer(type, data);
  }
  return {};
}

std::string mlir::octet::getNodeName(Location loc) {
  std::string name;
  loc->walk([&](Location l) {
    if (auto named = dyn_cast<NameLoc>(l))
      name = named.getName().str();
    return WalkResult::advance();
  });
  return name;
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  // A same-width integer cast only renames signedness (i8 <-> ui8), so a
  // round trip through one is the original value.
  auto producer = getInput().getDefiningOp<CastOp>();
  auto isInteger = [](Value v) {
    return cast<ShapedType>(v.getType()).getElementType().isInteger();
  };
  if (producer && producer.getInput().getType() == getOutput().getType() &&
      isInteger(producer.getInput()) && isInteger(getInput()) &&
      getElementTypeOrSelf(getInput()).getIntOrFloatBitWidth() ==
          getElementTypeOrSelf(getOutput()).getIntOrFloatBitWidth())
    return producer.getInput();
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  // reshape(reshape(x)) is one reshape of x.
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  // Splats and other dense constants reshape for free.
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getOutput().getType());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getInput();
  // transpose(transpose(x, p), q) is transpose(x, p∘q).
  if (auto producer = getInput().getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> inner = producer.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(inner[p]);
    if (llvm::equal(composed, llvm::seq<int64_t>(0, composed.size())))
      return producer.getInput();
    getInputMutable().assign(producer.getInput());
    setPerm(composed);
    return getResult();
  }
  return {};
}

/// Flatten, squeeze and unsqueeze only reinterpret the shape: as reshapes
/// they join the reshape chain folds above.
template <typename OpTy>
static LogicalResult canonicalizeToReshape(OpTy op, PatternRewriter &rewriter) {
  rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getOutput().getType(),
                                         op.getInput());
  return success();
}

OpFoldResult FlattenOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}
LogicalResult FlattenOp::canonicalize(FlattenOp op, PatternRewriter &rewriter) {
  return canonicalizeToReshape(op, rewriter);
}

OpFoldResult SqueezeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}
LogicalResult SqueezeOp::canonicalize(SqueezeOp op, PatternRewriter &rewriter) {
  return canonicalizeToReshape(op, rewriter);
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}
LogicalResult UnsqueezeOp::canonicalize(UnsqueezeOp op,
                                        PatternRewriter &rewriter) {
  return canonicalizeToReshape(op, rewriter);
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 &&
      getInputs().front().getType() == getOutput().getType())
    return getInputs().front();
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // The whole tensor in order: every step 1 from 0 to the full size.
  auto type = cast<RankedTensorType>(getInput().getType());
  if (type != getOutput().getType())
    return {};
  for (auto [start, end, step, dim] :
       llvm::zip(getStarts(), getEnds(), getSteps(), type.getShape()))
    if (start != 0 || end != dim || step != 1)
      return {};
  return getInput();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }) &&
      getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}
