// The hunt's catalogue: every zoo component with its buggy and fixed
// scenarios, the checker that should report it, and a line on the bug.
#pragma once

#include <string>
#include <vector>

#include "examples/zoo/busy_lock.h"
#include "examples/zoo/check_then_act.h"
#include "examples/zoo/close_race.h"
#include "examples/zoo/dangling_temporary.h"
#include "examples/zoo/half_message.h"
#include "examples/zoo/heartbeat_race.h"
#include "examples/zoo/join_combinator.h"
#include "examples/zoo/lost_wakeup.h"
#include "examples/zoo/peer_cycle.h"
#include "examples/zoo/permit_leak.h"
#include "examples/zoo/spurious_poll.h"
#include "examples/zoo/stale_waker.h"
#include "examples/zoo/waiter_list.h"
#include "sim/failure.h"
#include "sim/single_run.h"

namespace weft::hunt {

struct Component {
  std::string name;
  std::string bug;
  sim::Scenario buggy;
  sim::Scenario fixed;
  sim::Checker expected;
};

inline std::vector<Component> catalogue() {
  using sim::Checker;
  return {
      {"lost_wakeup", "notify before wait is dropped",
       zoo::lost_wakeup_scenario<false>, zoo::lost_wakeup_scenario<true>,
       Checker::kDeadlock},
      {"stale_waker", "only the first poll's waker is kept",
       zoo::stale_waker_scenario<false>, zoo::stale_waker_scenario<true>,
       Checker::kStaleWaker},
      {"waiter_list", "dropped waiter left in an intrusive list",
       zoo::waiter_list_scenario<false>, zoo::waiter_list_scenario<true>,
       Checker::kUseAfterDrop},
      {"permit_leak", "acquire cancelled after grant keeps the permit",
       zoo::permit_leak_scenario<false>, zoo::permit_leak_scenario<true>,
       Checker::kDeadlock},
      {"half_message", "select drops a half-read message",
       zoo::half_message_scenario<false>, zoo::half_message_scenario<true>,
       Checker::kInvariant},
      {"check_then_act", "balance checked before an await, used after",
       zoo::check_then_act_scenario<false>, zoo::check_then_act_scenario<true>,
       Checker::kInvariant},
      {"heartbeat_race", "timeout equal to the heartbeat period",
       zoo::heartbeat_race_scenario<false>, zoo::heartbeat_race_scenario<true>,
       Checker::kInvariant},
      {"peer_cycle", "two tasks' mailboxes own each other",
       zoo::peer_cycle_scenario<false>, zoo::peer_cycle_scenario<true>,
       Checker::kLeak},
      {"poll_after_ready", "hand-written join re-polls a finished child",
       zoo::join_combinator_scenario<false>,
       zoo::join_combinator_scenario<true>, Checker::kProtocolMisuse},
      {"spurious_poll", "a read assumes it is polled only when ready",
       zoo::spurious_poll_scenario<false>, zoo::spurious_poll_scenario<true>,
       Checker::kInvariant},
      {"close_race", "close reported before buffered messages",
       zoo::close_race_scenario<false>, zoo::close_race_scenario<true>,
       Checker::kInvariant},
      {"dangling_temporary", "coroutine keeps a reference to a temporary",
       zoo::dangling_temporary_scenario<false>,
       zoo::dangling_temporary_scenario<true>, Checker::kInvariant},
      {"busy_lock", "Pending returned with no waker kept",
       zoo::busy_lock_scenario<false>, zoo::busy_lock_scenario<true>,
       Checker::kNeverWoken},
  };
}

}  // namespace weft::hunt
