//===- LowerCopies.cpp - memref.copy as linalg.copy -----------------------===//

#include "octet/Codegen/Passes.h"

namespace mlir::octet {
#define GEN_PASS_DEF_OCTETLOWERCOPIESPASS
#include "octet/Codegen/Passes.h.inc"
} // namespace mlir::octet

using namespace mlir;

namespace {
struct OctetLowerCopiesPass
    : octet::impl::OctetLowerCopiesPassBase<OctetLowerCopiesPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }
};
} // namespace
