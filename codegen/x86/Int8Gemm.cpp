//===- Int8Gemm.cpp - x86 register-tiled int8 matmul_integer --------------===//
//
// A 2-D matmul_integer of 8-bit activations by constant int8 weights, with
// an optional constant int32 bias and no zero points (octet-propagate-qdq
// folds the input's into the bias). It computes exactly the reference's
// result: the products are exact, and int32 additions wrap like the
// reference's, so the order of the sums does not matter.
//
// The weights are packed at compile time into panels of columns (two
// 8-lane vectors for AVX2, three for VNNI), each as K/4 rows holding, for
// every column, the weights of 4 consecutive k. A register tile is 4 rows ×
// one panel: accumulators that start from the bias and stay in registers
// for the whole reduction. Each activation quad x[m][4j..4j+3] is
// broadcast as one 32-bit word (signed activations offset by 128 into u8,
// the bias less 128·Σw per column) and multiplied into every column by
// x86::dot: vpdpbusd (VNNI); on AVX2 vpmaddubsw where every weight pair is
// proven exact, with unproven pairs split and their second halves added
// by a loop over the panel's list of k-quads, or, where too many pairs
// would split, the exact even/odd-byte vpmaddwd. Where the result is only
// requantized, the tile does that in registers and writes 8 bits
// (Int8Requantize.cpp).
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
constexpr int64_t kTileRows = 4;
constexpr int64_t kLanes = 8; // int32 per 256-bit register

struct Layout {
  int64_t vectors; // per panel
  int64_t columns() const { return vectors * kLanes; }
};

/// The weights [K, N] as the kernel reads them, rows of bytes per packed
/// k-quad: `main` [panels·ceil(K/4), bytes] (row p·ceil(K/4) + j), and for
/// split pairs `corrections` [E, bytes] at k-quads `where` [E], panel p's
/// entries from starts[p] to starts[p + 1].
struct PackedWeights {
  DenseElementsAttr main, corrections, where, starts;
};

/// Per 8 columns of k-quad j: the quads (w[4j][c], .., w[4j+3][c]) (32
/// bytes), or for MaddWd the 16-bit pairs (w0, w2) then (w1, w3) (64).
PackedWeights packWeights(DenseElementsAttr weights, Layout layout,
                          x86::Dot dot) {
  auto type = cast<RankedTensorType>(weights.getType());
  MLIRContext *context = type.getContext();
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  int64_t quads = llvm::divideCeil(k, 4);
  int64_t panels = llvm::divideCeil(n, layout.columns());
  bool words = dot == x86::Dot::MaddWd, split = dot == x86::Dot::MaddUbsw;
  int64_t bytes = layout.vectors * (words ? 64 : 32);
  auto values = llvm::to_vector(weights.getValues<APInt>());
  auto at = [&](int64_t row, int64_t col) -> int64_t {
    return row < k && col < n ? values[row * n + col].getSExtValue() : 0;
  };
  SmallVector<APInt> main, corrections, where, starts;
  for (int64_t p = 0; p < panels; ++p) {
    starts.push_back(APInt(32, where.size()));
    for (int64_t j = 0; j < quads; ++j) {
      SmallVector<APInt> rest;
      bool needed = false;
      for (int64_t v = 0; v < layout.vectors; ++v) {
        SmallVector<APInt> even, odd;
        for (int64_t lane = 0; lane < kLanes; ++lane) {
          int64_t col = p * layout.columns() + v * kLanes + lane;
          int64_t w[4];
          for (int64_t h = 0; h < 4; ++h)
            w[h] = at(4 * j + h, col);
          if (words) {
            for (int64_t h : {0, 2})
              for (int64_t byte = 0; byte < 2; ++byte) {
                even.push_back(APInt(
                    8, (uint8_t)((uint16_t)(int16_t)w[h] >> (8 * byte))));
                odd.push_back(APInt(
                    8, (uint8_t)((uint16_t)(int16_t)w[h + 1] >> (8 * byte))));
              }
            continue;
          }
          for (int64_t h = 0; h < 4; h += 2) {
            bool exact = !split || x86::pairIsExact(w[h], w[h + 1]);
            for (int64_t i = h; i < h + 2; ++i) {
              int64_t a = exact ? w[i] : std::clamp<int64_t>(w[i], -64, 64);
              main.push_back(APInt(8, a, /*isSigned=*/true));
              rest.push_back(APInt(8, w[i] - a, /*isSigned=*/true));
              needed |= a != w[i];
            }
          }
        }
        llvm::append_range(main, even);
        llvm::append_range(main, odd);
      }
      if (!needed)
        continue;
      llvm::append_range(corrections, rest);
      where.push_back(APInt(32, j));
    }
  }
  starts.push_back(APInt(32, where.size()));
  auto i8 = IntegerType::get(context, 8), i32 = IntegerType::get(context, 32);
  PackedWeights packed;
  packed.main = DenseElementsAttr::get(
      RankedTensorType::get({panels * quads, bytes}, i8), main);
  int64_t entries = where.size();
  if (entries == 0)
    return packed;
  packed.corrections = DenseElementsAttr::get(
      RankedTensorType::get({entries, bytes}, i8), corrections);
  packed.where =
      DenseElementsAttr::get(RankedTensorType::get({entries}, i32), where);
  packed.starts = DenseElementsAttr::get(
      RankedTensorType::get({(int64_t)starts.size()}, i32), starts);
  return packed;
}

struct KernelOperands {
  x86::Dot dot;
  Layout layout;
  Value activations; // [M, K] i8 (the bits of u8 when `isUnsigned`)
  bool isUnsigned;
  Value packedWeights;              // PackedWeights::main
  Value corrections, where, starts; // or null
  Value start;         // [panels·columns] i32: where the sums start
  const x86::Requantization *requantization; // or null: int32 outputs
  Value multipliers; // [panels·columns] f32 when requantizing
  int64_t m, k, n;
};

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
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
                    Value row, Value k0, bool inBounds) {
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value quad = vector::TransferReadOp::create(
      b, loc, VectorType::get({4}, i8), in.activations, ValueRange{row, k0},
      zero, ArrayRef<bool>{inBounds});
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
                              const KernelOperands &in, Value row0,
                              int64_t rows, Value weights, Value row, Value j,
                              bool inBounds, ValueRange accs) {
  SmallVector<SmallVector<Value>> w = loadWeights(b, loc, in, weights, row);
  Value k0 = arith::MulIOp::create(b, loc, j, index(b, loc, 4));
  SmallVector<Value> next(accs);
  for (int64_t r = 0; r < rows; ++r) {
    Value x = arith::AddIOp::create(b, loc, row0, index(b, loc, r));
    Value broadcast = broadcastQuad(b, loc, in, x, k0, inBounds);
    for (int64_t v = 0; v < in.layout.vectors; ++v) {
      Value &acc = next[r * in.layout.vectors + v];
      acc = x86::dot(b, loc, in.dot, acc, broadcast, w[v]);
    }
  }
  return next;
}

/// One register tile of `rows` rows from `row0`, panel `panel`: returns
/// `result` with it written.
Value emitTile(OpBuilder &b, Location loc, const KernelOperands &in,
               Value result, Value row0, int64_t rows, Value panel,
               Value column0) {
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  auto accType = VectorType::get({kLanes}, i32);
  SmallVector<Value> starts, multipliers;
  for (int64_t v = 0; v < in.layout.vectors; ++v) {
    Value column = arith::AddIOp::create(b, loc, column0,
                                         index(b, loc, v * kLanes));
    starts.push_back(vector::TransferReadOp::create(
        b, loc, accType, in.start, ValueRange{column},
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0)),
        ArrayRef<bool>{true}));
    if (in.requantization)
      multipliers.push_back(vector::TransferReadOp::create(
          b, loc, VectorType::get({kLanes}, f32), in.multipliers,
          ValueRange{column},
          arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, 0)),
          ArrayRef<bool>{true}));
  }
  SmallVector<Value> init;
  for (int64_t r = 0; r < rows; ++r)
    llvm::append_range(init, starts);

  int64_t quads = llvm::divideCeil(in.k, 4), fullQuads = in.k / 4;
  Value firstRow = arith::MulIOp::create(b, loc, panel, index(b, loc, quads));
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, fullQuads), index(b, loc, 1),
      init, [&](OpBuilder &nb, Location l, Value j, ValueRange accs) {
        Value row = arith::AddIOp::create(nb, l, firstRow, j);
        scf::YieldOp::create(nb, l,
                             accumulate(nb, l, in, row0, rows,
                                        in.packedWeights, row, j,
                                        /*inBounds=*/true, accs));
      });
  SmallVector<Value> accs(loop.getResults());
  if (quads > fullQuads) {
    Value j = index(b, loc, fullQuads);
    accs = accumulate(b, loc, in, row0, rows, in.packedWeights,
                      arith::AddIOp::create(b, loc, firstRow, j), j,
                      /*inBounds=*/false, accs);
  }
  if (in.corrections) {
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
              accumulate(nb, l, in, row0, rows, in.corrections, e,
                         at(nb, in.where, e), /*inBounds=*/false, carried));
        });
    accs.assign(corrections.getResults().begin(),
                corrections.getResults().end());
  }

  for (int64_t r = 0; r < rows; ++r) {
    Value row = arith::AddIOp::create(b, loc, row0, index(b, loc, r));
    for (int64_t v = 0; v < in.layout.vectors; ++v) {
      Value column = arith::AddIOp::create(b, loc, column0,
                                           index(b, loc, v * kLanes));
      result = x86::writeTile(b, loc, in.requantization,
                              accs[r * in.layout.vectors + v],
                              in.requantization ? multipliers[v] : Value(),
                              result, {row, column});
    }
  }
  return result;
}

/// The whole product into [M, panels·columns]: panels, each over tiles of
/// 4 rows and a last tile of the remaining rows.
Value emitKernel(OpBuilder &b, Location loc, const KernelOperands &in) {
  int64_t panels = llvm::divideCeil(in.n, in.layout.columns());
  Type element = in.requantization ? b.getI8Type() : b.getI32Type();
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{in.m, panels * in.layout.columns()}, element);
  int64_t fullRows = in.m / kTileRows * kTileRows;
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, panels), index(b, loc, 1),
      ValueRange{empty},
      [&](OpBuilder &nb, Location l, Value panel, ValueRange carried) {
        Value column0 = arith::MulIOp::create(
            nb, l, panel, index(nb, l, in.layout.columns()));
        Value result = carried[0];
        if (fullRows > 0)
          result = scf::ForOp::create(
                       nb, l, index(nb, l, 0), index(nb, l, fullRows),
                       index(nb, l, kTileRows), ValueRange{result},
                       [&](OpBuilder &tb, Location tl, Value row0,
                           ValueRange acc) {
                         scf::YieldOp::create(
                             tb, tl,
                             emitTile(tb, tl, in, acc[0], row0, kTileRows,
                                      panel, column0));
                       })
                       .getResult(0);
        if (in.m > fullRows)
          result = emitTile(nb, l, in, result, index(nb, l, fullRows),
                            in.m - fullRows, panel, column0);
        scf::YieldOp::create(nb, l, result);
      });
  // Panels are independent: octet-parallelize may split them over threads.
  loop->setAttr("octet.parallel", b.getI64IntegerAttr(in.m * in.n * in.k));
  return loop.getResult(0);
}

} // namespace

LogicalResult mlir::octet::x86::rewriteMatMul(MatMulIntegerOp op,
                                             Int8Isa isa) {
  auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
  DenseElementsAttr weights = constantOf(op.getRhs()), bias;
  if (op.getBias() &&
      (!(bias = constantOf(op.getBias())) || bias.getType().getRank() != 1))
    return failure();
  if (lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
      op.getLhsZeroPoint() || op.getRhsZeroPoint() || !weights ||
      !rhsType.getElementType().isSignlessInteger(8))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  KernelOperands in;
  in.layout = Layout{isa == Int8Isa::Avx2 ? 2 : 3};
  in.m = lhsType.getDimSize(0);
  in.k = lhsType.getDimSize(1);
  in.n = rhsType.getDimSize(1);
  in.isUnsigned = lhsType.getElementType().isUnsignedInteger();
  in.activations = op.getLhs();
  // The kernel reads the activations' bits as i8.
  if (in.isUnsigned)
    in.activations = CastOp::create(
        b, loc, lhsType.clone(b.getIntegerType(8)), op.getLhs());
  // AVX2: vpmaddubsw where few weight pairs need splitting, else the exact
  // vpmaddwd path (kMaxSplitFraction).
  in.dot = isa == Int8Isa::Avx2 ? Dot::MaddUbsw : Dot::Vnni;
  PackedWeights packed = packWeights(weights, in.layout, in.dot);
  if (packed.corrections) {
    int64_t steps = llvm::divideCeil(in.n, in.layout.columns()) *
                    llvm::divideCeil(in.k, 4);
    if ((double)packed.where.getNumElements() / steps > kMaxSplitFraction) {
      in.dot = Dot::MaddWd;
      packed = packWeights(weights, in.layout, in.dot);
    }
  }
  in.packedWeights = arith::ConstantOp::create(b, loc, packed.main);
  if (packed.corrections) {
    in.corrections = arith::ConstantOp::create(b, loc, packed.corrections);
    in.where = arith::ConstantOp::create(b, loc, packed.where);
    in.starts = arith::ConstantOp::create(b, loc, packed.starts);
  }

  FailureOr<Requantization> requantization =
      matchRequantization(op.getResult(), /*channelDim=*/1);
  in.requantization = succeeded(requantization) ? &*requantization : nullptr;
  // Sums start from the bias (less 128·Σw for signed input, offset to u8).
  int64_t padded =
      llvm::divideCeil(in.n, in.layout.columns()) * in.layout.columns();
  auto values = llvm::to_vector(weights.getValues<APInt>());
  SmallVector<APInt> start(padded, APInt(32, 0));
  SmallVector<float> multipliers(padded, 0.0f);
  for (int64_t c = 0; c < in.n; ++c) {
    uint32_t sum = bias ? (uint32_t)bias.getValues<APInt>()[c].getSExtValue()
                        : 0;
    if (!in.isUnsigned) {
      int64_t weightSum = 0;
      for (int64_t k = 0; k < in.k; ++k)
        weightSum += values[k * in.n + c].getSExtValue();
      sum -= (uint32_t)(128 * weightSum);
    }
    start[c] = APInt(32, sum);
    if (in.requantization)
      multipliers[c] = requantization->multiplierOf(c);
  }
  in.start = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({padded}, b.getI32Type()),
                             start));
  if (in.requantization)
    in.multipliers = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({padded}, b.getF32Type()),
                               ArrayRef<float>(multipliers)));

  Value wide = emitKernel(b, loc, in);
  Type element = in.requantization ? b.getI8Type() : b.getI32Type();
  SmallVector<OpFoldResult> zeros(2, b.getIndexAttr(0)),
      ones(2, b.getIndexAttr(1)),
      sizes = {b.getIndexAttr(in.m), b.getIndexAttr(in.n)};
  Value result = tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({in.m, in.n}, element), wide, zeros, sizes,
      ones);
  replaceByKernel(op, in.requantization, result);
  return success();
}
