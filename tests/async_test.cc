#include "runtime/future/async.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "runtime/executors/local_executor.h"
#include "runtime/future/test_wakers.h"
#include "tests/support/counted.h"
#include "tests/support/manual_event.h"

namespace weft {
namespace {

using testing::Counted;
using testing::ManualEvent;

Async<int> add_one(ManualEvent::Wait wait, int value) {
  co_await std::move(wait);
  co_return value + 1;
}

Async<int> twice_nested(ManualEvent::Wait wait) {
  int first = co_await add_one(std::move(wait), 1);
  co_return first * 10;
}

TEST(Async, BodyStartsOnlyOnTheFirstPoll) {
  bool started = false;
  auto body = [](bool* started) -> Async<void> {
    *started = true;
    co_return;
  }(&started);
  EXPECT_FALSE(started);
  Waker waker = noop_waker();
  Context cx(waker);
  EXPECT_TRUE(body.poll(cx).is_ready());
  EXPECT_TRUE(started);
}

TEST(Async, PendingInnerFutureSuspendsTheOuterCoroutine) {
  ManualEvent event;
  CountingWaker counter;
  auto outer = twice_nested(event.wait());
  {
    Waker waker = counter.waker();
    Context cx(waker);
    EXPECT_TRUE(outer.poll(cx).is_pending());
  }
  EXPECT_EQ(counter.live(), 1);  // the event stored a clone
  event.fire();
  EXPECT_EQ(counter.wakes(), 1u);
  EXPECT_EQ(counter.live(), 0);
  Waker waker = counter.waker();
  Context cx(waker);
  Poll<int> result = outer.poll(cx);
  ASSERT_TRUE(result.is_ready());
  EXPECT_EQ(result.value(), 20);
}

TEST(Async, SpuriousPollsReturnPendingWithoutResumingTheBody) {
  ManualEvent event;
  int steps = 0;
  auto body = [](ManualEvent::Wait wait, int* steps) -> Async<void> {
    ++*steps;
    co_await std::move(wait);
    ++*steps;
  }(event.wait(), &steps);
  Waker waker = noop_waker();
  Context cx(waker);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(body.poll(cx).is_pending());
  EXPECT_EQ(steps, 1);
  EXPECT_EQ(event.polls(), 5);  // each poll re-polled the awaited future
  event.fire();
  EXPECT_TRUE(body.poll(cx).is_ready());
  EXPECT_EQ(steps, 2);
}

TEST(Async, RepollUsesTheNewestWaker) {
  ManualEvent event;
  CountingWaker first;
  CountingWaker second;
  auto body = add_one(event.wait(), 0);
  {
    Waker waker = first.waker();
    Context cx(waker);
    EXPECT_TRUE(body.poll(cx).is_pending());
  }
  {
    Waker waker = second.waker();
    Context cx(waker);
    EXPECT_TRUE(body.poll(cx).is_pending());
  }
  event.fire();
  EXPECT_EQ(first.wakes(), 0u);
  EXPECT_EQ(second.wakes(), 1u);
  EXPECT_EQ(first.live(), 0);
  Waker waker = noop_waker();
  Context cx(waker);
  EXPECT_TRUE(body.poll(cx).is_ready());
}

TEST(Async, DestroyingTheOuterCoroutineDestroysEveryInnerFrame) {
  int live = 0;
  ManualEvent event;
  auto leaf = [](Counted, ManualEvent::Wait wait) -> Async<void> {
    co_await std::move(wait);
  };
  auto middle = [](Counted held, Async<void> inner) -> Async<void> {
    Counted local = held;
    co_await std::move(inner);
  };
  auto outer = [](Counted, Async<void> inner) -> Async<void> {
    co_await std::move(inner);
  };
  {
    auto root =
        outer(Counted(&live),
              middle(Counted(&live), leaf(Counted(&live), event.wait())));
    Waker waker = noop_waker();
    Context cx(waker);
    EXPECT_TRUE(root.poll(cx).is_pending());
    EXPECT_EQ(live, 4);  // three parameters and one local
    EXPECT_TRUE(event.has_waker());
  }
  EXPECT_EQ(live, 0);
}

TEST(Async, ExceptionsCrossAwaits) {
  ManualEvent event;
  auto thrower = [](ManualEvent::Wait wait) -> Async<int> {
    co_await std::move(wait);
    throw std::runtime_error("inner failed");
  };
  auto catcher = [](Async<int> inner) -> Async<std::string> {
    try {
      co_await std::move(inner);
    } catch (const std::runtime_error& error) {
      co_return std::string("caught: ") + error.what();
    }
    co_return "not thrown";
  };
  auto root = catcher(thrower(event.wait()));
  Waker waker = noop_waker();
  Context cx(waker);
  EXPECT_TRUE(root.poll(cx).is_pending());
  event.fire();
  Poll<std::string> result = root.poll(cx);
  ASSERT_TRUE(result.is_ready());
  EXPECT_EQ(result.value(), "caught: inner failed");
}

TEST(Async, ExceptionThrownBeforeTheFirstSuspensionIsCaughtToo) {
  auto thrower = []() -> Async<int> {
    throw std::logic_error("at once");
    co_return 0;
  };
  auto catcher = [](Async<int> inner) -> Async<bool> {
    try {
      co_await std::move(inner);
    } catch (const std::logic_error&) {
      co_return true;
    }
    co_return false;
  };
  LocalExecutor executor;
  EXPECT_TRUE(executor.block_on(catcher(thrower())));
}

TEST(Async, UncaughtExceptionReachesThePoller) {
  auto thrower = []() -> Async<void> {
    throw std::runtime_error("escaped");
    co_return;
  }();
  Waker waker = noop_waker();
  Context cx(waker);
  EXPECT_THROW((void)thrower.poll(cx), std::runtime_error);
  EXPECT_TRUE(thrower.finished());
}

TEST(Async, AwaitingAnLvalueFuturePollsItInPlace) {
  ManualEvent event;
  auto body = [](ManualEvent* event) -> Async<int> {
    auto inner = add_one(event->wait(), 4);
    int value = co_await inner;
    EXPECT_TRUE(inner.finished());
    co_return value;
  }(&event);
  Waker waker = noop_waker();
  Context cx(waker);
  EXPECT_TRUE(body.poll(cx).is_pending());
  event.fire();
  Poll<int> result = body.poll(cx);
  ASSERT_TRUE(result.is_ready());
  EXPECT_EQ(result.value(), 5);
}

TEST(Async, SuspensionRecordsTheAwaitSitesInnermostFirst) {
  ManualEvent event;
  auto root = twice_nested(event.wait());
  Waker waker = noop_waker();
  AwaitTrace trace;
  Context cx(waker, &trace);
  EXPECT_TRUE(root.poll(cx).is_pending());
  ASSERT_EQ(trace.depth(), 2u);
  EXPECT_STREQ(trace.frame(0).function, trace.frame(0).function);
  EXPECT_NE(std::string(trace.frame(0).function).find("add_one"),
            std::string::npos)
      << trace.frame(0).function;
  EXPECT_NE(std::string(trace.frame(1).function).find("twice_nested"),
            std::string::npos)
      << trace.frame(1).function;
  // A spurious re-poll records the same sites again.
  trace.clear();
  EXPECT_TRUE(root.poll(cx).is_pending());
  EXPECT_EQ(trace.depth(), 2u);
  EXPECT_EQ(trace.innermost().line, trace.frame(0).line);
}

TEST(AsyncDeathTest, PollAfterReadyIsReported) {
  auto body = []() -> Async<int> { co_return 1; }();
  Waker waker = noop_waker();
  Context cx(waker);
  ASSERT_TRUE(body.poll(cx).is_ready());
  EXPECT_DEATH((void)body.poll(cx),
               "misuse: poll of a weft::Async after it returned Ready");
}

TEST(AsyncDeathTest, AwaitingAMovedFromFutureIsReported) {
  auto inner = []() -> Async<int> { co_return 1; }();
  auto moved = std::move(inner);
  auto body = [](Async<int>* inner) -> Async<int> {
    co_return co_await *inner;
  }(&inner);
  Waker waker = noop_waker();
  Context cx(waker);
  EXPECT_DEATH((void)body.poll(cx),
               "misuse: poll of an empty or moved-from weft::Async");
}

TEST(JoinHandleDeathTest, PollAfterReadyIsReported) {
  LocalExecutor executor;
  auto handle = executor.spawn([]() -> Async<int> { co_return 1; }());
  executor.run_until_stalled();
  Waker waker = noop_waker();
  Context cx(waker);
  ASSERT_TRUE(handle.poll(cx).is_ready());
  EXPECT_DEATH((void)handle.poll(cx),
               "misuse: poll of a JoinHandle after it returned Ready");
}

}  // namespace
}  // namespace weft
