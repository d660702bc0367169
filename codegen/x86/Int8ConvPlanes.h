//===- Int8ConvPlanes.h - Phase planes shared by the x86 convolutions -*- C++ -*-===//
//
// The x86 convolution kernels read their activations from packed planes:
// each stride phase (input rows ph, ph + sH, ..., columns pw, pw + sW, ...)
// becomes a stride-1 plane of phaseH × phaseW pixels, so that a tap of any
// stride and dilation reads a contiguous run of pixels at a constant
// offset. Outputs are computed "wide", over phaseW columns per row; the
// columns past outW are garbage and sliced off. Valid outputs read only
// valid input.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_CODEGEN_X86_INT8CONVPLANES_H
#define OCTET_CODEGEN_X86_INT8CONVPLANES_H

#include "octet/IR/OctetOps.h"

namespace mlir::octet::x86::planes {

constexpr int64_t kLanes = 8; // int32 per 256-bit register

struct Geometry {
  int64_t batch, groups, groupChannels, quads, groupFilters;
  int64_t tileFilters, filterTiles;
  int64_t kernelH, kernelW, strideH, strideW, dilationH, dilationW;
  int64_t inH, inW, outH, outW, phaseH, phaseW;
  int64_t tilePixels, pixelTiles, slots;
  bool isUnsigned;
  /// A constant padding folded into the packing (inH, inW include it):
  /// the data's size, where it starts, and the padding's bits.
  int64_t dataH, dataW, padTop = 0, padLeft = 0;
  uint8_t padBits = 0;

  /// Fills the window fields from `op` (and the batch and input size).
  static Geometry of(Conv2DIntegerOp op);
  /// `op`'s input without the octet.pad (constant, spatial only) that
  /// produces it, with that padding recorded here; or the input itself.
  Value foldPadding(Conv2DIntegerOp op);
  int64_t phases() const { return strideH * strideW; }
  int64_t taps() const { return kernelH * kernelW; }
  int64_t widePixels() const { return outH * phaseW; }
  /// Sets tilePixels, pixelTiles and slots for tiles of `tilePixels`:
  /// reads reach the last tile plus the largest tap offset; packing may
  /// write `kLanes` pixels past a plane's last row.
  void tile(int64_t pixels);
  /// Rows of phase `ph` that hold input (the rest are never read by a
  /// valid output and stay unwritten).
  int64_t validRows(int64_t ph) const {
    return ph < inH ? (inH - 1 - ph) / strideH + 1 : 0;
  }
  int64_t validColumns(int64_t pw) const {
    return pw < inW ? (inW - 1 - pw) / strideW + 1 : 0;
  }
  /// Whether some tap reads phase (ph, pw): a 1x1 kernel of stride 2 reads
  /// only phase (0, 0), and the other three need no packing.
  bool phaseUsed(int64_t ph, int64_t pw) const {
    auto used = [](int64_t phase, int64_t kernel, int64_t dilation,
                   int64_t stride) {
      for (int64_t k = 0; k < kernel; ++k)
        if (k * dilation % stride == phase)
          return true;
      return false;
    };
    return used(ph, kernelH, dilationH, strideH) &&
           used(pw, kernelW, dilationW, strideW);
  }
};

Value add(OpBuilder &b, Location loc, Value x, Value y);
Value mul(OpBuilder &b, Location loc, Value x, int64_t y);

/// scf.for over [0, count) carrying one tensor.
Value loop(OpBuilder &b, Location loc, int64_t count, Value init,
           function_ref<Value(OpBuilder &, Location, Value, Value)> body,
           int64_t step = 1);

/// Eight pixels of one data row, columns first + i·sW of `input` at
/// `rowIndices`, as vector<8xi8>; `count` < 8 reads only the first ones
/// (the rest 0).
Value readPhaseRow(OpBuilder &b, Location loc, const Geometry &geo,
                   Value input, ValueRange rowIndices, Value first,
                   int64_t count);

/// For every plane (image, channel or channel quad, phase) and row and
/// 8-pixel block of the valid input, `block(b, loc, planeRow, pixel,
/// reader, packed)` writes the block at `pixel` of plane row `planeRow`;
/// `reader(channel)` returns its 8 pixels of that channel (index) of the
/// current image, or of the folded padding. `units` planes per
/// image·group, `unitChannels` channels apart. Blocks are written in
/// order along a row, so one that runs past its columns is overwritten.
using ReadChannel = function_ref<Value(Value channel)>;
Value forEachBlock(
    OpBuilder &b, Location loc, const Geometry &geo, Value input,
    Value packed, int64_t units, int64_t unitChannels,
    function_ref<Value(OpBuilder &, Location, Value planeRow, Value pixel,
                       Value firstChannel, ReadChannel, Value packed)>
        block);

/// (kh·dH / sH)·phaseW + kw·dW / sW and the phase index of `tap`.
std::pair<Value, Value> tapOffsetAndPhase(OpBuilder &b, Location loc,
                                          const Geometry &geo, Value tap);

/// The wide result [N, F', tiles·tilePixels] (F' = groups·paddedFilters)
/// as [N, groups·filters, outH, outW], dropping the padded filters of
/// each group and the columns past outW.
Value unwiden(OpBuilder &b, Location loc, const Geometry &geo, Value wide,
              int64_t paddedFilters);

} // namespace mlir::octet::x86::planes

#endif // OCTET_CODEGEN_X86_INT8CONVPLANES_H
