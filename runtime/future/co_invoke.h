// weft::co_invoke(function, args...): calls a function that returns a
// future (usually a coroutine lambda) from inside a coroutine frame that
// owns the function and its arguments, so that the lambda's captures live
// as long as the call does.
//
// The footgun it removes: a coroutine lambda's body refers to its
// captures through the closure object, and
//
//   weft::spawn([name]() -> weft::Async<void> { use(name); }());  // bad
//
// destroys that closure (a temporary) before the first poll. Instead:
//
//   weft::spawn(weft::co_invoke([name]() -> weft::Async<void> { ... }));
//   weft::spawn([name]() -> weft::Async<void> { ... });  // same: spawn
//                                                        // co_invokes a
//                                                        // callable
//
// The cost is one more coroutine frame around the call.
#pragma once

#include <functional>
#include <type_traits>

#include "runtime/future/async.h"
#include "runtime/future/future.h"

namespace weft {

template <typename F, typename... Args>
requires std::invocable<F&, Args&...> &&
    Future<std::invoke_result_t<F&, Args&...>>
        Async<OutputOf<std::invoke_result_t<F&, Args&...>>> co_invoke(
            F function, Args... args) {
  // `function` and `args` are parameters: copies in this frame, alive
  // until the awaited call returns.
  co_return co_await std::invoke(function, args...);
}

// A callable that co_invoke can call: it returns a future.
template <typename F>
concept FutureFactory =
    !Future<F> && std::invocable<F&> && Future<std::invoke_result_t<F&>>;

}  // namespace weft
