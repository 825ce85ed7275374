// A value initialised once, on first use, by whichever caller comes first
// (a configuration fetched lazily, a connection opened once); later
// callers wait for it. The bug: the first caller marks the value as
// loading and clears the mark only when its fetch returns. If that caller
// is cancelled while fetching (its request timed out), the mark stays,
// and every later caller waits for a value that nobody is fetching. Async
// once-cells have shipped exactly this; the fix is to let a waiter take
// over when the initialiser goes away. The fixed twin holds the mark in a
// guard that, dropped mid-fetch, clears it and wakes the waiters, one of
// which then fetches.
#pragma once

#include <chrono>
#include <optional>
#include <utility>

#include "runtime/future/async.h"
#include "runtime/primitives/notify.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"
#include "runtime/task/join_outcome.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class LazyValue {
 public:
  Async<int> get() {
    while (!value_ && loading_) co_await changed_.notified();
    if (value_) co_return *value_;
    loading_ = true;
    LoadingMark mark(this);
    const int fetched = co_await fetch();
    value_ = fetched;
    mark.finish();
    co_return fetched;
  }

  int fetches() const { return fetches_; }

 private:
  // Clears the loading mark and wakes the waiters, when the fetch is done
  // or, in the fixed twin, also when it is abandoned.
  class LoadingMark {
   public:
    explicit LoadingMark(LazyValue* owner) : owner_(owner) {}
    LoadingMark(const LoadingMark&) = delete;
    void finish() { std::exchange(owner_, nullptr)->done_loading(); }
    ~LoadingMark() {
      if (kFixed && owner_ != nullptr) owner_->done_loading();
    }

   private:
    LazyValue* owner_;
  };

  void done_loading() {
    loading_ = false;
    changed_.notify_waiters();
  }

  Async<int> fetch() {
    ++fetches_;
    co_await sleep_for(std::chrono::milliseconds(3));
    co_return 42;
  }

  std::optional<int> value_;
  bool loading_ = false;
  int fetches_ = 0;
  Notify changed_;
};

template <bool kFixed>
Async<void> once_init_scenario() {
  LazyValue<kFixed> config;
  // The first caller may time out while it fetches; the second must still
  // get the value.
  auto impatient = spawn_cancellable(config.get());
  auto patient = spawn(config.get());
  (void)co_await std::move(impatient).outcome();
  WEFT_ASSERT_EQ(co_await std::move(patient), 42);
  WEFT_ASSERT(config.fetches() <= 2, "fetched more than once per caller");
}

}  // namespace weft::zoo
