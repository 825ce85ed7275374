// weft::fs::RealFileSystem: weft::fs on the machine's own disk. Each
// operation is a POSIX call (open, pread, pwrite, fdatasync, fsync,
// ftruncate, mkdir, rename, unlink, rmdir, opendir) run on a pool of
// blocking threads (runtime/fs/blocking_pool.h), so the executor's thread
// never waits on the disk; or, with Backend::kInline, in the poll itself.
// Paths are the OS's (relative ones from the process's working folder).
//
// Dropping a pending operation is safe: the call finishes on its pool
// thread into buffers of its own (a read is copied into the caller's buffer
// only when its future completes), and a file's descriptor is closed only
// after the last call using it returns.
#pragma once

#include <memory>

#include "runtime/fs/blocking_pool.h"
#include "runtime/fs/fs.h"

namespace weft::fs {

struct RealFsOptions {
  enum class Backend {
    kThreadPool,  // blocking calls on `threads` pool threads
    kInline,      // blocking calls in the poll, on the executor's thread
  };
  Backend backend = Backend::kThreadPool;
  unsigned threads = 4;  // 1..256 with kThreadPool
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

 private:
  // Shared with the files it opened, which may outlive it.
  std::shared_ptr<BlockingPool> pool_;
};

}  // namespace weft::fs
