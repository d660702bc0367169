//===- ConstantEval.cpp - Shape computations evaluated at import ----------===//
//
// Exported models compute reshape targets at run time (Shape -> Gather ->
// Unsqueeze -> Concat -> Reshape). With static shapes every such value is
// known at compile time, so integer ops whose inputs are all constant are
// evaluated here instead of being imported; octet has no integer arithmetic.
// Sizes are bounded so this never materializes a large tensor.
//
//===----------------------------------------------------------------------===//

#include "NodeImport.h"
#include "octet/IR/OctetOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

namespace {
constexpr int64_t kMaxEvaluatedElements = 1 << 16;

/// A small integer tensor in row-major order.
struct IntTensor {
  SmallVector<int64_t> shape;
  SmallVector<int64_t> data;
  Type elementType;

  int64_t size() const { return data.size(); }
  SmallVector<int64_t> strides() const {
    SmallVector<int64_t> s(shape.size(), 1);
    for (int i = (int)shape.size() - 2; i >= 0; --i)
      s[i] = s[i + 1] * shape[i + 1];
    return s;
  }
};

std::optional<IntTensor> toInt(ElementsAttr elements) {
  auto intType = dyn_cast<IntegerType>(elements.getElementType());
  if (!intType || elements.getNumElements() > kMaxEvaluatedElements)
    return std::nullopt;
  DenseElementsAttr attr = getDenseElements(elements);
  if (!attr)
    return std::nullopt;
  IntTensor t;
  auto type = cast<RankedTensorType>(attr.getType());
  t.shape.assign(type.getShape().begin(), type.getShape().end());
  t.elementType = intType;
  for (APInt v : attr.getValues<APInt>())
    t.data.push_back(intType.isUnsigned() ? (int64_t)v.getZExtValue()
                                          : v.getSExtValue());
  return t;
}

ElementsAttr fromInt(const IntTensor &t) {
  auto type = RankedTensorType::get(t.shape, t.elementType);
  unsigned width = t.elementType.getIntOrFloatBitWidth();
  bool isSigned = !t.elementType.isUnsignedInteger();
  SmallVector<APInt> values;
  for (int64_t v : t.data)
    values.push_back(APInt(width, v, isSigned, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}

/// numpy-broadcast elementwise integer op.
/// Elementwise op on int64; returns nullopt on overflow or division by zero.
using IntBinaryFn = function_ref<std::optional<int64_t>(int64_t, int64_t)>;

std::optional<IntTensor> broadcastBinary(const IntTensor &a, const IntTensor &b,
                                         IntBinaryFn fn) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  IntTensor out;
  out.elementType = a.elementType;
  auto dimOf = [&](const IntTensor &t, size_t i) -> int64_t {
    size_t offset = rank - t.shape.size();
    return i < offset ? 1 : t.shape[i - offset];
  };
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = dimOf(a, i), db = dimOf(b, i);
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out.shape.push_back(da == 1 ? db : da);
  }
  int64_t n = 1;
  for (int64_t d : out.shape)
    if (llvm::MulOverflow(n, d, n) || n > kMaxEvaluatedElements)
      return std::nullopt; // Too big to evaluate here; the op path refuses.
  auto index = [&](const IntTensor &t, int64_t linear) {
    SmallVector<int64_t> strides = t.strides();
    size_t offset = rank - t.shape.size();
    int64_t idx = 0, rem = linear;
    for (int i = rank - 1; i >= 0; --i) {
      int64_t coord = rem % out.shape[i];
      rem /= out.shape[i];
      if ((size_t)i >= offset && t.shape[i - offset] != 1)
        idx += coord * strides[i - offset];
    }
    return idx;
  };
  for (int64_t i = 0; i < n; ++i) {
    std::optional<int64_t> v = fn(a.data[index(a, i)], b.data[index(b, i)]);
    if (!v)
      return std::nullopt;
    out.data.push_back(*v);
  }
  return out;
}

std::optional<int64_t> normalize(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}
} // namespace

ElementsAttr onnx_import::evaluateConstantNode(NodeImport &node, StringRef op,
                                               ArrayRef<ElementsAttr> inputs,
                                               RankedTensorType) {
  // Omitted optional inputs may only trail (Slice's axes and steps); they
  // are handled by position below.
  SmallVector<IntTensor> in;
  SmallVector<bool> present;
  for (ElementsAttr attr : inputs) {
    present.push_back(bool(attr));
    if (!attr) {
      in.emplace_back();
      continue;
    }
    std::optional<IntTensor> t = toInt(attr);
    if (!t)
      return {};
    in.push_back(*t);
  }
  if (in.empty() || !present[0])
    return {};
  bool slice = op == "Slice" && node.getOpset() >= 10;
  if (!slice && llvm::is_contained(present, false))
    return {};
  std::optional<IntTensor> out;
  auto intsAttr = [&](StringRef name) {
    FailureOr<SmallVector<int64_t>> v = node.getIntsAttr(name, {});
    return succeeded(v) ? *v : SmallVector<int64_t>();
  };

  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    if (in.size() != 2 || in[0].elementType != in[1].elementType)
      return {};
    out = broadcastBinary(
        in[0], in[1], [&](int64_t x, int64_t y) -> std::optional<int64_t> {
          int64_t r;
          if (op == "Add")
            return llvm::AddOverflow(x, y, r) ? std::nullopt : std::optional(r);
          if (op == "Sub")
            return llvm::SubOverflow(x, y, r) ? std::nullopt : std::optional(r);
          if (op == "Mul")
            return llvm::MulOverflow(x, y, r) ? std::nullopt : std::optional(r);
          // ONNX integer Div truncates toward zero, as C++ does.
          if (y == 0 || (x == INT64_MIN && y == -1))
            return std::nullopt;
          return x / y;
        });
  } else if (op == "Identity") {
    out = in[0];
  } else if (op == "Cast") {
    FailureOr<int64_t> to = node.getIntAttr("to", 0);
    // Only integer-to-integer casts of shape data; floats take the op path.
    Type target;
    switch (succeeded(to) ? *to : 0) {
    case onnx::TensorProto::INT64:
      target = IntegerType::get(node.getContext(), 64);
      break;
    case onnx::TensorProto::INT32:
      target = IntegerType::get(node.getContext(), 32);
      break;
    default:
      return {};
    }
    out = in[0];
    out->elementType = target;
  } else if (op == "Unsqueeze" || op == "Squeeze") {
    SmallVector<int64_t> axes;
    if (node.getOpset() >= 13) {
      if (in.size() > 1)
        axes = in[1].data;
    } else {
      axes = intsAttr("axes");
    }
    out = in[0];
    int64_t rank = op == "Unsqueeze" ? in[0].shape.size() + axes.size()
                                     : in[0].shape.size();
    for (int64_t &a : axes) {
      std::optional<int64_t> n = normalize(a, rank);
      if (!n)
        return {};
      a = *n;
    }
    llvm::sort(axes);
    if (op == "Unsqueeze") {
      for (int64_t a : axes)
        out->shape.insert(out->shape.begin() + a, 1);
    } else {
      SmallVector<int64_t> shape;
      for (auto [i, d] : llvm::enumerate(in[0].shape)) {
        bool drop =
            axes.empty() ? d == 1 : llvm::is_contained(axes, (int64_t)i);
        if (drop && d != 1)
          return {};
        if (!drop)
          shape.push_back(d);
      }
      out->shape = shape;
    }
  } else if (op == "Concat") {
    FailureOr<int64_t> axisAttr = node.getIntAttr("axis", 0);
    std::optional<int64_t> axis =
        normalize(succeeded(axisAttr) ? *axisAttr : 0, in[0].shape.size());
    if (!axis)
      return {};
    out = IntTensor{in[0].shape, {}, in[0].elementType};
    out->shape[*axis] = 0;
    for (const IntTensor &t : in) {
      if (t.shape.size() != in[0].shape.size() ||
          t.elementType != in[0].elementType)
        return {};
      out->shape[*axis] += t.shape[*axis];
    }
    int64_t outer = 1;
    for (int64_t i = 0; i < *axis; ++i)
      outer *= in[0].shape[i];
    for (int64_t o = 0; o < outer; ++o)
      for (const IntTensor &t : in) {
        int64_t block = t.size() / std::max<int64_t>(outer, 1);
        out->data.append(t.data.begin() + o * block,
                         t.data.begin() + (o + 1) * block);
      }
  } else if (op == "Gather") {
    if (in.size() != 2)
      return {};
    FailureOr<int64_t> axisAttr = node.getIntAttr("axis", 0);
    std::optional<int64_t> axis =
        normalize(succeeded(axisAttr) ? *axisAttr : 0, in[0].shape.size());
    if (!axis)
      return {};
    const IntTensor &data = in[0], &idx = in[1];
    int64_t dim = data.shape[*axis], outer = 1, inner = 1;
    for (int64_t i = 0; i < *axis; ++i)
      outer *= data.shape[i];
    for (size_t i = *axis + 1; i < data.shape.size(); ++i)
      inner *= data.shape[i];
    out = IntTensor{{}, {}, data.elementType};
    out->shape.append(data.shape.begin(), data.shape.begin() + *axis);
    out->shape.append(idx.shape.begin(), idx.shape.end());
    out->shape.append(data.shape.begin() + *axis + 1, data.shape.end());
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j : idx.data) {
        if (j < -dim || j >= dim)
          return {};
        int64_t k = j < 0 ? j + dim : j;
        for (int64_t i = 0; i < inner; ++i)
          out->data.push_back(data.data[(o * dim + k) * inner + i]);
      }
  } else if (slice && in.size() >= 3 && present[1] && present[2] &&
             in[0].shape.size() == 1 && in[1].size() == 1 &&
             in[2].size() == 1) {
    // 1-D slices of shape vectors, with ONNX's clamping; anything else takes
    // the op path.
    if (in.size() > 3 && present[3] &&
        (in[3].size() != 1 || (in[3].data[0] != 0 && in[3].data[0] != -1)))
      return {};
    if (in.size() > 4 && present[4] && in[4].size() != 1)
      return {};
    int64_t dim = in[0].shape[0];
    int64_t step = in.size() > 4 && present[4] ? in[4].data[0] : 1;
    if (step == 0 || step == INT64_MIN)
      return {};
    auto wrap = [&](int64_t v) { return v < 0 ? v + dim : v; };
    int64_t start = wrap(in[1].data[0]), end = wrap(in[2].data[0]);
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
    }
    out = IntTensor{{0}, {}, in[0].elementType};
    for (int64_t i = start; dim > 0 && (step > 0 ? i < end : i > end);
         i += step)
      out->data.push_back(in[0].data[i]);
    out->shape[0] = out->data.size();
  } else {
    return {};
  }
  if (!out)
    return {};
  return fromInt(*out);
}
