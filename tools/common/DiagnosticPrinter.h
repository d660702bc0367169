//===- DiagnosticPrinter.h - Diagnostics for command-line tools -*- C++ -*-===//

#ifndef OCTET_TOOLS_DIAGNOSTICPRINTER_H
#define OCTET_TOOLS_DIAGNOSTICPRINTER_H

#include "mlir/IR/Diagnostics.h"

namespace mlir::octet::tools {

/// Prints `diag` (and its notes) to stderr as `file: severity: message`.
/// Imported ops carry file locations without line numbers, since a binary
/// model is not a text file; lines are shown when known.
LogicalResult printDiagnostic(Diagnostic &diag);

} // namespace mlir::octet::tools

#endif // OCTET_TOOLS_DIAGNOSTICPRINTER_H
