// The zoo's storage components: bugs that only a crash or a disk fault
// shows (a write acknowledged before it is durable, a name not synced, a
// torn record trusted, a failed sync retried), each with its fixed twin,
// written against weft::fs and run on a simulated disk. Kept apart from
// catalogue() for the same reason as the network's: every storage
// operation's latency and fault is a decision, too many for exhaustive
// search. The hunt and tests/sim/storage_zoo_test.cc walk this list.
#pragma once

#include <vector>

#include "sim/zoo/catalogue.h"
#include "sim/zoo/sync_retry.h"
#include "sim/zoo/torn_record.h"
#include "sim/zoo/unsynced_ack.h"
#include "sim/zoo/unsynced_rename.h"

namespace weft::zoo {

inline std::vector<Component> storage_catalogue() {
  using sim::Checker;
  return {
      {.name = "unsynced_ack",
       .bug = "a write is acknowledged before it is synced",
       .buggy = unsynced_ack_scenario<false>,
       .fixed = unsynced_ack_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated disk"},
      {.name = "unsynced_rename",
       .bug = "a file renamed into place without syncing its folder",
       .buggy = unsynced_rename_scenario<false>,
       .fixed = unsynced_rename_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated disk"},
      {.name = "torn_record",
       .bug = "recovery accepts a torn record (no checksum)",
       .buggy = torn_record_scenario<false>,
       .fixed = torn_record_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated disk"},
      {.name = "sync_retry",
       .bug = "a failed sync is retried as if the data were still dirty",
       .buggy = sync_retry_scenario<false>,
       .fixed = sync_retry_scenario<true>,
       .expected = Checker::kInvariant,
       .simulated_only = "simulated disk"},
  };
}

}  // namespace weft::zoo
