// Coroutine lambdas with captures (co_invoke, and spawn of a callable) and
// joins that return an outcome instead of throwing.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "runtime/executors/local_executor.h"
#include "runtime/future/co_invoke.h"
#include "runtime/future/yield_now.h"
#include "runtime/task/join_outcome.h"

namespace weft {
namespace {

TEST(CoInvoke, CapturesLiveAcrossSuspensions) {
  LocalExecutor executor;
  // The string is heap-allocated: a dangling capture would be read after
  // free (caught by ASan in CI, garbage otherwise).
  std::string greeting(64, 'x');
  const std::string got =
      executor.block_on(co_invoke([greeting]() -> Async<std::string> {
        co_await yield_now();
        co_return greeting;
      }));
  EXPECT_EQ(got, std::string(64, 'x'));
}

TEST(CoInvoke, SpawnTakesACallableAndOwnsIt) {
  LocalExecutor executor;
  auto counter = std::make_shared<int>(0);
  const int result =
      executor.block_on([](std::shared_ptr<int> counter) -> Async<int> {
        auto handle = spawn([counter]() -> Async<int> {
          co_await yield_now();
          co_await yield_now();
          co_return ++*counter;
        });
        co_return co_await std::move(handle);
      }(counter));
  EXPECT_EQ(result, 1);
  EXPECT_EQ(counter.use_count(), 1);  // the task's copy is gone with it
}

TEST(JoinOutcome, SaysValueCancelledOrThrown) {
  LocalExecutor executor;
  executor.block_on([]() -> Async<void> {
    JoinOutcome<int> value =
        co_await spawn([]() -> Async<int> { co_return 7; }).outcome();
    EXPECT_TRUE(value.ok());
    EXPECT_EQ(value.value(), 7);

    auto slow = spawn([]() -> Async<void> {
      for (;;) co_await yield_now();
    });
    slow.abort();
    JoinOutcome<void> cancelled = co_await std::move(slow).outcome();
    EXPECT_TRUE(cancelled.cancelled());
    EXPECT_FALSE(cancelled.ok());

    JoinOutcome<int> thrown = co_await spawn([]() -> Async<int> {
                                co_await yield_now();
                                throw std::runtime_error("no");
                              }).outcome();
    EXPECT_FALSE(thrown.ok());
    EXPECT_TRUE(thrown.exception());
    if (thrown.exception()) {
      EXPECT_THROW(std::rethrow_exception(thrown.exception()),
                   std::runtime_error);
    }
  }());
}

}  // namespace
}  // namespace weft
