#include "runtime/fs/real_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/fs/real_file.h"
#include "runtime/seam/misuse.h"

#if WEFT_HAS_IO_URING
#include <liburing.h>
#endif

namespace weft::fs {
namespace {

using real_detail::os_error;
using real_detail::refuse_inside_a_simulation;

unsigned checked_threads(const RealFsOptions& options) {
  if (options.backend == RealFsOptions::Backend::kInline) return 0;
  if (options.threads < 1 || options.threads > 256) {
    report_misuse("RealFsOptions::threads is " +
                  std::to_string(options.threads) +
                  "; accepted: 1..256 with Backend::kThreadPool (or "
                  "Backend::kInline for no threads)");
  }
  return options.threads;
}

}  // namespace

RealFileSystem::RealFileSystem(RealFsOptions options)
    : backend_(options.backend),
      pool_(std::make_shared<BlockingPool>(checked_threads(options))) {
  using Backend = RealFsOptions::Backend;
  if (backend_ != Backend::kAuto && backend_ != Backend::kIoUring) return;
  uring_ = UringDriver::start(256, why_not_);
  if (uring_ != nullptr) {
    backend_ = Backend::kIoUring;
  } else if (backend_ == Backend::kIoUring) {
    report_misuse(
        "RealFsOptions::backend is kIoUring, but io_uring cannot be used (" +
        why_not_ +
        "); accepted here: kAuto (which falls back to the "
        "thread pool), kThreadPool or kInline");
  } else {
    backend_ = Backend::kThreadPool;
  }
}

RealFileSystem::~RealFileSystem() = default;

Async<IoResult<File>> RealFileSystem::open(std::string path,
                                           OpenOptions options) {
  refuse_inside_a_simulation("open", path);
  int flags = O_CLOEXEC;
  flags |= options.write ? (options.read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (options.create) flags |= O_CREAT;
  if (options.create_new) flags |= O_CREAT | O_EXCL;
  if (options.truncate) flags |= O_TRUNC;
  if ((options.truncate || options.create || options.create_new) &&
      !options.write) {
    co_return IoError{EINVAL, "open",
                      path + " (create and truncate need write access)"};
  }
  auto shared_path = std::make_shared<const std::string>(path);
#if WEFT_HAS_IO_URING
  if (uring_ != nullptr) {
    UringCall<IoResult<int>> opening(
        *uring_,
        [shared_path, flags](io_uring_sqe& entry) {
          io_uring_prep_openat(&entry, AT_FDCWD, shared_path->c_str(), flags,
                               0644);
        },
        [shared_path](int result) -> IoResult<int> {
          if (result < 0) return IoError{-result, "open", *shared_path};
          return result;
        });
    IoResult<int> fd = co_await std::move(opening);
    if (!fd) co_return fd.error();
    co_return File(real_detail::make_real_file(pool_, uring_, fd.value(),
                                               std::move(path)));
  }
#endif
  auto call = [shared_path, flags]() -> IoResult<int> {
    const int fd = ::open(shared_path->c_str(), flags, 0644);
    if (fd < 0) return os_error("open", *shared_path);
    return fd;
  };
  IoResult<int> fd = co_await blocking(*pool_, std::move(call));
  if (!fd) co_return fd.error();
  co_return File(
      real_detail::make_real_file(pool_, nullptr, fd.value(), std::move(path)));
}

namespace {

template <typename Call>
auto path_call(BlockingPool& pool, const char* operation, std::string path,
               Call call) {
  refuse_inside_a_simulation(operation, path);
  return blocking(
      pool, [operation, path = std::move(path), call]() -> IoResult<void> {
        if (call(path.c_str()) != 0) return os_error(operation, path);
        return {};
      });
}

}  // namespace

Async<IoResult<void>> RealFileSystem::create_dir(std::string path) {
  auto call = path_call(*pool_, "create_dir", std::move(path),
                        [](const char* p) { return ::mkdir(p, 0755); });
  co_return co_await std::move(call);
}

Async<IoResult<void>> RealFileSystem::remove_file(std::string path) {
  auto call = path_call(*pool_, "remove_file", std::move(path),
                        [](const char* p) { return ::unlink(p); });
  co_return co_await std::move(call);
}

Async<IoResult<void>> RealFileSystem::remove_dir(std::string path) {
  auto call = path_call(*pool_, "remove_dir", std::move(path),
                        [](const char* p) { return ::rmdir(p); });
  co_return co_await std::move(call);
}

Async<IoResult<void>> RealFileSystem::rename(std::string from, std::string to) {
  refuse_inside_a_simulation("rename", from);
  auto call = [from, to]() -> IoResult<void> {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return os_error("rename", from + " -> " + to);
    }
    return {};
  };
  co_return co_await blocking(*pool_, std::move(call));
}

Async<IoResult<std::vector<std::string>>> RealFileSystem::list_dir(
    std::string path) {
  refuse_inside_a_simulation("list_dir", path);
  auto call = [path]() -> IoResult<std::vector<std::string>> {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return os_error("list_dir", path);
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(dir)) {
      const std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    const int error = errno;
    ::closedir(dir);
    if (error != 0) return IoError{error, "list_dir", path};
    std::sort(names.begin(), names.end());
    return names;
  };
  co_return co_await blocking(*pool_, std::move(call));
}

Async<IoResult<void>> RealFileSystem::sync_dir(std::string path) {
  refuse_inside_a_simulation("sync_dir", path);
  auto call = [path]() -> IoResult<void> {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return os_error("sync_dir", path);
    const int status = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (status != 0) return IoError{error, "sync_dir", path};
    return {};
  };
  co_return co_await blocking(*pool_, std::move(call));
}

Async<IoResult<bool>> RealFileSystem::exists(std::string path) {
  refuse_inside_a_simulation("exists", path);
  auto call = [path]() -> IoResult<bool> {
    struct stat status {};
    if (::stat(path.c_str(), &status) == 0) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return os_error("exists", path);
  };
  co_return co_await blocking(*pool_, std::move(call));
}

}  // namespace weft::fs
