// Wakers for code that is not an executor, without writing a vtable:
//
//   weft::waker_from_fn(f)         a Waker whose wake calls f(); the
//                                  function lives, reference counted, as
//                                  long as any copy of the Waker
//   weft::waker_from_shared(p)     a Waker that calls p->wake() on a
//                                  std::shared_ptr<T> (Rust's ArcWake):
//                                  every copy keeps p alive
//
// Both are thread safe to copy, wake and drop from any thread (the count
// is atomic; what f or T::wake do is theirs to make safe). Useful for
// polling futures by hand, for user-written primitives' tests, and for
// bridging to other event loops.
#pragma once

#include <atomic>
#include <concepts>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include "runtime/future/waker.h"

namespace weft {

namespace detail {

template <typename F>
struct FunctionWakerState {
  explicit FunctionWakerState(F f) : function(std::move(f)) {}
  std::atomic<std::size_t> references{1};
  F function;

  static const WakerVTable kVTable;
  static FunctionWakerState* from(const void* data) {
    return static_cast<FunctionWakerState*>(const_cast<void*>(data));
  }
  static RawWaker clone(const void* data) {
    // Relaxed: a new reference is made from one the caller holds.
    from(data)->references.fetch_add(1, std::memory_order_relaxed);
    return RawWaker{data, &kVTable};
  }
  static void wake_by_ref(const void* data) { from(data)->function(); }
  static void drop(const void* data) {
    // Acquire-release: the last drop sees every use before deleting.
    if (from(data)->references.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      delete from(data);
    }
  }
  static void wake(const void* data) {
    wake_by_ref(data);
    drop(data);
  }
};

template <typename F>
const WakerVTable FunctionWakerState<F>::kVTable{&clone, &wake, &wake_by_ref,
                                                 &drop};

}  // namespace detail

template <typename F>
requires std::invocable<F&> Waker waker_from_fn(F function) {
  using State = detail::FunctionWakerState<std::decay_t<F>>;
  auto* state = new State(std::move(function));
  return Waker::from_raw(RawWaker{state, &State::kVTable});
}

template <typename T>
concept Wake = requires(T& target) {
  target.wake();
};

template <Wake T>
Waker waker_from_shared(std::shared_ptr<T> target) {
  return waker_from_fn([target = std::move(target)] { target->wake(); });
}

}  // namespace weft
