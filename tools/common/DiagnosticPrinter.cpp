//===- DiagnosticPrinter.cpp - Diagnostics for command-line tools ---------===//

#include "DiagnosticPrinter.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

LogicalResult mlir::octet::tools::printDiagnostic(Diagnostic &diag) {
  llvm::raw_ostream &os = llvm::errs();
  if (auto file = diag.getLocation()->findInstanceOf<FileLineColLoc>()) {
    os << file.getFilename().getValue();
    if (file.getLine())
      os << ":" << file.getLine() << ":" << file.getColumn();
    os << ": ";
  }
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    os << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    os << "warning: ";
    break;
  case DiagnosticSeverity::Note:
    os << "note: ";
    break;
  case DiagnosticSeverity::Remark:
    os << "remark: ";
    break;
  }
  // Ops built for an ONNX node are located at the node's name.
  std::string message = diag.str();
  if (auto name = diag.getLocation()->findInstanceOf<NameLoc>())
    if (!StringRef(message).starts_with("node '"))
      os << "node '" << name.getName().getValue() << "': ";
  os << message << "\n";
  for (Diagnostic &note : diag.getNotes())
    (void)printDiagnostic(note);
  return success();
}
