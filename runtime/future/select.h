// weft::select(a, b, ...): a future that polls the given futures in order
// and returns as soon as one is Ready; the result is a std::variant whose
// index() says which branch won (a void output is std::monostate). The
// losers are dropped the moment the winner is found, so whatever they were
// waiting on is cancelled then, not later.
//
// Branches are polled in argument order each time (biased), which keeps a
// run deterministic; a branch that is always ready starves those after it.
#pragma once

#include <cstddef>
#include <optional>
#include <tuple>
#include <utility>
#include <variant>

#include "runtime/future/future.h"
#include "runtime/future/join.h"
#include "runtime/seam/misuse.h"

namespace weft {

template <Future... Fs>
class Select {
 public:
  using Output = std::variant<ValueOf<OutputOf<Fs>>...>;

  explicit Select(Fs... futures) : futures_(std::move(futures)...) {}

  Poll<Output> poll(Context& cx) {
    if (done_) report_misuse("poll of a weft::select after it returned Ready");
    std::optional<Output> winner;
    poll_in_order(cx, winner, std::index_sequence_for<Fs...>{});
    if (!winner) return kPending;
    done_ = true;
    drop_all(std::index_sequence_for<Fs...>{});
    return std::move(*winner);
  }

 private:
  template <std::size_t... I>
  void poll_in_order(Context& cx, std::optional<Output>& winner,
                     std::index_sequence<I...>) {
    // Stops at the first Ready branch (|| short-circuits).
    (void)(poll_one<I>(cx, winner) || ...);
  }
  template <std::size_t I>
  bool poll_one(Context& cx, std::optional<Output>& winner) {
    auto poll = poll_as_value(*std::get<I>(futures_), cx);
    if (poll.is_pending()) return false;
    winner.emplace(std::in_place_index<I>, std::move(poll).take());
    return true;
  }
  template <std::size_t... I>
  void drop_all(std::index_sequence<I...>) {
    (std::get<I>(futures_).reset(), ...);
  }

  std::tuple<std::optional<Fs>...> futures_;
  bool done_ = false;
};

template <Future... Fs>
Select<std::remove_cvref_t<Fs>...> select(Fs&&... futures) {
  return Select<std::remove_cvref_t<Fs>...>(std::forward<Fs>(futures)...);
}

}  // namespace weft
