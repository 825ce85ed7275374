// weft::Outcome<T>: how a future finished: a value or an exception. It is
// what a task stores for its JoinHandle and what carries an exception across
// an await. Outcome<void> holds no value.
#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/seam/hooks.h"

namespace weft {

template <typename T>
class Outcome {
 public:
  static Outcome from_value(T value) {
    Outcome outcome;
    outcome.value_.emplace(std::move(value));
    return outcome;
  }
  static Outcome from_exception(std::exception_ptr error) {
    Outcome outcome;
    outcome.error_ = std::move(error);
    return outcome;
  }

  bool has_exception() const noexcept { return error_ != nullptr; }

  // Returns the value or rethrows the exception.
  T take() && {
    if (error_) std::rethrow_exception(error_);
    return std::move(*value_);
  }

 private:
  Outcome() = default;
  std::optional<T> value_;
  std::exception_ptr error_;
};

template <>
class Outcome<void> {
 public:
  static Outcome from_value() { return Outcome(); }
  static Outcome from_exception(std::exception_ptr error) {
    Outcome outcome;
    outcome.error_ = std::move(error);
    return outcome;
  }
  bool has_exception() const noexcept { return error_ != nullptr; }
  void take() && {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::exception_ptr error_;
};

// Polls `future` and turns Ready into an Outcome, catching what it throws,
// except a simulation's RunAborted, which must reach the simulator.
// Returns nullopt while Pending.
template <typename F>
std::optional<Outcome<typename F::Output>> poll_into_outcome(F& future,
                                                             auto& cx) {
  using T = typename F::Output;
  try {
    auto poll = future.poll(cx);
    if (poll.is_pending()) return std::nullopt;
    if constexpr (std::is_void_v<T>) {
      return Outcome<void>::from_value();
    } else {
      return Outcome<T>::from_value(std::move(poll).take());
    }
  } catch (const RunAborted&) {
    throw;
  } catch (...) {
    return Outcome<T>::from_exception(std::current_exception());
  }
}

}  // namespace weft
