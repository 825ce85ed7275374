// A hand-written join of two futures. The bug: it polls both children on
// every poll, including one that already returned Ready, which breaks the
// future protocol (a coroutine reports "poll after Ready"). It only shows
// when one child finishes a poll before the other. The fixed twin
// remembers which children are done.
#pragma once

#include <chrono>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed, typename A, typename B>
class Join2 {
 public:
  using Output = void;
  Join2(A a, B b) : a_(std::move(a)), b_(std::move(b)) {}

  Poll<void> poll(Context& cx) {
    if (!kFixed || !a_done_) a_done_ = a_.poll(cx).is_ready() || a_done_;
    if (!kFixed || !b_done_) b_done_ = b_.poll(cx).is_ready() || b_done_;
    return a_done_ && b_done_ ? ready() : Poll<void>(kPending);
  }

 private:
  A a_;
  B b_;
  bool a_done_ = false;
  bool b_done_ = false;
};

struct JoinFlags {
  bool first = false;
  bool second = false;
  Waker waiter;
};

struct WaitForFlag {
  using Output = void;
  JoinFlags* flags;
  bool* flag;
  Poll<void> poll(Context& cx) {
    if (*flag) return ready();
    store_waker(flags->waiter, cx.waker());
    return kPending;
  }
};

// Two setters fire at the same instant (a timer tie); the joiner waits for
// both. Under FIFO both have fired before the joiner runs again.
template <bool kFixed>
Async<void> join_combinator_scenario() {
  using Flags = JoinFlags;
  using WaitFor = WaitForFlag;
  Flags flags;
  auto wait_for = [](Flags* flags, bool* flag) -> Async<void> {
    co_await WaitFor{flags, flag};
  };
  auto setter = [](Flags* flags, bool* flag) -> Async<void> {
    co_await sleep_for(std::chrono::milliseconds(1));
    *flag = true;
    flags->waiter.wake_by_ref();
  };
  auto joiner =
      spawn([](Flags* flags, decltype(wait_for) wait_for) -> Async<void> {
        co_await Join2<kFixed, Async<void>, Async<void>>(
            wait_for(flags, &flags->first), wait_for(flags, &flags->second));
      }(&flags, wait_for));
  auto s1 = spawn(setter(&flags, &flags.first));
  auto s2 = spawn(setter(&flags, &flags.second));
  co_await std::move(s1);
  co_await std::move(s2);
  co_await std::move(joiner);
}

}  // namespace weft::zoo
