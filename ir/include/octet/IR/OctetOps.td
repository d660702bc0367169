//===- OctetOps.td - All ops of the Octet dialect ------------*- tablegen -*-===//
//
// One entry point for TableGen; the ops themselves live in one file per
// family.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_IR_OCTETOPS_TD
#define OCTET_IR_OCTETOPS_TD

include "octet/IR/OctetBase.td"
include "octet/IR/NNOps.td"
include "octet/IR/MathOps.td"
include "octet/IR/TensorOps.td"
include "octet/IR/QuantOps.td"

#endif // OCTET_IR_OCTETOPS_TD
