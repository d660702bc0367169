//===- PlanMemory.cpp - One static scratch arena for all intermediates ----===//
//
// Model functions have no control flow at the top level, so a buffer's
// lifetime is the interval of top-level ops from its allocation to its last
// (transitive, through views) use. Buffers are placed largest first at the
// lowest 64-byte-aligned offset that does not collide with a placed buffer
// whose interval overlaps — the classic greedy-by-size heuristic, which is
// close to optimal for the chain-like graphs of inference models.
//
//===----------------------------------------------------------------------===//

#include "octet/Codegen/Passes.h"
#include "octet/Passes/Statistics.h"

#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETPLANMEMORYPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;

namespace {
constexpr int64_t kAlignment = 64;

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  int64_t start = 0, end = 0; // Inclusive top-level op indices.
  int64_t offset = 0;
};

/// Index of the top-level op of `body` that contains `op`.
int64_t topLevelIndex(Operation *op, Block &body,
                      const DenseMap<Operation *, int64_t> &index) {
  Operation *ancestor = body.findAncestorOpInBlock(*op);
  return ancestor ? index.lookup(ancestor) : 0;
}

/// Last top-level index at which `value` (or a view of it) is used.
int64_t lastUse(Value value, Block &body,
                const DenseMap<Operation *, int64_t> &index) {
  int64_t last = 0;
  SmallVector<Value> worklist = {value};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      last = std::max(last, topLevelIndex(user, body, index));
      if (isa<ViewLikeOpInterface>(user) ||
          isa<memref::CastOp, memref::CollapseShapeOp, memref::ExpandShapeOp,
              memref::ReinterpretCastOp>(user))
        llvm::append_range(worklist, user->getResults());
    }
  }
  return last;
}

FailureOr<int64_t> byteSize(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity())
    return failure();
  unsigned bits = type.getElementTypeBitWidth();
  if (bits == 0)
    return failure();
  return type.getNumElements() * llvm::divideCeil(bits, 8);
}

struct OctetPlanMemoryPass
    : octet::impl::OctetPlanMemoryPassBase<OctetPlanMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    for (auto global : getOperation().getOps<memref::GlobalOp>())
      if (global.getConstant() &&
          (!global.getAlignment() || *global.getAlignment() < kAlignment))
        global.setAlignment(kAlignment);
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && failed(planFunction(func)))
        return signalPassFailure();
  }

  /// buffer-results-to-out-params leaves `copy(%alloc, %out)` for each
  /// result; computing into the caller's output buffer instead saves a pass
  /// over the output and its space in the arena. Only when the copy is the
  /// buffer's last use and the output is written nowhere else.
  static void writeResultsInPlace(func::FuncOp func) {
    Block &body = func.getBody().front();
    for (memref::CopyOp copy :
         llvm::make_early_inc_range(body.getOps<memref::CopyOp>())) {
      auto out = dyn_cast<BlockArgument>(copy.getTarget());
      auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
      if (!out || out.getOwner() != &body || !out.hasOneUse() || !alloc ||
          alloc->getBlock() != &body || alloc.getType() != out.getType())
        continue;
      DenseMap<Operation *, int64_t> index;
      for (auto [i, op] : llvm::enumerate(body))
        index[&op] = i;
      if (lastUse(alloc, body, index) != index.lookup(copy))
        continue;
      alloc.replaceAllUsesWith(out);
      copy.erase();
      alloc.erase();
    }
  }

  LogicalResult planFunction(func::FuncOp func) {
    writeResultsInPlace(func);
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(body))
      index[&op] = i;

    SmallVector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      FailureOr<int64_t> bytes = byteSize(alloc.getType());
      if (failed(bytes)) {
        alloc.emitOpError("cannot be placed in the scratch arena: needs a "
                          "static identity-layout type");
        return WalkResult::interrupt();
      }
      Buffer buffer;
      buffer.alloc = alloc;
      buffer.bytes = *bytes;
      buffer.start = topLevelIndex(alloc, body, index);
      buffer.end = std::max(buffer.start, lastUse(alloc, body, index));
      buffers.push_back(buffer);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    int64_t arena = place(buffers);
    int64_t naive = 0;
    for (const Buffer &b : buffers)
      naive += llvm::alignTo(b.bytes, kAlignment);

    // The arena is a new trailing argument; allocations become views of it.
    MLIRContext *ctx = func.getContext();
    auto arenaType = MemRefType::get({std::max<int64_t>(arena, 1)},
                                     IntegerType::get(ctx, 8));
    if (failed(func.insertArgument(func.getNumArguments(), arenaType,
                                   DictionaryAttr::get(ctx, {}),
                                   func.getLoc())))
      return failure();
    Value scratch = func.getArguments().back();
    for (Buffer &b : buffers) {
      OpBuilder builder(b.alloc);
      Value offset =
          arith::ConstantIndexOp::create(builder, b.alloc.getLoc(), b.offset);
      Value view =
          memref::ViewOp::create(builder, b.alloc.getLoc(), b.alloc.getType(),
                                 scratch, offset, ValueRange());
      b.alloc.replaceAllUsesWith(view);
      b.alloc.erase();
    }
    // Nothing deallocates arena memory.
    func.walk([](memref::DeallocOp dealloc) { dealloc.erase(); });
    func->setAttr("octet.scratch_bytes",
                  IntegerAttr::get(IntegerType::get(ctx, 64), arena));
    numBuffers += buffers.size();
    arenaBytes = std::max<uint64_t>(arenaBytes, arena);
    naiveBytes = std::max<uint64_t>(naiveBytes, naive);
    buffersPlaced += buffers.size();
    largestArena.updateMax(arena);
    largestNaive.updateMax(naive);
    return success();
  }

  octet::PassCounter buffersPlaced{getArgument(), "buffers",
                            "Buffers placed in the arena"};
  octet::PassCounter largestArena{getArgument(), "arena-bytes",
                           "Bytes of the largest arena"};
  octet::PassCounter largestNaive{getArgument(), "naive-bytes",
                           "Bytes the buffers would take without sharing"};

  /// Assigns offsets; returns the arena size.
  static int64_t place(SmallVectorImpl<Buffer> &buffers) {
    SmallVector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    llvm::stable_sort(order,
                      [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
    SmallVector<Buffer *> placed;
    int64_t arena = 0;
    for (Buffer *b : order) {
      // Ranges taken by placed buffers that are alive at the same time.
      SmallVector<std::pair<int64_t, int64_t>> taken;
      for (Buffer *p : placed)
        if (p->start <= b->end && b->start <= p->end)
          taken.push_back({p->offset, p->offset + p->bytes});
      llvm::sort(taken);
      int64_t offset = 0;
      for (auto [lo, hi] : taken) {
        if (offset + b->bytes <= lo)
          break;
        offset = std::max<int64_t>(offset, llvm::alignTo(hi, kAlignment));
      }
      b->offset = offset;
      arena = std::max(arena, offset + b->bytes);
      placed.push_back(b);
    }
    return llvm::alignTo(arena, kAlignment);
  }
};
} // namespace
