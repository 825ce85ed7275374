#include "runtime/fs/real_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "runtime/seam/misuse.h"
#include "runtime/sync/sync.h"

#if WEFT_HAS_IO_URING
#include <liburing.h>
#endif

namespace weft::fs::real_detail {

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

Descriptor::~Descriptor() { ::close(fd); }

namespace {

class RealFile final : public FileIo {
 public:
  RealFile(std::shared_ptr<BlockingPool> pool,
           std::shared_ptr<UringDriver> uring, int fd, std::string path)
      : pool_(std::move(pool)),
        uring_(std::move(uring)),
        fd_(std::make_shared<Descriptor>(fd)),
        path_(std::make_shared<const std::string>(std::move(path))) {}

  Async<IoResult<std::size_t>> read_at(std::uint64_t offset,
                                       std::span<std::byte> into) override {
    refuse_inside_a_simulation("read_at", *path_);
    auto buffer = std::make_shared<std::vector<std::byte>>(into.size());
#if WEFT_HAS_IO_URING
    if (uring_ != nullptr) {
      UringCall<IoResult<std::size_t>> call(
          *uring_,
          [fd = fd_, buffer, offset](io_uring_sqe& entry) {
            io_uring_prep_read(&entry, fd->fd, buffer->data(),
                               static_cast<unsigned>(buffer->size()), offset);
          },
          [path = path_](int result) -> IoResult<std::size_t> {
            if (result < 0) return IoError{-result, "read_at", *path};
            return static_cast<std::size_t>(result);
          });
      IoResult<std::size_t> read = co_await std::move(call);
      if (read) std::copy_n(buffer->begin(), read.value(), into.begin());
      co_return read;
    }
#endif
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
#if WEFT_HAS_IO_URING
    if (uring_ != nullptr) {
      UringCall<IoResult<std::size_t>> call(
          *uring_,
          [fd = fd_, bytes, offset](io_uring_sqe& entry) {
            io_uring_prep_write(&entry, fd->fd, bytes->data(),
                                static_cast<unsigned>(bytes->size()), offset);
          },
          [path = path_](int result) -> IoResult<std::size_t> {
            if (result < 0) return IoError{-result, "write_at", *path};
            return static_cast<std::size_t>(result);
          });
      co_return co_await std::move(call);
    }
#endif
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
#if WEFT_HAS_IO_URING
    if (uring_ != nullptr) {
      UringCall<IoResult<void>> call(
          *uring_,
          [fd = fd_, data_only](io_uring_sqe& entry) {
            io_uring_prep_fsync(&entry, fd->fd,
                                data_only ? IORING_FSYNC_DATASYNC : 0);
          },
          [path = path_, data_only](int result) -> IoResult<void> {
            if (result < 0) {
              return IoError{-result, data_only ? "sync_data" : "sync_all",
                             *path};
            }
            return {};
          });
      co_return co_await std::move(call);
    }
#endif
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
  std::shared_ptr<UringDriver> uring_;  // null: the pool does it all
  std::shared_ptr<Descriptor> fd_;
  std::shared_ptr<const std::string> path_;
};

}  // namespace

std::unique_ptr<FileIo> make_real_file(std::shared_ptr<BlockingPool> pool,
                                       std::shared_ptr<UringDriver> uring,
                                       int fd, std::string path) {
  return std::make_unique<RealFile>(std::move(pool), std::move(uring), fd,
                                    std::move(path));
}

}  // namespace weft::fs::real_detail
