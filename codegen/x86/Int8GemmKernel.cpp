//===- Int8GemmKernel.cpp - The register-tiled int8 GEMM loop nest --------===//
//
// A register tile is 4 rows × one panel of columns: accumulators that start
// from the column's start value (plus the row's term, if any) and stay in
// registers for the whole reduction. Each activation quad x[m][4j..4j+3]
// is broadcast as one 32-bit word (signed activations offset by 128 into
// u8) and multiplied into every column by x86::dot. Where the result is
// only requantized, the tile does that in registers and writes 8 bits
// (Int8Requantize.cpp).
//
//===----------------------------------------------------------------------===//

#include "Int8GemmKernel.h"
#include "octet/Codegen/Passes.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::x86::gemm;

using mlir::octet::x86::index;

namespace {
/// `indices`, preceded by the batch index when there is one.
SmallVector<Value> batchIndices(Value batch, ValueRange indices) {
  SmallVector<Value> result;
  if (batch)
    result.push_back(batch);
  llvm::append_range(result, indices);
  return result;
}

/// Row `row` of the packed `weights`: per vector, one operand (the quads)
/// or, for MaddWd, two (the 16-bit pairs).
SmallVector<SmallVector<Value>> loadWeights(OpBuilder &b, Location loc,
                                            const KernelOperands &in,
                                            Value weights, Value row) {
  Type i8 = b.getI8Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  bool words = in.dot == x86::Dot::MaddWd;
  int64_t parts = words ? 2 : 1;
  SmallVector<SmallVector<Value>> result;
  for (int64_t v = 0; v < in.layout.vectors; ++v) {
    SmallVector<Value> operands;
    for (int64_t i = 0; i < parts; ++i) {
      Value w = vector::TransferReadOp::create(
          b, loc, VectorType::get({4 * kLanes}, i8), weights,
          ValueRange{row, index(b, loc, (v * parts + i) * 4 * kLanes)}, zero,
          ArrayRef<bool>{true});
      if (words)
        w = vector::BitCastOp::create(
            b, loc, VectorType::get({2 * kLanes}, b.getI16Type()), w);
      operands.push_back(w);
    }
    result.push_back(operands);
  }
  return result;
}

/// x[row][k0 .. k0 + 4] as u8 bytes broadcast to every lane (0 past K
/// unless `inBounds`; signed values offset by 128).
Value broadcastQuad(OpBuilder &b, Location loc, const KernelOperands &in,
                    Value batch, Value row, Value k0, bool inBounds) {
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value quad = vector::TransferReadOp::create(
      b, loc, VectorType::get({4}, i8), in.activations,
      batchIndices(batch, {row, k0}), zero, ArrayRef<bool>{inBounds});
  Value word = vector::ExtractOp::create(
      b, loc, vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), quad),
      ArrayRef<int64_t>{0});
  // Signed values offset by 128 (past K too: the weights there are 0).
  if (!in.isUnsigned)
    word = arith::XOrIOp::create(
        b, loc, word,
        arith::ConstantOp::create(b, loc,
                                  b.getIntegerAttr(i32, (int32_t)0x80808080u)));
  return vector::BitCastOp::create(
      b, loc, VectorType::get({4 * kLanes}, i8),
      vector::BroadcastOp::create(b, loc, VectorType::get({kLanes}, i32),
                                  word));
}

/// Adds the products of k-quad `j` (weights in row `row` of `weights`) to
/// the tile's accumulators (`rows` × vectors).
SmallVector<Value> accumulate(OpBuilder &b, Location loc,
                              const KernelOperands &in, Value batch,
                              Value row0, int64_t rows, Value weights,
                              Value row, Value j, bool inBounds,
                              ValueRange accs) {
  SmallVector<SmallVector<Value>> w = loadWeights(b, loc, in, weights, row);
  Value k0 = arith::MulIOp::create(b, loc, j, index(b, loc, 4));
  SmallVector<Value> next(accs);
  for (int64_t r = 0; r < rows; ++r) {
    Value x = arith::AddIOp::create(b, loc, row0, index(b, loc, r));
    Value broadcast = broadcastQuad(b, loc, in, batch, x, k0, inBounds);
    for (int64_t v = 0; v < in.layout.vectors; ++v) {
      Value &acc = next[r * in.layout.vectors + v];
      acc = x86::dot(b, loc, in.dot, acc, broadcast, w[v]);
    }
  }
  return next;
}

/// The accumulators' start: per vector the columns' start values, plus
/// each row's term when there are row terms.
SmallVector<Value> initialAccumulators(OpBuilder &b, Location loc,
                                       const KernelOperands &in, Value batch,
                                       Value row0, int64_t rows,
                                       Value column0) {
  Type i32 = b.getI32Type();
  auto accType = VectorType::get({kLanes}, i32);
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0));
  SmallVector<Value> starts;
  for (int64_t v = 0; v < in.layout.vectors; ++v) {
    Value column = arith::AddIOp::create(b, loc, column0,
                                         index(b, loc, v * kLanes));
    starts.push_back(vector::TransferReadOp::create(
        b, loc, accType, in.start, batchIndices(batch, {column}), zero,
        ArrayRef<bool>{true}));
  }
  SmallVector<Value> init;
  for (int64_t r = 0; r < rows; ++r) {
    if (!in.rowTerms) {
      llvm::append_range(init, starts);
      continue;
    }
    Value row = arith::AddIOp::create(b, loc, row0, index(b, loc, r));
    Value term = vector::BroadcastOp::create(
        b, loc, accType,
        tensor::ExtractOp::create(b, loc, in.rowTerms,
                                  batchIndices(batch, {row})));
    for (Value start : starts)
      init.push_back(arith::AddIOp::create(b, loc, start, term));
  }
  return init;
}

/// Which k-quads a tile adds and where its sums come from and go: the
/// whole reduction at once, or one block of it (K-blocking), starting from
/// and/or ending in the int32 `partial` sums [rows of all (batch, panel)
/// pairs, columns].
struct KRange {
  int64_t begin, end; // k-quads [begin, end)
  bool first = true, last = true;
  Value partial;      // when not both first and last
  Value partialRow0;  // this (batch, panel)'s first row in `partial`
};

/// The accumulators of rows [row0, row0 + rows) read back from `partial`.
SmallVector<Value> readPartial(OpBuilder &b, Location loc,
                               const KernelOperands &in, const KRange &k,
                               Value row0, int64_t rows) {
  Type i32 = b.getI32Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0));
  SmallVector<Value> accs;
  for (int64_t r = 0; r < rows; ++r) {
    Value row = arith::AddIOp::create(
        b, loc, k.partialRow0,
        arith::AddIOp::create(b, loc, row0, index(b, loc, r)));
    for (int64_t v = 0; v < in.layout.vectors; ++v)
      accs.push_back(vector::TransferReadOp::create(
          b, loc, VectorType::get({kLanes}, i32), k.partial,
          ValueRange{row, index(b, loc, v * kLanes)}, zero,
          ArrayRef<bool>{true}));
  }
  return accs;
}

/// One register tile of `rows` rows from `row0`: panel `panel` of the
/// packed weights, whose k-quads are rows from `weightsRow0`, into the
/// columns from `column0`, over the k-quads of `k`. Returns `result` and
/// `k.partial` with it written (the final sums into `result`, a block's
/// into `partial`).
std::pair<Value, Value> emitTile(OpBuilder &b, Location loc,
                                 const KernelOperands &in, Value result,
                                 Value batch, Value row0, int64_t rows,
                                 Value panel, Value weightsRow0,
                                 Value column0, const KRange &k) {
  Type f32 = b.getF32Type();
  SmallVector<Value> multipliers;
  if (in.requantization && k.last)
    for (int64_t v = 0; v < in.layout.vectors; ++v)
      multipliers.push_back(vector::TransferReadOp::create(
          b, loc, VectorType::get({kLanes}, f32), in.multipliers,
          ValueRange{arith::AddIOp::create(b, loc, column0,
                                           index(b, loc, v * kLanes))},
          arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, 0)),
          ArrayRef<bool>{true}));
  SmallVector<Value> init =
      k.first ? initialAccumulators(b, loc, in, batch, row0, rows, column0)
              : readPartial(b, loc, in, k, row0, rows);

  int64_t fullQuads = in.k / 4;
  int64_t loopEnd = std::min(k.end, fullQuads);
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, k.begin), index(b, loc, loopEnd),
      index(b, loc, 1), init,
      [&](OpBuilder &nb, Location l, Value j, ValueRange accs) {
        Value row = arith::AddIOp::create(nb, l, weightsRow0, j);
        scf::YieldOp::create(nb, l,
                             accumulate(nb, l, in, batch, row0, rows,
                                        in.packedWeights, row, j,
                                        /*inBounds=*/true, accs));
      });
  SmallVector<Value> accs(loop.getResults());
  if (k.end > fullQuads) {
    Value j = index(b, loc, fullQuads);
    accs = accumulate(b, loc, in, batch, row0, rows, in.packedWeights,
                      arith::AddIOp::create(b, loc, weightsRow0, j), j,
                      /*inBounds=*/false, accs);
  }
  if (in.corrections && k.last) {
    // The second halves of split pairs: this panel's list of k-quads.
    auto at = [&](OpBuilder &ob, Value tensor, Value i) -> Value {
      return arith::IndexCastOp::create(
          ob, loc, ob.getIndexType(),
          tensor::ExtractOp::create(ob, loc, tensor, ValueRange{i}));
    };
    Value first = at(b, in.starts, panel);
    Value last = at(b, in.starts,
                    arith::AddIOp::create(b, loc, panel, index(b, loc, 1)));
    auto corrections = scf::ForOp::create(
        b, loc, first, last, index(b, loc, 1), accs,
        [&](OpBuilder &nb, Location l, Value e, ValueRange carried) {
          scf::YieldOp::create(
              nb, l,
              accumulate(nb, l, in, batch, row0, rows, in.corrections, e,
                         at(nb, in.where, e), /*inBounds=*/false, carried));
        });
    accs.assign(corrections.getResults().begin(),
                corrections.getResults().end());
  }

  Value partial = k.partial;
  for (int64_t r = 0; r < rows; ++r) {
    Value row = arith::AddIOp::create(b, loc, row0, index(b, loc, r));
    for (int64_t v = 0; v < in.layout.vectors; ++v) {
      Value acc = accs[r * in.layout.vectors + v];
      if (!k.last) {
        partial = vector::TransferWriteOp::create(
                      b, loc, acc, partial,
                      ValueRange{arith::AddIOp::create(b, loc, k.partialRow0,
                                                       row),
                                 index(b, loc, v * kLanes)},
                      ArrayRef<bool>{true})
                      .getResult();
        continue;
      }
      Value column = arith::AddIOp::create(b, loc, column0,
                                           index(b, loc, v * kLanes));
      result = x86::writeTile(b, loc, in.requantization, acc,
                              in.requantization ? multipliers[v] : Value(),
                              result, batchIndices(batch, {row, column}));
    }
  }
  return {result, partial};
}

} // namespace

Value mlir::octet::x86::gemm::emitKernel(OpBuilder &b, Location loc,
                                         const KernelOperands &in) {
  int64_t panels = llvm::divideCeil(in.n, in.layout.columns());
  int64_t quads = llvm::divideCeil(in.k, 4);
  Type element = in.requantization ? b.getI8Type() : b.getI32Type();
  SmallVector<int64_t> shape = {in.m, panels * in.layout.columns()};
  if (in.batched)
    shape.insert(shape.begin(), in.batches);
  Value empty = tensor::EmptyOp::create(b, loc, shape, element);
  int64_t fullRows = in.m / kTileRows * kTileRows;
  // K-blocking: each (batch, panel) runs its rows over one block of
  // k-quads after the other, so the block's weights stay in L1; the sums
  // between blocks wait in `partial`.
  int64_t block = in.kBlockQuads > 0 && quads > in.kBlockQuads
                      ? in.kBlockQuads
                      : quads;
  int64_t blocks = llvm::divideCeil(quads, block);
  SmallVector<Value> init = {empty};
  if (blocks > 1)
    init.push_back(tensor::EmptyOp::create(
        b, loc,
        ArrayRef<int64_t>{in.batches * panels * in.m, in.layout.columns()},
        b.getI32Type()));
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, in.batches * panels),
      index(b, loc, 1), init,
      [&](OpBuilder &nb, Location l, Value batchPanel, ValueRange carried) {
        Value batch, panel = batchPanel;
        if (in.batched) {
          batch = arith::DivUIOp::create(nb, l, batchPanel,
                                         index(nb, l, panels));
          panel = arith::RemUIOp::create(nb, l, batchPanel,
                                         index(nb, l, panels));
        }
        Value weightsRow0 =
            arith::MulIOp::create(nb, l, batchPanel, index(nb, l, quads));
        Value column0 = arith::MulIOp::create(
            nb, l, panel, index(nb, l, in.layout.columns()));
        SmallVector<Value> state(carried);
        for (int64_t kb = 0; kb < blocks; ++kb) {
          KRange k;
          k.begin = kb * block;
          k.end = std::min(quads, (kb + 1) * block);
          k.first = kb == 0;
          k.last = kb == blocks - 1;
          if (blocks > 1)
            k.partialRow0 = arith::MulIOp::create(nb, l, batchPanel,
                                                  index(nb, l, in.m));
          auto tile = [&](OpBuilder &tb, Location tl, Value row0,
                          int64_t rows, ValueRange tensors) {
            KRange kt = k;
            if (blocks > 1)
              kt.partial = tensors[1];
            auto [result, partial] =
                emitTile(tb, tl, in, tensors[0], batch, row0, rows, panel,
                         weightsRow0, column0, kt);
            SmallVector<Value> next = {result};
            if (blocks > 1)
              next.push_back(partial);
            return next;
          };
          if (fullRows > 0)
            state = llvm::to_vector_of<Value>(
                scf::ForOp::create(
                    nb, l, index(nb, l, 0), index(nb, l, fullRows),
                    index(nb, l, kTileRows), state,
                    [&](OpBuilder &tb, Location tl, Value row0,
                        ValueRange tensors) {
                      scf::YieldOp::create(
                          tb, tl, tile(tb, tl, row0, kTileRows, tensors));
                    })
                    .getResults());
          if (in.m > fullRows)
            state = tile(nb, l, index(nb, l, fullRows), in.m - fullRows,
                         state);
        }
        scf::YieldOp::create(nb, l, state);
      });
  // (Batch, panel) pairs are independent: octet-parallelize may split them
  // over threads. The attribute carries the multiply-adds.
  loop->setAttr("octet.parallel",
                b.getI64IntegerAttr(in.batches * in.m * in.n * in.k));
  return loop.getResult(0);
}
