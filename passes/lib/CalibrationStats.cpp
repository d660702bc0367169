//===- CalibrationStats.cpp - Calibration statistics as JSON --------------===//

#include "octet/Passes/CalibrationStats.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

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

Expected<std::pair<double, double>>
mlir::octet::chooseRange(const ObserverStats &s, RangeMethod method,
                         double percentile, bool movingAverage) {
  double lo = movingAverage ? s.meanMin : s.min;
  double hi = movingAverage ? s.meanMax : s.max;
  if (method == RangeMethod::Percentile) {
    if (s.histogram.empty())
      return createStringError("the percentile method needs a histogram "
                               "observer");
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
