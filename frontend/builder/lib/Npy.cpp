//===- Npy.cpp - Reading NumPy .npy arrays --------------------------------===//
//
// The format (numpy/lib/format.py): the magic string "\x93NUMPY", a major
// and minor version byte, the header length (2 bytes little-endian in
// version 1, 4 bytes in versions 2 and 3), then a Python dict literal such
// as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded
// with spaces and a newline, then the raw data. Every length is checked
// against the buffer before it is used, so truncated or hostile files end
// in an error, never in an out-of-bounds read.
//
//===----------------------------------------------------------------------===//

#include "octet/Builder/Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <optional>

using namespace mlir;
using namespace mlir::octet;
using llvm::Error;
using llvm::Expected;

size_t mlir::octet::getNpyElementSize(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::f32:
  case NpyDType::i32:
    return 4;
  case NpyDType::f64:
  case NpyDType::i64:
    return 8;
  }
  llvm_unreachable("unknown NpyDType");
}

StringRef mlir::octet::getNpyDescriptor(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::f32:
    return "<f4";
  case NpyDType::f64:
    return "<f8";
  case NpyDType::i32:
    return "<i4";
  case NpyDType::i64:
    return "<i8";
  }
  llvm_unreachable("unknown NpyDType");
}

int64_t NpyArray::getNumElements() const {
  return static_cast<int64_t>(bytes.size() / getNpyElementSize(dtype));
}

Expected<std::vector<float>> NpyArray::toF32() const {
  size_t n = getNumElements();
  std::vector<float> result(n);
  const char *data = bytes.data();
  for (size_t i = 0; i < n; ++i) {
    switch (dtype) {
    case NpyDType::f32:
      std::memcpy(&result[i], data + 4 * i, 4);
      break;
    case NpyDType::f64: {
      double value;
      std::memcpy(&value, data + 8 * i, 8);
      // Converting an out-of-range double to float is undefined behaviour.
      if (std::isfinite(value) && std::fabs(value) > FLT_MAX) {
        std::string text;
        llvm::raw_string_ostream(text) << value;
        return llvm::createStringError("element " + Twine(i) + " (" + text +
                                       ") is outside the f32 range");
      }
      result[i] = static_cast<float>(value);
      break;
    }
    case NpyDType::i32: {
      int32_t value;
      std::memcpy(&value, data + 4 * i, 4);
      result[i] = static_cast<float>(value);
      break;
    }
    case NpyDType::i64: {
      int64_t value;
      std::memcpy(&value, data + 8 * i, 8);
      result[i] = static_cast<float>(value);
      break;
    }
    }
  }
  return result;
}

namespace {
/// The fields of a header dictionary.
struct NpyHeader {
  NpyDType dtype = NpyDType::f32;
  SmallVector<int64_t, 4> shape;
};

/// Parses the Python dict literal of a header; only the literal forms that
/// `numpy.save` writes are accepted (strings, True/False, integer tuples).
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  Expected<NpyHeader> parse();

private:
  static Error error(const Twine &message) {
    return llvm::createStringError(message);
  }
  void skipSpace() { rest = rest.ltrim(" \t\r\n"); }
  bool consume(char c) { return rest.consume_front(StringRef(&c, 1)); }
  Expected<std::string> parseString(StringRef what);
  Expected<bool> parseBool();
  Error parseShape(SmallVectorImpl<int64_t> &shape);
  Error parseDescr(NpyDType &dtype);

  StringRef rest;
};
} // namespace

Expected<std::string> HeaderParser::parseString(StringRef what) {
  char quote = rest.empty() ? '\0' : rest.front();
  if (quote != '\'' && quote != '"')
    return error("expected a quoted " + what + " in the header");
  size_t end = rest.find(quote, 1);
  if (end == StringRef::npos)
    return error("unterminated string in the header");
  // numpy never writes escapes in these strings; refuse rather than guess.
  StringRef body = rest.slice(1, end);
  if (body.contains('\\'))
    return error("unsupported escape in header string '" + body + "'");
  rest = rest.drop_front(end + 1);
  return body.str();
}

Expected<bool> HeaderParser::parseBool() {
  if (rest.consume_front("True"))
    return true;
  if (rest.consume_front("False"))
    return false;
  return error("expected True or False for 'fortran_order'");
}

Error HeaderParser::parseShape(SmallVectorImpl<int64_t> &shape) {
  if (!consume('('))
    return error("expected a tuple for 'shape'");
  while (true) {
    skipSpace();
    if (consume(')'))
      return Error::success();
    if (rest.starts_with("-"))
      return error("negative dimension in 'shape'");
    uint64_t dim;
    if (rest.consumeInteger(10, dim) ||
        dim > uint64_t(std::numeric_limits<int64_t>::max()))
      return error("expected a dimension in 'shape'");
    // Headers written by Python 2 spell dimensions as longs: `(3L, 4L)`.
    (void)consume('L');
    shape.push_back(static_cast<int64_t>(dim));
    skipSpace();
    if (!consume(',') && !rest.starts_with(")"))
      return error("expected ',' or ')' in 'shape'");
  }
}

Error HeaderParser::parseDescr(NpyDType &dtype) {
  if (rest.starts_with("["))
    return error("structured dtypes are not supported");
  Expected<std::string> descr = parseString("value for 'descr'");
  if (!descr)
    return descr.takeError();
  for (NpyDType candidate :
       {NpyDType::f32, NpyDType::f64, NpyDType::i32, NpyDType::i64}) {
    if (*descr == getNpyDescriptor(candidate)) {
      dtype = candidate;
      return Error::success();
    }
  }
  return error("unsupported dtype '" + *descr +
               "'; expected one of '<f4', '<f8', '<i4', '<i8' "
               "(little-endian float32, float64, int32, int64)");
}

Expected<NpyHeader> HeaderParser::parse() {
  NpyHeader header;
  bool seenDescr = false, seenOrder = false, seenShape = false;
  skipSpace();
  if (!consume('{'))
    return error("the header is not a dictionary");
  while (true) {
    skipSpace();
    if (consume('}'))
      break;
    Expected<std::string> key = parseString("key");
    if (!key)
      return key.takeError();
    skipSpace();
    if (!consume(':'))
      return error("expected ':' after '" + *key + "' in the header");
    skipSpace();
    if (*key == "descr" && !seenDescr) {
      seenDescr = true;
      if (Error err = parseDescr(header.dtype))
        return std::move(err);
    } else if (*key == "fortran_order" && !seenOrder) {
      seenOrder = true;
      Expected<bool> fortranOrder = parseBool();
      if (!fortranOrder)
        return fortranOrder.takeError();
      if (*fortranOrder)
        return error("Fortran-order arrays are not supported; save a C-order "
                     "array (numpy.ascontiguousarray)");
    } else if (*key == "shape" && !seenShape) {
      seenShape = true;
      if (Error err = parseShape(header.shape))
        return std::move(err);
    } else if (*key == "descr" || *key == "fortran_order" || *key == "shape") {
      return error("duplicate key '" + *key + "' in the header");
    } else {
      return error("unexpected key '" + *key + "' in the header");
    }
    skipSpace();
    if (!consume(',') && !rest.starts_with("}"))
      return error("expected ',' or '}' in the header");
  }
  skipSpace();
  if (!rest.empty())
    return error("unexpected text after the header dictionary");
  for (auto [seen, key] : {std::make_pair(seenDescr, "descr"),
                           std::make_pair(seenOrder, "fortran_order"),
                           std::make_pair(seenShape, "shape")})
    if (!seen)
      return error(Twine("the header has no '") + key + "' key");
  return header;
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "(";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << ")";
  return s;
}

Expected<NpyArray> mlir::octet::parseNpy(StringRef buffer,
                                         StringRef bufferName) {
  auto error = [&](const Twine &message) {
    return llvm::createStringError(bufferName + ": " + message);
  };
  static constexpr llvm::StringLiteral kMagic("\x93NUMPY");
  if (!buffer.starts_with(kMagic))
    return error("not a .npy file (bad magic string)");
  if (buffer.size() < kMagic.size() + 2)
    return error("truncated in the format version");
  // As unsigned rather than uint8_t, which Twine would print as a char.
  unsigned major = static_cast<uint8_t>(buffer[6]);
  unsigned minor = static_cast<uint8_t>(buffer[7]);
  if (major < 1 || major > 3)
    return error("unsupported .npy format version " + Twine(major) + "." +
                 Twine(minor));

  // Version 1 stores the header length in 2 bytes, later versions in 4.
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t headerStart = 8 + lengthSize;
  if (buffer.size() < headerStart)
    return error("truncated in the header length");
  uint64_t headerLength =
      major == 1 ? llvm::support::endian::read16le(buffer.data() + 8)
                 : llvm::support::endian::read32le(buffer.data() + 8);
  if (headerLength > buffer.size() - headerStart)
    return error("truncated in the header: it needs " + Twine(headerLength) +
                 " bytes, " + Twine(buffer.size() - headerStart) + " remain");
  StringRef headerText = buffer.substr(headerStart, headerLength);
  // Versions 1 and 2 are ASCII; version 3 allows UTF-8, which the keys and
  // values we accept never contain anyway.
  if (major < 3 && llvm::any_of(headerText, [](char c) {
        return static_cast<unsigned char>(c) >= 0x80;
      }))
    return error("the header of a version " + Twine(major) +
                 " file must be ASCII");

  Expected<NpyHeader> header = HeaderParser(headerText).parse();
  if (!header)
    return error(llvm::toString(header.takeError()));

  NpyArray array;
  array.dtype = header->dtype;
  array.shape = std::move(header->shape);
  size_t elementSize = getNpyElementSize(array.dtype);
  int64_t numBytes = elementSize;
  for (int64_t dim : array.shape)
    if (llvm::MulOverflow(numBytes, dim, numBytes))
      return error("shape " + shapeString(array.shape) + " is too large");

  StringRef data = buffer.drop_front(headerStart + headerLength);
  if (data.size() < static_cast<uint64_t>(numBytes))
    return error("truncated data: shape " + shapeString(array.shape) + " of '" +
                 getNpyDescriptor(array.dtype) + "' needs " + Twine(numBytes) +
                 " bytes, the file has " + Twine(data.size()));
  if (data.size() > static_cast<uint64_t>(numBytes))
    return error(Twine(data.size() - numBytes) +
                 " unexpected bytes after the data of shape " +
                 shapeString(array.shape));

  array.bytes.assign(data.begin(), data.end());
  if (llvm::sys::IsBigEndianHost)
    for (size_t i = 0; i < array.bytes.size(); i += elementSize)
      std::reverse(array.bytes.begin() + i,
                   array.bytes.begin() + i + elementSize);
  return array;
}

Expected<NpyArray> mlir::octet::readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buffer.getError())
    return llvm::createStringError(ec, "cannot open '" + path +
                                           "': " + ec.message());
  return parseNpy((*buffer)->getBuffer(), path);
}
