// kv::KvStore: a small key-value store that survives crashes, written on
// weft::fs only, so the same code runs on a real disk (examples/kv_main.cc)
// and on a simulated host's disk (examples/kv_store_test.cc).
//
// On disk, in its folder: `wal`, the write-ahead log, and `snapshot`, the
// whole map as of the last compaction. Both are sequences of records:
// [payload length u32][checksum u32][key length u32][key][value]. A put
// appends a record to the log and syncs it before it returns; open() loads
// the snapshot, replays the log up to its first record that is incomplete
// or whose checksum fails (a write torn or lost by a crash, never
// acknowledged), and cuts the log there so that new records follow good
// ones. compact() writes the map to `snapshot.tmp`, syncs it, renames it
// over `snapshot`, syncs the folder (the rename is durable only then), and
// only then empties the log.
//
// After any failed write or sync the store refuses further changes: a
// failed sync may have dropped what it was to write (Linux marks the pages
// clean), so only reopening, which reads back what is really on disk, is
// safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "runtime/fs/fs.h"
#include "runtime/future/async.h"

namespace kv {

class KvStore {
 public:
  // Opens (creating it if needed) the store in folder `dir`.
  static weft::Async<weft::fs::IoResult<KvStore>> open(weft::fs::FileSystem& fs,
                                                       std::string dir);

  // Durable when it returns ok.
  weft::Async<weft::fs::IoResult<void>> put(std::string key, std::string value);
  std::optional<std::string> get(const std::string& key) const;
  // Folds the log into a new snapshot.
  weft::Async<weft::fs::IoResult<void>> compact();

  std::size_t size() const noexcept { return map_.size(); }
  std::uint64_t log_bytes() const noexcept { return wal_end_; }

 private:
  KvStore(weft::fs::FileSystem& fs, std::string dir)
      : fs_(&fs), dir_(std::move(dir)) {}
  weft::Async<weft::fs::IoResult<void>> recover();
  weft::fs::IoResult<void> refuse_if_broken(const char* operation) const;

  weft::fs::FileSystem* fs_;
  std::string dir_;
  weft::fs::File wal_;
  std::uint64_t wal_end_ = 0;
  std::map<std::string, std::string> map_;
  bool broken_ = false;
};

// The record format, shared with tests: one record's bytes, and the
// records of a file up to the first bad one (with where that one starts).
std::string encode_record(const std::string& key, const std::string& value);
struct Decoded {
  std::map<std::string, std::string> entries;  // later records win
  std::uint64_t good_bytes = 0;
};
Decoded decode_records(const std::string& bytes);

}  // namespace kv
