//===- ShapeInferenceTest.cpp - Unit tests of the shared shape rules ------===//

#include "octet/IR/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
/// Collects the diagnostics a shape rule emits, so tests can assert on them.
class ShapeInferenceTest : public ::testing::Test {
protected:
  ShapeInferenceTest()
      : handler(&context, [this](Diagnostic &diag) {
          messages.push_back(diag.str());
          return success();
        }) {}

  ShapeContext ctx(StringRef op = "octet.test") {
    return {UnknownLoc::get(&context), op};
  }

  MLIRContext context;
  ScopedDiagnosticHandler handler;
  std::vector<std::string> messages;
};

TEST_F(ShapeInferenceTest, BroadcastAlignsTrailingDimensions) {
  auto shape = inferBroadcastShape(ctx(), {8, 1, 6, 1}, {7, 1, 5});
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({8, 7, 6, 5}));
  EXPECT_TRUE(succeeded(inferBroadcastShape(ctx(), {}, {3})));
}

TEST_F(ShapeInferenceTest, BroadcastRejectsMismatch) {
  EXPECT_TRUE(failed(inferBroadcastShape(ctx("octet.add"), {2, 3}, {4})));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], "'octet.add' op expects broadcastable shapes, got "
                         "[2, 3] and [4]");
}

TEST_F(ShapeInferenceTest, ConvOutputFollowsOnnxFormula) {
  // ResNet-18 stem: 7x7 stride 2 pad 3 on 224x224 gives 112x112.
  auto shape =
      inferConv2DShape(ctx(), {1, 3, 224, 224}, {64, 3, 7, 7},
                       ArrayRef<int64_t>{64}, {2, 2}, {1, 1}, {3, 3, 3, 3}, 1);
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({1, 64, 112, 112}));
  // Depthwise, dilated: effective kernel 5.
  shape = inferConv2DShape(ctx(), {2, 32, 10, 12}, {32, 1, 3, 3}, std::nullopt,
                           {1, 1}, {2, 2}, {0, 0, 0, 0}, 32);
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({2, 32, 6, 8}));
}

TEST_F(ShapeInferenceTest, ConvRejectsBadGroups) {
  EXPECT_TRUE(
      failed(inferConv2DShape(ctx(), {1, 6, 8, 8}, {4, 3, 3, 3}, std::nullopt,
                              {1, 1}, {1, 1}, {0, 0, 0, 0}, 4)));
  EXPECT_TRUE(
      failed(inferConv2DShape(ctx(), {1, 6, 8, 8}, {4, 2, 3, 3}, std::nullopt,
                              {1, 1}, {1, 1}, {0, 0, 0, 0}, 2)));
  EXPECT_EQ(messages.size(), 2u);
}

TEST_F(ShapeInferenceTest, PoolCeilModeDropsWindowsStartingInPadding) {
  auto floor = inferPool2DShape(ctx(), {1, 1, 5, 5}, {2, 2}, {2, 2}, {1, 1},
                                {0, 0, 0, 0}, false);
  auto ceil = inferPool2DShape(ctx(), {1, 1, 5, 5}, {2, 2}, {2, 2}, {1, 1},
                               {0, 0, 0, 0}, true);
  ASSERT_TRUE(succeeded(floor) && succeeded(ceil));
  EXPECT_EQ(*floor, Shape({1, 1, 2, 2}));
  EXPECT_EQ(*ceil, Shape({1, 1, 3, 3}));
  // 4 + 1 end pad, k=2, s=2: a third window would start in the padding.
  auto padded = inferPool2DShape(ctx(), {1, 1, 4, 4}, {2, 2}, {2, 2}, {1, 1},
                                 {0, 0, 1, 1}, true);
  ASSERT_TRUE(succeeded(padded));
  EXPECT_EQ(*padded, Shape({1, 1, 2, 2}));
}

TEST_F(ShapeInferenceTest, MatMulPromotesVectorsAndBroadcastsBatches) {
  auto shape = inferMatMulShape(ctx(), {4, 1, 128, 64}, {12, 64, 32});
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({4, 12, 128, 32}));
  shape = inferMatMulShape(ctx(), {64}, {64, 10});
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({10}));
  shape = inferMatMulShape(ctx(), {3, 64}, {64});
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({3}));
  EXPECT_TRUE(failed(inferMatMulShape(ctx(), {3, 5}, {4, 2})));
}

TEST_F(ShapeInferenceTest, GemmTransposesAndChecksBias) {
  auto shape = inferGemmShape(ctx(), {10, 64}, {32, 10}, ArrayRef<int64_t>{32},
                              true, true);
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({64, 32}));
  // C may not grow the result.
  EXPECT_TRUE(failed(inferGemmShape(ctx(), {2, 3}, {3, 4},
                                    ArrayRef<int64_t>{5, 2, 4}, false, false)));
}

TEST_F(ShapeInferenceTest, ReduceKeepsOrDropsAxes) {
  auto keep = inferReduceShape(ctx(), {2, 3, 4}, {1}, true);
  auto drop = inferReduceShape(ctx(), {2, 3, 4}, {0, 2}, false);
  auto all = inferReduceShape(ctx(), {2, 3, 4}, {}, false);
  ASSERT_TRUE(succeeded(keep) && succeeded(drop) && succeeded(all));
  EXPECT_EQ(*keep, Shape({2, 1, 4}));
  EXPECT_EQ(*drop, Shape({3}));
  EXPECT_EQ(*all, Shape({}));
  EXPECT_TRUE(failed(inferReduceShape(ctx(), {2, 3}, {1, 0}, true)));
}

TEST_F(ShapeInferenceTest, SliceHandlesNegativeSteps) {
  auto shape = inferSliceShape(ctx(), {10, 8}, {9, 0}, {-1, 8}, {-3, 3});
  ASSERT_TRUE(succeeded(shape));
  EXPECT_EQ(*shape, Shape({4, 3}));
  EXPECT_TRUE(failed(inferSliceShape(ctx(), {4}, {0}, {5}, {1})));
}

TEST_F(ShapeInferenceTest, SqueezeUnsqueezeAndTranspose) {
  auto sq = inferSqueezeShape(ctx(), {1, 3, 1, 2}, {});
  ASSERT_TRUE(succeeded(sq));
  EXPECT_EQ(*sq, Shape({3, 2}));
  auto unsq = inferUnsqueezeShape(ctx(), {3, 2}, {0, 3});
  ASSERT_TRUE(succeeded(unsq));
  EXPECT_EQ(*unsq, Shape({1, 3, 2, 1}));
  auto tr = inferTransposeShape(ctx(), {1, 2, 3}, {2, 0, 1});
  ASSERT_TRUE(succeeded(tr));
  EXPECT_EQ(*tr, Shape({3, 1, 2}));
  EXPECT_TRUE(failed(inferTransposeShape(ctx(), {1, 2, 3}, {0, 0, 1})));
}

TEST_F(ShapeInferenceTest, RnnShapes) {
  RnnOperandShapes s;
  int64_t x[] = {24, 2, 4}, w[] = {2, 96, 4}, r[] = {2, 96, 32};
  s.x = x;
  s.w = w;
  s.r = r;
  auto shapes = inferRnnShapes(ctx(), s, 3, 32, 2);
  ASSERT_TRUE(succeeded(shapes));
  EXPECT_EQ(shapes->first, Shape({24, 2, 2, 32}));
  EXPECT_EQ(shapes->second, Shape({2, 2, 32}));
  EXPECT_TRUE(failed(inferRnnShapes(ctx(), s, 4, 32, 2)));
}

TEST_F(ShapeInferenceTest, ReshapeDetectsOverflow) {
  int64_t huge = int64_t(1) << 40;
  EXPECT_TRUE(failed(verifyReshapeShapes(ctx(), {huge, huge}, {1})));
  EXPECT_TRUE(succeeded(verifyReshapeShapes(ctx(), {2, 6}, {3, 4})));
}
} // namespace
