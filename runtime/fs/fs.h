// weft::fs: files and directories, as futures. File is one open file;
// FileSystem is what opens them and changes directories. Production code
// takes a FileSystem& (as socket code takes a Network&) and never knows
// which one runs under it: RealFileSystem (runtime/fs/real_fs.h) on the
// machine's disk, or a simulated host's disk (sim/storage/sim_disk.h),
// where what was not synced may be lost at a crash, by decision.
//
//   weft::Async<weft::fs::IoResult<void>> save(weft::fs::FileSystem& fs,
//                                              std::string_view text) {
//     auto file = co_await fs.open("/data/state.tmp",
//                                  weft::fs::OpenOptions::create_truncate());
//     if (!file) co_return file.error();   // "open /data/state.tmp: ..."
//     auto wrote = co_await file.value().write_all_at(0, as_bytes(text));
//     if (!wrote) co_return wrote;
//     if (auto synced = co_await file.value().sync_all(); !synced)
//       co_return synced;
//     if (auto moved = co_await fs.rename("/data/state.tmp",
//                                         "/data/state"); !moved)
//       co_return moved;
//     co_return co_await fs.sync_dir("/data");  // the rename is durable
//   }
//
// Errors are values (IoResult), each with the OS error number and a message
// naming the operation and the path. Durability is the OS's: a write is in
// the page cache until sync_data()/sync_all() returns ok; a file's name (its
// creation, a rename, a removal) is durable once its directory is synced.
// Every operation future is cancellation-safe: dropped while pending, the
// caller's buffer is never touched after the drop, and the operation either
// happens whole or not at all, as far as the OS allows (a write the kernel
// already took stays written).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/future/async.h"
#include "runtime/io/io_result.h"

namespace weft::fs {

using io::errno_name;
using io::IoError;
using io::IoResult;

struct OpenOptions {
  bool read = true;
  bool write = false;
  bool create = false;      // create the file if it does not exist
  bool create_new = false;  // create it, failing with EEXIST if it exists
  bool truncate = false;    // empty it on open (needs write)

  static OpenOptions read_only() { return {}; }
  // Read and write an existing file.
  static OpenOptions read_write() { return {true, true, false, false, false}; }
  // Read and write, creating the file if needed (the contents are kept).
  static OpenOptions create_or_open() {
    return {true, true, true, false, false};
  }
  // Read and write a new, empty file (an existing one is emptied).
  static OpenOptions create_truncate() {
    return {true, true, true, false, true};
  }
};

// One open file, as a backend implements it. Offsets are bytes from the
// start. A read past the end returns fewer bytes (0 at or beyond it); a
// write past the end extends the file, zeros between.
class FileIo {
 public:
  virtual ~FileIo() = default;
  virtual Async<IoResult<std::size_t>> read_at(std::uint64_t offset,
                                               std::span<std::byte> into) = 0;
  // May write fewer bytes than asked (a short write); never 0 of >0.
  virtual Async<IoResult<std::size_t>> write_at(
      std::uint64_t offset, std::span<const std::byte> from) = 0;
  // Writes at the end of the file; returns where the bytes went.
  virtual Async<IoResult<std::uint64_t>> append(
      std::span<const std::byte> from) = 0;
  // data_only: fdatasync (the data and the size); otherwise fsync.
  virtual Async<IoResult<void>> sync(bool data_only) = 0;
  virtual Async<IoResult<void>> set_len(std::uint64_t size) = 0;
  virtual Async<IoResult<std::uint64_t>> size() = 0;
  virtual const std::string& path() const noexcept = 0;
};

class File {
 public:
  File() = default;
  explicit File(std::unique_ptr<FileIo> io) : io_(std::move(io)) {}

  Async<IoResult<std::size_t>> read_at(std::uint64_t offset,
                                       std::span<std::byte> into) {
    return checked().read_at(offset, into);
  }
  Async<IoResult<std::size_t>> write_at(std::uint64_t offset,
                                        std::span<const std::byte> from) {
    return checked().write_at(offset, from);
  }
  Async<IoResult<std::uint64_t>> append(std::span<const std::byte> from) {
    return checked().append(from);
  }
  Async<IoResult<std::uint64_t>> append(std::string_view text) {
    return append(std::as_bytes(std::span(text.data(), text.size())));
  }
  // Writes all of `from` at `offset`, going on after short writes.
  Async<IoResult<void>> write_all_at(std::uint64_t offset,
                                     std::span<const std::byte> from);
  Async<IoResult<void>> write_all_at(std::uint64_t offset,
                                     std::string_view text) {
    return write_all_at(offset,
                        std::as_bytes(std::span(text.data(), text.size())));
  }
  // Reads from `offset` to the end of the file.
  Async<IoResult<std::string>> read_to_end(std::uint64_t offset = 0);
  Async<IoResult<void>> sync_data() { return checked().sync(true); }
  Async<IoResult<void>> sync_all() { return checked().sync(false); }
  Async<IoResult<void>> set_len(std::uint64_t size) {
    return checked().set_len(size);
  }
  Async<IoResult<std::uint64_t>> size() { return checked().size(); }

  const std::string& path() const { return io_checked().path(); }
  bool is_open() const noexcept { return io_ != nullptr; }
  // Closes the file now (the destructor does the same). Closing syncs
  // nothing.
  void close() noexcept { io_.reset(); }

 private:
  FileIo& checked() { return io_checked(); }
  FileIo& io_checked() const;
  std::unique_ptr<FileIo> io_;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual Async<IoResult<File>> open(std::string path, OpenOptions options) = 0;
  virtual Async<IoResult<void>> create_dir(std::string path) = 0;
  // Removes a file's name (its data goes with its last open handle).
  virtual Async<IoResult<void>> remove_file(std::string path) = 0;
  // Removes an empty directory.
  virtual Async<IoResult<void>> remove_dir(std::string path) = 0;
  // Atomically replaces `to` (a file) with `from`.
  virtual Async<IoResult<void>> rename(std::string from, std::string to) = 0;
  // The names in a directory, sorted.
  virtual Async<IoResult<std::vector<std::string>>> list_dir(
      std::string path) = 0;
  // Makes the directory's entries (files created, renamed into or removed
  // from it) durable.
  virtual Async<IoResult<void>> sync_dir(std::string path) = 0;
  // Whether a file or directory of that name exists.
  virtual Async<IoResult<bool>> exists(std::string path) = 0;

  // The whole contents of a file.
  Async<IoResult<std::string>> read_file(std::string path);
  // Creates or empties `path` and writes `contents` (syncs nothing).
  Async<IoResult<void>> write_file(std::string path, std::string contents);
};

}  // namespace weft::fs
