//===- ThreadsOption.cpp - The --threads flag of octetc and octet-run -----===//

#include "ThreadsOption.h"



using namespace llvm;
using namespace mlir::octet::tools;

ThreadsOption::ThreadsOption(StringRef description) {
  auto &registered = cl::getRegisteredOptions();
  auto it = registered.find("threads");
  if (it != registered.end()) {
    // libLLVM's is a cl::opt<int>; nothing else of that name exists there.
    option = static_cast<cl::opt<int> *>(it->second);
    option->setDescription(description);
    option->setValueStr("N");
    return;
  }
  owned = std::make_unique<cl::opt<int>>("threads", cl::desc(description),
                                         cl::value_desc("N"), cl::init(1));
  option = owned.get();
}

int64_t ThreadsOption::get() const {
  int value = option->getValue();
  return value == 0 ? 1 : value;
}
