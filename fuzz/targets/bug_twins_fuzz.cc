// The fixed twins of the simulator tests' buggy components, one after
// another: none of them may ever fail, whatever the schedule.
#include "fuzz/fuzz_scenario.h"
#include "tests/sim/bugs/busy_lock.h"
#include "tests/sim/bugs/check_then_act.h"
#include "tests/sim/bugs/join_combinator.h"
#include "tests/sim/bugs/lost_wakeup.h"
#include "tests/sim/bugs/peer_cycle.h"
#include "tests/sim/bugs/stale_waker.h"
#include "tests/sim/bugs/waiter_list.h"

namespace {

weft::Async<void> scenario() {
  co_await weft::bugs::lost_wakeup_scenario<true>();
  co_await weft::bugs::stale_waker_scenario<true>();
  co_await weft::bugs::waiter_list_scenario<true>();
  co_await weft::bugs::peer_cycle_scenario<true>();
  co_await weft::bugs::check_then_act_scenario<true>();
  co_await weft::bugs::join_combinator_scenario<true>();
  co_await weft::bugs::busy_lock_scenario<true>();
}

}  // namespace

WEFT_FUZZ_SCENARIO(bug_twins_fuzz, scenario, weft::sim::SimOptions{})
