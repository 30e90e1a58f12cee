// AlphaExpression: a small, safe evaluator for user transition curves such as "np.sin(alpha*np.pi/2)".
#pragma once

#include <string_view>
#include <vector>

#include "resound/core/expected.hpp"

namespace resound::track {

/// Compiles an expression of one variable `alpha` into a tiny stack program. Accepted: numbers,
/// `alpha`, `pi`/`e` (optionally `np.`/`math.` prefixed), + - * / ** and unary minus, parentheses,
/// and the functions sin cos tan exp log sqrt abs power/pow clip minimum/min maximum/max, with or
/// without the `np.`/`math.`/`numpy.` prefix. Anything else is an error: no names, attributes or
/// calls outside this list are evaluated, so no code runs.
/// Thread contract: compile OFF/CT; evaluate is const and RT-safe.
class AlphaExpression {
 public:
  static Expected<AlphaExpression> compile(std::string_view text);
  [[nodiscard]] double evaluate(double alpha) const noexcept;

  enum class Op : unsigned char { kConst, kAlpha, kAdd, kSub, kMul, kDiv, kPow, kNeg, kSin, kCos, kTan, kExp, kLog,
                                  kSqrt, kAbs, kClip, kMin, kMax };
  struct Instruction {
    Op op;
    double value = 0.0;
  };

 private:
  std::vector<Instruction> program_;
  std::size_t max_depth_ = 0;
};

}  // namespace resound::track
