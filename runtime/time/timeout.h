// weft::timeout(duration, future): runs `future` with a deadline. The result
// says whether it finished in time and holds its output if so; on expiry
// the inner future is dropped at once (cancelling whatever it was doing).
//
//   TimeoutResult<int> r = co_await weft::timeout(10ms, fetch());
//   if (r.timed_out()) ...; else use(r.value());
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/future/future.h"
#include "runtime/time/sleep.h"

namespace weft {

template <typename T>
class TimeoutResult {
 public:
  static TimeoutResult expired() { return TimeoutResult(); }
  static TimeoutResult finished(T value) {
    TimeoutResult result;
    result.value_.emplace(std::move(value));
    return result;
  }
  bool timed_out() const noexcept { return !value_.has_value(); }
  explicit operator bool() const noexcept { return value_.has_value(); }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
};

template <>
class TimeoutResult<void> {
 public:
  static TimeoutResult expired() { return TimeoutResult(false); }
  static TimeoutResult finished() { return TimeoutResult(true); }
  bool timed_out() const noexcept { return !finished_; }
  explicit operator bool() const noexcept { return finished_; }

 private:
  explicit TimeoutResult(bool finished) : finished_(finished) {}
  bool finished_;
};

template <Future F>
class Timeout {
 public:
  using Inner = OutputOf<F>;
  using Output = TimeoutResult<Inner>;

  Timeout(F future, Sleep sleep)
      : future_(std::move(future)), sleep_(std::move(sleep)) {}

  Poll<Output> poll(Context& cx) {
    // The inner future goes first: work that is ready at the deadline wins.
    auto inner = future_->poll(cx);
    if (inner.is_ready()) {
      future_.reset();
      if constexpr (std::is_void_v<Inner>) {
        return Output::finished();
      } else {
        return Output::finished(std::move(inner).take());
      }
    }
    if (sleep_.poll(cx).is_pending()) return kPending;
    future_.reset();
    return Output::expired();
  }

 private:
  std::optional<F> future_;
  Sleep sleep_;
};

template <Future F>
Timeout<std::remove_cvref_t<F>> timeout(
    Duration duration, F&& future,
    SourceLocation at = SourceLocation::current()) {
  return Timeout<std::remove_cvref_t<F>>(std::forward<F>(future),
                                         sleep_for(duration, at));
}

template <Future F>
Timeout<std::remove_cvref_t<F>> timeout_at(
    Instant deadline, F&& future,
    SourceLocation at = SourceLocation::current()) {
  return Timeout<std::remove_cvref_t<F>>(std::forward<F>(future),
                                         sleep_until(deadline, at));
}

}  // namespace weft
