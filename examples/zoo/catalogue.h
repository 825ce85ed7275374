// The zoo's catalogue: every component with its buggy and fixed scenarios,
// the checker that should report it, and a line on the bug. The hunt, the
// checker tests and the shrinking tests all walk this one list.
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

namespace weft::zoo {

struct Component {
  std::string name;
  std::string bug;
  sim::Scenario buggy;
  sim::Scenario fixed;
  sim::Checker expected;
  // The unperturbed (FIFO) run already shows it: the bug does not depend
  // on the schedule (a leak, a missing waker, undefined behaviour).
  bool fifo_finds = false;
  // The buggy twin really touches freed memory: under ASan it stops the
  // process at the bad access instead of being reported by a checker.
  bool frees_memory_in_use = false;
  // The buggy twin relies on undefined behaviour to be seen (a destroyed
  // stack object); only unoptimised builds without ASan report it.
  bool needs_unoptimised_build = false;
};

inline std::vector<Component> catalogue() {
  using sim::Checker;
  return {
      {"lost_wakeup", "notify before wait is dropped",
       lost_wakeup_scenario<false>, lost_wakeup_scenario<true>,
       Checker::kDeadlock},
      {"stale_waker", "only the first poll's waker is kept",
       stale_waker_scenario<false>, stale_waker_scenario<true>,
       Checker::kStaleWaker},
      {"waiter_list", "dropped waiter left in an intrusive list",
       waiter_list_scenario<false>, waiter_list_scenario<true>,
       Checker::kUseAfterDrop, false, true},
      {"permit_leak", "acquire cancelled after grant keeps the permit",
       permit_leak_scenario<false>, permit_leak_scenario<true>,
       Checker::kDeadlock},
      {"half_message", "select drops a half-read message",
       half_message_scenario<false>, half_message_scenario<true>,
       Checker::kInvariant},
      {"check_then_act", "balance checked before an await, used after",
       check_then_act_scenario<false>, check_then_act_scenario<true>,
       Checker::kInvariant},
      {"heartbeat_race", "timeout equal to the heartbeat period",
       heartbeat_race_scenario<false>, heartbeat_race_scenario<true>,
       Checker::kInvariant},
      {"peer_cycle", "two tasks' mailboxes own each other",
       peer_cycle_scenario<false>, peer_cycle_scenario<true>, Checker::kLeak,
       true},
      {"poll_after_ready", "hand-written join re-polls a finished child",
       join_combinator_scenario<false>, join_combinator_scenario<true>,
       Checker::kProtocolMisuse},
      {"spurious_poll", "a read assumes it is polled only when ready",
       spurious_poll_scenario<false>, spurious_poll_scenario<true>,
       Checker::kInvariant},
      {"close_race", "close reported before buffered messages",
       close_race_scenario<false>, close_race_scenario<true>,
       Checker::kInvariant},
      {"dangling_temporary", "coroutine keeps a reference to a temporary",
       dangling_temporary_scenario<false>, dangling_temporary_scenario<true>,
       Checker::kInvariant, true, false, true},
      {"busy_lock", "Pending returned with no waker kept",
       busy_lock_scenario<false>, busy_lock_scenario<true>,
       Checker::kNeverWoken, true},
  };
}

}  // namespace weft::zoo
