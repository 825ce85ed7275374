// The zoo's catalogue: every component with its buggy and fixed scenarios,
// the checker that should report it, and a line on the bug. The hunt, the
// checker tests and the shrinking tests all walk this one list.
#pragma once

#include <string>
#include <vector>

#include "sim/report/failure.h"
#include "sim/report/sanitizers.h"
#include "sim/sweep/single_run.h"
#include "sim/zoo/atomic_waker.h"
#include "sim/zoo/breaker_count.h"
#include "sim/zoo/busy_lock.h"
#include "sim/zoo/check_then_act.h"
#include "sim/zoo/close_race.h"
#include "sim/zoo/dangling_temporary.h"
#include "sim/zoo/half_message.h"
#include "sim/zoo/heartbeat_race.h"
#include "sim/zoo/join_combinator.h"
#include "sim/zoo/join_output.h"
#include "sim/zoo/lost_flush.h"
#include "sim/zoo/lost_wakeup.h"
#include "sim/zoo/once_init.h"
#include "sim/zoo/parked_flag.h"
#include "sim/zoo/partial_read.h"
#include "sim/zoo/peer_cycle.h"
#include "sim/zoo/permit_leak.h"
#include "sim/zoo/pool_exhaustion.h"
#include "sim/zoo/register_race.h"
#include "sim/zoo/relaxed_publish.h"
#include "sim/zoo/ring_index.h"
#include "sim/zoo/slot_leak.h"
#include "sim/zoo/spurious_poll.h"
#include "sim/zoo/stale_waker.h"
#include "sim/zoo/task_state_race.h"
#include "sim/zoo/waiter_list.h"

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
  // Perturbations the bug needs at the least (0 when fifo_finds): the
  // shrunk list has this many, and exhaustive:k finds it only for k at
  // least this.
  int perturbations_needed = 1;
  // What it runs on that exists only in a simulation ("simulated network",
  // "simulated disk"), so there is no real thread pool to stress it on;
  // nullptr for plain async code.
  const char* simulated_only = nullptr;
};

// Whether a checker, not ASan or undefined behaviour, reports the buggy
// twin of `c` in this build (ASan stops a use of freed memory first; a
// destroyed stack object shows only in an unoptimised build without it).
inline bool reported_by_checker(const Component& c) {
  return !c.needs_unoptimised_build &&
         !(sim::kBuiltWithAsan && c.frees_memory_in_use);
}

inline std::vector<Component> catalogue() {
  using sim::Checker;
  return {
      {.name = "lost_wakeup",
       .bug = "notify before wait is dropped",
       .buggy = lost_wakeup_scenario<false>,
       .fixed = lost_wakeup_scenario<true>,
       .expected = Checker::kDeadlock},
      {.name = "stale_waker",
       .bug = "only the first poll's waker is kept",
       .buggy = stale_waker_scenario<false>,
       .fixed = stale_waker_scenario<true>,
       .expected = Checker::kStaleWaker},
      {.name = "waiter_list",
       .bug = "dropped waiter left in an intrusive list",
       .buggy = waiter_list_scenario<false>,
       .fixed = waiter_list_scenario<true>,
       .expected = Checker::kUseAfterDrop,
       .frees_memory_in_use = true},
      {.name = "permit_leak",
       .bug = "acquire cancelled after grant keeps the permit",
       .buggy = permit_leak_scenario<false>,
       .fixed = permit_leak_scenario<true>,
       .expected = Checker::kDeadlock},
      {.name = "half_message",
       .bug = "select drops a half-read message",
       .buggy = half_message_scenario<false>,
       .fixed = half_message_scenario<true>,
       .expected = Checker::kInvariant},
      {.name = "check_then_act",
       .bug = "balance checked before an await, used after",
       .buggy = check_then_act_scenario<false>,
       .fixed = check_then_act_scenario<true>,
       .expected = Checker::kInvariant},
      {.name = "heartbeat_race",
       .bug = "timeout equal to the heartbeat period",
       .buggy = heartbeat_race_scenario<false>,
       .fixed = heartbeat_race_scenario<true>,
       .expected = Checker::kInvariant},
      {.name = "peer_cycle",
       .bug = "two tasks' mailboxes own each other",
       .buggy = peer_cycle_scenario<false>,
       .fixed = peer_cycle_scenario<true>,
       .expected = Checker::kLeak,
       .fifo_finds = true,
       .perturbations_needed = 0},
      {.name = "poll_after_ready",
       .bug = "hand-written join re-polls a finished child",
       .buggy = join_combinator_scenario<false>,
       .fixed = join_combinator_scenario<true>,
       .expected = Checker::kProtocolMisuse},
      {.name = "spurious_poll",
       .bug = "a read assumes it is polled only when ready",
       .buggy = spurious_poll_scenario<false>,
       .fixed = spurious_poll_scenario<true>,
       .expected = Checker::kInvariant},
      {.name = "close_race",
       .bug = "close reported before buffered messages",
       .buggy = close_race_scenario<false>,
       .fixed = close_race_scenario<true>,
       .expected = Checker::kInvariant},
      {.name = "dangling_temporary",
       .bug = "coroutine keeps a reference to a temporary",
       .buggy = dangling_temporary_scenario<false>,
       .fixed = dangling_temporary_scenario<true>,
       .expected = Checker::kInvariant,
       .fifo_finds = true,
       .needs_unoptimised_build = true,
       .perturbations_needed = 0},
      {.name = "slot_leak",
       .bug = "a slot taken before a wait is lost when the waiter is cancelled",
       .buggy = slot_leak_scenario<false>,
       .fixed = slot_leak_scenario<true>,
       .expected = Checker::kDeadlock},
      {.name = "partial_read",
       .bug = "a frame's length byte is lost when its read is cancelled",
       .buggy = partial_read_scenario<false>,
       .fixed = partial_read_scenario<true>,
       .expected = Checker::kInvariant},
      {.name = "once_init",
       .bug = "a lazy value's loading mark outlives a cancelled initialiser",
       .buggy = once_init_scenario<false>,
       .fixed = once_init_scenario<true>,
       .expected = Checker::kDeadlock},
      {.name = "lost_flush",
       .bug = "an item pushed while the flusher syncs is never written",
       .buggy = lost_flush_scenario<false>,
       .fixed = lost_flush_scenario<true>,
       .expected = Checker::kLiveness},
      {.name = "breaker_count",
       .bug = "a success does not reset the breaker's timeout count",
       .buggy = breaker_count_scenario<false>,
       .fixed = breaker_count_scenario<true>,
       .expected = Checker::kInvariant,
       .perturbations_needed = 3},
      {.name = "pool_exhaustion",
       .bug = "each cancelled request loses a connection; three empty the pool",
       .buggy = pool_exhaustion_scenario<false, 3>,
       .fixed = pool_exhaustion_scenario<true, 3>,
       .expected = Checker::kDeadlock,
       .perturbations_needed = 3},
      {.name = "busy_lock",
       .bug = "Pending returned with no waker kept",
       .buggy = busy_lock_scenario<false>,
       .fixed = busy_lock_scenario<true>,
       .expected = Checker::kNeverWoken,
       .fifo_finds = true,
       .perturbations_needed = 0},
      // Simulated threads (weft::sync): bugs inside a poll.
      {.name = "register_race",
       .bug = "a foreign wake between the check and the waker's store",
       .buggy = register_race_scenario<false>,
       .fixed = register_race_scenario<true>,
       .expected = Checker::kDeadlock},
      {.name = "atomic_waker",
       .bug = "wake() checks the slot is free, then takes it",
       .buggy = atomic_waker_scenario<false>,
       .fixed = atomic_waker_scenario<true>,
       .expected = Checker::kDataRace},
      {.name = "task_state_race",
       .bug = "end of poll reads then stores the state; a notify between",
       .buggy = task_state_race_scenario<false>,
       .fixed = task_state_race_scenario<true>,
       .expected = Checker::kDeadlock},
      {.name = "relaxed_publish",
       .bug = "data published behind a relaxed flag",
       .buggy = relaxed_publish_scenario<false>,
       .fixed = relaxed_publish_scenario<true>,
       .expected = Checker::kDataRace,
       .fifo_finds = true,
       .perturbations_needed = 0},
      // Weak memory: each needs a load that reads an older store, which
      // only the memory model of weft::sync::atomic produces.
      {.name = "parked_flag",
       .bug = "park/unpark flags with release/acquire: both miss the other",
       .buggy = parked_flag_scenario<false>,
       .fixed = parked_flag_scenario<true>,
       .expected = Checker::kDeadlock},
      {.name = "join_output",
       .bug = "a task's output published by a relaxed state store",
       .buggy = join_output_scenario<false>,
       .fixed = join_output_scenario<true>,
       .expected = Checker::kInvariant},
      {.name = "ring_index",
       .bug = "an SPSC ring's tail loaded without acquire",
       .buggy = ring_index_scenario<false>,
       .fixed = ring_index_scenario<true>,
       .expected = Checker::kInvariant},
  };
}

}  // namespace weft::zoo
