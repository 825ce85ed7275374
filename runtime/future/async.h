// weft::Async<T>: the coroutine type. An Async<T> is itself a Future with
// Output T, so coroutines nest by value and can be spawned as tasks.
//
//   weft::Async<int> answer() { co_return 6 * co_await other_future(); }
//
// How it runs: the body starts on the first poll, never before. `co_await f`
// takes any Future (an rvalue is moved into the awaiting frame, an lvalue is
// awaited in place) and polls it with the current Context; Pending suspends
// the body and makes the outer poll return Pending, and later polls re-poll
// `f` first and resume the body only once `f` is Ready. Each suspension
// records its source location in the Context's AwaitTrace.
//
// Cancellation is destruction: destroying an Async destroys its frame, and
// with it every future it was awaiting, all the way down. An exception that
// escapes the body is rethrown to whoever polls the Async (the awaiting
// coroutine, or the task's JoinHandle).
#pragma once

#include <coroutine>
#include <cstdint>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/future/context.h"
#include "runtime/future/future.h"
#include "runtime/future/outcome.h"
#include "runtime/future/poll.h"
#include "runtime/seam/hooks.h"
#include "runtime/seam/memory_hooks.h"
#include "runtime/seam/misuse.h"
#include "runtime/seam/source_location.h"

namespace weft {

template <typename T = void>
class Async;

namespace detail {

// What a suspended coroutine is waiting on: a type-erased re-poll of the
// awaiter it is parked in. Returns true once the awaited future is Ready
// (or threw); then the body may resume.
using RepollFn = bool (*)(void* awaiter, Context& cx);

// The part of every Async promise that does not depend on T.
class AsyncPromiseBase {
 public:
  // Frames come through the MemoryHooks (see memory_hooks.h).
  static void* operator new(std::size_t size) {
    return allocate_block(size, MemoryKind::kCoroutineFrame);
  }
  static void operator delete(void* frame, std::size_t size) noexcept {
    deallocate_block(frame, size, MemoryKind::kCoroutineFrame);
  }

  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  // Keeps the exception for whoever polls; a simulation's RunAborted goes
  // on out of resume() instead (the frame is then at its final suspend).
  void unhandled_exception() {
    try {
      throw;
    } catch (const RunAborted&) {
      throw;
    } catch (...) {
      exception_ = std::current_exception();
    }
  }

  template <typename F>
  auto await_transform(F&& future,
                       SourceLocation site = SourceLocation::current());

  Context& context() noexcept { return *context_; }
  void set_context(Context* cx) noexcept { context_ = cx; }

  void park(void* awaiter, RepollFn repoll, SourceLocation site) noexcept {
    parked_awaiter_ = awaiter;
    repoll_ = repoll;
    parked_at_ = site;
  }
  // Re-polls the awaited future; true when the body may resume.
  bool repoll_parked(Context& cx) {
    if (repoll_ == nullptr) return true;
    if (!repoll_(parked_awaiter_, cx)) {
      cx.record_await(parked_at_);
      return false;
    }
    repoll_ = nullptr;
    parked_awaiter_ = nullptr;
    return true;
  }
  SourceLocation parked_at() const noexcept { return parked_at_; }
  std::exception_ptr take_exception() noexcept {
    return std::exchange(exception_, nullptr);
  }

  // Marks a promise as weft's, so that a frame found by address (a leak
  // report) can be recognised before it is read.
  static constexpr std::uint32_t kMagic = 0x57454654;  // "WEFT"
  std::uint32_t magic() const noexcept { return magic_; }

 private:
  std::uint32_t magic_ = kMagic;
  Context* context_ = nullptr;
  void* parked_awaiter_ = nullptr;
  RepollFn repoll_ = nullptr;
  SourceLocation parked_at_;
  std::exception_ptr exception_;
};

template <typename T>
class AsyncPromise : public AsyncPromiseBase {
 public:
  Async<T> get_return_object() noexcept;
  template <typename U>
  requires std::is_convertible_v<U&&, T>
  void return_value(U&& value) { value_.emplace(std::forward<U>(value)); }
  T take_value() { return std::move(*value_); }

 private:
  std::optional<T> value_;
};

template <>
class AsyncPromise<void> : public AsyncPromiseBase {
 public:
  Async<void> get_return_object() noexcept;
  void return_void() noexcept {}
};

// The awaiter `co_await future` becomes. `Held` is the future type for an
// rvalue (owned here, inside the coroutine frame) or a reference for an
// lvalue (awaited in place).
template <typename Held>
class FutureAwaiter {
 public:
  using FutureType = std::remove_reference_t<Held>;
  using Output = OutputOf<FutureType>;

  FutureAwaiter(Held future, AsyncPromiseBase& promise, SourceLocation site)
      : future_(std::forward<Held>(future)), promise_(promise), site_(site) {}

  bool await_ready() {
    // An exception here propagates straight into the body, where it belongs.
    auto poll = future_.poll(promise_.context());
    if (poll.is_pending()) return false;
    if constexpr (std::is_void_v<Output>) {
      result_.emplace(Outcome<void>::from_value());
    } else {
      result_.emplace(Outcome<Output>::from_value(std::move(poll).take()));
    }
    return true;
  }
  void await_suspend(std::coroutine_handle<>) noexcept {
    promise_.park(this, &repoll, site_);
    promise_.context().record_await(site_);
  }
  Output await_resume() { return std::move(*result_).take(); }

 private:
  static bool repoll(void* self, Context& cx) {
    auto* awaiter = static_cast<FutureAwaiter*>(self);
    // Poll outside the body: catch here, rethrow from await_resume.
    auto outcome = poll_into_outcome(awaiter->future_, cx);
    if (!outcome) return false;
    awaiter->result_.emplace(std::move(*outcome));
    return true;
  }

  Held future_;
  AsyncPromiseBase& promise_;
  SourceLocation site_;
  std::optional<Outcome<Output>> result_;
};

template <typename F>
auto AsyncPromiseBase::await_transform(F&& future, SourceLocation site) {
  static_assert(Future<std::remove_cvref_t<F>>,
                "co_await in a weft::Async needs a weft::Future (a type with "
                "`Output` and `Poll<Output> poll(Context&)`)");
  if constexpr (std::is_lvalue_reference_v<F>) {
    return FutureAwaiter<F>(future, *this, site);
  } else {
    return FutureAwaiter<std::remove_cvref_t<F>>(std::move(future), *this,
                                                 site);
  }
}

// Where the weft::Async coroutine whose frame starts at `frame` (the block
// its promise's operator new returned) is suspended; an unknown location if
// it never suspended or the block is not recognisably such a frame. For
// leak reports only: it reads the promise the way GCC and Clang lay frames
// out (two function pointers, then the promise, for promises aligned to at
// most 16 bytes) and checks the magic number before trusting it.
inline SourceLocation parked_site_of_frame(const void* frame) noexcept {
  if (frame == nullptr) return {};
  auto handle = std::coroutine_handle<AsyncPromiseBase>::from_address(
      const_cast<void*>(frame));
  const AsyncPromiseBase& promise = handle.promise();
  if (promise.magic() != AsyncPromiseBase::kMagic) return {};
  return promise.parked_at();
}

}  // namespace detail

template <typename T>
class [[nodiscard]] Async {
 public:
  using promise_type = detail::AsyncPromise<T>;
  using Output = T;

  Async(Async&& other) noexcept
      : frame_(std::exchange(other.frame_, nullptr)),
        finished_(std::exchange(other.finished_, false)) {}
  Async& operator=(Async&& other) noexcept {
    if (this != &other) {
      destroy_frame();
      frame_ = std::exchange(other.frame_, nullptr);
      finished_ = std::exchange(other.finished_, false);
    }
    return *this;
  }
  Async(const Async&) = delete;
  Async& operator=(const Async&) = delete;
  ~Async() { destroy_frame(); }

  Poll<T> poll(Context& cx) {
    if (frame_ == nullptr) {
      report_misuse(finished_ ? "poll of a weft::Async after it returned Ready"
                              : "poll of an empty or moved-from weft::Async");
    }
    promise_type& promise = frame_.promise();
    promise.set_context(&cx);
    if (!promise.repoll_parked(cx)) return kPending;
    frame_.resume();
    if (!frame_.done()) return kPending;
    return finish();
  }

  // True once the body ran to its end and the output was handed out.
  bool finished() const noexcept { return finished_; }

 private:
  friend promise_type;
  explicit Async(std::coroutine_handle<promise_type> frame) noexcept
      : frame_(frame) {}

  Poll<T> finish() {
    // Free the frame (and everything it still holds) before handing out the
    // result, as a finished future should hold nothing.
    promise_type& promise = frame_.promise();
    std::exception_ptr error = promise.take_exception();
    if constexpr (std::is_void_v<T>) {
      destroy_frame();
      finished_ = true;
      if (error) std::rethrow_exception(error);
      return ready();
    } else {
      std::optional<T> value;
      if (!error) value.emplace(promise.take_value());
      destroy_frame();
      finished_ = true;
      if (error) std::rethrow_exception(error);
      return std::move(*value);
    }
  }

  // Destroying a frame runs the destructors of everything it holds, user
  // code included; a report there must not unwind (see hooks.h).
  void destroy_frame() noexcept {
    if (frame_ == nullptr) return;
    NoUnwindScope no_unwind;
    std::exchange(frame_, nullptr).destroy();
  }

  std::coroutine_handle<promise_type> frame_;
  bool finished_ = false;
};

namespace detail {

template <typename T>
Async<T> AsyncPromise<T>::get_return_object() noexcept {
  return Async<T>(std::coroutine_handle<AsyncPromise<T>>::from_promise(*this));
}

inline Async<void> AsyncPromise<void>::get_return_object() noexcept {
  return Async<void>(
      std::coroutine_handle<AsyncPromise<void>>::from_promise(*this));
}

}  // namespace detail
}  // namespace weft
