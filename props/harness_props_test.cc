// Properties of the harness itself, over generated schedules:
//   replay fidelity  the recorded decisions of a run replay to the same
//                    trace;
//   determinism      the same schedule gives the same trace twice;
//   shrink soundness a shrunk failing list still fails with the same
//                    checker, and is no larger than the original.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "props/schedule.h"
#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/search/strategies.h"
#include "sim/sweep/shrink.h"
#include "sim/zoo/check_then_act.h"
#include "sim/zoo/join_combinator.h"
#include "sim/zoo/lost_wakeup.h"
#include "sim/zoo/stale_waker.h"

namespace weft::props {
namespace {

// Enough moving parts (channels, a mutex, timers, a select) that every
// kind of decision comes up.
Async<void> busy() {
  auto [tx, rx] = mpsc::bounded<int>(1);
  Mutex<int> total(0);
  auto consumer =
      spawn([](mpsc::Receiver<int> rx, Mutex<int>* total) -> Async<void> {
        while (true) {
          auto next = co_await select(rx.recv(),
                                      sleep_for(std::chrono::milliseconds(3)));
          if (next.index() == 1) continue;
          auto value = std::get<0>(std::move(next));
          if (!value) break;
          auto guard = co_await total->lock();
          *guard += *value;
        }
      }(std::move(rx), &total));
  for (int p = 0; p < 2; ++p) {
    spawn([](mpsc::Sender<int> tx, int p) -> Async<void> {
      for (int i = 0; i < 3; ++i) {
        co_await sleep_for(std::chrono::milliseconds(p + 1));
        (void)co_await tx.send(i);
      }
    }(tx, p))
        .detach();
  }
  { auto last = std::move(tx); }
  co_await std::move(consumer);
  auto guard = co_await total.lock();
  WEFT_ASSERT_EQ(*guard, 6);
}

RC_GTEST_PROP(Harness, RecordedDecisionsReplayToTheSameTrace,
              (Schedule schedule)) {
  const sim::RunResult first = run(busy, schedule);
  expect_clean(first);
  sim::ReplaySource replay(first.decisions);
  const sim::RunResult again = sim::run_once(busy, sim::SimOptions{}, replay);
  RC_ASSERT(again.trace_hash == first.trace_hash);
  RC_ASSERT(again.decisions == first.decisions);
}

RC_GTEST_PROP(Harness, TheSameScheduleGivesTheSameTrace, (Schedule schedule)) {
  RC_ASSERT(run(busy, schedule).trace_hash == run(busy, schedule).trace_hash);
}

RC_GTEST_PROP(Harness, AShrunkFailureFailsTheSameWay, (std::uint64_t seed)) {
  const sim::Scenario buggy[] = {zoo::lost_wakeup_scenario<false>,
                                 zoo::stale_waker_scenario<false>,
                                 zoo::check_then_act_scenario<false>,
                                 zoo::join_combinator_scenario<false>};
  const sim::Scenario& scenario = buggy[seed % 4];
  sim::RandomWalkSource source(seed);
  const sim::RunResult found =
      sim::run_once(scenario, sim::SimOptions{}, source);
  RC_PRE(found.failure.has_value());
  const sim::ShrinkResult shrunk =
      sim::shrink(scenario, sim::SimOptions{}, sim::Candidate(found.decisions),
                  *found.failure);
  RC_ASSERT(shrunk.decisions.perturbed.size() <=
            sim::count_perturbations(found.decisions));
  const sim::RunResult again =
      sim::replay_sparse(scenario, sim::SimOptions{}, shrunk.decisions,
                         sim::LabelledReplaySource::Mode::kStrict);
  RC_ASSERT(again.failure.has_value());
  RC_ASSERT(again.failure->same_kind_as(*found.failure));
}

}  // namespace
}  // namespace weft::props
