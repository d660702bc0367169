//===- OctetOps.h - Octet ops, attributes and enums -------------*- C++ -*-===//

#ifndef OCTET_IR_OCTETOPS_H
#define OCTET_IR_OCTETOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "octet/IR/OctetDialect.h"

#include "octet/IR/OctetEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "octet/IR/OctetAttrs.h.inc"

#define GET_OP_CLASSES
#include "octet/IR/OctetOps.h.inc"

namespace mlir::octet {
/// The contents of `attr` as a DenseElementsAttr, for element-wise access:
/// dense attributes as they are, `dense_resource` weights copied out of
/// their blob. Null when the data cannot be read.
DenseElementsAttr getDenseElements(ElementsAttr attr);

/// The ONNX node an op came from: the last name in its (possibly fused)
/// location, since fusion appends the absorbed op after the producer;
/// empty when there is none.
std::string getNodeName(Location loc);
} // namespace mlir::octet

#endif // OCTET_IR_OCTETOPS_H
