// A log of length-prefixed records: each is a 4-byte length and the
// payload, appended and synced before it is acknowledged. A record is 700
// bytes, so it crosses a 512-byte sector boundary. The bug: recovery
// trusts the length prefix and takes the payload as it finds it, so a
// record torn by a crash (its first sector written, the rest not, the
// file's length grown) comes back as a record that was never written. The
// fixed twin ends each record with a checksum and stops recovery at the
// first record whose checksum fails: a torn tail is dropped, as an
// unacknowledged write may be.
//
// FIFO keeps every change at a crash; one disk-crash@O decision (the last
// write torn) finds it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/fs/fs.h"
#include "runtime/future/async.h"
#include "runtime/seam/assert.h"
#include "sim/storage/sim_disk.h"

namespace weft::zoo {

inline std::uint32_t fnv1a(const std::string& bytes) {
  std::uint32_t hash = 2166136261u;
  for (char c : bytes) {
    hash = (hash ^ static_cast<std::uint8_t>(c)) * 16777619u;
  }
  return hash;
}

inline void put_u32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}

inline std::uint32_t get_u32(const std::string& in, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= std::uint32_t{static_cast<std::uint8_t>(in[at + i])} << (8 * i);
  }
  return value;
}

template <bool kFixed>
std::string encode_record(const std::string& payload) {
  std::string out;
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  out += payload;
  if (kFixed) put_u32(out, fnv1a(payload));
  return out;
}

// The records of a log, in order, up to the first that is incomplete (or,
// fixed, whose checksum fails).
template <bool kFixed>
std::vector<std::string> recover_records(const std::string& log) {
  std::vector<std::string> records;
  std::size_t at = 0;
  const std::size_t trailer = kFixed ? 4 : 0;
  while (at + 4 <= log.size()) {
    const std::uint32_t length = get_u32(log, at);
    if (length == 0 || at + 4 + length + trailer > log.size()) break;
    std::string payload = log.substr(at + 4, length);
    // The bug: without a checksum a torn payload is taken as written.
    if (kFixed && get_u32(log, at + 4 + length) != fnv1a(payload)) break;
    records.push_back(std::move(payload));
    at += 4 + length + trailer;
  }
  return records;
}

template <bool kFixed>
Async<void> torn_record_scenario() {
  sim::SimDisk disk;
  {
    auto made =
        co_await disk.fs().open("/wal", fs::OpenOptions::create_or_open());
    if (!made || !co_await made.value().sync_all() ||
        !co_await disk.fs().sync_dir("/")) {
      co_return;
    }
  }
  std::vector<std::string> written;
  {
    auto wal = co_await disk.fs().open("/wal", fs::OpenOptions::read_write());
    if (!wal) co_return;
    std::uint64_t end = 0;
    for (char fill : {'a', 'b', 'c'}) {
      const std::string payload(692, fill);
      const std::string record = encode_record<kFixed>(payload);
      if (!co_await wal.value().write_all_at(end, record)) break;
      end += record.size();
      written.push_back(payload);
      // The last record is still being synced when the machine crashes.
      if (fill != 'c' && !co_await wal.value().sync_data()) break;
    }
  }
  disk.crash();
  auto log = co_await disk.fs().read_file("/wal");
  if (!log) co_return;  // an injected read error
  for (const std::string& record : recover_records<kFixed>(log.value())) {
    WEFT_ASSERT(
        std::find(written.begin(), written.end(), record) != written.end(),
        "recovery returns only records that were written");
  }
}

}  // namespace weft::zoo
