//===- Npy.h - Reading NumPy .npy arrays ------------------------*- C++ -*-===//
//
// A small, strict reader for the NumPy `.npy` format (versions 1.0, 2.0 and
// 3.0), enough to load trained weights saved with `numpy.save`. It accepts
// little-endian, C-order arrays of the four dtypes networks store and rejects
// everything else with a message that names the file and the problem.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_BUILDER_NPY_H
#define OCTET_BUILDER_NPY_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir::octet {

/// The element types the reader accepts, named by their `.npy` descriptor.
enum class NpyDType {
  f32, ///< `<f4`
  f64, ///< `<f8`
  i32, ///< `<i4`
  i64, ///< `<i8`
};

/// Size in bytes of one element of `dtype`.
size_t getNpyElementSize(NpyDType dtype);

/// The `.npy` descriptor of `dtype`, e.g. `<f4`.
StringRef getNpyDescriptor(NpyDType dtype);

/// A decoded array: its dtype, its shape (empty for a scalar) and its
/// elements in C order and host byte order.
struct NpyArray {
  NpyDType dtype = NpyDType::f32;
  SmallVector<int64_t, 4> shape;
  std::vector<char> bytes;

  int64_t getNumElements() const;

  /// The elements as `float`: f64 values are rounded and must fit the f32
  /// range (infinities and NaNs pass through), integers are rounded to the
  /// nearest float.
  llvm::Expected<std::vector<float>> toF32() const;
};

/// Decodes the `.npy` file held in `buffer`; `bufferName` prefixes errors.
llvm::Expected<NpyArray> parseNpy(StringRef buffer, StringRef bufferName);

/// Reads and decodes the `.npy` file at `path`.
llvm::Expected<NpyArray> readNpy(StringRef path);

} // namespace mlir::octet

#endif // OCTET_BUILDER_NPY_H
