// A log that syncs each record before acknowledging it, and retries a sync
// that fails. The bug: after a failed sync it retries the sync alone and
// acknowledges when a retry succeeds. But a failed sync drops the dirty
// data (Linux marks the pages clean after a writeback error; PostgreSQL's
// "fsyncgate", 2018): the retry has nothing to write, succeeds, and the
// record is lost at the next crash. The fixed twin writes the record again
// before each retry.
//
// FIFO injects no fault; one disk-fault@O decision (a sync's EIO) finds
// it.
#pragma once

#include <string>
#include <vector>

#include "runtime/fs/fs.h"
#include "runtime/future/async.h"
#include "runtime/seam/assert.h"
#include "sim/storage/sim_disk.h"
#include "sim/zoo/unsynced_ack.h"

namespace weft::zoo {

template <bool kFixed>
Async<bool> append_durably(fs::File& log, std::uint64_t at,
                           const std::string& line) {
  if (!co_await log.write_all_at(at, line)) co_return false;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (co_await log.sync_data()) co_return true;
    // The bug: the failed sync dropped the record; syncing again writes
    // nothing.
    if (kFixed && !co_await log.write_all_at(at, line)) co_return false;
  }
  co_return false;
}

template <bool kFixed>
Async<void> sync_retry_scenario() {
  sim::SimDisk disk;
  if (!co_await create_log(disk.fs())) co_return;
  std::vector<std::string> acknowledged;
  {
    auto log = co_await disk.fs().open("/log", fs::OpenOptions::read_write());
    if (!log) co_return;
    std::uint64_t end = 0;
    for (int n = 1; n <= 4; ++n) {
      const std::string record = "rec " + std::to_string(n);
      if (!co_await append_durably<kFixed>(log.value(), end, record + "\n")) {
        break;
      }
      end += record.size() + 1;
      acknowledged.push_back(record);
    }
  }
  disk.crash();
  auto contents = co_await disk.fs().read_file("/log");
  if (!contents) co_return;  // an injected read error
  const std::vector<std::string> recovered = log_records(contents.value());
  for (const std::string& record : acknowledged) {
    WEFT_ASSERT(std::find(recovered.begin(), recovered.end(), record) !=
                    recovered.end(),
                "an acknowledged record survives a crash");
  }
}

}  // namespace weft::zoo
