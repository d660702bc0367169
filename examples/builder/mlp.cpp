//===- mlp.cpp - A two-layer MLP written with the builder DSL -------------===//
//
// Builds a 784 -> 64 -> 10 classifier for flattened 28x28 images, with
// deterministic pseudo-random weights, and writes it as MLIR:
//
//   octet-builder-mlp mlp.mlir
//
//===----------------------------------------------------------------------===//

#include "octet/Builder/Graph.h"
#include "octet/Builder/Ops.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <vector>

/// `n` values uniform in [-scale, scale) from a fixed-seed xorshift, so that
/// every run writes the same weights.
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

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: " << argv[0] << " <output.mlir>\n";
    return 2;
  }

  octet::Graph g("mlp");
  auto w1 = g.weight("fc1.weight", {64, 784}, pseudoRandom(64 * 784, 0.05f, 1));
  auto b1 = g.weight("fc1.bias", {64}, pseudoRandom(64, 0.05f, 2));
  auto w2 = g.weight("fc2.weight", {10, 64}, pseudoRandom(10 * 64, 0.1f, 3));
  auto b2 = g.weight("fc2.bias", {10}, pseudoRandom(10, 0.1f, 4));

  auto x = g.input("x", octet::f32({1, 784}));
  auto h = relu(linear(x, w1, b1, "fc1"));
  g.output("y", softmax(linear(h, w2, b2, "fc2")));

  return mlir::failed(g.writeMlir(argv[1])) ? 1 : 0;
}
