// A log that acknowledges each record once it is written: one line
// ("rec <n>\n") appended to /log. The bug: it acknowledges before the
// record is synced, so a crash can lose a record the caller was told is
// safe. The fixed twin calls sync_data() and acknowledges only if the
// write and the sync succeeded.
//
// FIFO keeps every change at a crash; one disk-crash@O decision (the write
// lost) finds it.
#pragma once

#include <string>
#include <vector>

#include "runtime/fs/fs.h"
#include "runtime/future/async.h"
#include "runtime/seam/assert.h"
#include "sim/storage/sim_disk.h"

namespace weft::zoo {

// The records a log's contents hold: its complete "rec <n>" lines (a torn
// or partial last line is not one).
inline std::vector<std::string> log_records(const std::string& contents) {
  std::vector<std::string> records;
  std::size_t start = 0;
  for (std::size_t end; (end = contents.find('\n', start)) != std::string::npos;
       start = end + 1) {
    std::string line = contents.substr(start, end - start);
    if (line.rfind("rec ", 0) == 0) records.push_back(std::move(line));
  }
  return records;
}

// Makes /log, durable and empty.
inline Async<bool> create_log(fs::FileSystem& fs) {
  auto file = co_await fs.open("/log", fs::OpenOptions::create_or_open());
  co_return file&& co_await file.value().sync_all() &&
      co_await fs.sync_dir("/");
}

template <bool kFixed>
Async<bool> append_record(fs::File& log, const std::string& record) {
  const std::string line = record + "\n";
  auto end = co_await log.size();
  if (!end || !co_await log.write_all_at(end.value(), line)) co_return false;
  // The bug: the record is acknowledged while still in the page cache.
  if (kFixed && !co_await log.sync_data()) co_return false;
  co_return true;
}

template <bool kFixed>
Async<void> unsynced_ack_scenario() {
  sim::SimDisk disk;
  if (!co_await create_log(disk.fs())) co_return;
  std::vector<std::string> acknowledged;
  {
    auto log = co_await disk.fs().open("/log", fs::OpenOptions::read_write());
    if (!log) co_return;
    for (int n = 1; n <= 3; ++n) {
      const std::string record = "rec " + std::to_string(n);
      // A failed write or sync ends the log's life until a restart: its
      // file may now have a hole where the record was (a failed sync
      // dropped it), and records after a hole are not found again.
      if (!co_await append_record<kFixed>(log.value(), record)) break;
      acknowledged.push_back(record);
    }
  }
  disk.crash();
  auto contents = co_await disk.fs().read_file("/log");
  if (!contents) co_return;  // an injected read error: nothing to check
  const std::vector<std::string> recovered = log_records(contents.value());
  for (const std::string& record : acknowledged) {
    WEFT_ASSERT(std::find(recovered.begin(), recovered.end(), record) !=
                    recovered.end(),
                "an acknowledged record survives a crash");
  }
}

}  // namespace weft::zoo
