//===- QuantizationMath.cpp - Scales, zero points, int8 weights -----------===//

#include "octet/Passes/QuantizationMath.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::octet;

std::pair<double, int64_t>
mlir::octet::activationScaleAndZeroPoint(double lo, double hi, bool isSigned) {
  if (isSigned) {
    double bound = std::max(std::fabs(lo), std::fabs(hi));
    return {bound > 0 ? bound / 127.0 : 1.0, 0};
  }
  double scale = hi > lo ? (hi - lo) / 255.0 : 1.0;
  return {scale, roundClamp(-lo / scale, 0, 255)};
}

int64_t mlir::octet::roundClamp(double value, int64_t lo, int64_t hi) {
  double r = std::nearbyint(value);
  if (!(r >= (double)lo))
    return lo;
  if (r > (double)hi)
    return hi;
  return (int64_t)r;
}

QuantizedWeights mlir::octet::quantizeWeights(llvm::ArrayRef<double> weights,
                                              llvm::ArrayRef<int64_t> shape,
                                              int64_t axis, bool perTensor) {
  int64_t stride = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    stride *= shape[d];
  int64_t channels = perTensor ? 1 : shape[axis];
  auto channelOf = [&](int64_t flat) {
    return perTensor ? 0 : (flat / stride) % shape[axis];
  };
  llvm::SmallVector<double> bound(channels, 0.0);
  for (size_t i = 0; i < weights.size(); ++i)
    bound[channelOf(i)] = std::max(bound[channelOf(i)], std::fabs(weights[i]));
  QuantizedWeights q;
  for (double m : bound)
    q.scales.push_back(m > 0 ? m / 127.0 : 1.0);
  double signal = 0, noise = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    double scale = q.scales[channelOf(i)];
    int64_t v = roundClamp(weights[i] / scale, -127, 127);
    q.values.push_back(v);
    signal += weights[i] * weights[i];
    noise += (weights[i] - v * scale) * (weights[i] - v * scale);
  }
  q.sqnrDb = sqnrDecibels(signal, noise);
  return q;
}

double mlir::octet::sqnrDecibels(double signalEnergy, double noiseEnergy) {
  if (noiseEnergy <= 0)
    return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signalEnergy / noiseEnergy);
}
