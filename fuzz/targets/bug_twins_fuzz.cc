// The fixed twins of the simulator tests' buggy components, one after
// another: none of them may ever fail, whatever the schedule.
#include "examples/zoo/busy_lock.h"
#include "examples/zoo/check_then_act.h"
#include "examples/zoo/join_combinator.h"
#include "examples/zoo/lost_wakeup.h"
#include "examples/zoo/peer_cycle.h"
#include "examples/zoo/stale_waker.h"
#include "examples/zoo/waiter_list.h"
#include "fuzz/fuzz_scenario.h"

namespace {

weft::Async<void> scenario() {
  co_await weft::zoo::lost_wakeup_scenario<true>();
  co_await weft::zoo::stale_waker_scenario<true>();
  co_await weft::zoo::waiter_list_scenario<true>();
  co_await weft::zoo::peer_cycle_scenario<true>();
  co_await weft::zoo::check_then_act_scenario<true>();
  co_await weft::zoo::join_combinator_scenario<true>();
  co_await weft::zoo::busy_lock_scenario<true>();
}

}  // namespace

WEFT_FUZZ_SCENARIO(bug_twins_fuzz, scenario, weft::sim::SimOptions{})
