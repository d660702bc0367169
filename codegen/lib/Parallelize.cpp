//===- Parallelize.cpp - Outer tile loops on the runtime's threads --------===//
//
// The generated code keeps no threads and no state of its own: a parallel
// loop becomes a task function plus a call of the runtime's
// `octet_parallel_for(count, entry, context, threads)`, which splits
// [0, count) into contiguous chunks and calls `entry(context, begin, end)`
// for each on its own thread. The context is a stack array holding the
// address of every buffer the loop body reads or writes.
//
//===----------------------------------------------------------------------===//

#include "octet/Codegen/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETPARALLELIZEPASS
#define GEN_PASS_DEF_OCTETEMITTASKENTRIESPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;

namespace {
/// Slots of the task context array; a loop capturing more stays serial.
constexpr int64_t kContextSlots = 64;
constexpr StringLiteral kTaskAttr = "octet.task";
constexpr StringLiteral kTaskArgsAttr = "octet.task_args";

MemRefType contextType(MLIRContext *context) {
  return MemRefType::get({kContextSlots}, IndexType::get(context));
}

/// Pure ops without operands (constants, poison, globals' addresses) are
/// cheaper to recompute in the task than to pass.
bool isRematerializable(Operation *op) {
  return op && op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         (op->hasTrait<OpTrait::ConstantLike>() ||
          isa<memref::GetGlobalOp>(op) || isMemoryEffectFree(op));
}

/// Captured values a task can receive: indices, and buffers with a static
/// shape and identity layout (the bare-pointer convention).
bool isPassable(Value v) {
  if (isa<IndexType>(v.getType()))
    return true;
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.hasStaticShape() && type.getLayout().isIdentity();
}

struct OctetParallelizePass
    : octet::impl::OctetParallelizePassBase<OctetParallelizePass> {
  using Base::Base;

  void runOnOperation() override {
    if (threads <= 1)
      return;
    ModuleOp module = getOperation();
    SmallVector<scf::ForOp> loops;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal())
        func.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
          if (!isCandidate(loop))
            return WalkResult::advance();
          loops.push_back(loop);
          return WalkResult::skip(); // Nothing nested in a parallel loop.
        });
    int64_t counter = 0;
    for (scf::ForOp loop : loops)
      parallelize(loop, counter);
  }

  bool isCandidate(scf::ForOp loop) {
    auto work = loop->getAttrOfType<IntegerAttr>("octet.parallel");
    std::optional<APInt> trips = loop.getStaticTripCount();
    return work && work.getInt() >= minWork && trips &&
           trips->getSExtValue() >= 2 && loop.getNumResults() == 0;
  }

  void parallelize(scf::ForOp loop, int64_t &counter) {
    // Recompute constants inside, then see what the body still needs.
    Region &body = loop.getRegion();
    SetVector<Value> captured;
    getUsedValuesDefinedAbove(body, captured);
    OpBuilder builder(loop);
    builder.setInsertionPointToStart(loop.getBody());
    for (Value v : captured)
      if (isRematerializable(v.getDefiningOp())) {
        Operation *copy = builder.clone(*v.getDefiningOp());
        replaceAllUsesInRegionWith(v, copy->getResult(0), body);
      }
    // Other scalars and vectors (e.g. a read that loop-invariant code
    // motion hoisted out of a kernel) go through a stack slot, allocated
    // in the entry block so that a loop nested in another does not grow
    // the stack on every outer iteration.
    auto func = loop->getParentOfType<func::FuncOp>();
    OpBuilder entryBuilder =
        OpBuilder::atBlockBegin(&func.getBody().front());
    captured.clear();
    getUsedValuesDefinedAbove(body, captured);
    for (Value v : captured) {
      if (isPassable(v) ||
          !isa<VectorType, IntegerType, FloatType, IndexType>(v.getType()))
        continue;
      OpBuilder outside(loop);
      Location loc = v.getLoc();
      auto slotType = MemRefType::get({1}, v.getType());
      Value slot = memref::AllocaOp::create(entryBuilder, loc, slotType);
      Value zero = arith::ConstantIndexOp::create(outside, loc, 0);
      memref::StoreOp::create(outside, loc, v, slot, zero);
      Value inside = memref::LoadOp::create(
          builder, loc, slot,
          ValueRange{arith::ConstantIndexOp::create(builder, loc, 0)});
      replaceAllUsesInRegionWith(v, inside, body);
    }
    captured.clear();
    getUsedValuesDefinedAbove(body, captured);
    if (captured.size() > kContextSlots || !llvm::all_of(captured, isPassable))
      return;

    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    Location loc = loop.getLoc();
    std::string name;
    do {
      name = (func.getSymName() + "_task" + Twine(counter++)).str();
    } while (module.lookupSymbol(name));
    Type index = builder.getIndexType();

    // The task: iterations [begin, end) of the loop.
    SmallVector<Type> argTypes = {index, index};
    for (Value v : captured)
      argTypes.push_back(v.getType());
    OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
    auto task = func::FuncOp::create(moduleBuilder, loc, name,
                                     builder.getFunctionType(argTypes, {}));
    task.setPrivate();
    Block *entry = task.addEntryBlock();
    OpBuilder taskBuilder = OpBuilder::atBlockEnd(entry);
    IRMapping mapping;
    for (auto [v, arg] : llvm::zip(captured, entry->getArguments().drop_front(2)))
      mapping.map(v, arg);
    auto cloned = cast<scf::ForOp>(taskBuilder.clone(*loop, mapping));
    cloned->removeAttr("octet.parallel");
    cloned.walk([](scf::ForOp inner) { inner->removeAttr("octet.parallel"); });
    taskBuilder.setInsertionPoint(cloned);
    // Bounds and step are constants; clone them into the task.
    Value lower = taskBuilder.clone(*loop.getLowerBound().getDefiningOp())
                      ->getResult(0);
    Value step =
        taskBuilder.clone(*loop.getStep().getDefiningOp())->getResult(0);
    auto bound = [&](Value k) -> Value {
      Value scaled = arith::MulIOp::create(taskBuilder, loc, k, step);
      return arith::AddIOp::create(taskBuilder, loc, scaled, lower);
    };
    cloned.getLowerBoundMutable().assign(bound(entry->getArgument(0)));
    cloned.getUpperBoundMutable().assign(bound(entry->getArgument(1)));
    cloned.getStepMutable().assign(step);
    taskBuilder.setInsertionPointToEnd(entry);
    func::ReturnOp::create(taskBuilder, loc);

    // Its entry, (context, begin, end): a declaration until the LLVM
    // dialect, where octet-emit-task-entries writes the unpacking.
    auto ctxType = contextType(context);
    auto entryType = builder.getFunctionType({ctxType, index, index}, {});
    auto trampoline =
        func::FuncOp::create(moduleBuilder, loc, name + "_entry", entryType);
    trampoline.setPrivate();
    trampoline->setAttr(kTaskAttr, FlatSymbolRefAttr::get(task));
    SmallVector<int64_t> kinds; // Per captured value: 1 buffer, 0 index.
    for (Value v : captured)
      kinds.push_back(isa<MemRefType>(v.getType()) ? 1 : 0);
    trampoline->setAttr(kTaskArgsAttr, builder.getDenseI64ArrayAttr(kinds));

    // The loop becomes: fill the context, call the runtime.
    builder.setInsertionPoint(loop);
    Value ctx = memref::AllocaOp::create(entryBuilder, loc, ctxType);
    for (auto [slot, v] : llvm::enumerate(captured)) {
      Value word = v;
      if (isa<MemRefType>(v.getType()))
        word = memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, v);
      Value position = arith::ConstantIndexOp::create(builder, loc, slot);
      memref::StoreOp::create(builder, loc, word, ctx, position);
    }
    auto runtime = declareParallelFor(entryType);
    Value fn = func::ConstantOp::create(builder, loc, entryType,
                                        FlatSymbolRefAttr::get(trampoline));
    int64_t trips = loop.getStaticTripCount()->getSExtValue();
    Value count = arith::ConstantIntOp::create(builder, loc, trips, 64);
    Value threadCount = arith::ConstantIntOp::create(builder, loc, threads, 32);
    func::CallOp::create(builder, loc, runtime,
                         ValueRange{count, fn, ctx, threadCount});
    loop.erase();
  }

  /// `void octet_parallel_for(int64_t count, entry fn, void *ctx,
  /// int32_t threads)` from the runtime.
  func::FuncOp declareParallelFor(FunctionType entryType) {
    ModuleOp module = getOperation();
    if (auto existing =
            module.lookupSymbol<func::FuncOp>("octet_parallel_for"))
      return existing;
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto i64 = builder.getI64Type(), i32 = builder.getI32Type();
    auto decl = func::FuncOp::create(
        builder, module.getLoc(), "octet_parallel_for",
        builder.getFunctionType(
            {i64, entryType, contextType(&getContext()), i32}, {}));
    decl.setPrivate();
    return decl;
  }
};

struct OctetEmitTaskEntriesPass
    : octet::impl::OctetEmitTaskEntriesPassBase<OctetEmitTaskEntriesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto entry : module.getOps<LLVM::LLVMFuncOp>()) {
      auto taskName = entry->getAttrOfType<FlatSymbolRefAttr>(kTaskAttr);
      auto kinds = entry->getAttrOfType<DenseI64ArrayAttr>(kTaskArgsAttr);
      if (!taskName || !kinds)
        continue;
      auto task = module.lookupSymbol<LLVM::LLVMFuncOp>(taskName);
      if (!task || !entry.isExternal()) {
        entry.emitError("task entry without its task");
        return signalPassFailure();
      }
      MLIRContext *context = &getContext();
      Location loc = entry.getLoc();
      auto ptr = LLVM::LLVMPointerType::get(context);
      auto i64 = IntegerType::get(context, 64);
      OpBuilder b(entry);
      Block *body = entry.addEntryBlock(b);
      b.setInsertionPointToStart(body);
      // (ctx, begin, end) -> task(begin, end, ctx[0], ctx[1], ...).
      SmallVector<Value> args = {body->getArgument(1), body->getArgument(2)};
      for (auto [slot, kind] : llvm::enumerate(kinds.asArrayRef())) {
        Value address = LLVM::GEPOp::create(
            b, loc, ptr, i64, body->getArgument(0),
            ArrayRef<LLVM::GEPArg>{(int32_t)slot});
        Value word = LLVM::LoadOp::create(b, loc, i64, address);
        args.push_back(kind ? LLVM::IntToPtrOp::create(b, loc, ptr, word)
                                  .getResult()
                            : word);
      }
      LLVM::CallOp::create(b, loc, task, args);
      LLVM::ReturnOp::create(b, loc, ValueRange());
      entry.setLinkage(LLVM::Linkage::Internal);
      task.setLinkage(LLVM::Linkage::Internal);
      entry->removeAttr(kTaskAttr);
      entry->removeAttr(kTaskArgsAttr);
    }
  }
};
} // namespace
