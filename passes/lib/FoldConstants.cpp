//===- FoldConstants.cpp - Evaluate ops whose operands are all constant ---===//
//
// Exported models transpose weights, reshape them and compute small shape
// tensors at run time; with static shapes and constant weights all of that
// is known at compile time. Data movement works on the raw element bytes
// (any element type); arithmetic is done in double precision and rounded
// once to the result type.
//
//===----------------------------------------------------------------------===//

#include "ConstantUtils.h"
#include "octet/IR/OctetOps.h"
#include "octet/Passes/Passes.h"
#include "octet/Passes/Statistics.h"

#include "llvm/ADT/STLExtras.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETFOLDCONSTANTSPASS
#include "octet/Passes/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;
using namespace mlir::octet;

namespace {
/// Calls `body(outIndex)` for every multi-index of `shape` in row-major
/// order.
void forEachIndex(ArrayRef<int64_t> shape,
                  function_ref<void(ArrayRef<int64_t>)> body) {
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t n = 0; n < total; ++n) {
    body(index);
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// Element `i` of `attr` as raw bytes (splats have one stored element).
ArrayRef<char> elementBytes(DenseElementsAttr attr, int64_t i,
                            int64_t width) {
  ArrayRef<char> raw = attr.getRawData();
  return raw.slice(attr.isSplat() ? 0 : i * width, width);
}

/// Element width in bytes, or 0 for types that are not byte-addressable in
/// a DenseElementsAttr (i1 is bit-packed).
int64_t byteWidth(Type element) {
  if (!element.isIntOrFloat())
    return 0;
  unsigned bits = element.getIntOrFloatBitWidth();
  return bits % 8 ? 0 : bits / 8;
}

/// The constant operands of `op`, or an empty vector if any is not one.
SmallVector<DenseElementsAttr> constantOperands(Operation *op) {
  SmallVector<DenseElementsAttr> values;
  for (Value operand : op->getOperands()) {
    auto constant = operand.getDefiningOp<ConstantOp>();
    DenseElementsAttr dense =
        constant ? getDenseElements(constant.getValue()) : nullptr;
    if (!dense)
      return {};
    values.push_back(dense);
  }
  return values;
}

/// A movement op's result: element `sources(out)` of `inputs[k]` for each
/// output index, `{-1, -1}` meaning `fill`.
using SourceFn = function_ref<std::pair<int64_t, int64_t>(ArrayRef<int64_t>)>;

DenseElementsAttr move(ArrayRef<DenseElementsAttr> inputs,
                       RankedTensorType type, SourceFn sources,
                       ArrayRef<char> fill = {}) {
  int64_t width = byteWidth(type.getElementType());
  if (!width)
    return {};
  SmallVector<char> buffer;
  buffer.reserve(type.getNumElements() * width);
  forEachIndex(type.getShape(), [&](ArrayRef<int64_t> out) {
    auto [k, i] = sources(out);
    ArrayRef<char> bytes = k < 0 ? fill : elementBytes(inputs[k], i, width);
    buffer.append(bytes.begin(), bytes.end());
  });
  return DenseElementsAttr::getFromRawBuffer(type, buffer);
}

DenseElementsAttr transpose(DenseElementsAttr in, ArrayRef<int64_t> perm) {
  auto inType = cast<RankedTensorType>(in.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inType.getDimSize(p));
  auto type = RankedTensorType::get(shape, inType.getElementType());
  SmallVector<int64_t> strides = computeStrides(inType.getShape());
  SmallVector<int64_t> source(perm.size());
  return move(in, type, [&](ArrayRef<int64_t> out) {
    for (auto [i, p] : llvm::enumerate(perm))
      source[p] = out[i];
    return std::make_pair(int64_t(0), linearize(source, strides));
  });
}

DenseElementsAttr foldConcat(ConcatOp op, ArrayRef<DenseElementsAttr> ins) {
  int64_t axis = op.getAxis();
  SmallVector<int64_t> offsets;
  SmallVector<SmallVector<int64_t>> strides;
  int64_t offset = 0;
  for (DenseElementsAttr in : ins) {
    auto shape = cast<RankedTensorType>(in.getType()).getShape();
    offsets.push_back(offset);
    offset += shape[axis];
    strides.push_back(computeStrides(shape));
  }
  SmallVector<int64_t> source;
  return move(ins, op.getType(), [&](ArrayRef<int64_t> out) {
    int64_t k = llvm::upper_bound(offsets, out[axis]) - offsets.begin() - 1;
    source.assign(out.begin(), out.end());
    source[axis] -= offsets[k];
    return std::make_pair(k, linearize(source, strides[k]));
  });
}

DenseElementsAttr foldSlice(SliceOp op, DenseElementsAttr in) {
  SmallVector<int64_t> strides =
      computeStrides(cast<RankedTensorType>(in.getType()).getShape());
  SmallVector<int64_t> source;
  return move(in, op.getType(), [&](ArrayRef<int64_t> out) {
    source.clear();
    for (auto [o, start, step] : llvm::zip(out, op.getStarts(), op.getSteps()))
      source.push_back(start + o * step);
    return std::make_pair(int64_t(0), linearize(source, strides));
  });
}

/// A one-element buffer of `value` in `element` type, or empty.
SmallVector<char> scalarBytes(Type element, double value) {
  auto type = RankedTensorType::get({1}, element);
  DenseElementsAttr attr;
  if (auto floatType = dyn_cast<FloatType>(element)) {
    APFloat f(value);
    bool lost;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    attr = DenseElementsAttr::get(type, f);
  } else if (auto intType = dyn_cast<IntegerType>(element)) {
    attr = DenseElementsAttr::get(
        type, APInt(intType.getWidth(), int64_t(value), /*isSigned=*/true,
                    /*implicitTrunc=*/true));
  }
  if (!attr)
    return {};
  ArrayRef<char> raw = attr.getRawData();
  return SmallVector<char>(raw.begin(), raw.end());
}

DenseElementsAttr foldPad(PadOp op, DenseElementsAttr in) {
  auto shape = cast<RankedTensorType>(in.getType()).getShape();
  SmallVector<int64_t> strides = computeStrides(shape);
  SmallVector<char> fill = scalarBytes(in.getElementType(),
                                       op.getValue().convertToDouble());
  if (fill.empty())
    return {};
  ArrayRef<int64_t> pads = op.getPads();
  int64_t rank = shape.size();
  SmallVector<int64_t> source(rank);
  return move(
      in, op.getType(),
      [&](ArrayRef<int64_t> out) {
        for (int64_t d = 0; d < rank; ++d) {
          int64_t i = out[d] - pads[d], n = shape[d];
          if (i < 0 || i >= n) {
            switch (op.getMode()) {
            case PadMode::constant:
              return std::make_pair(int64_t(-1), int64_t(-1));
            case PadMode::edge:
              i = std::clamp<int64_t>(i, 0, n - 1);
              break;
            case PadMode::reflect:
              i = i < 0 ? -i : 2 * (n - 1) - i;
              break;
            }
          }
          source[d] = i;
        }
        return std::make_pair(int64_t(0), linearize(source, strides));
      },
      fill);
}

DenseElementsAttr foldGather(GatherOp op, DenseElementsAttr data,
                             DenseElementsAttr indices) {
  auto shape = cast<RankedTensorType>(data.getType()).getShape();
  SmallVector<int64_t> strides = computeStrides(shape);
  SmallVector<int64_t> ids;
  for (APInt v : indices.getValues<APInt>())
    ids.push_back(v.getSExtValue());
  auto idShape = cast<RankedTensorType>(indices.getType()).getShape();
  SmallVector<int64_t> idStrides = computeStrides(idShape);
  int64_t axis = op.getAxis(), idRank = idShape.size();
  SmallVector<int64_t> source(shape.size());
  return move(data, op.getType(), [&](ArrayRef<int64_t> out) {
    for (int64_t d = 0; d < axis; ++d)
      source[d] = out[d];
    int64_t id = ids[linearize(out.slice(axis, idRank), idStrides)];
    // As generated code does: negative indices wrap, the rest clamps.
    if (id < 0)
      id += shape[axis];
    source[axis] = std::clamp<int64_t>(id, 0, shape[axis] - 1);
    for (int64_t d = axis + 1; d < int64_t(shape.size()); ++d)
      source[d] = out[d + idRank - 1];
    return std::make_pair(int64_t(0), linearize(source, strides));
  });
}

DenseElementsAttr foldCast(CastOp op, DenseElementsAttr in) {
  Type from = in.getElementType();
  Type to = op.getType().getElementType();
  auto type = cast<RankedTensorType>(op.getType());
  if (auto toFloat = dyn_cast<FloatType>(to)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0, e = in.getNumElements(); i < e; ++i) {
      APFloat f(toFloat.getFloatSemantics());
      bool lost;
      if (isa<FloatType>(from)) {
        f = in.getValues<APFloat>()[i];
        f.convert(toFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &lost);
      } else {
        f.convertFromAPInt(in.getValues<APInt>()[i], !from.isUnsignedInteger(),
                           APFloat::rmNearestTiesToEven);
      }
      values.push_back(f);
    }
    return DenseElementsAttr::get(type, values);
  }
  auto toInt = cast<IntegerType>(to);
  bool isSigned = !toInt.isUnsigned();
  SmallVector<APInt> values;
  for (int64_t i = 0, e = in.getNumElements(); i < e; ++i) {
    if (isa<FloatType>(from)) {
      // Out-of-range float-to-int casts are undefined: leave them alone.
      APSInt result(toInt.getWidth(), !isSigned);
      bool exact;
      if (in.getValues<APFloat>()[i].convertToInteger(
              result, APFloat::rmTowardZero, &exact) & APFloat::opInvalidOp)
        return {};
      values.push_back(result);
    } else {
      APInt v = in.getValues<APInt>()[i];
      values.push_back(from.isUnsignedInteger()
                           ? v.zextOrTrunc(toInt.getWidth())
                           : v.sextOrTrunc(toInt.getWidth()));
    }
  }
  return DenseElementsAttr::get(type, values);
}

/// Float elementwise math in double precision, rounded once.
SmallVector<double> toDoubles(DenseElementsAttr attr) {
  SmallVector<double> values;
  for (APFloat f : attr.getValues<APFloat>()) {
    bool lost;
    f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    values.push_back(f.convertToDouble());
  }
  return values;
}

std::optional<std::function<double(double)>> unaryFunction(Operation *op) {
  using Fn = std::function<double(double)>;
  auto sigmoid = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  return llvm::TypeSwitch<Operation *, std::optional<Fn>>(op)
      .Case([](NegOp) { return Fn([](double x) { return -x; }); })
      .Case([](AbsOp) { return Fn([](double x) { return std::fabs(x); }); })
      .Case([](SqrtOp) { return Fn([](double x) { return std::sqrt(x); }); })
      .Case([](ExpOp) { return Fn([](double x) { return std::exp(x); }); })
      .Case([](LogOp) { return Fn([](double x) { return std::log(x); }); })
      .Case([](ErfOp) { return Fn([](double x) { return std::erf(x); }); })
      .Case([](TanhOp) { return Fn([](double x) { return std::tanh(x); }); })
      .Case([](ReluOp) { return Fn([](double x) { return x > 0 ? x : 0.0; }); })
      .Case([&](SigmoidOp) { return Fn(sigmoid); })
      .Case([](HardSwishOp) {
        return Fn([](double x) {
          return x * std::clamp(x / 6.0 + 0.5, 0.0, 1.0);
        });
      })
      .Case([](ClipOp clip) {
        double lo = clip.getMin().convertToDouble();
        double hi = clip.getMax().convertToDouble();
        return Fn([=](double x) { return std::min(std::max(x, lo), hi); });
      })
      .Case([](LeakyReluOp leaky) {
        double alpha = leaky.getAlpha().convertToDouble();
        return Fn([=](double x) { return x < 0 ? alpha * x : x; });
      })
      .Case([](HardSigmoidOp hard) {
        double alpha = hard.getAlpha().convertToDouble();
        double beta = hard.getBeta().convertToDouble();
        return Fn([=](double x) {
          return std::clamp(alpha * x + beta, 0.0, 1.0);
        });
      })
      .Default([](Operation *) { return std::nullopt; });
}

std::optional<std::function<double(double, double)>>
binaryFunction(Operation *op) {
  using Fn = std::function<double(double, double)>;
  return llvm::TypeSwitch<Operation *, std::optional<Fn>>(op)
      .Case([](AddOp) { return Fn(std::plus<double>()); })
      .Case([](SubOp) { return Fn(std::minus<double>()); })
      .Case([](MulOp) { return Fn(std::multiplies<double>()); })
      .Case([](DivOp) { return Fn(std::divides<double>()); })
      .Case([](PowOp) {
        return Fn([](double a, double b) { return std::pow(a, b); });
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// numpy broadcasting: the flat index into an operand of `shape` for an
/// output index (the operand right-aligned, size-1 dimensions stretched).
int64_t broadcastIndex(ArrayRef<int64_t> out, ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> strides) {
  int64_t offset = out.size() - shape.size(), flat = 0;
  for (int64_t d = 0; d < int64_t(shape.size()); ++d)
    if (shape[d] != 1)
      flat += out[d + offset] * strides[d];
  return flat;
}

DenseElementsAttr evaluate(Operation *op, ArrayRef<DenseElementsAttr> ins) {
  if (op->getNumResults() != 1)
    return {};
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type)
    return {};
  if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(op))
    return DenseElementsAttr(ins[0]).reshape(type);
  if (auto transposeOp = dyn_cast<TransposeOp>(op))
    return transpose(ins[0], transposeOp.getPerm());
  if (auto concat = dyn_cast<ConcatOp>(op))
    return foldConcat(concat, ins);
  if (auto slice = dyn_cast<SliceOp>(op))
    return foldSlice(slice, ins[0]);
  if (auto pad = dyn_cast<PadOp>(op))
    return foldPad(pad, ins[0]);
  if (auto gather = dyn_cast<GatherOp>(op))
    return foldGather(gather, ins[0], ins[1]);
  if (auto cast = dyn_cast<CastOp>(op))
    return foldCast(cast, ins[0]);
  if (!isa<FloatType>(type.getElementType()))
    return {};
  if (auto fn = unaryFunction(op)) {
    SmallVector<double> values = toDoubles(ins[0]);
    for (double &v : values)
      v = (*fn)(v);
    return getFloatElements(type, values);
  }
  if (auto fn = binaryFunction(op)) {
    SmallVector<double> lhs = toDoubles(ins[0]), rhs = toDoubles(ins[1]);
    auto lhsShape = cast<RankedTensorType>(ins[0].getType()).getShape();
    auto rhsShape = cast<RankedTensorType>(ins[1].getType()).getShape();
    SmallVector<int64_t> lhsStrides = computeStrides(lhsShape),
                         rhsStrides = computeStrides(rhsShape);
    SmallVector<double> values;
    values.reserve(type.getNumElements());
    forEachIndex(type.getShape(), [&](ArrayRef<int64_t> out) {
      values.push_back(
          (*fn)(lhs[broadcastIndex(out, lhsShape, lhsStrides)],
                rhs[broadcastIndex(out, rhsShape, rhsStrides)]));
    });
    return getFloatElements(type, values);
  }
  return {};
}

/// A gemm operand stored transposed (ONNX Linear weights are [N, K]) and
/// constant is transposed once here, so kernels read it in order.
bool untransposeGemmOperands(GemmOp gemm) {
  bool changed = false;
  auto untranspose = [&](OpOperand &operand, bool isTransposed,
                         auto clearFlag) {
    auto constant = operand.get().getDefiningOp<ConstantOp>();
    DenseElementsAttr dense =
        constant ? getDenseElements(constant.getValue()) : nullptr;
    if (!isTransposed || !dense)
      return;
    DenseElementsAttr transposed = transpose(dense, {1, 0});
    if (!transposed)
      return;
    OpBuilder builder(gemm);
    operand.set(ConstantOp::create(builder, constant.getLoc(), transposed));
    clearFlag();
    if (constant->use_empty())
      constant->erase();
    changed = true;
  };
  untranspose(gemm.getAMutable(), gemm.getTransA(),
              [&] { gemm.setTransA(false); });
  untranspose(gemm.getBMutable(), gemm.getTransB(),
              [&] { gemm.setTransB(false); });
  return changed;
}

} // namespace

DenseElementsAttr mlir::octet::transposeConstant(DenseElementsAttr in,
                                                 ArrayRef<int64_t> perm) {
  return transpose(in, perm);
}

namespace {
struct OctetFoldConstantsPass
    : octet::impl::OctetFoldConstantsPassBase<OctetFoldConstantsPass> {
  using Base::Base;

  void runOnOperation() override {
    getOperation().walk([&](GemmOp gemm) {
      if (untransposeGemmOperands(gemm)) {
        ++numFolded;
        ++folded;
      }
    });
    // Program order: a chain of foldable ops folds in one sweep.
    for (Block &block : getOperation().getBody()) {
      for (Operation &op : llvm::make_early_inc_range(block)) {
        if (isa<ConstantOp>(op) || op.getNumOperands() == 0 ||
            op.getNumResults() != 1 || !isa<OctetDialect>(op.getDialect()))
          continue;
        SmallVector<DenseElementsAttr> inputs = constantOperands(&op);
        if (inputs.empty())
          continue;
        if (!withinSizeBound(&op, inputs)) {
          ++numTooLarge;
          ++tooLarge;
          continue;
        }
        DenseElementsAttr result = evaluate(&op, inputs);
        if (!result)
          continue;
        OpBuilder builder(&op);
        auto constant = ConstantOp::create(builder, op.getLoc(), result);
        op.getResult(0).replaceAllUsesWith(constant.getResult());
        llvm::SetVector<Operation *> producers;
        for (Value operand : op.getOperands())
          producers.insert(operand.getDefiningOp());
        op.erase();
        for (Operation *producer : producers)
          if (producer->use_empty())
            producer->erase();
        ++numFolded;
        ++folded;
      }
    }
  }

  PassCounter folded{getArgument(), "folded", "Ops evaluated to constants"};
  PassCounter tooLarge{getArgument(), "too-large",
                       "Ops left alone for their size"};

  /// Small results, or results no larger than the constants they replace.
  bool withinSizeBound(Operation *op, ArrayRef<DenseElementsAttr> inputs) {
    auto type = dyn_cast<ShapedType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape())
      return false;
    int64_t inputElements = 0;
    for (DenseElementsAttr in : inputs)
      inputElements += in.getNumElements();
    int64_t elements = type.getNumElements();
    return elements <= maxElements || elements <= inputElements;
  }
};
} // namespace
