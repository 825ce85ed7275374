// buggify(): fault injection keyed by call site, decided per run.
#include "runtime/seam/buggify.h"

#include <gtest/gtest.h>

#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/search/strategies.h"
#include "sim/sweep/sweep.h"
#include "sim/testing/sweeps.h"

namespace weft::sim {
namespace {

// A sender that, when a fault is injected, "forgets" to send: the receiver
// waits forever. Real code would use buggify to take a rare slow or error
// path that tests should survive; here the path is the bug.
Async<void> flaky_sender() {
  auto [tx, rx] = oneshot::channel<int>();
  auto receiver = spawn([](oneshot::Receiver<int> rx) -> Async<void> {
    std::optional<int> value = co_await std::move(rx);
    WEFT_ASSERT(value.has_value(), "the sender gave up without sending");
  }(std::move(rx)));
  if (buggify(0.5)) {
    auto gave_up = std::move(tx);  // dropped unsent
  } else {
    (void)tx.send(1);
  }
  co_await std::move(receiver);
}

TEST(Buggify, IsAlwaysOffOutsideASimulation) {
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(buggify(1.0));
}

TEST(Buggify, FaultsAreFoundUnderRandomAndNeverUnderFifo) {
  testing::expect_found(testing::sweep(flaky_sender, "random"),
                        Checker::kInvariant);
  testing::expect_clean(testing::sweep(flaky_sender, "fifo", 1));
}

TEST(Buggify, AnInjectedFaultReplaysFromItsDecisions) {
  SweepOutcome found = testing::sweep(flaky_sender, "random");
  ASSERT_TRUE(found.failure);
  bool injected = false;
  for (const Decision& d : found.failure->decisions) {
    injected |= d.kind == DecisionKind::kBuggifyFire && d.value == 1;
  }
  EXPECT_TRUE(injected);
  ReplaySource replay(found.failure->decisions);
  RunResult again = run_once(flaky_sender, SimOptions{}, replay);
  ASSERT_TRUE(again.failure);
  EXPECT_TRUE(again.failure->same_kind_as(found.failure->failure));
}

TEST(Buggify, SitesDisabledByOptionsNeverFire) {
  SimOptions options;
  options.perturbations.buggify_site_probability = 0;
  testing::expect_clean(testing::sweep(flaky_sender, "random", 100, options));
}

}  // namespace
}  // namespace weft::sim
