//===- DialectTest.cpp - Building, folding and printing octet ops in C++ ===//

#include "octet/IR/OctetDialect.h"
#include "octet/IR/OctetOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
class DialectTest : public ::testing::Test {
protected:
  DialectTest() { context.loadDialect<OctetDialect, func::FuncDialect>(); }
  MLIRContext context;
};

TEST_F(DialectTest, BuilderInfersConvResultType) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  auto module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  auto f32 = b.getF32Type();
  auto inType = RankedTensorType::get({1, 3, 32, 32}, f32);
  auto func =
      func::FuncOp::create(b, loc, "f", b.getFunctionType({inType}, {}));
  b.setInsertionPointToEnd(func.addEntryBlock());
  auto weight = ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({8, 3, 3, 3}, f32),
                             b.getF32FloatAttr(0.5f)));
  auto conv = Conv2DOp::create(b, loc, func.getArgument(0), weight,
                               /*bias=*/Value(), b.getDenseI64ArrayAttr({2, 2}),
                               b.getDenseI64ArrayAttr({1, 1}),
                               b.getDenseI64ArrayAttr({1, 1, 1, 1}),
                               b.getI64IntegerAttr(1), ActivationAttr());
  func::ReturnOp::create(b, loc);
  EXPECT_EQ(conv.getType(), RankedTensorType::get({1, 8, 16, 16}, f32));
  EXPECT_TRUE(succeeded(verify(module)));
  module->erase();
}

TEST_F(DialectTest, InferenceRejectsNonTensorOperands) {
  // C++ callers can hand inference any value; it must diagnose, not crash.
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    messages.push_back(diag.str());
    return success();
  });
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  auto module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(
      b, loc, "f", b.getFunctionType({b.getF32Type(), b.getF32Type()}, {}));
  Block *body = func.addEntryBlock();
  SmallVector<Type> types;
  MatMulOp::Adaptor adaptor(body->getArguments());
  EXPECT_TRUE(
      failed(MatMulOp::inferReturnTypes(&context, loc, adaptor, types)));
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], "'octet.matmul' op expects lhs to be a ranked tensor");
  EXPECT_EQ(messages[1], "'octet.matmul' op expects rhs to be a ranked tensor");
  module->erase();
}

TEST_F(DialectTest, TransposeOfTransposeFolds) {
  const char *source = R"mlir(
    func.func @f(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
      %a = octet.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
      %b = octet.transpose %a {perm = array<i64: 1, 2, 0>} : tensor<4x2x3xf32> -> tensor<2x3x4xf32>
      return %b : tensor<2x3x4xf32>
    })mlir";
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  ASSERT_TRUE(module);
  auto func = cast<func::FuncOp>(module->getBody()->front());
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  auto outer = ret.getOperand(0).getDefiningOp<TransposeOp>();
  SmallVector<OpFoldResult> results;
  ASSERT_TRUE(succeeded(outer->fold(results)));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(dyn_cast<Value>(results[0]), func.getArgument(0));
}

TEST_F(DialectTest, ActivationAttrRoundTripsParameters) {
  auto attr = ActivationAttr::get(&context, ActivationKind::clip, APFloat(0.0),
                                  APFloat(6.0));
  std::string text;
  llvm::raw_string_ostream os(text);
  Attribute(attr).print(os);
  EXPECT_EQ(text, "#octet.act<clip, 0.000000e+00, 6.000000e+00>");
  Attribute parsed = parseAttribute(text, &context);
  EXPECT_EQ(parsed, attr);
}
} // namespace
