#include "runtime/fs/real_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/seam/misuse.h"
#include "runtime/sync/sync.h"

namespace weft::fs {
namespace {

IoError os_error(const char* operation, const std::string& path) {
  return IoError{errno, operation, path};
}

// A real file inside a simulated run would wait on the kernel, outside the
// run's decisions, virtual time and crashes: a misuse, named.
void refuse_inside_a_simulation(const char* operation,
                                const std::string& path) {
  if (sync::simulated_sync() == nullptr) return;
  report_misuse(std::string("weft::fs::RealFileSystem::") + operation + " " +
                path +
                " inside a simulated run: real files live outside the run's "
                "decisions, virtual time and crashes; give the code under "
                "test a simulated disk (host.fs() of a sim::SimHost, or "
                "sim::SimDisk's fs()) as its FileSystem instead");
}

// Closes the descriptor when the file and every call using it are done.
struct Descriptor {
  explicit Descriptor(int fd_) : fd(fd_) {}
  ~Descriptor() { ::close(fd); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  const int fd;
};

class RealFile final : public FileIo {
 public:
  RealFile(std::shared_ptr<BlockingPool> pool, int fd, std::string path)
      : pool_(std::move(pool)),
        fd_(std::make_shared<Descriptor>(fd)),
        path_(std::make_shared<const std::string>(std::move(path))) {}

  Async<IoResult<std::size_t>> read_at(std::uint64_t offset,
                                       std::span<std::byte> into) override {
    refuse_inside_a_simulation("read_at", *path_);
    auto buffer = std::make_shared<std::vector<std::byte>>(into.size());
    // Named, not a temporary of the co_await expression (GCC 12
    // destroys a lambda temporary there twice).
    auto call = [fd = fd_, path = path_, buffer,
                 offset]() -> IoResult<std::size_t> {
      while (true) {
        const ssize_t n = ::pread(fd->fd, buffer->data(), buffer->size(),
                                  static_cast<off_t>(offset));
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) return os_error("read_at", *path);
      }
    };
    IoResult<std::size_t> read = co_await blocking(*pool_, std::move(call));
    if (read) std::copy_n(buffer->begin(), read.value(), into.begin());
    co_return read;
  }

  Async<IoResult<std::size_t>> write_at(
      std::uint64_t offset, std::span<const std::byte> from) override {
    refuse_inside_a_simulation("write_at", *path_);
    auto bytes = std::make_shared<const std::vector<std::byte>>(from.begin(),
                                                                from.end());
    auto call = [fd = fd_, path = path_, bytes,
                 offset]() -> IoResult<std::size_t> {
      while (true) {
        const ssize_t n = ::pwrite(fd->fd, bytes->data(), bytes->size(),
                                   static_cast<off_t>(offset));
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) return os_error("write_at", *path);
      }
    };
    co_return co_await blocking(*pool_, std::move(call));
  }

  Async<IoResult<std::uint64_t>> append(
      std::span<const std::byte> from) override {
    refuse_inside_a_simulation("append", *path_);
    auto bytes = std::make_shared<const std::vector<std::byte>>(from.begin(),
                                                                from.end());
    // One call finds the end and writes there: another append through
    // this weft::fs::File cannot slip between (calls of one file run one
    // at a time only if the caller awaits them; O_APPEND is not used so
    // that write_at keeps its offsets).
    auto call = [fd = fd_, path = path_, bytes]() -> IoResult<std::uint64_t> {
      struct stat status {};
      if (::fstat(fd->fd, &status) != 0) return os_error("append", *path);
      const auto at = static_cast<std::uint64_t>(status.st_size);
      std::size_t written = 0;
      while (written < bytes->size()) {
        const ssize_t n =
            ::pwrite(fd->fd, bytes->data() + written, bytes->size() - written,
                     static_cast<off_t>(at + written));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return os_error("append", *path);
        written += static_cast<std::size_t>(n);
      }
      return at;
    };
    co_return co_await blocking(*pool_, std::move(call));
  }

  Async<IoResult<void>> sync(bool data_only) override {
    refuse_inside_a_simulation(data_only ? "sync_data" : "sync_all", *path_);
    auto call = [fd = fd_, path = path_, data_only]() -> IoResult<void> {
      const int status = data_only ? ::fdatasync(fd->fd) : ::fsync(fd->fd);
      if (status != 0) {
        return os_error(data_only ? "sync_data" : "sync_all", *path);
      }
      return {};
    };
    co_return co_await blocking(*pool_, std::move(call));
  }

  Async<IoResult<void>> set_len(std::uint64_t size) override {
    refuse_inside_a_simulation("set_len", *path_);
    auto call = [fd = fd_, path = path_, size]() -> IoResult<void> {
      if (::ftruncate(fd->fd, static_cast<off_t>(size)) != 0) {
        return os_error("set_len", *path);
      }
      return {};
    };
    co_return co_await blocking(*pool_, std::move(call));
  }

  Async<IoResult<std::uint64_t>> size() override {
    refuse_inside_a_simulation("size", *path_);
    auto call = [fd = fd_, path = path_]() -> IoResult<std::uint64_t> {
      struct stat status {};
      if (::fstat(fd->fd, &status) != 0) return os_error("size", *path);
      return static_cast<std::uint64_t>(status.st_size);
    };
    co_return co_await blocking(*pool_, std::move(call));
  }

  const std::string& path() const noexcept override { return *path_; }

 private:
  std::shared_ptr<BlockingPool> pool_;
  std::shared_ptr<Descriptor> fd_;
  std::shared_ptr<const std::string> path_;
};

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
    : pool_(std::make_shared<BlockingPool>(checked_threads(options))) {}

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
  auto call = [shared_path, flags]() -> IoResult<int> {
    const int fd = ::open(shared_path->c_str(), flags, 0644);
    if (fd < 0) return os_error("open", *shared_path);
    return fd;
  };
  IoResult<int> fd = co_await blocking(*pool_, std::move(call));
  if (!fd) co_return fd.error();
  co_return File(std::make_unique<RealFile>(pool_, fd.value(), path));
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
