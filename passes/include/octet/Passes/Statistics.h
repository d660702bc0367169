//===- Statistics.h - Pass statistics that count in every LLVM build -*- C++ -*-===//
//
// MLIR's Pass::Statistic is an llvm::Statistic, which counts nothing unless
// LLVM was built with LLVM_ENABLE_STATS, and Debian's LLVM is not. Octet's
// passes therefore keep their counts here as well, and the tools print
// them after MLIR's own report when given --mlir-pass-statistics.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_PASSES_STATISTICS_H
#define OCTET_PASSES_STATISTICS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cstdint>

namespace mlir::octet {

/// One named count of one pass, summed over every instance of the pass
/// (function passes run one instance per thread).
class PassCounter {
public:
  PassCounter(llvm::StringRef pass, llvm::StringRef name,
              llvm::StringRef description);
  PassCounter &operator++() { return *this += 1; }
  PassCounter &operator+=(uint64_t n) {
    value->fetch_add(n, std::memory_order_relaxed);
    return *this;
  }
  /// For counts that are maxima (bytes of the largest arena).
  void updateMax(uint64_t n);

private:
  std::atomic<uint64_t> *value;
};

/// Whether the tool was given --mlir-pass-statistics.
bool passStatisticsRequested();

/// Every counter of the passes that ran, as MLIR's list report does.
void printPassCounters(llvm::raw_ostream &os);

} // namespace mlir::octet

#endif // OCTET_PASSES_STATISTICS_H
