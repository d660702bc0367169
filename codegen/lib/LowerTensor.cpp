//===- LowerTensor.cpp - Tensor octet ops to linalg (in progress) ----------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

using namespace mlir;
using namespace mlir::octet;

void mlir::octet::populateLowerTensorPatterns(RewritePatternSet &patterns) {}
