//===- CalibrationStats.h - What calibration records per observer -*- C++ -*-===//
//
// Written by the calibration run, read by octet-fold-calibration, saved and
// loaded as JSON (`octetc --save-stats/--load-stats`) so calibration runs
// once.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_PASSES_CALIBRATIONSTATS_H
#define OCTET_PASSES_CALIBRATIONSTATS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir::octet {

struct ObserverStats {
  /// Range over all samples, and averaged over samples (the
  /// moving-average observer's range).
  double min = 0.0, max = 0.0;
  double meanMin = 0.0, meanMax = 0.0;
  int64_t samples = 0;
  /// For histogram observers: counts of `histogram.size()` equal bins
  /// spanning [min, max].
  std::vector<uint64_t> histogram;
  /// Measured for the report, with the quantization the range method
  /// chooses: Σx² and Σ(x − dequantize(quantize(x)))² over the samples.
  double signalEnergy = 0.0, noiseEnergy = 0.0;
};

using CalibrationStats = std::map<std::string, ObserverStats>;

llvm::Expected<CalibrationStats> readCalibrationStats(llvm::StringRef path);
llvm::Error writeCalibrationStats(const CalibrationStats &stats,
                                  llvm::StringRef path);

/// How a quantization range is chosen from an observer's statistics.
enum class RangeMethod { MinMax, Percentile, Entropy, Mse };

/// Parses "minmax", "percentile", "entropy" or "mse".
std::optional<RangeMethod> parseRangeMethod(llvm::StringRef name);

/// The range [lo, hi] to quantize to, always containing 0. All but minmax
/// need a histogram: percentile keeps `percentile`% of the values on each
/// side; entropy picks the clipping threshold whose 8-bit quantized
/// distribution is closest (KL divergence) to the observed one; mse the
/// range with the least expected squared error (clipping plus rounding).
llvm::Expected<std::pair<double, double>>
chooseRange(const ObserverStats &stats, RangeMethod method, double percentile,
            bool movingAverage);

} // namespace mlir::octet

#endif // OCTET_PASSES_CALIBRATIONSTATS_H
