// weft::JoinOutcome<T>: how a task ended, as a value: its output, "it was
// cancelled", or the exception it threw. For scenarios where cancellation
// is expected, instead of a try/catch around every join:
//
//   weft::JoinOutcome<int> outcome = co_await std::move(handle).outcome();
//   if (outcome.cancelled()) ...;
//   else if (outcome.ok()) use(outcome.value());
//
// A simulation's own unwinding (RunAborted) is never captured here.
#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "runtime/future/cancelled.h"
#include "runtime/seam/hooks.h"
#include "runtime/seam/misuse.h"
#include "runtime/task/join_handle.h"

namespace weft {

template <typename T>
class JoinOutcome {
 public:
  using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

  static JoinOutcome finished(Value value) {
    JoinOutcome outcome;
    outcome.value_.emplace(std::move(value));
    return outcome;
  }
  static JoinOutcome was_cancelled() {
    JoinOutcome outcome;
    outcome.cancelled_ = true;
    return outcome;
  }
  static JoinOutcome threw(std::exception_ptr error) {
    JoinOutcome outcome;
    outcome.error_ = std::move(error);
    return outcome;
  }

  bool ok() const noexcept { return value_.has_value(); }
  bool cancelled() const noexcept { return cancelled_; }
  const std::exception_ptr& exception() const noexcept { return error_; }
  // The output; a misuse unless ok().
  Value& value() {
    if (!value_)
      report_misuse("JoinOutcome::value() of a task that did not finish");
    return *value_;
  }

 private:
  JoinOutcome() = default;
  std::optional<Value> value_;
  bool cancelled_ = false;
  std::exception_ptr error_;
};

// The future JoinHandle<T>::outcome() returns.
template <typename T>
class JoinOutcomeFuture {
 public:
  using Output = JoinOutcome<T>;

  explicit JoinOutcomeFuture(JoinHandle<T> handle)
      : handle_(std::move(handle)) {}

  Poll<JoinOutcome<T>> poll(Context& cx) {
    try {
      auto polled = handle_.poll(cx);
      if (polled.is_pending()) return kPending;
      if constexpr (std::is_void_v<T>) {
        return JoinOutcome<T>::finished(std::monostate{});
      } else {
        return JoinOutcome<T>::finished(std::move(polled).take());
      }
    } catch (const RunAborted&) {
      throw;
    } catch (const TaskCancelled&) {
      return JoinOutcome<T>::was_cancelled();
    } catch (...) {
      return JoinOutcome<T>::threw(std::current_exception());
    }
  }

 private:
  JoinHandle<T> handle_;
};

template <typename T>
JoinOutcomeFuture<T> JoinHandle<T>::outcome() && {
  return JoinOutcomeFuture<T>(std::move(*this));
}

}  // namespace weft
