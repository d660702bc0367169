//===- cnn.cpp - A small CNN written with the builder DSL -----------------===//
//
// Builds a 10-class classifier for 3x32x32 images (conv3x3 + batch norm +
// ReLU, max pool, conv3x3 + ReLU, global average pool, linear) and writes it
// as MLIR. The first convolution's weight, `[8, 3, 3, 3]` float32, comes
// from a `.npy` file when one is given (`numpy.save` output); every other
// weight is deterministic pseudo-random data.
//
//   octet-builder-cnn cnn.mlir [conv1_weight.npy]
//
//===----------------------------------------------------------------------===//

#include "octet/Builder/Graph.h"
#include "octet/Builder/Ops.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <vector>

/// `n` values uniform in [-scale, scale) from a fixed-seed xorshift.
static std::vector<float> pseudoRandom(size_t n, float scale, uint32_t seed) {
  std::vector<float> values(n);
  uint32_t state = seed;
  for (float &v : values) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    v = scale * (static_cast<float>(state) / 4294967296.0f * 2.0f - 1.0f);
  }
  return values;
}

/// A pseudo-random weight of `shape`.
static octet::Tensor randomWeight(octet::Graph &g, llvm::StringRef name,
                                  llvm::ArrayRef<int64_t> shape, float scale,
                                  uint32_t seed) {
  size_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return g.weight(name, shape, pseudoRandom(n, scale, seed));
}

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    llvm::errs() << "usage: " << argv[0]
                 << " <output.mlir> [<conv1_weight.npy>]\n";
    return 2;
  }

  octet::Graph g("cnn");
  auto x = g.input("image", octet::f32({1, 3, 32, 32}));

  // conv1 (3 -> 8 channels) + batch norm + ReLU, then 2x2 max pooling.
  auto conv1W = argc == 3
                    ? g.loadNpy("conv1.weight", argv[2])
                    : randomWeight(g, "conv1.weight", {8, 3, 3, 3}, 0.2f, 1);
  auto conv1B = randomWeight(g, "conv1.bias", {8}, 0.1f, 2);
  auto h = conv2d(x, conv1W, conv1B, octet::Conv2DOptions().setPad(1));
  // Named first: C++ leaves the evaluation order of arguments open, and the
  // constants should appear in reading order.
  std::vector<float> ones(8, 1.0f), zeros(8, 0.0f);
  auto bnScale = g.weight("bn1.scale", {8}, ones);
  auto bnBias = g.weight("bn1.bias", {8}, zeros);
  auto bnMean = randomWeight(g, "bn1.mean", {8}, 0.1f, 3);
  auto bnVar = g.weight("bn1.var", {8}, ones);
  h = relu(batchNorm(h, bnScale, bnBias, bnMean, bnVar));
  h = maxPool(h, octet::Pool2DOptions(2).setStride(2));

  // conv2 (8 -> 16 channels) + ReLU.
  auto conv2W = randomWeight(g, "conv2.weight", {16, 8, 3, 3}, 0.1f, 4);
  auto conv2B = randomWeight(g, "conv2.bias", {16}, 0.1f, 5);
  h = relu(conv2d(h, conv2W, conv2B, octet::Conv2DOptions().setPad(1)));

  // Classifier head.
  h = flatten(globalAvgPool(h));
  auto fcW = randomWeight(g, "fc.weight", {10, 16}, 0.2f, 6);
  auto fcB = randomWeight(g, "fc.bias", {10}, 0.1f, 7);
  g.output("logits", linear(h, fcW, fcB));

  return mlir::failed(g.writeMlir(argv[1])) ? 1 : 0;
}
