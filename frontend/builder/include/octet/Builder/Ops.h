//===- Ops.h - Builder DSL: layers and ops on tensors -----------*- C++ -*-===//
//
// Free functions that add one `octet` op each, named after the layer they
// build. They take the graph from their operands, so a network reads as
// nested calls: `relu(linear(x, w, b))`. Every function takes an optional
// trailing `name` for the op's location; without it the op is numbered per
// kind (`fc1`, `conv2`, `relu3`).
//
// Axes may be negative (counted from the end) and are normalized, as the
// ONNX importer does; optional operands are empty `Tensor`s. An operand
// that is empty because an earlier op failed makes the call a no-op.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_BUILDER_OPS_H
#define OCTET_BUILDER_OPS_H

#include "octet/Builder/Graph.h"
#include "octet/IR/OctetOps.h"

namespace mlir::octet {

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

/// A fully connected layer `x · wᵀ + b`: `octet.gemm` with `trans_b`, a
/// weight of shape `[out, in]` (the PyTorch and ONNX layout) and an
/// optional bias `[out]`.
Tensor linear(Tensor x, Tensor weight, Tensor bias = {}, StringRef name = {});

/// numpy-style (batched, broadcasting) matrix product.
Tensor matmul(Tensor lhs, Tensor rhs, StringRef name = {});

/// Window attributes of `conv2d`; the defaults are the dialect's.
struct Conv2DOptions {
  SmallVector<int64_t, 2> strides = {1, 1};
  SmallVector<int64_t, 2> dilations = {1, 1};
  /// `[top, left, bottom, right]`.
  SmallVector<int64_t, 4> pads = {0, 0, 0, 0};
  int64_t group = 1;

  Conv2DOptions &setStride(int64_t s) { return setStrides({s, s}); }
  Conv2DOptions &setStrides(ArrayRef<int64_t> s) {
    strides.assign(s.begin(), s.end());
    return *this;
  }
  Conv2DOptions &setDilation(int64_t d) { return setDilations({d, d}); }
  Conv2DOptions &setDilations(ArrayRef<int64_t> d) {
    dilations.assign(d.begin(), d.end());
    return *this;
  }
  /// The same padding on all four sides.
  Conv2DOptions &setPad(int64_t p) { return setPads({p, p, p, p}); }
  Conv2DOptions &setPads(ArrayRef<int64_t> p) {
    pads.assign(p.begin(), p.end());
    return *this;
  }
  Conv2DOptions &setGroup(int64_t g) {
    group = g;
    return *this;
  }
};

/// NCHW convolution with a `[O, C/group, kH, kW]` weight and optional bias
/// `[O]`.
Tensor conv2d(Tensor x, Tensor weight, Tensor bias = {},
              const Conv2DOptions &options = {}, StringRef name = {});

/// Inference batch normalization over axis 1 with `[C]` parameters.
Tensor batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean,
                 Tensor variance, float epsilon = 1e-5f, StringRef name = {});

/// Layer normalization over the dimensions from `axis` on; `scale` and the
/// optional `bias` have exactly those dimensions.
Tensor layerNorm(Tensor x, Tensor scale, Tensor bias = {}, int64_t axis = -1,
                 float epsilon = 1e-5f, StringRef name = {});

/// Window attributes of the 2-D pooling ops. As in ONNX (and unlike
/// PyTorch), strides default to 1, not to the kernel size.
struct Pool2DOptions {
  SmallVector<int64_t, 2> kernel;
  SmallVector<int64_t, 2> strides = {1, 1};
  /// Max pooling only.
  SmallVector<int64_t, 2> dilations = {1, 1};
  /// `[top, left, bottom, right]`.
  SmallVector<int64_t, 4> pads = {0, 0, 0, 0};
  bool ceilMode = false;
  /// Average pooling only: padded positions count towards the divisor.
  bool countIncludePad = false;

  /// A square `k`x`k` window.
  explicit Pool2DOptions(int64_t k) : kernel({k, k}) {}
  explicit Pool2DOptions(ArrayRef<int64_t> k) : kernel(k.begin(), k.end()) {}

  Pool2DOptions &setStride(int64_t s) { return setStrides({s, s}); }
  Pool2DOptions &setStrides(ArrayRef<int64_t> s) {
    strides.assign(s.begin(), s.end());
    return *this;
  }
  Pool2DOptions &setDilations(ArrayRef<int64_t> d) {
    dilations.assign(d.begin(), d.end());
    return *this;
  }
  Pool2DOptions &setPad(int64_t p) { return setPads({p, p, p, p}); }
  Pool2DOptions &setPads(ArrayRef<int64_t> p) {
    pads.assign(p.begin(), p.end());
    return *this;
  }
  Pool2DOptions &setCeilMode(bool c = true) {
    ceilMode = c;
    return *this;
  }
  Pool2DOptions &setCountIncludePad(bool c = true) {
    countIncludePad = c;
    return *this;
  }
};

Tensor maxPool(Tensor x, const Pool2DOptions &options, StringRef name = {});
/// Average pooling; dilations other than 1 are an error.
Tensor avgPool(Tensor x, const Pool2DOptions &options, StringRef name = {});
/// Average over all spatial dimensions, kept with size 1.
Tensor globalAvgPool(Tensor x, StringRef name = {});

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

Tensor relu(Tensor x, StringRef name = {});
Tensor sigmoid(Tensor x, StringRef name = {});
Tensor tanh(Tensor x, StringRef name = {});
/// `min(max(x, min), max)`; ReLU6 is `clip(x, 0, 6)`.
Tensor clip(Tensor x, float min, float max, StringRef name = {});
Tensor leakyRelu(Tensor x, float alpha = 0.01f, StringRef name = {});
Tensor gelu(Tensor x, GeluApproximation approximation = GeluApproximation::none,
            StringRef name = {});
Tensor softmax(Tensor x, int64_t axis = -1, StringRef name = {});

//===----------------------------------------------------------------------===//
// Elementwise arithmetic (numpy broadcasting)
//===----------------------------------------------------------------------===//

Tensor add(Tensor lhs, Tensor rhs, StringRef name = {});
Tensor sub(Tensor lhs, Tensor rhs, StringRef name = {});
Tensor mul(Tensor lhs, Tensor rhs, StringRef name = {});
Tensor div(Tensor lhs, Tensor rhs, StringRef name = {});

Tensor operator+(Tensor lhs, Tensor rhs);
Tensor operator-(Tensor lhs, Tensor rhs);
Tensor operator*(Tensor lhs, Tensor rhs);
Tensor operator/(Tensor lhs, Tensor rhs);
/// With a scalar: a rank-0 constant of the tensor's element type.
Tensor operator+(Tensor lhs, float rhs);
Tensor operator-(Tensor lhs, float rhs);
Tensor operator*(Tensor lhs, float rhs);
Tensor operator/(Tensor lhs, float rhs);
Tensor operator+(float lhs, Tensor rhs);
Tensor operator-(float lhs, Tensor rhs);
Tensor operator*(float lhs, Tensor rhs);
Tensor operator/(float lhs, Tensor rhs);

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Collapses to 2-D `[prod(dims[:axis]), prod(dims[axis:])]`.
Tensor flatten(Tensor x, int64_t axis = 1, StringRef name = {});
/// Reshapes to `shape`; one entry may be -1, inferred from the element
/// count.
Tensor reshape(Tensor x, ArrayRef<int64_t> shape, StringRef name = {});
/// Result dimension `i` is input dimension `perm[i]`.
Tensor transpose(Tensor x, ArrayRef<int64_t> perm, StringRef name = {});
/// Joins `inputs` along `axis`. With no inputs there is no graph to report
/// to, and the result is empty.
Tensor concat(ArrayRef<Tensor> inputs, int64_t axis, StringRef name = {});

} // namespace mlir::octet

#endif // OCTET_BUILDER_OPS_H
