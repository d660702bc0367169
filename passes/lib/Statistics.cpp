//===- Statistics.cpp - Pass statistics that count in every LLVM build ----===//

#include "octet/Passes/Statistics.h"

#include "llvm/Support/CommandLine.h"

#include <deque>
#include <map>
#include <mutex>
#include <string>

using namespace mlir::octet;

namespace {
struct Entry {
  std::string description;
  std::atomic<uint64_t> value{0};
};

/// Keyed by (pass, counter); a deque keeps entries at stable addresses.
struct Registry {
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, Entry *> index;
  std::deque<Entry> entries;
};

Registry &registry() {
  static Registry instance;
  return instance;
}
} // namespace

PassCounter::PassCounter(llvm::StringRef pass, llvm::StringRef name,
                         llvm::StringRef description) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  Entry *&entry = r.index[{pass.str(), name.str()}];
  if (!entry) {
    entry = &r.entries.emplace_back();
    entry->description = description.str();
  }
  value = &entry->value;
}

void PassCounter::updateMax(uint64_t n) {
  uint64_t current = value->load(std::memory_order_relaxed);
  while (n > current &&
         !value->compare_exchange_weak(current, n, std::memory_order_relaxed))
    ;
}

bool mlir::octet::passStatisticsRequested() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("mlir-pass-statistics");
  if (it == options.end())
    return false;
  // Registered by mlir::registerPassManagerCLOptions as a cl::opt<bool>.
  return static_cast<llvm::cl::opt<bool> *>(it->second)->getValue();
}

void mlir::octet::printPassCounters(llvm::raw_ostream &os) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  os << "===" << std::string(73, '-') << "===\n"
     << "                      ... Octet pass statistics report ...\n"
     << "===" << std::string(73, '-') << "===\n";
  std::string pass;
  for (auto &[key, entry] : r.index) {
    if (key.first != pass) {
      pass = key.first;
      os << pass << "\n";
    }
    os << "  (S) " << entry->value.load() << " " << key.second << " - "
       << entry->description << "\n";
  }
}
