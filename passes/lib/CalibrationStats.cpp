//===- CalibrationStats.cpp - Calibration statistics as JSON --------------===//

#include "octet/Passes/CalibrationStats.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

using namespace llvm;
using namespace mlir::octet;

Expected<CalibrationStats> mlir::octet::readCalibrationStats(StringRef path) {
  auto buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return createStringError(buffer.getError(),
                             "cannot read '" + path + "'");
  Expected<json::Value> parsed = json::parse((*buffer)->getBuffer());
  if (!parsed)
    return createStringError(path + ": " + toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  const json::Object *observers =
      root ? root->getObject("observers") : nullptr;
  if (!observers)
    return createStringError(path + ": expects {\"observers\": {...}}");
  CalibrationStats stats;
  for (const auto &[name, value] : *observers) {
    const json::Object *o = value.getAsObject();
    auto number = [&](StringRef key) -> std::optional<double> {
      return o ? o->getNumber(key) : std::nullopt;
    };
    std::optional<double> min = number("min"), max = number("max");
    if (!min || !max || *min > *max)
      return createStringError(path + ": observer '" + name.str() +
                               "' needs numbers min <= max");
    ObserverStats s;
    s.min = *min;
    s.max = *max;
    s.meanMin = number("mean_min").value_or(*min);
    s.meanMax = number("mean_max").value_or(*max);
    s.samples = o->getInteger("samples").value_or(0);
    s.signalEnergy = number("signal_energy").value_or(0.0);
    s.noiseEnergy = number("noise_energy").value_or(0.0);
    if (const json::Array *hist = o->getArray("histogram"))
      for (const json::Value &count : *hist) {
        std::optional<int64_t> c = count.getAsInteger();
        if (!c || *c < 0)
          return createStringError(path + ": observer '" + name.str() +
                                   "' has a bad histogram count");
        s.histogram.push_back(*c);
      }
    stats[name.str()] = std::move(s);
  }
  return stats;
}

Error mlir::octet::writeCalibrationStats(const CalibrationStats &stats,
                                         StringRef path) {
  json::Object observers;
  for (const auto &[name, s] : stats) {
    json::Object o{{"min", s.min},         {"max", s.max},
                   {"mean_min", s.meanMin}, {"mean_max", s.meanMax},
                   {"samples", s.samples}};
    if (s.signalEnergy > 0) {
      o["signal_energy"] = s.signalEnergy;
      o["noise_energy"] = s.noiseEnergy;
    }
    if (!s.histogram.empty()) {
      json::Array hist;
      for (uint64_t c : s.histogram)
        hist.push_back((int64_t)c);
      o["histogram"] = std::move(hist);
    }
    observers[name] = std::move(o);
  }
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_Text);
  if (ec)
    return createStringError(ec, "cannot write '" + path + "'");
  os << formatv("{0:2}", json::Value(json::Object{
                             {"version", 1},
                             {"observers", std::move(observers)}}))
     << "\n";
  return Error::success();
}

std::optional<RangeMethod> mlir::octet::parseRangeMethod(StringRef name) {
  if (name == "minmax")
    return RangeMethod::MinMax;
  if (name == "percentile")
    return RangeMethod::Percentile;
  if (name == "entropy")
    return RangeMethod::Entropy;
  if (name == "mse")
    return RangeMethod::Mse;
  return std::nullopt;
}

namespace {
/// Expected squared error of quantizing the histogram to `levels` steps over
/// [a, b]: clipped values err by their distance to the range, the others
/// by rounding (uniform, step²/12).
double quantizationError(const ObserverStats &s, double a, double b,
                         int levels) {
  size_t bins = s.histogram.size();
  double width = (s.max - s.min) / bins;
  double step = (b - a) / levels;
  double error = 0;
  for (size_t i = 0; i < bins; ++i) {
    double c = s.min + (i + 0.5) * width, n = (double)s.histogram[i];
    if (c < a)
      error += n * (c - a) * (c - a);
    else if (c > b)
      error += n * (c - b) * (c - b);
    else
      error += n * step * step / 12.0;
  }
  return error;
}

/// Narrows [first, last) one bin at a time from whichever end lowers the
/// error more, keeping the best range seen (as PyTorch's histogram
/// observer searches).
std::pair<double, double> mseRange(const ObserverStats &s) {
  size_t bins = s.histogram.size();
  double width = (s.max - s.min) / bins;
  auto range = [&](size_t first, size_t last) {
    return std::make_pair(s.min + first * width, s.min + last * width);
  };
  size_t first = 0, last = bins;
  auto [bestLo, bestHi] = range(first, last);
  double best = quantizationError(s, bestLo, bestHi, 255);
  while (last - first > std::max<size_t>(bins / 8, 2)) {
    auto [lo1, hi1] = range(first + 1, last);
    auto [lo2, hi2] = range(first, last - 1);
    double e1 = quantizationError(s, std::min(lo1, 0.0), std::max(hi1, 0.0),
                                  255);
    double e2 = quantizationError(s, std::min(lo2, 0.0), std::max(hi2, 0.0),
                                  255);
    if (e1 <= e2)
      ++first;
    else
      --last;
    double e = std::min(e1, e2);
    if (e < best) {
      best = e;
      std::tie(bestLo, bestHi) = range(first, last);
    }
  }
  return {bestLo, bestHi};
}

/// KL(P || Q) of two unnormalized distributions over the same bins. A bin
/// Q leaves empty where P has values counts as holding a ten-thousandth of a
/// value (the smoothing of MXNet's and onnxruntime's calibrators): cutting
/// off outliers beyond a gap then costs a lot, but is no longer impossible.
double klDivergence(ArrayRef<double> p, ArrayRef<double> q) {
  constexpr double emptyMass = 1e-4;
  double ps = 0, qs = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    ps += p[i];
    qs += q[i];
  }
  if (ps <= 0 || qs <= 0)
    return INFINITY;
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] > 0)
      kl += p[i] / ps *
            std::log((p[i] / ps) / (std::max(q[i], emptyMass) / qs));
  return kl;
}

/// TensorRT's entropy calibration on the histogram of |x|: the threshold T
/// (a bin edge) whose distribution, clipped at T and quantized to the
/// levels on one side of zero, loses the least information; the range is
/// [-T, T] within the observed one.
std::pair<double, double> entropyRange(const ObserverStats &s) {
  size_t bins = s.histogram.size();
  double width = (s.max - s.min) / bins;
  if (!(width > 0))
    return {s.min, s.max};
  double maxAbs = std::max(std::fabs(s.min), std::fabs(s.max));
  size_t absBins = std::max<size_t>((size_t)std::ceil(maxAbs / width), 1);
  std::vector<double> hist(absBins, 0.0);
  for (size_t i = 0; i < bins; ++i) {
    double c = std::fabs(s.min + (i + 0.5) * width);
    hist[std::min<size_t>((size_t)(c / width), absBins - 1)] +=
        s.histogram[i];
  }
  // One-sided data (after a ReLU) has all 256 levels on its side;
  // two-sided data half of them.
  size_t levels = s.min >= 0 ? 256 : 128;
  if (absBins <= levels)
    return {s.min, s.max};
  // above[i]: the values in bins i and beyond.
  std::vector<double> above(absBins + 1, 0.0);
  for (size_t i = absBins; i-- > 0;)
    above[i] = above[i + 1] + hist[i];
  double bestKl = INFINITY;
  size_t bestEnd = absBins;
  std::vector<double> p, q;
  for (size_t end = levels; end <= absBins; ++end) {
    // P: the first `end` bins, the outliers folded into the last one.
    p.assign(hist.begin(), hist.begin() + end);
    p.back() += above[end];
    // Q: the same bins merged into `levels` groups, each group's mass
    // spread over the bins where P has values (the last one holds the
    // clipped values). Bin 0 stays a level of its own: 0 is always in the
    // range and exact, so zeros (half of a ReLU's output) lose nothing.
    // Spread over group 0, that spike cost about P(0)·log(bins per group),
    // growing with T, and ReLU outputs were clipped at a quarter of their
    // range.
    q.assign(end, 0.0);
    q[0] = hist[0];
    for (size_t g = 0; g < levels; ++g) {
      size_t a = std::max<size_t>(g * end / levels, 1);
      size_t b = (g + 1) * end / levels;
      double mass = 0;
      size_t nonEmpty = 0;
      for (size_t i = a; i < b; ++i) {
        mass += hist[i];
        nonEmpty += p[i] > 0;
      }
      for (size_t i = a; i < b; ++i)
        if (p[i] > 0)
          q[i] = mass / nonEmpty;
    }
    double kl = klDivergence(p, q);
    if (kl < bestKl) {
      bestKl = kl;
      bestEnd = end;
    }
  }
  double threshold = bestEnd * width;
  return {std::max(s.min, -threshold), std::min(s.max, threshold)};
}
} // namespace

Expected<std::pair<double, double>>
mlir::octet::chooseRange(const ObserverStats &s, RangeMethod method,
                         double percentile, bool movingAverage) {
  double lo = movingAverage ? s.meanMin : s.min;
  double hi = movingAverage ? s.meanMax : s.max;
  if (method != RangeMethod::MinMax && s.histogram.empty())
    return createStringError("the percentile, entropy and mse methods need "
                             "a histogram observer");
  if (method == RangeMethod::Mse)
    std::tie(lo, hi) = mseRange(s);
  if (method == RangeMethod::Entropy)
    std::tie(lo, hi) = entropyRange(s);
  if (method == RangeMethod::Percentile) {
    uint64_t total = 0;
    for (uint64_t c : s.histogram)
      total += c;
    double tail = total * (100.0 - percentile) / 100.0;
    size_t bins = s.histogram.size();
    double width = (s.max - s.min) / bins;
    // Drop at most `tail` values from each end, whole bins at a time.
    size_t first = 0, last = bins;
    for (double dropped = 0; first < bins &&
                             dropped + s.histogram[first] <= tail;)
      dropped += s.histogram[first++];
    for (double dropped = 0; last > first &&
                             dropped + s.histogram[last - 1] <= tail;)
      dropped += s.histogram[--last];
    lo = s.min + first * width;
    hi = s.min + last * width;
  }
  // Zero must be exactly representable: the range always contains it.
  return std::make_pair(std::min(lo, 0.0), std::max(hi, 0.0));
}
