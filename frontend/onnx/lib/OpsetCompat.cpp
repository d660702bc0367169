//===- OpsetCompat.cpp - Opsets 18-21 mapped onto opset 17 ----------------===//
//
// ONNX 1.12 validates up to opset 17. A model declaring 18..21 is accepted
// when every op it uses means the same as in opset 17 or can be rewritten
// into an equivalent opset-17 node; the rewritten node is what ONNX's
// checker sees and the importer converts (only Gelu, which has no opset-17
// form, keeps its original node for the importer). Ops whose new
// semantics have no equivalent are refused with the reason.
//
// Changes in 18..21 to ops Octet imports (from ONNX's Changelog):
//   18: Reduce{Mean,Max,Min,Prod,L1,L2,LogSum,LogSumExp,SumSquare} take
//       `axes` as an input; Pad gains an `axes` input; Split gains
//       `num_outputs`.
//   19: AveragePool gains `dilations`; Pad gains mode `wrap`; Cast and
//       QuantizeLinear gain `saturate` (float8 only); float8 types.
//   20: Gelu is new; ReduceMax/Min accept bool.
//   21: int4/uint4 types; QuantizeLinear/DequantizeLinear gain blocked
//       quantization (`block_size`) and `output_dtype`.
// Every other op Octet imports is unchanged in 18..21 for its types.
//
//===----------------------------------------------------------------------===//

#include "ModelPrep.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

namespace {
/// Names a node in messages as the importer does (unnamed nodes are
/// `<op>_<index>`).
std::string nodeLabel(const onnx::NodeProto &node, int index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  return "node '" + name + "' (" + node.op_type() + ")";
}

const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                     StringRef name) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

void removeAttr(onnx::NodeProto &node, StringRef name) {
  auto *attrs = node.mutable_attribute();
  for (int i = 0; i < attrs->size(); ++i)
    if (attrs->Get(i).name() == name) {
      attrs->DeleteSubrange(i, 1);
      return;
    }
}

/// Finds the int64 contents of a constant named `name` (an initializer or
/// the output of a Constant node).
bool findConstantInts(const onnx::GraphProto &graph, StringRef name,
                      std::vector<int64_t> &out) {
  auto read = [&](const onnx::TensorProto &t) {
    if (t.data_type() != onnx::TensorProto::INT64)
      return false;
    if (t.has_raw_data()) {
      const std::string &raw = t.raw_data();
      if (raw.size() % 8)
        return false;
      out.resize(raw.size() / 8);
      memcpy(out.data(), raw.data(), raw.size());
    } else {
      out.assign(t.int64_data().begin(), t.int64_data().end());
    }
    return true;
  };
  for (const onnx::TensorProto &init : graph.initializer())
    if (init.name() == name)
      return read(init);
  for (const onnx::NodeProto &node : graph.node())
    if (node.op_type() == "Constant" && node.output_size() == 1 &&
        node.output(0) == name)
      if (const onnx::AttributeProto *value = findAttr(node, "value"))
        return value->has_t() && read(value->t());
  return false;
}

/// Reduce ops of opset 18 take `axes` as a second input; opset 17 has it as
/// an attribute.
std::string downgradeReduce(const onnx::GraphProto &graph,
                            onnx::NodeProto &node, const std::string &label) {
  const onnx::AttributeProto *noop = findAttr(node, "noop_with_empty_axes");
  bool hasAxes = node.input_size() > 1 && !node.input(1).empty();
  if (!hasAxes) {
    if (noop && noop->i() != 0)
      return label +
             ": noop_with_empty_axes without axes has no opset-17 equivalent";
    return "";
  }
  std::vector<int64_t> axes;
  if (!findConstantInts(graph, node.input(1), axes))
    return label + ": the axes input must be a constant int64 tensor";
  if (axes.empty() && noop && noop->i() != 0)
    return label +
           ": noop_with_empty_axes with empty axes has no opset-17 equivalent";
  node.mutable_input()->RemoveLast();
  removeAttr(node, "noop_with_empty_axes");
  if (!axes.empty()) {
    onnx::AttributeProto *attr = node.add_attribute();
    attr->set_name("axes");
    attr->set_type(onnx::AttributeProto::INTS);
    for (int64_t a : axes)
      attr->add_ints(a);
  }
  return "";
}
} // namespace

std::string onnx_import::downgradeToOpset17(
    onnx::ModelProto &model, int64_t declared,
    llvm::DenseMap<int, onnx::NodeProto> &originals) {
  if (declared <= kValidatedOpset)
    return "";
  static const llvm::StringSet<> reduceOps = {
      "ReduceMean",   "ReduceMax",       "ReduceMin",
      "ReduceProd",   "ReduceL1",        "ReduceL2",
      "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
  onnx::GraphProto *graph = model.mutable_graph();
  for (int index = 0; index < graph->node_size(); ++index) {
    onnx::NodeProto &node = *graph->mutable_node(index);
    std::string label = nodeLabel(node, index);
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      continue;
    StringRef op = node.op_type();
    std::string error;
    if (reduceOps.contains(op)) {
      error = downgradeReduce(*graph, node, label);
    } else if (op == "Pad") {
      if (node.input_size() > 3 && !node.input(3).empty())
        error = label +
                ": the opset-18 axes input is not supported; list pads for "
                "every dimension";
      const onnx::AttributeProto *mode = findAttr(node, "mode");
      if (mode && mode->s() == "wrap")
        error = label + ": pad mode 'wrap' (opset 19) is not "
                        "supported";
    } else if (op == "Split") {
      // num_outputs splits evenly, as opset 13 does without `split`; ONNX's
      // shape inference refuses a split that is not even.
      removeAttr(node, "num_outputs");
    } else if (op == "AveragePool") {
      if (const onnx::AttributeProto *d = findAttr(node, "dilations")) {
        for (int64_t v : d->ints())
          if (v != 1)
            error =
                label + ": dilations (opset 19) other than 1 are not supported";
        removeAttr(node, "dilations");
      }
    } else if (op == "Cast" || op == "QuantizeLinear" ||
               op == "DequantizeLinear") {
      removeAttr(node, "saturate"); // Only float8 results saturate.
      for (StringRef attr : {"block_size", "output_dtype"})
        if (const onnx::AttributeProto *a = findAttr(node, attr))
          if (a->i() != 0)
            error =
                label + ": '" + attr.str() + "' (opset 21) is not supported";
      removeAttr(node, "block_size");
      removeAttr(node, "output_dtype");
    } else if (op == "Gelu") {
      // Gelu is new in opset 20; the checker sees an elementwise stand-in
      // with the same type, the importer the original.
      originals[index] = node;
      node.set_op_type("Identity");
      node.clear_attribute();
    }
    if (!error.empty())
      return error;
  }
  for (onnx::OperatorSetIdProto &opset : *model.mutable_opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      opset.set_version(kValidatedOpset);
  return "";
}
