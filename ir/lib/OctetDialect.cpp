//===- OctetDialect.cpp - Dialect registration and attributes -------------===//

#include "octet/IR/OctetDialect.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::octet;

#include "octet/IR/OctetEnums.cpp.inc"
#include "octet/IR/OctetOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "octet/IR/OctetAttrs.cpp.inc"

void OctetDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "octet/IR/OctetOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "octet/IR/OctetAttrs.cpp.inc"
      >();
}

Operation *OctetDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

Attribute ActivationAttr::parse(AsmParser &parser, Type) {
  FailureOr<ActivationKind> kind;
  double alpha = 0.0, beta = 0.0;
  if (parser.parseLess() ||
      failed(kind = FieldParser<ActivationKind>::parse(parser)))
    return {};
  if (succeeded(parser.parseOptionalComma()) &&
      (parser.parseFloat(alpha) || parser.parseComma() ||
       parser.parseFloat(beta)))
    return {};
  if (parser.parseGreater())
    return {};
  return parser.getChecked<ActivationAttr>(parser.getContext(), *kind,
                                           APFloat(alpha), APFloat(beta));
}

void ActivationAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyActivationKind(getKind());
  if (!getAlpha().isZero() || !getBeta().isZero()) {
    printer << ", ";
    printer.printFloat(getAlpha());
    printer << ", ";
    printer.printFloat(getBeta());
  }
  printer << ">";
}

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ActivationKind kind, APFloat alphaValue,
                       APFloat betaValue) {
  double alpha = alphaValue.convertToDouble();
  double beta = betaValue.convertToDouble();
  bool usesAlpha = kind == ActivationKind::clip ||
                   kind == ActivationKind::leaky_relu ||
                   kind == ActivationKind::hard_sigmoid;
  bool usesBeta =
      kind == ActivationKind::clip || kind == ActivationKind::hard_sigmoid;
  if ((!usesAlpha && alpha != 0.0) || (!usesBeta && beta != 0.0))
    return emitError() << "activation '" << stringifyActivationKind(kind)
                       << "' takes no parameters";
  if (kind == ActivationKind::clip && alpha > beta)
    return emitError() << "clip activation expects min <= max, got " << alpha
                       << " > " << beta;
  return success();
}
