// Use-after-drop through cancellation: the simulator cancels a task while
// its wait node is linked in a cancellation-unsafe list; the report says
// which decision cancelled it. (checkers_test covers the select-loser
// path and the fixed twin.)
#include <gtest/gtest.h>

#include <chrono>

#include "runtime/weft.h"
#include "sim/core/simulator.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/waiter_list.h"

namespace weft::sim {
namespace {

template <bool kFixed>
Async<void> cancelled_waiter() {
  zoo::WaiterList<kFixed> list;
  auto wait_once = [](zoo::WaiterList<kFixed>* list) -> Async<void> {
    co_await list->wait();
  };
  auto waiter =
      spawn_cancellable([](zoo::WaiterList<kFixed>* list,
                           decltype(wait_once) wait_once) -> Async<void> {
        co_await wait_once(list);
      }(&list, wait_once));
  co_await sleep_for(std::chrono::milliseconds(1));
  list.notify_all();
  try {
    co_await std::move(waiter);
  } catch (const TaskCancelled&) {
  }
}

SimOptions cancel_often() {
  SimOptions options;
  options.perturbations.spurious_poll_probability = 0.5;
  options.perturbations.cancel_probability = 0.5;
  return options;
}

#if defined(__SANITIZE_ADDRESS__)
TEST(UseAfterDropDeathTest, CancelledWaiterIsNamedWithItsDecision) {
  EXPECT_DEATH((void)testing::sweep(cancelled_waiter<false>, "random", 300,
                                    cancel_often()),
               "use-after-poison.*task 2 .*cancelled by decision #");
}
#else
TEST(UseAfterDrop, CancelledWaiterIsNamedWithItsDecision) {
  SweepOutcome outcome =
      testing::sweep(cancelled_waiter<false>, "random", 300, cancel_often());
  testing::expect_found(outcome, Checker::kUseAfterDrop);
  ASSERT_TRUE(outcome.failure);
  EXPECT_NE(outcome.failure->failure.message.find(
                "when the task was cancelled by decision #"),
            std::string::npos)
      << outcome.failure->failure.message;
}
#endif

TEST(UseAfterDrop, TheFixedListSurvivesTheSameCancellations) {
  testing::expect_clean(
      testing::sweep(cancelled_waiter<true>, "random", 300, cancel_often()));
}

}  // namespace
}  // namespace weft::sim
