//===- OctetDialect.h - The Octet dialect -----------------------*- C++ -*-===//

#ifndef OCTET_IR_OCTETDIALECT_H
#define OCTET_IR_OCTETDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "octet/IR/OctetOpsDialect.h.inc"

#endif // OCTET_IR_OCTETDIALECT_H
