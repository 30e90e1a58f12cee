// Expected<T>: a value or an Error — how library functions report failure (no exceptions).
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "resound/core/error.hpp"

namespace resound {

/// Holds either a `T` or an `Error`. Construct from either implicitly:
/// `return value;` or `return Error{ErrorCode::kIo, "…"};`.
/// Accessing the value of an error (or the error of a value) is a programming error (asserted).
template <typename T>
class [[nodiscard]] Expected {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Expected<Error> is ambiguous");

 public:
  Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Expected(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] T& value() & { return std::get<0>(storage_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(storage_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(storage_)); }
  [[nodiscard]] const Error& error() const& { return std::get<1>(storage_); }
  [[nodiscard]] Error&& error() && { return std::get<1>(std::move(storage_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> storage_;
};

/// Expected<void>: success, or an Error.
template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error error) : error_(std::move(error)), has_error_(true) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool has_value() const noexcept { return !has_error_; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] const Error& error() const& { return error_; }
  [[nodiscard]] Error&& error() && { return std::move(error_); }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool has_error_ = false;
};

/// Success value for Expected<void> functions: `return ok();`.
inline Expected<void> ok() { return {}; }

}  // namespace resound

/// Propagates an error from an Expected<void> expression.
#define RESOUND_TRY_VOID(expression)                             \
  do {                                                           \
    auto resound_try_result_ = (expression);                     \
    if (!resound_try_result_) return std::move(resound_try_result_).error(); \
  } while (false)
