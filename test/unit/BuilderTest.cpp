//===- BuilderTest.cpp - The C++ builder DSL and the .npy reader ----------===//

#include "octet/Builder/Graph.h"
#include "octet/Builder/Npy.h"
#include "octet/Builder/Ops.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::octet;

namespace {

/// Collects the diagnostics of a context, with the name of each location.
struct DiagnosticCollector {
  explicit DiagnosticCollector(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          messages.push_back(diag.str());
          auto loc = dyn_cast<NameLoc>(diag.getLocation());
          locations.push_back(loc ? loc.getName().str() : "");
          return success();
        }) {}

  std::vector<std::string> messages;
  std::vector<std::string> locations;
  ScopedDiagnosticHandler handler;
};

std::vector<float> filled(size_t n, float value) {
  return std::vector<float>(n, value);
}

/// The octet ops of `module`'s function, by name.
std::vector<std::string> opNames(ModuleOp module) {
  std::vector<std::string> names;
  module.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "octet")
      names.push_back(op->getName().getStringRef().str());
  });
  return names;
}

TEST(BuilderTest, MlpSnippetBuildsAndVerifies) {
  octet::Graph g("mlp");
  auto w1 = g.weight("w1", {256, 1000}, filled(256 * 1000, 0.01f));
  auto b1 = g.weight("b1", {256}, filled(256, 0.1f));
  auto w2 = g.weight("w2", {10, 256}, filled(10 * 256, 0.02f));
  auto b2 = g.weight("b2", {10}, filled(10, 0.0f));
  // The snippet, verbatim.
  auto x = g.input("x", f32({64, 1000}));
  auto h = relu(linear(x, w1, b1));
  g.output("y", linear(h, w2, b2));

  FailureOr<ModuleOp> module = g.module();
  ASSERT_TRUE(succeeded(module));
  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_FALSE(g.hasFailed());

  auto func = cast<func::FuncOp>(module->getBody()->front());
  EXPECT_EQ(func.getSymName(), "mlp");
  auto f32Type = Float32Type::get(g.getContext());
  EXPECT_EQ(func.getFunctionType(),
            FunctionType::get(g.getContext(),
                              {RankedTensorType::get({64, 1000}, f32Type)},
                              {RankedTensorType::get({64, 10}, f32Type)}));
  EXPECT_EQ(opNames(*module),
            (std::vector<std::string>{
                "octet.constant", "octet.constant", "octet.constant",
                "octet.constant", "octet.gemm", "octet.relu", "octet.gemm"}));

  // linear is gemm with a transposed [out, in] weight; weights are blobs.
  module->walk([](GemmOp gemm) { EXPECT_TRUE(gemm.getTransB()); });
  module->walk([](ConstantOp constant) {
    EXPECT_TRUE(isa<DenseResourceElementsAttr>(constant.getValue()));
  });
}

TEST(BuilderTest, ShapesAreInferred) {
  octet::Graph g("shapes");
  auto f32 = Float32Type::get(g.getContext());
  auto tensor = [&](ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, f32);
  };

  auto image = g.input("image", octet::f32({2, 3, 32, 32}));
  EXPECT_EQ(image.getType(), tensor({2, 3, 32, 32}));
  auto w = g.weight("w", {8, 3, 3, 3}, filled(8 * 27, 0.1f));
  auto conv = conv2d(image, w, {}, Conv2DOptions().setStride(2).setPad(1));
  EXPECT_EQ(conv.getType(), tensor({2, 8, 16, 16}));
  auto depthwise = conv2d(conv, g.weight("dw", {8, 1, 3, 3}, filled(72, 1)), {},
                          Conv2DOptions().setGroup(8));
  EXPECT_EQ(depthwise.getType(), tensor({2, 8, 14, 14}));
  auto bnParam = g.constant("bn", {8}, filled(8, 1.0f));
  EXPECT_EQ(batchNorm(conv, bnParam, bnParam, bnParam, bnParam).getType(),
            tensor({2, 8, 16, 16}));
  auto pooled = maxPool(conv, Pool2DOptions(2).setStride(2));
  EXPECT_EQ(pooled.getType(), tensor({2, 8, 8, 8}));
  EXPECT_EQ(avgPool(pooled, Pool2DOptions(3).setPad(1)).getType(),
            tensor({2, 8, 8, 8}));
  auto gap = globalAvgPool(pooled);
  EXPECT_EQ(gap.getType(), tensor({2, 8, 1, 1}));
  auto flat = flatten(gap);
  EXPECT_EQ(flat.getType(), tensor({2, 8}));
  EXPECT_EQ(reshape(pooled, {2, -1}).getType(), tensor({2, 512}));
  EXPECT_EQ(transpose(pooled, {0, 2, 3, 1}).getType(), tensor({2, 8, 8, 8}));
  EXPECT_EQ(concat({flat, flat, flat}, -1).getType(), tensor({2, 24}));
  EXPECT_EQ(matmul(flat, g.constant("m", {8, 4}, filled(32, 1))).getType(),
            tensor({2, 4}));

  // Broadcasting arithmetic, with tensors and with scalars.
  auto bias = g.constant("bias", {8}, filled(8, 0.5f));
  EXPECT_EQ((flat + bias).getType(), tensor({2, 8}));
  EXPECT_EQ((2.0f * flat - 1.0f).getType(), tensor({2, 8}));
  EXPECT_EQ((flat / bias * flat).getType(), tensor({2, 8}));

  // Activations keep the type; negative axes are normalized.
  auto act = gelu(tanh(sigmoid(leakyRelu(clip(flat, 0, 6)))));
  EXPECT_EQ(act.getType(), tensor({2, 8}));
  auto probs = softmax(act);
  auto softmaxOp = cast<SoftmaxOp>(probs.getValue().getDefiningOp());
  EXPECT_EQ(softmaxOp.getAxis(), 1u);
  auto normed = layerNorm(act, bias, bias);
  EXPECT_EQ(cast<LayerNormOp>(normed.getValue().getDefiningOp()).getAxis(), 1u);
  g.output("probs", probs);
  g.output("normed", normed);

  EXPECT_TRUE(succeeded(g.finish()));
  EXPECT_FALSE(g.hasFailed());
}

TEST(BuilderTest, ConstantsFollowTheImporter) {
  octet::Graph g("consts");
  // Up to 16 elements stay inline, larger constants and all weights are
  // resource blobs.
  auto small = g.constant("small", {2, 8}, filled(16, 1.0f));
  auto large = g.constant("large", {17}, filled(17, 1.0f));
  auto weight = g.weight("tiny.weight", {1}, {3.0f});
  auto valueOf = [](Tensor t) {
    return cast<ConstantOp>(t.getValue().getDefiningOp()).getValue();
  };
  EXPECT_TRUE(isa<DenseElementsAttr>(valueOf(small)));
  EXPECT_TRUE(isa<DenseResourceElementsAttr>(valueOf(large)));
  auto blob = dyn_cast<DenseF32ResourceElementsAttr>(valueOf(weight));
  ASSERT_TRUE(blob);
  std::optional<ArrayRef<float>> data = blob.tryGetAsArrayRef();
  ASSERT_TRUE(data);
  EXPECT_EQ(*data, ArrayRef<float>({3.0f}));
}

TEST(BuilderTest, OpsAreNamed) {
  octet::Graph g("named");
  auto x = g.input("x", octet::f32({1, 4}));
  auto w = g.weight("w", {4, 4}, filled(16, 1));
  auto a = linear(x, w);
  auto b = linear(a, w, {}, "head");
  auto c = relu(linear(b, w));
  g.output("y", c);
  auto nameOf = [](Tensor t) {
    return cast<NameLoc>(t.getValue().getDefiningOp()->getLoc())
        .getName()
        .str();
  };
  EXPECT_EQ(nameOf(a), "fc1");
  EXPECT_EQ(nameOf(b), "head");
  EXPECT_EQ(nameOf(c), "relu1");
  EXPECT_EQ(nameOf(w), "w");
  EXPECT_TRUE(succeeded(g.finish()));
}

TEST(BuilderTest, WrongShapeLinearIsADiagnostic) {
  octet::Graph g("bad");
  DiagnosticCollector diags(g.getContext());
  auto x = g.input("x", octet::f32({64, 1000}));
  auto w1 = g.weight("w1", {256, 999}, filled(256 * 999, 0.01f));
  auto h = linear(x, w1);
  EXPECT_FALSE(h);
  EXPECT_TRUE(g.hasFailed());
  ASSERT_EQ(diags.messages.size(), 1u);
  EXPECT_EQ(diags.messages[0],
            "'octet.gemm' op expects matching contraction dimensions, got A "
            "[64, 1000] and B [256, 999]");
  EXPECT_EQ(diags.locations[0], "fc1");

  // Everything after the failure is a quiet no-op.
  auto y = softmax(relu(linear(h, w1)) + 1.0f);
  EXPECT_FALSE(y);
  EXPECT_FALSE(g.input("z", octet::f32({1})));
  EXPECT_FALSE(g.weight("w2", {2}, {1.0f, 2.0f}));
  g.output("y", y);
  EXPECT_TRUE(failed(g.finish()));
  EXPECT_TRUE(failed(g.module()));
  std::string text;
  llvm::raw_string_ostream os(text);
  EXPECT_TRUE(failed(g.print(os)));
  EXPECT_TRUE(text.empty());
  EXPECT_EQ(diags.messages.size(), 1u);
}

/// Runs `build` on a fresh graph and returns its diagnostics; the graph
/// must end up failed.
template <typename Fn> std::vector<std::string> errorsOf(Fn build) {
  octet::Graph g("g");
  DiagnosticCollector diags(g.getContext());
  build(g);
  EXPECT_TRUE(failed(g.finish()));
  return diags.messages;
}

TEST(BuilderTest, VerifierRulesAreDiagnostics) {
  // Rules that live in verifiers rather than in shape inference.
  auto clipErrors = errorsOf([](Graph &g) {
    g.output("y", clip(g.input("x", octet::f32({4})), 6, 0));
  });
  ASSERT_FALSE(clipErrors.empty());
  EXPECT_EQ(clipErrors[0], "'octet.clip' op expects min <= max, got "
                           "6.000000e+00 > 0.000000e+00");

  auto softmaxErrors = errorsOf([](Graph &g) {
    g.output("y", softmax(g.input("x", octet::f32({2, 4})), 2));
  });
  ASSERT_FALSE(softmaxErrors.empty());
  EXPECT_EQ(softmaxErrors[0], "'octet.softmax' op expects axis in [0, 2), "
                              "got 2");

  auto typeErrors = errorsOf(
      [](Graph &g) { g.output("y", relu(g.input("x", octet::i64({4})))); });
  ASSERT_FALSE(typeErrors.empty());
  EXPECT_NE(typeErrors[0].find("'octet.relu' op operand #0 must be"),
            std::string::npos);

  auto reshapeErrors = errorsOf([](Graph &g) {
    g.output("y", reshape(g.input("x", octet::f32({2, 3})), {4, -1}));
  });
  ASSERT_EQ(reshapeErrors.size(), 1u);
  EXPECT_EQ(reshapeErrors[0], "'octet.reshape' op cannot infer the -1 "
                              "dimension of the target shape for 6 elements");
}

TEST(BuilderTest, MisuseIsADiagnostic) {
  auto twoGraphs = errorsOf([](Graph &g) {
    octet::Graph other("other");
    auto a = g.input("a", octet::f32({4}));
    auto b = other.input("b", octet::f32({4}));
    g.output("y", a + b);
  });
  ASSERT_EQ(twoGraphs.size(), 1u);
  EXPECT_EQ(twoGraphs[0], "'octet.add' op expects operands of graph 'g', but "
                          "operand #1 belongs to graph 'other'");

  auto emptyOperand = errorsOf([](Graph &g) {
    g.output("y", linear(g.input("x", octet::f32({1, 4})), Tensor()));
  });
  ASSERT_EQ(emptyOperand.size(), 1u);
  EXPECT_EQ(emptyOperand[0], "'octet.gemm' op expects a tensor for operand "
                             "#1, got an empty handle");

  auto badConstant = errorsOf([](Graph &g) {
    g.output("y", g.constant("c", {2, 3}, {1.0f, 2.0f}));
  });
  ASSERT_EQ(badConstant.size(), 1u);
  EXPECT_EQ(badConstant[0],
            "constant 'c' has 2 values, but shape [2, 3] needs 6");

  auto noOutputs = errorsOf([](Graph &g) { g.input("x", octet::f32({1})); });
  ASSERT_EQ(noOutputs.size(), 1u);
  EXPECT_EQ(noOutputs[0], "graph 'g' has no outputs");

  // Adding to a finished graph fails it rather than corrupting the IR.
  octet::Graph g("done");
  DiagnosticCollector diags(g.getContext());
  auto x = g.input("x", octet::f32({4}));
  g.output("y", relu(x));
  ASSERT_TRUE(succeeded(g.finish()));
  EXPECT_FALSE(relu(x));
  ASSERT_EQ(diags.messages.size(), 1u);
  EXPECT_EQ(diags.messages[0], "cannot add to graph 'done' after it was "
                               "finished");
  EXPECT_TRUE(failed(g.module()));
}

TEST(BuilderTest, PrintedModuleParsesBack) {
  MLIRContext context;
  std::string text;
  {
    octet::Graph g(&context, "net");
    auto x = g.input("x", octet::f32({1, 20}));
    auto w = g.weight("fc.weight", {3, 20}, filled(60, 0.25f));
    g.output("y", linear(x, w));
    llvm::raw_string_ostream os(text);
    ASSERT_TRUE(succeeded(g.print(os)));
  }
  EXPECT_NE(text.find("dense_resource<fc.weight>"), std::string::npos);
  EXPECT_NE(text.find("dialect_resources"), std::string::npos);
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, &context);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(succeeded(verify(*parsed)));
}

TEST(BuilderTest, TakeModuleNeedsTheCallersContext) {
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  {
    octet::Graph g(&context, "net");
    g.output("y", relu(g.input("x", octet::f32({3}))));
    auto taken = g.takeModule();
    ASSERT_TRUE(succeeded(taken));
    module = std::move(*taken);
  }
  // The module outlives its graph.
  EXPECT_TRUE(succeeded(verify(*module)));

  octet::Graph owning("owning");
  DiagnosticCollector diags(owning.getContext());
  owning.output("y", relu(owning.input("x", octet::f32({3}))));
  EXPECT_TRUE(failed(owning.takeModule()));
  ASSERT_EQ(diags.messages.size(), 1u);
  EXPECT_EQ(diags.messages[0],
            "takeModule needs a graph built on the caller's MLIRContext");
}

//===----------------------------------------------------------------------===//
// The .npy reader
//===----------------------------------------------------------------------===//

/// A `.npy` file: `dict` is the header dictionary, padded as numpy pads it.
std::string npyFile(StringRef dict, StringRef data, int major = 1) {
  std::string header = dict.str();
  size_t preamble = major == 1 ? 10 : 12;
  while ((preamble + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::string file = "\x93NUMPY";
  file += char(major);
  file += char(0);
  size_t length = header.size();
  file += char(length & 0xff);
  file += char((length >> 8) & 0xff);
  if (major != 1) {
    file += char(0);
    file += char(0);
  }
  return file + header + data.str();
}

/// Little-endian bytes of `values`.
template <typename T> std::string bytesOf(ArrayRef<T> values) {
  std::string bytes;
  for (T v : values) {
    char raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    if (llvm::sys::IsBigEndianHost)
      std::reverse(raw, raw + sizeof(T));
    bytes.append(raw, sizeof(T));
  }
  return bytes;
}

/// The error message of a failed parse (or "" when it succeeded).
std::string parseError(StringRef file) {
  llvm::Expected<NpyArray> array = parseNpy(file, "t.npy");
  if (array)
    return "";
  return llvm::toString(array.takeError());
}

const char *kF32Dict =
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

TEST(NpyTest, ReadsVersion1) {
  std::vector<float> values = {1, 2, 3, 4, 5, 6.5f};
  std::string file = npyFile(kF32Dict, bytesOf<float>(values));
  llvm::Expected<NpyArray> array = parseNpy(file, "t.npy");
  ASSERT_TRUE(static_cast<bool>(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->dtype, NpyDType::f32);
  EXPECT_EQ(ArrayRef<int64_t>(array->shape), ArrayRef<int64_t>({2, 3}));
  EXPECT_EQ(array->getNumElements(), 6);
  llvm::Expected<std::vector<float>> floats = array->toF32();
  ASSERT_TRUE(static_cast<bool>(floats));
  EXPECT_EQ(*floats, values);
}

TEST(NpyTest, ReadsVersion2AndOtherDtypes) {
  std::string file =
      npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
              bytesOf<int64_t>({-1, 0, int64_t(1) << 40}), /*major=*/2);
  llvm::Expected<NpyArray> array = parseNpy(file, "t.npy");
  ASSERT_TRUE(static_cast<bool>(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->dtype, NpyDType::i64);
  EXPECT_EQ(array->getNumElements(), 3);

  // A scalar, and float64 narrowed to float32.
  std::string scalar =
      npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
              bytesOf<double>({0.5}));
  llvm::Expected<NpyArray> f64 = parseNpy(scalar, "s.npy");
  ASSERT_TRUE(static_cast<bool>(f64)) << llvm::toString(f64.takeError());
  EXPECT_TRUE(f64->shape.empty());
  llvm::Expected<std::vector<float>> floats = f64->toF32();
  ASSERT_TRUE(static_cast<bool>(floats));
  EXPECT_EQ(*floats, std::vector<float>({0.5f}));

  std::string huge =
      npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
              bytesOf<double>({1e300}));
  llvm::Expected<NpyArray> hugeArray = parseNpy(huge, "h.npy");
  ASSERT_TRUE(static_cast<bool>(hugeArray));
  llvm::Expected<std::vector<float>> overflow = hugeArray->toF32();
  ASSERT_FALSE(static_cast<bool>(overflow));
  EXPECT_NE(llvm::toString(overflow.takeError()).find("outside the f32 range"),
            std::string::npos);
}

TEST(NpyTest, RejectsTruncatedFiles) {
  std::string file = npyFile(kF32Dict, bytesOf<float>({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(parseError(StringRef(file).drop_back(1)),
            "t.npy: truncated data: shape (2, 3) of '<f4' needs 24 bytes, "
            "the file has 23");
  // Cut inside the header, inside the header length, and after the magic.
  EXPECT_EQ(parseError(StringRef(file).take_front(40)),
            "t.npy: truncated in the header: it needs 118 bytes, 30 remain");
  EXPECT_EQ(parseError(StringRef(file).take_front(9)),
            "t.npy: truncated in the header length");
  EXPECT_EQ(parseError(StringRef(file).take_front(6)),
            "t.npy: truncated in the format version");
  EXPECT_EQ(parseError(file + "xx"),
            "t.npy: 2 unexpected bytes after the data of shape (2, 3)");
}

TEST(NpyTest, RejectsUnsupportedDtypes) {
  for (StringRef descr : {"'>f4'", "'<u2'", "'<f2'", "'|b1'"}) {
    std::string dict =
        ("{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }")
            .str();
    std::string error = parseError(npyFile(dict, "xxxx"));
    EXPECT_NE(error.find("t.npy: unsupported dtype " + descr.str()),
              std::string::npos)
        << error;
  }
  EXPECT_EQ(parseError(npyFile("{'descr': [('a', '<f4')], 'fortran_order': "
                               "False, 'shape': (1,), }",
                               "xxxx")),
            "t.npy: structured dtypes are not supported");
}

TEST(NpyTest, RejectsFortranOrder) {
  std::string file =
      npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
              bytesOf<float>({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(parseError(file),
            "t.npy: Fortran-order arrays are not supported; save a C-order "
            "array (numpy.ascontiguousarray)");
}

TEST(NpyTest, RejectsBadMagicAndBadHeaders) {
  std::string file = npyFile(kF32Dict, bytesOf<float>({1, 2, 3, 4, 5, 6}));
  std::string badMagic = file;
  badMagic[1] = 'M';
  EXPECT_EQ(parseError(badMagic), "t.npy: not a .npy file (bad magic string)");
  EXPECT_EQ(parseError(""), "t.npy: not a .npy file (bad magic string)");

  std::string badVersion = file;
  badVersion[6] = 4;
  EXPECT_EQ(parseError(badVersion),
            "t.npy: unsupported .npy format version 4.0");

  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'shape': (1,), }", "xxxx")),
            "t.npy: the header has no 'fortran_order' key");
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (-1,), }",
                               "")),
            "t.npy: negative dimension in 'shape'");
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (1,), 'extra': 1}",
                               "xxxx")),
            "t.npy: unexpected key 'extra' in the header");
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (4611686018427387904, 4), }",
                               "")),
            "t.npy: shape (4611686018427387904, 4) is too large");
}

TEST(NpyTest, IntegerArraysKeepTheirType) {
  std::string file =
      npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
              bytesOf<int64_t>({3, -4}));
  llvm::Expected<NpyArray> array = parseNpy(file, "t.npy");
  ASSERT_TRUE(static_cast<bool>(array)) << llvm::toString(array.takeError());
  octet::Graph g("ints");
  DiagnosticCollector diags(g.getContext());
  auto ids = g.weight("ids", *array);
  ASSERT_TRUE(ids);
  EXPECT_EQ(ids.getType(),
            RankedTensorType::get({2}, IntegerType::get(g.getContext(), 64)));

  // A hand-made array whose bytes disagree with its shape is refused.
  NpyArray bad = *array;
  bad.shape = {3};
  EXPECT_FALSE(g.weight("bad", bad));
  ASSERT_EQ(diags.messages.size(), 1u);
  EXPECT_EQ(diags.messages[0],
            "constant 'bad' has 2 values, but shape [3] needs 3");
}

TEST(NpyTest, GraphLoadsNpyFiles) {
  llvm::SmallString<128> path;
  int fd;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("builder-test", "npy", fd, path));
  llvm::FileRemover remover(path);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << npyFile(kF32Dict, bytesOf<float>({1, 2, 3, 4, 5, 6}));
  }

  octet::Graph g("npy");
  DiagnosticCollector diags(g.getContext());
  auto w = g.loadNpy("w", path);
  ASSERT_TRUE(w);
  EXPECT_EQ(w.getType(),
            RankedTensorType::get({2, 3}, Float32Type::get(g.getContext())));
  auto blob = cast<DenseF32ResourceElementsAttr>(
      cast<ConstantOp>(w.getValue().getDefiningOp()).getValue());
  EXPECT_EQ(*blob.tryGetAsArrayRef(), ArrayRef<float>({1, 2, 3, 4, 5, 6}));

  // A missing file is a diagnostic at the weight, and fails the graph.
  EXPECT_FALSE(g.loadNpy("missing", std::string(path) + ".absent"));
  ASSERT_EQ(diags.messages.size(), 1u);
  EXPECT_EQ(diags.locations[0], "missing");
  EXPECT_NE(diags.messages[0].find("cannot load weight 'missing': cannot "
                                   "open '"),
            std::string::npos);
  EXPECT_TRUE(failed(g.finish()));
}

} // namespace
