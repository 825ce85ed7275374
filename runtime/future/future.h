// weft::Future: the concept every awaitable thing satisfies. A future has an
// `Output` type and `poll(Context&) -> Poll<Output>`.
//
// The contract (what every future in weft keeps, and what the simulator
// checks): Pending means the future stored the waker of the latest poll
// where the event it waits for will find it; a future tolerates being polled
// when nothing happened (a spurious poll); polling after Ready is a misuse.
// Like a pinned Rust future, a future is not moved once it has been polled:
// timers and wait lists hold its address (weft's own futures report such a
// move as a misuse).
#pragma once

#include <concepts>
#include <type_traits>

#include "runtime/future/context.h"
#include "runtime/future/poll.h"

namespace weft {

template <typename F>
concept Future = requires(F& future, Context& cx) {
  typename std::remove_cvref_t<F>::Output;
  {
    future.poll(cx)
    } -> std::same_as<Poll<typename std::remove_cvref_t<F>::Output>>;
};

template <Future F>
using OutputOf = typename std::remove_cvref_t<F>::Output;

}  // namespace weft
