//===- ThreadsOption.h - The --threads flag of octetc and octet-run -*- C++ -*-===//
//
// libLLVM already registers a global `threads` option (an int, without a
// description), so a second `cl::opt` of that name aborts at start-up.
// The tools adopt the existing one, giving it a description, and register
// their own only when libLLVM has none.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_TOOLS_THREADSOPTION_H
#define OCTET_TOOLS_THREADSOPTION_H

#include "llvm/Support/CommandLine.h"

#include <memory>

namespace mlir::octet::tools {

class ThreadsOption {
public:
  /// Call before llvm::cl::ParseCommandLineOptions.
  explicit ThreadsOption(llvm::StringRef description);
  /// The value given (1 when none was).
  int64_t get() const;

private:
  llvm::cl::opt<int> *option = nullptr;
  std::unique_ptr<llvm::cl::opt<int>> owned;
};

} // namespace mlir::octet::tools

#endif // OCTET_TOOLS_THREADSOPTION_H
