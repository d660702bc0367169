//===- CalibrationStatsTest.cpp - Range methods on synthetic histograms ---===//

#include "octet/Passes/CalibrationStats.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::octet;

namespace {
std::pair<double, double> entropyRange(const ObserverStats &s) {
  auto range = chooseRange(s, RangeMethod::Entropy, /*percentile=*/99.99,
                           /*movingAverage=*/false);
  if (!range) {
    ADD_FAILURE() << llvm::toString(range.takeError());
    return {0.0, 0.0};
  }
  return *range;
}

/// Post-ReLU values over [0, max] in 2048 bins: a million exact zeros (over
/// 40% of the values) in bin 0, a half-Gaussian tail (sigma 1) peaking at
/// `tailPeak` per bin, and `outliers` more values in the last bin.
ObserverStats reluStats(double max, double tailPeak, uint64_t outliers) {
  ObserverStats s;
  s.min = 0.0;
  s.max = max;
  size_t bins = 2048;
  double width = max / bins;
  for (size_t i = 0; i < bins; ++i) {
    double x = (i + 0.5) * width;
    s.histogram.push_back((uint64_t)std::llround(tailPeak *
                                                 std::exp(-0.5 * x * x)));
  }
  s.histogram[0] = 1000000;
  s.histogram.back() += outliers;
  return s;
}

// The zero spike must not make every wide threshold look worse: the range
// keeps most of a smooth ReLU tail (it was clipped at half of it).
TEST(CalibrationStatsTest, EntropyKeepsReluTail) {
  ObserverStats s = reluStats(4.0, 2000, 0);
  auto [lo, hi] = entropyRange(s);
  EXPECT_EQ(lo, 0.0);
  EXPECT_GT(hi, 0.7 * s.max);
  EXPECT_LE(hi, s.max);
}

// A few outliers far beyond a ReLU tail are clipped (the search used to
// reject every threshold between the tail and them).
TEST(CalibrationStatsTest, EntropyClipsReluOutliers) {
  ObserverStats s = reluStats(40.0, 20000, 5);
  auto [lo, hi] = entropyRange(s);
  EXPECT_EQ(lo, 0.0);
  EXPECT_LT(hi, 0.25 * s.max);
  EXPECT_GT(hi, 3.0);
}

// Laplacian values over [-40, 40] with three outliers at each end: the
// range is symmetric and clips well below the maximum.
TEST(CalibrationStatsTest, EntropyClipsHeavyTail) {
  ObserverStats s;
  s.min = -40.0;
  s.max = 40.0;
  size_t bins = 2048;
  double width = (s.max - s.min) / bins;
  for (size_t i = 0; i < bins; ++i) {
    double x = s.min + (i + 0.5) * width;
    s.histogram.push_back(
        (uint64_t)std::llround(100000 * std::exp(-std::fabs(x))));
  }
  s.histogram.front() += 3;
  s.histogram.back() += 3;
  auto [lo, hi] = entropyRange(s);
  EXPECT_EQ(lo, -hi);
  EXPECT_LT(hi, 0.5 * s.max);
  EXPECT_GT(hi, 5.0);
}

// All values equal (zero-width bins): the observed range, no search.
TEST(CalibrationStatsTest, EntropyOfConstant) {
  ObserverStats s;
  s.histogram.assign(2048, 0);
  s.histogram[0] = 100;
  auto [lo, hi] = entropyRange(s);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 0.0);
}
} // namespace
