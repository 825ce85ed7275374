// weft::fs::RealFileSystem: weft::fs on the machine's own disk. With
// Backend::kAuto or kIoUring, opens, reads, writes and syncs go through
// io_uring (runtime/fs/uring_driver.h) where the kernel allows it; the
// rest (set_len, size, append, the folder operations), and everything by
// default or where io_uring is refused, are POSIX calls
// (ftruncate, fstat, mkdir, rename, unlink, rmdir, opendir, ...) on a pool
// of blocking threads (runtime/fs/blocking_pool.h), so the executor's
// thread never waits on the disk; or, with Backend::kInline, in the poll
// itself. Paths are the OS's (relative ones from the process's working
// folder).
//
// A pending call is a wake from another thread: with a LocalExecutor that
// has no I/O driver, raise set_stall_timeout() above the slowest sync.
//
// Dropping a pending operation is safe: the call finishes on its pool
// thread into buffers of its own (a read is copied into the caller's buffer
// only when its future completes), and a file's descriptor is closed only
// after the last call using it returns.
#pragma once

#include <memory>

#include "runtime/fs/blocking_pool.h"
#include "runtime/fs/fs.h"
#include "runtime/fs/uring_driver.h"

namespace weft::fs {

struct RealFsOptions {
  enum class Backend {
    kAuto,        // io_uring if the kernel allows it, else kThreadPool
    kIoUring,     // io_uring, or a misuse naming why the kernel refused
    kThreadPool,  // blocking calls on `threads` pool threads
    kInline,      // blocking calls in the poll, on the executor's thread
  };
  // The pool by default: measured next to io_uring on this project's
  // machine (Linux 6.18, ext4), one 4 KiB call at a time, the pool took
  // 74 us a write and 227 us a synced write, io_uring 100 and 482
  // (bench/README.md, "Files, real and simulated"); kAuto where io_uring
  // wins (many calls in flight at once).
  Backend backend = Backend::kThreadPool;
  unsigned threads = 4;  // 1..256, except with kInline
};

class RealFileSystem final : public FileSystem {
 public:
  explicit RealFileSystem(RealFsOptions options = {});
  ~RealFileSystem() override;

  Async<IoResult<File>> open(std::string path, OpenOptions options) override;
  Async<IoResult<void>> create_dir(std::string path) override;
  Async<IoResult<void>> remove_file(std::string path) override;
  Async<IoResult<void>> remove_dir(std::string path) override;
  Async<IoResult<void>> rename(std::string from, std::string to) override;
  Async<IoResult<std::vector<std::string>>> list_dir(std::string path) override;
  Async<IoResult<void>> sync_dir(std::string path) override;
  Async<IoResult<bool>> exists(std::string path) override;

  // What runs the calls: kIoUring (with the pool beside it), kThreadPool
  // or kInline; never kAuto.
  RealFsOptions::Backend backend() const noexcept { return backend_; }
  // Why io_uring is not used ("" when it is, or was not asked for).
  const std::string& why_not_io_uring() const noexcept { return why_not_; }

 private:
  RealFsOptions::Backend backend_;
  std::string why_not_;
  // Shared with the files it opened, which may outlive it.
  std::shared_ptr<BlockingPool> pool_;
  std::shared_ptr<UringDriver> uring_;
};

}  // namespace weft::fs
