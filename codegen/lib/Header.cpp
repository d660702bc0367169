//===- Header.cpp - The C99 header of a compiled model --------------------===//
//
// The header is the model's whole C API: sizes as macros, a const
// descriptor table a generic harness can walk, and the entry point. It
// includes only <stdint.h> and <stddef.h>; the descriptor types are
// guarded so that several model headers and runtime/octet_runtime.h can be
// included together.
//
//===----------------------------------------------------------------------===//

#include "octet/Codegen/Emitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
/// C type and dtype enumerator of an element type, if supported.
std::optional<std::pair<StringRef, StringRef>> cTypeOf(Type type) {
  if (type.isF32())
    return std::make_pair("float", "F32");
  if (type.isF64())
    return std::make_pair("double", "F64");
  if (type.isF16())
    return std::make_pair("uint16_t", "F16");
  if (type.isBF16())
    return std::make_pair("uint16_t", "BF16");
  if (type.isInteger(1))
    return std::make_pair("uint8_t", "BOOL");
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  bool isUnsigned = intType.isUnsigned();
  switch (intType.getWidth()) {
  case 8:
    return isUnsigned ? std::make_pair("uint8_t", "U8")
                      : std::make_pair("int8_t", "I8");
  case 16:
    return isUnsigned ? std::make_pair("uint16_t", "U16")
                      : std::make_pair("int16_t", "I16");
  case 32:
    return isUnsigned ? std::make_pair("uint32_t", "U32")
                      : std::make_pair("int32_t", "I32");
  case 64:
    return isUnsigned ? std::make_pair("uint64_t", "U64")
                      : std::make_pair("int64_t", "I64");
  default:
    return std::nullopt;
  }
}

FailureOr<TensorInterface> describe(Location loc, Type type, StringRef name,
                                    DictionaryAttr attrs) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return emitError(loc) << "'" << name << "' must be a static tensor, got "
                          << type,
           failure();
  auto c = cTypeOf(tensor.getElementType());
  if (!c)
    return emitError(loc) << "'" << name << "' has element type "
                          << tensor.getElementType()
                          << ", which the C API does not support",
           failure();
  TensorInterface t;
  t.name = name.str();
  t.cType = c->first.str();
  t.dtype = c->second.str();
  t.dims.assign(tensor.getShape().begin(), tensor.getShape().end());
  // Set by octet-quantize-io: the caller passes or receives the integers.
  if (auto quantized = attrs ? attrs.getAs<TypeAttr>("octet.quantized")
                             : nullptr) {
    auto uniform = dyn_cast<quant::UniformQuantizedType>(quantized.getValue());
    if (!uniform)
      return emitError(loc) << "'" << name << "' is quantized as "
                            << quantized.getValue()
                            << ", which the C API does not describe",
             failure();
    t.quantized = true;
    t.scale = uniform.getScale();
    t.zeroPoint = uniform.getZeroPoint();
  }
  return t;
}

/// A C identifier made from a tensor name.
std::string identifier(StringRef name) {
  std::string id;
  for (char c : name)
    id.push_back(llvm::isAlnum(c) ? c : '_');
  if (id.empty() || llvm::isDigit(id[0]))
    id.insert(id.begin(), '_');
  return id;
}

/// A C string literal.
std::string quoted(StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    if (llvm::isPrint(c))
      out.push_back(c);
    else
      out += llvm::formatv("\\{0:o3}", (unsigned char)c).str();
  }
  return out + "\"";
}

int64_t numElements(const TensorInterface &t) {
  int64_t n = 1;
  for (int64_t d : t.dims)
    n *= d;
  return n;
}
} // namespace

FailureOr<ModelInterface> mlir::octet::describeModel(func::FuncOp model,
                                                     StringRef name) {
  ModelInterface result;
  result.name = name.str();
  auto nameOf = [&](DictionaryAttr attrs, StringRef fallback, unsigned i) {
    if (attrs)
      if (auto n = attrs.getAs<StringAttr>("octet.name"))
        return n.getValue().str();
    return (fallback + Twine(i)).str();
  };
  for (unsigned i = 0; i < model.getNumArguments(); ++i) {
    FailureOr<TensorInterface> t =
        describe(model.getLoc(), model.getArgumentTypes()[i],
                 nameOf(model.getArgAttrDict(i), "input", i),
                 model.getArgAttrDict(i));
    if (failed(t))
      return failure();
    result.inputs.push_back(*t);
  }
  for (unsigned i = 0; i < model.getNumResults(); ++i) {
    FailureOr<TensorInterface> t =
        describe(model.getLoc(), model.getResultTypes()[i],
                 nameOf(model.getResultAttrDict(i), "output", i),
                 model.getResultAttrDict(i));
    if (failed(t))
      return failure();
    result.outputs.push_back(*t);
  }
  return result;
}

void mlir::octet::emitHeader(const ModelInterface &m, llvm::raw_ostream &os) {
  std::string p = m.name, P = StringRef(m.name).upper();
  os << "/* " << p << ".h: the C interface of the model '" << p
     << "', compiled by octetc\n"
     << " * for " << m.target.triple << " (cpu " << m.target.cpu
     << "). Generated; do not edit.\n"
     << " *\n"
     << " * Weights: " << m.weightBytes
     << " bytes of read-only data in the object file.\n"
     << " * Scratch arena: " << m.scratchBytes
     << " bytes, supplied by the caller (64-byte aligned).\n */\n";
  os << "#ifndef " << P << "_H\n#define " << P << "_H\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << R"(#ifndef OCTET_TENSOR_DESC_DEFINED
#define OCTET_TENSOR_DESC_DEFINED
/* Element types of model inputs and outputs. */
typedef enum octet_dtype {
  OCTET_DTYPE_F32 = 1, OCTET_DTYPE_F64 = 2, OCTET_DTYPE_F16 = 3,
  OCTET_DTYPE_BF16 = 4, OCTET_DTYPE_I8 = 5, OCTET_DTYPE_U8 = 6,
  OCTET_DTYPE_I16 = 7, OCTET_DTYPE_U16 = 8, OCTET_DTYPE_I32 = 9,
  OCTET_DTYPE_U32 = 10, OCTET_DTYPE_I64 = 11, OCTET_DTYPE_U64 = 12,
  OCTET_DTYPE_BOOL = 13
} octet_dtype;

/* One input or output: a contiguous row-major tensor. Quantized tensors
 * hold q with real value scale * (q - zero_point). */
typedef struct octet_tensor_desc {
  const char *name;
  octet_dtype dtype;
  int32_t rank;
  const int64_t *dims;
  int64_t num_elements;
  int32_t quantized;
  float scale;
  int32_t zero_point;
} octet_tensor_desc;
#endif

)";
  os << "#define " << P << "_NUM_INPUTS " << m.inputs.size() << "\n"
     << "#define " << P << "_NUM_OUTPUTS " << m.outputs.size() << "\n"
     << "#define " << P << "_SCRATCH_BYTES " << m.scratchBytes << "\n"
     << "#define " << P << "_SCRATCH_ALIGNMENT 64\n"
     << "#define " << P << "_WEIGHT_BYTES " << m.weightBytes << "\n"
     << "#define " << P << "_TARGET " << quoted(m.target.triple) << "\n"
     << "#define " << P << "_CPU " << quoted(m.target.cpu) << "\n"
     << "#define " << P << "_FEATURES " << quoted(m.target.features) << "\n"
     << "/* The same sizes under the lower-case prefix, for generic code. */\n"
     << "static const size_t " << p << "_scratch_bytes = " << m.scratchBytes
     << ";\nstatic const size_t " << p << "_weight_bytes = " << m.weightBytes
     << ";\n\n";

  auto table = [&](StringRef kind, const std::vector<TensorInterface> &ts) {
    for (auto [i, t] : llvm::enumerate(ts)) {
      os << "/* " << kind << " " << i << ": " << quoted(t.name) << ", "
         << t.cType;
      for (int64_t d : t.dims)
        os << "[" << d << "]";
      os << " */\n";
      os << "#define " << P << "_" << llvm::toUpper(kind[0])
         << kind.drop_front().upper() << "_" << i << "_ELEMENTS "
         << numElements(t) << "\n";
      os << "static const int64_t " << p << "_" << kind << "_" << i << "_dims["
         << std::max<size_t>(t.dims.size(), 1) << "] = {";
      if (t.dims.empty())
        os << "1";
      llvm::interleaveComma(t.dims, os);
      os << "};\n";
    }
    os << "static const octet_tensor_desc " << p << "_" << kind << "s["
       << std::max<size_t>(ts.size(), 1) << "] = {\n";
    for (auto [i, t] : llvm::enumerate(ts))
      os << "  {" << quoted(t.name) << ", OCTET_DTYPE_" << t.dtype << ", "
         << t.dims.size() << ", " << p << "_" << kind << "_" << i << "_dims, "
         << numElements(t) << ", " << (t.quantized ? 1 : 0) << ", "
         // 9 significant digits: the f32 scale round-trips exactly.
         << llvm::formatv("{0:e8}", t.scale) << "f, " << t.zeroPoint << "},\n";
    if (ts.empty())
      os << "  {0, OCTET_DTYPE_F32, 0, 0, 0, 0, 0.0f, 0},\n";
    os << "};\n\n";
  };
  table("input", m.inputs);
  table("output", m.outputs);

  os << "/* Runs the model: inputs[i] and outputs[i] point to the tensors\n"
        " * described above, scratch to "
     << P
     << "_SCRATCH_BYTES bytes (64-byte aligned; may be\n"
        " * NULL when that is 0). Returns 0 on success. Calls no allocator "
        "and keeps\n * no state: threads may run concurrently with "
        "distinct scratch buffers. */\n";
  os << "int " << p
     << "_run(const void *const *inputs, void *const *outputs, void "
        "*scratch);\n\n";

  // A typed wrapper, for readers who prefer named arguments.
  os << "static inline int " << p << "_run_typed(";
  for (const TensorInterface &t : m.inputs)
    os << "const " << t.cType << " *" << identifier(t.name) << ", ";
  for (const TensorInterface &t : m.outputs)
    os << t.cType << " *" << identifier(t.name) << "_out, ";
  os << "void *scratch) {\n  const void *inputs["
     << std::max<size_t>(m.inputs.size(), 1) << "] = {";
  llvm::interleaveComma(m.inputs, os, [&](const TensorInterface &t) {
    os << identifier(t.name);
  });
  if (m.inputs.empty())
    os << "0";
  os << "};\n  void *outputs[" << std::max<size_t>(m.outputs.size(), 1)
     << "] = {";
  llvm::interleaveComma(m.outputs, os, [&](const TensorInterface &t) {
    os << identifier(t.name) << "_out";
  });
  os << "};\n  return " << p << "_run(inputs, outputs, scratch);\n}\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << P << "_H */\n";
}
