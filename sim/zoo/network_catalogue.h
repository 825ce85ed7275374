// The zoo's distributed components: bugs that only a network shows (a
// late or lost message, a duplicate, a reset, a crash), each with its
// fixed twin, written against weft::net and run between simulated hosts.
// Kept apart from catalogue() because their decision space (every
// message's delay, loss and cut) is far too large for exhaustive search,
// which the checker tests run on every catalogued component; the hunt and
// tests/sim/net_zoo_test.cc walk this list.
#pragma once

#include <vector>

#include "sim/zoo/backup_ack.h"
#include "sim/zoo/catalogue.h"
#include "sim/zoo/conn_leak.h"
#include "sim/zoo/deposed_leader.h"
#include "sim/zoo/retry_duplicate.h"
#include "sim/zoo/split_frame.h"

namespace weft::zoo {

inline std::vector<Component> network_catalogue() {
  using sim::Checker;
  return {
      {.name = "retry_duplicate",
       .bug = "a retried request is applied twice (no idempotency)",
       .buggy = retry_duplicate_scenario<false>,
       .fixed = retry_duplicate_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated network"},
      {.name = "conn_leak",
       .bug = "a peer's reset leaks the connection's writer task",
       .buggy = conn_leak_scenario<false>,
       .fixed = conn_leak_scenario<true>,
       .expected = Checker::kLiveness,
       .simulated_only = "simulated network"},
      {.name = "backup_ack",
       .bug = "a write is acknowledged before its backup has it",
       .buggy = backup_ack_scenario<false>,
       .fixed = backup_ack_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated network"},
      {.name = "deposed_leader",
       .bug = "a leader cut off from the others still answers reads",
       .buggy = deposed_leader_scenario<false>,
       .fixed = deposed_leader_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated network"},
      {.name = "split_frame",
       .bug = "a server takes one read as one whole request",
       .buggy = split_frame_scenario<false>,
       .fixed = split_frame_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated network"},
  };
}

}  // namespace weft::zoo
