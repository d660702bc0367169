//===- InsertObservers.cpp - Observers on the values int8 kernels read ----===//

#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETINSERTOBSERVERSPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
bool isQuantizable(Operation *op) {
  return isa<Conv2DOp, GemmOp, MatMulOp, AddOp, ConcatOp, MaxPoolOp,
             AvgPoolOp, GlobalAvgPoolOp>(op);
}

bool isObservable(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType()) &&
         !v.getDefiningOp<ConstantOp>() && !v.getDefiningOp<ObserveOp>();
}

/// The value an integer add producing `v` would write: that of a relu or
/// clip that is v's only user (residual blocks), so the activation runs in
/// the add's integer epilogue. Convs and gemms get theirs fused by
/// octet-fuse-activation instead; other ops are observed as they are.
Value activationOf(Value v) {
  if (!v.getDefiningOp<AddOp>() || !v.hasOneUse())
    return v;
  Operation *user = *v.getUsers().begin();
  if (isa<ReluOp, ClipOp>(user))
    return user->getResult(0);
  return v;
}

struct OctetInsertObserversPass
    : octet::impl::OctetInsertObserversPassBase<OctetInsertObserversPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<ObserverKind> kind = parseKind();
    std::optional<QuantDtype> quantDtype = symbolizeQuantDtype(dtype);
    if (!kind || !quantDtype) {
      getOperation().emitError()
          << "octet-insert-observers: unknown observer '" << observer
          << "' or dtype '" << dtype << "'";
      return signalPassFailure();
    }
    llvm::StringSet<> skipped;
    for (const std::string &name : skip)
      skipped.insert(name);

    func::FuncOp func = getOperation();
    llvm::SetVector<Value> values;
    func.walk([&](Operation *op) {
      if (!isQuantizable(op) || skipped.contains(getNodeName(op->getLoc())))
        return;
      for (Value v : op->getOperands())
        if (isObservable(v))
          values.insert(v);
      for (Value v : op->getResults())
        if (isObservable(v))
          values.insert(activationOf(v));
    });

    llvm::StringSet<> used;
    MLIRContext *context = &getContext();
    for (Value v : values) {
      OpBuilder builder(context);
      std::string name;
      if (auto arg = dyn_cast<BlockArgument>(v)) {
        builder.setInsertionPointToStart(arg.getOwner());
        auto attr = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                      "octet.name");
        name = attr ? attr.getValue().str()
                    : "arg" + std::to_string(arg.getArgNumber());
      } else {
        Operation *producer = v.getDefiningOp();
        builder.setInsertionPointAfter(producer);
        name = getNodeName(producer->getLoc());
        if (name.empty())
          name = producer->getName().stripDialect().str();
        if (producer->getNumResults() > 1)
          name += "#" + std::to_string(cast<OpResult>(v).getResultNumber());
      }
      // Names key the statistics: keep them unique.
      std::string unique = name;
      for (int i = 1; !used.insert(unique).second; ++i)
        unique = name + "." + std::to_string(i);
      auto observe = ObserveOp::create(
          builder, v.getLoc(), v.getType(), v, builder.getStringAttr(unique),
          ObserverKindAttr::get(context, *kind), builder.getI64IntegerAttr(bins),
          QuantDtypeAttr::get(context, *quantDtype));
      v.replaceAllUsesExcept(observe.getResult(), observe);
      ++numObservers;
      ++inserted;
    }
  }

  std::optional<ObserverKind> parseKind() {
    std::string name = observer;
    std::replace(name.begin(), name.end(), '-', '_');
    return symbolizeObserverKind(name);
  }

  PassCounter inserted{getArgument(), "observers", "Observers inserted"};
};
} // namespace
