//===- QuantizationMath.h - Scales, zero points, int8 weights ---*- C++ -*-===//
//
// The arithmetic octet-fold-calibration applies, shared with the tools'
// quantization report so that both compute exactly the same numbers.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_PASSES_QUANTIZATIONMATH_H
#define OCTET_PASSES_QUANTIZATIONMATH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <utility>

namespace mlir::octet {

/// Scale and zero point for the range [lo, hi] (containing 0): u8
/// asymmetric, or s8 symmetric (zero point 0).
std::pair<double, int64_t> activationScaleAndZeroPoint(double lo, double hi,
                                                       bool isSigned);

/// `value` rounded half to even and clamped to [lo, hi].
int64_t roundClamp(double value, int64_t lo, int64_t hi);

/// Symmetric int8 weights in [-127, 127], one scale per slice along `axis`
/// of `shape` (or one for all with `perTensor`): `max|w| / 127`; and their
/// SQNR against `weights` in dB.
struct QuantizedWeights {
  llvm::SmallVector<int64_t> values;
  llvm::SmallVector<double> scales;
  double sqnrDb = 0.0;
};
QuantizedWeights quantizeWeights(llvm::ArrayRef<double> weights,
                                 llvm::ArrayRef<int64_t> shape, int64_t axis,
                                 bool perTensor);

/// Signal-to-quantization-noise ratio in dB, `10·log10(Σx² / Σ(x − x̂)²)`;
/// +inf when there is no noise.
double sqnrDecibels(double signalEnergy, double noiseEnergy);

} // namespace mlir::octet

#endif // OCTET_PASSES_QUANTIZATIONMATH_H
