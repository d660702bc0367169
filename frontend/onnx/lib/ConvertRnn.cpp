//===- ConvertRnn.cpp - ONNX GRU and LSTM ---------------------------------===//

#include "NodeImport.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

namespace {
/// Checks the attributes octet's recurrent ops do not model: only ONNX's
/// default activations, no clipping, layout 0, full-length sequences.
LogicalResult checkRnnAttrs(NodeImport &node, ArrayRef<StringRef> defaults,
                            FailureOr<RnnDirection> &direction) {
  FailureOr<SmallVector<std::string>> activations =
      node.getStringsAttr("activations");
  FailureOr<int64_t> layout = node.getIntAttr("layout", 0);
  FailureOr<std::string> dir = node.getStringAttr("direction", "forward");
  if (failed(activations) || failed(layout) || failed(dir))
    return failure();
  if (node.getAttr("clip"))
    return node.fail("cell clipping ('clip') is not supported");
  if (node.getAttr("activation_alpha") || node.getAttr("activation_beta"))
    return node.fail("activation_alpha/activation_beta are not supported");
  if (*layout != 0)
    return node.fail("layout=1 (batch-major) is not supported");
  std::optional<RnnDirection> parsed = symbolizeRnnDirection(*dir);
  if (!parsed)
    return node.fail("unknown direction '" + *dir + "'");
  direction = *parsed;
  size_t dirs = *parsed == RnnDirection::bidirectional ? 2 : 1;
  if (!activations->empty()) {
    if (activations->size() != defaults.size() * dirs)
      return node.fail("expects " + Twine(defaults.size() * dirs) +
                       " activations");
    for (auto [i, act] : llvm::enumerate(*activations))
      if (!StringRef(act).equals_insensitive(defaults[i % defaults.size()]))
        return node.fail("activation '" + act +
                         "' is not supported; only the defaults are");
  }
  // sequence_lens is harmless when every sequence has the full length.
  if (node.hasInput(4)) {
    FailureOr<SmallVector<int64_t>> lens =
        node.getConstantInts(4, "sequence_lens");
    FailureOr<RankedTensorType> x = node.getInputType(0);
    if (failed(lens) || failed(x))
      return failure();
    for (int64_t len : *lens)
      if (len != x->getDimSize(0))
        return node.fail("sequence_lens shorter than the sequence are not "
                         "supported");
  }
  return success();
}

/// hidden_size is optional in ONNX; R, [directions, gates * hidden,
/// hidden], determines it when absent.
FailureOr<int64_t> readHiddenSize(NodeImport &node) {
  FailureOr<RankedTensorType> r = node.getInputType(2);
  if (failed(r))
    return failure();
  if (r->getRank() != 3)
    return node.fail("expects R of rank 3, got " + typeString(*r));
  return node.getIntAttr("hidden_size", r->getDimSize(2));
}

LogicalResult convertGru(NodeImport &node) {
  FailureOr<RnnDirection> direction = failure();
  FailureOr<int64_t> hidden = readHiddenSize(node);
  FailureOr<int64_t> linearBeforeReset =
      node.getIntAttr("linear_before_reset", 0);
  if (failed(hidden) || failed(linearBeforeReset) ||
      failed(checkRnnAttrs(node, {"Sigmoid", "Tanh"}, direction)))
    return failure();
  FailureOr<Value> x = node.getInput(0), w = node.getInput(1),
                   r = node.getInput(2);
  FailureOr<Value> bias = node.getOptionalInput(3),
                   initialH = node.getOptionalInput(5);
  if (failed(x) || failed(w) || failed(r) || failed(bias) || failed(initialH))
    return failure();
  OpBuilder &b = node.getBuilder();
  auto gru = node.createOp<GruOp>(
      *x, *w, *r, *bias, *initialH, b.getI64IntegerAttr(*hidden),
      RnnDirectionAttr::get(node.getContext(), *direction),
      b.getBoolAttr(*linearBeforeReset != 0));
  if (failed(node.setOutput(0, gru.getY())))
    return failure();
  return node.setOutput(1, gru.getYH());
}

LogicalResult convertLstm(NodeImport &node) {
  FailureOr<RnnDirection> direction = failure();
  FailureOr<int64_t> hidden = readHiddenSize(node);
  FailureOr<int64_t> inputForget = node.getIntAttr("input_forget", 0);
  if (failed(hidden) || failed(inputForget) ||
      failed(checkRnnAttrs(node, {"Sigmoid", "Tanh", "Tanh"}, direction)))
    return failure();
  if (*inputForget != 0)
    return node.fail("input_forget=1 is not supported");
  FailureOr<Value> x = node.getInput(0), w = node.getInput(1),
                   r = node.getInput(2);
  FailureOr<Value> bias = node.getOptionalInput(3),
                   initialH = node.getOptionalInput(5),
                   initialC = node.getOptionalInput(6),
                   peepholes = node.getOptionalInput(7);
  if (failed(x) || failed(w) || failed(r) || failed(bias) || failed(initialH) ||
      failed(initialC) || failed(peepholes))
    return failure();
  auto lstm = node.createOp<LstmOp>(
      *x, *w, *r, *bias, *initialH, *initialC, *peepholes,
      node.getBuilder().getI64IntegerAttr(*hidden),
      RnnDirectionAttr::get(node.getContext(), *direction));
  if (failed(node.setOutput(0, lstm.getY())) ||
      failed(node.setOutput(1, lstm.getYH())))
    return failure();
  return node.setOutput(2, lstm.getYC());
}
} // namespace

void onnx_import::addRnnConverters(ConverterTable &table) {
  table["GRU"] = convertGru;
  table["LSTM"] = convertLstm;
}
