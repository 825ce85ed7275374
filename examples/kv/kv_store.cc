#include "examples/kv/kv_store.h"

#include <cerrno>

namespace kv {
namespace {

using weft::fs::IoError;
using weft::fs::IoResult;
using weft::fs::OpenOptions;

std::uint32_t checksum(std::string_view bytes) {
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (char c : bytes) {
    hash = (hash ^ static_cast<std::uint8_t>(c)) * 16777619u;
  }
  return hash;
}

void put_u32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>(value >> (8 * i)));
  }
}

std::uint32_t get_u32(const std::string& in, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= std::uint32_t{static_cast<std::uint8_t>(in[at + i])} << (8 * i);
  }
  return value;
}

}  // namespace

std::string encode_record(const std::string& key, const std::string& value) {
  std::string payload;
  put_u32(payload, static_cast<std::uint32_t>(key.size()));
  payload += key;
  payload += value;
  std::string record;
  put_u32(record, static_cast<std::uint32_t>(payload.size()));
  put_u32(record, checksum(payload));
  return record + payload;
}

Decoded decode_records(const std::string& bytes) {
  Decoded decoded;
  std::size_t at = 0;
  while (at + 8 <= bytes.size()) {
    const std::uint32_t length = get_u32(bytes, at);
    if (length < 4 || at + 8 + length > bytes.size()) break;
    const std::string payload = bytes.substr(at + 8, length);
    if (checksum(payload) != get_u32(bytes, at + 4)) break;
    const std::uint32_t key_length = get_u32(payload, 0);
    if (4 + std::uint64_t{key_length} > payload.size()) break;
    decoded.entries[payload.substr(4, key_length)] =
        payload.substr(4 + key_length);
    at += 8 + length;
  }
  decoded.good_bytes = at;
  return decoded;
}

weft::Async<IoResult<KvStore>> KvStore::open(weft::fs::FileSystem& fs,
                                             std::string dir) {
  KvStore store(fs, std::move(dir));
  IoResult<void> recovered = co_await store.recover();
  if (!recovered) co_return recovered.error();
  co_return std::move(store);
}

weft::Async<IoResult<void>> KvStore::recover() {
  IoResult<bool> exists = co_await fs_->exists(dir_);
  if (!exists) co_return exists.error();
  if (!exists.value()) {
    if (auto made = co_await fs_->create_dir(dir_); !made) co_return made;
    // The new folder's name is durable only once its parent is synced
    // (weft's simulated crash found this one: the whole store vanished).
    const std::size_t slash = dir_.rfind('/');
    const std::string parent = slash == std::string::npos ? "."
                               : slash == 0               ? "/"
                                            : dir_.substr(0, slash);
    if (auto synced = co_await fs_->sync_dir(parent); !synced) co_return synced;
  }
  IoResult<std::string> snapshot = co_await fs_->read_file(dir_ + "/snapshot");
  if (snapshot) {
    map_ = decode_records(snapshot.value()).entries;
  } else if (snapshot.code() != ENOENT) {
    co_return snapshot.error();
  }
  IoResult<weft::fs::File> wal =
      co_await fs_->open(dir_ + "/wal", OpenOptions::create_or_open());
  if (!wal) co_return wal.error();
  wal_ = std::move(wal).value();
  IoResult<std::string> log = co_await wal_.read_to_end();
  if (!log) co_return log.error();
  Decoded replayed = decode_records(log.value());
  for (auto& [key, value] : replayed.entries) map_[key] = std::move(value);
  wal_end_ = replayed.good_bytes;
  // Cut a torn or partial tail, and make the log's name durable.
  if (replayed.good_bytes != log.value().size()) {
    if (auto cut = co_await wal_.set_len(wal_end_); !cut) co_return cut;
  }
  if (auto synced = co_await wal_.sync_all(); !synced) co_return synced;
  co_return co_await fs_->sync_dir(dir_);
}

IoResult<void> KvStore::refuse_if_broken(const char* operation) const {
  if (!broken_) return {};
  return IoError{EIO, operation,
                 dir_ +
                     " (an earlier write or sync failed: reopen the "
                     "store to read what is really on disk)"};
}

weft::Async<IoResult<void>> KvStore::put(std::string key, std::string value) {
  if (auto refused = refuse_if_broken("put"); !refused) co_return refused;
  const std::string record = encode_record(key, value);
  IoResult<void> wrote = co_await wal_.write_all_at(wal_end_, record);
  if (wrote) wrote = co_await wal_.sync_data();
  if (!wrote) {
    broken_ = true;
    co_return wrote;
  }
  wal_end_ += record.size();
  map_[std::move(key)] = std::move(value);
  co_return IoResult<void>();
}

std::optional<std::string> KvStore::get(const std::string& key) const {
  auto found = map_.find(key);
  if (found == map_.end()) return std::nullopt;
  return found->second;
}

weft::Async<IoResult<void>> KvStore::compact() {
  if (auto refused = refuse_if_broken("compact"); !refused) co_return refused;
  std::string all;
  for (const auto& [key, value] : map_) all += encode_record(key, value);
  const std::string tmp = dir_ + "/snapshot.tmp";
  IoResult<void> done;
  {
    IoResult<weft::fs::File> file =
        co_await fs_->open(tmp, OpenOptions::create_truncate());
    if (!file) co_return file.error();
    done = co_await file.value().write_all_at(0, all);
    if (done) done = co_await file.value().sync_all();
  }
  if (done) done = co_await fs_->rename(tmp, dir_ + "/snapshot");
  if (done) done = co_await fs_->sync_dir(dir_);
  // Only now may the log go: the snapshot holds everything it held.
  if (done) done = co_await wal_.set_len(0);
  if (done) done = co_await wal_.sync_data();
  if (!done) {
    broken_ = true;
    co_return done;
  }
  wal_end_ = 0;
  co_return IoResult<void>();
}

}  // namespace kv
