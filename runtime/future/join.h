// weft::join(a, b, ...): a future that polls every given future until all
// are Ready and returns their outputs as a std::tuple (a void output
// becomes std::monostate). An exception from any of them propagates at
// once; the others are dropped with the join.
#pragma once

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "runtime/future/future.h"
#include "runtime/seam/misuse.h"

namespace weft {

// The value a future's output becomes inside join/select results.
template <typename T>
using ValueOf = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <Future F>
Poll<ValueOf<OutputOf<F>>> poll_as_value(F& future, Context& cx) {
  if constexpr (std::is_void_v<OutputOf<F>>) {
    if (future.poll(cx).is_pending()) return kPending;
    return std::monostate{};
  } else {
    return future.poll(cx);
  }
}

template <Future... Fs>
class Join {
 public:
  using Output = std::tuple<ValueOf<OutputOf<Fs>>...>;

  explicit Join(Fs... futures) : futures_(std::move(futures)...) {}

  Poll<Output> poll(Context& cx) {
    if (done_) report_misuse("poll of a weft::join after it returned Ready");
    const bool all_ready = poll_all(cx, std::index_sequence_for<Fs...>{});
    if (!all_ready) return kPending;
    done_ = true;
    return take_all(std::index_sequence_for<Fs...>{});
  }

 private:
  template <std::size_t... I>
  bool poll_all(Context& cx, std::index_sequence<I...>) {
    return (poll_one<I>(cx) & ...);
  }
  template <std::size_t I>
  bool poll_one(Context& cx) {
    auto& output = std::get<I>(outputs_);
    if (output) return true;
    auto poll = poll_as_value(std::get<I>(futures_), cx);
    if (poll.is_pending()) return false;
    output.emplace(std::move(poll).take());
    return true;
  }
  template <std::size_t... I>
  Output take_all(std::index_sequence<I...>) {
    return Output(std::move(*std::get<I>(outputs_))...);
  }

  std::tuple<Fs...> futures_;
  std::tuple<std::optional<ValueOf<OutputOf<Fs>>>...> outputs_;
  bool done_ = false;
};

template <Future... Fs>
Join<std::remove_cvref_t<Fs>...> join(Fs&&... futures) {
  return Join<std::remove_cvref_t<Fs>...>(std::forward<Fs>(futures)...);
}

}  // namespace weft
