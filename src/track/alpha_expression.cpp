// Recursive-descent compiler and stack evaluator for transition-curve expressions (no eval, no names beyond a list).
#include "resound/track/alpha_expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numbers>
#include <string>

namespace resound::track {
namespace {

using Op = AlphaExpression::Op;
using Instruction = AlphaExpression::Instruction;

constexpr std::size_t kMaxLength = 1000;
constexpr int kMaxNesting = 64;

class Compiler {
 public:
  explicit Compiler(std::string_view text) : text_(text) {}

  Expected<std::vector<Instruction>> run() {
    if (text_.size() > kMaxLength) return fail("expression too long");
    auto parsed = expression();
    if (!parsed) return parsed.error();
    skip_space();
    if (position_ != text_.size()) return fail("unexpected text");
    return program_;
  }

 private:
  Error fail(const std::string& message) const {
    return Error(ErrorCode::kInvalidArgument,
                 "transition_curve: " + message + " at character " + std::to_string(position_) + " of \"" +
                     std::string(text_) + "\"");
  }
  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
  }
  bool accept(std::string_view token) {
    skip_space();
    if (text_.substr(position_, token.size()) == token) {
      position_ += token.size();
      return true;
    }
    return false;
  }
  void emit(Op op, double value = 0.0) { program_.push_back({op, value}); }

  // expression := term (('+'|'-') term)*
  Expected<void> expression() {
    if (++depth_ > kMaxNesting) return fail("expression nested too deeply");
    RESOUND_TRY_VOID(term());
    while (true) {
      if (accept("+")) {
        RESOUND_TRY_VOID(term());
        emit(Op::kAdd);
      } else if (accept("-")) {
        RESOUND_TRY_VOID(term());
        emit(Op::kSub);
      } else {
        break;
      }
    }
    --depth_;
    return ok();
  }
  // term := unary (('*'|'/') unary)*   ('**' belongs to power)
  Expected<void> term() {
    RESOUND_TRY_VOID(unary());
    while (true) {
      skip_space();
      if (text_.substr(position_, 2) == "**") break;
      if (accept("*")) {
        RESOUND_TRY_VOID(unary());
        emit(Op::kMul);
      } else if (accept("/")) {
        RESOUND_TRY_VOID(unary());
        emit(Op::kDiv);
      } else {
        break;
      }
    }
    return ok();
  }
  // unary := ('-'|'+') unary | power      (Python: -x**2 == -(x**2))
  Expected<void> unary() {
    if (++depth_ > kMaxNesting) return fail("expression nested too deeply");
    if (accept("-")) {
      RESOUND_TRY_VOID(unary());
      emit(Op::kNeg);
    } else if (accept("+")) {
      RESOUND_TRY_VOID(unary());
    } else {
      RESOUND_TRY_VOID(power());
    }
    --depth_;
    return ok();
  }
  // power := primary ('**' unary)?   (right associative)
  Expected<void> power() {
    RESOUND_TRY_VOID(primary());
    if (accept("**")) {
      RESOUND_TRY_VOID(unary());
      emit(Op::kPow);
    }
    return ok();
  }
  Expected<void> primary() {
    skip_space();
    if (position_ >= text_.size()) return fail("unexpected end");
    const char c = text_[position_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (accept("(")) {
      RESOUND_TRY_VOID(expression());
      if (!accept(")")) return fail("expected ')'");
      return ok();
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') return name();
    return fail("unexpected character");
  }
  Expected<void> number() {
    const std::string rest(text_.substr(position_, 64));
    std::size_t used = 0;
    double value = 0.0;
    try {
      value = std::stod(rest, &used);
    } catch (...) {
      return fail("bad number");
    }
    position_ += used;
    emit(Op::kConst, value);
    return ok();
  }
  std::string identifier() {
    std::string name;
    while (position_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_'))
      name.push_back(text_[position_++]);
    return name;
  }
  Expected<void> name() {
    std::string word = identifier();
    if (word == "np" || word == "numpy" || word == "math") {
      if (!accept(".")) return fail("expected '.' after " + word);
      skip_space();
      word = identifier();
    }
    if (word == "alpha") {
      emit(Op::kAlpha);
      return ok();
    }
    if (word == "pi") {
      emit(Op::kConst, std::numbers::pi);
      return ok();
    }
    if (word == "e") {
      emit(Op::kConst, std::numbers::e);
      return ok();
    }
    struct Function {
      std::string_view name;
      Op op;
      int arguments;
    };
    static constexpr std::array<Function, 15> kFunctions = {{{"sin", Op::kSin, 1},      {"cos", Op::kCos, 1},
                                                             {"tan", Op::kTan, 1},      {"exp", Op::kExp, 1},
                                                             {"log", Op::kLog, 1},      {"sqrt", Op::kSqrt, 1},
                                                             {"abs", Op::kAbs, 1},      {"fabs", Op::kAbs, 1},
                                                             {"power", Op::kPow, 2},    {"pow", Op::kPow, 2},
                                                             {"clip", Op::kClip, 3},    {"minimum", Op::kMin, 2},
                                                             {"min", Op::kMin, 2},      {"maximum", Op::kMax, 2},
                                                             {"max", Op::kMax, 2}}};
    for (const auto& function : kFunctions) {
      if (word != function.name) continue;
      if (!accept("(")) return fail("expected '(' after " + word);
      for (int argument = 0; argument < function.arguments; ++argument) {
        if (argument > 0 && !accept(",")) return fail("expected ',' in " + word + "()");
        RESOUND_TRY_VOID(expression());
      }
      if (!accept(")")) return fail("expected ')' after the arguments of " + word);
      emit(function.op);
      return ok();
    }
    return fail("unknown name '" + word + "'");
  }

  std::string_view text_;
  std::size_t position_ = 0;
  int depth_ = 0;
  std::vector<Instruction> program_;
};

}  // namespace

Expected<AlphaExpression> AlphaExpression::compile(std::string_view text) {
  auto program = Compiler(text).run();
  if (!program) return program.error();
  AlphaExpression expression;
  expression.program_ = std::move(*program);
  std::size_t depth = 0;
  for (const auto& instruction : expression.program_) {
    switch (instruction.op) {
      case Op::kConst:
      case Op::kAlpha: ++depth; break;
      case Op::kNeg: case Op::kSin: case Op::kCos: case Op::kTan: case Op::kExp: case Op::kLog: case Op::kSqrt:
      case Op::kAbs: break;
      case Op::kClip: depth -= 2; break;
      default: --depth; break;
    }
    expression.max_depth_ = std::max(expression.max_depth_, depth);
  }
  return expression;
}

double AlphaExpression::evaluate(double alpha) const noexcept {
  constexpr std::size_t kStackSize = 256;
  std::array<double, kStackSize> stack{};
  if (max_depth_ > kStackSize) return alpha;
  std::size_t top = 0;
  for (const auto& instruction : program_) {
    switch (instruction.op) {
      case Op::kConst: stack[top++] = instruction.value; break;
      case Op::kAlpha: stack[top++] = alpha; break;
      case Op::kNeg: stack[top - 1] = -stack[top - 1]; break;
      case Op::kSin: stack[top - 1] = std::sin(stack[top - 1]); break;
      case Op::kCos: stack[top - 1] = std::cos(stack[top - 1]); break;
      case Op::kTan: stack[top - 1] = std::tan(stack[top - 1]); break;
      case Op::kExp: stack[top - 1] = std::exp(stack[top - 1]); break;
      case Op::kLog: stack[top - 1] = std::log(stack[top - 1]); break;
      case Op::kSqrt: stack[top - 1] = std::sqrt(stack[top - 1]); break;
      case Op::kAbs: stack[top - 1] = std::fabs(stack[top - 1]); break;
      case Op::kClip: {
        const double high = stack[--top];
        const double low = stack[--top];
        stack[top - 1] = std::min(std::max(stack[top - 1], low), high);
        break;
      }
      default: {
        const double right = stack[--top];
        double& left = stack[top - 1];
        switch (instruction.op) {
          case Op::kAdd: left += right; break;
          case Op::kSub: left -= right; break;
          case Op::kMul: left *= right; break;
          case Op::kDiv: left /= right; break;
          case Op::kPow: left = std::pow(left, right); break;
          case Op::kMin: left = std::min(left, right); break;
          case Op::kMax: left = std::max(left, right); break;
          default: break;
        }
      }
    }
  }
  return top == 1 ? stack[0] : alpha;
}

}  // namespace resound::track
