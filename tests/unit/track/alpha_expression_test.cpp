// The safe transition-curve evaluator: values of the documented expressions, refusal of anything else.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "resound/track/alpha_expression.hpp"

namespace resound::track {
namespace {

double evaluate(const char* text, double alpha) {
  auto expression = AlphaExpression::compile(text);
  EXPECT_TRUE(expression.has_value()) << text;
  return expression ? expression->evaluate(alpha) : NAN;
}

TEST(AlphaExpression, EvaluatesNumpyStyleCurves) {
  EXPECT_NEAR(evaluate("np.sin(alpha*np.pi/2)", 0.5), std::sin(std::numbers::pi / 4), 1e-12);
  EXPECT_NEAR(evaluate("alpha**2", 0.3), 0.09, 1e-12);
  EXPECT_NEAR(evaluate("-alpha**2 + 1", 0.5), 0.75, 1e-12);  // ** binds tighter than unary minus, as Python
  EXPECT_NEAR(evaluate("np.clip(alpha * 2, 0, 1)", 0.7), 1.0, 1e-12);
  EXPECT_NEAR(evaluate("math.sqrt(alpha)", 0.25), 0.5, 1e-12);
  EXPECT_NEAR(evaluate("np.power(alpha, 3)", 0.5), 0.125, 1e-12);
  EXPECT_NEAR(evaluate("np.maximum(alpha, 0.2) - np.minimum(alpha, 0.1)", 0.05), 0.15, 1e-12);
  EXPECT_NEAR(evaluate("(1 - np.cos(alpha * np.pi)) / 2", 1.0), 1.0, 1e-12);
  EXPECT_NEAR(evaluate("np.log(1 + alpha * (np.e - 1))", 1.0), 1.0, 1e-12);
  EXPECT_NEAR(evaluate("1e-1 * alpha", 1.0), 0.1, 1e-12);
}

TEST(AlphaExpression, RefusesCodeAndNames) {
  for (const char* text : {"__import__('os')", "alpha.__class__", "open('x')", "x", "alpha +", "np.sin(alpha",
                           "lambda: 1", "alpha; 1", "[alpha]", "np.random.rand()", "sin(alpha, 2)"})
    EXPECT_FALSE(AlphaExpression::compile(text).has_value()) << text;
  std::string deep(500, '(');
  EXPECT_FALSE(AlphaExpression::compile(deep + "alpha" + std::string(500, ')')).has_value());
}

}  // namespace
}  // namespace resound::track
