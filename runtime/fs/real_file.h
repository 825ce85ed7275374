// weft::fs::RealFile (private to runtime/fs): one open file of
// RealFileSystem. Reads, writes, syncs go through io_uring when the file
// system has a ring (uring_driver.h), the rest (and everything without a
// ring) through the blocking pool (blocking_pool.h); every call owns what
// the kernel touches, and the descriptor closes after the last call that
// uses it.
#pragma once

#include <memory>
#include <string>

#include "runtime/fs/blocking_pool.h"
#include "runtime/fs/fs.h"
#include "runtime/fs/uring_driver.h"

namespace weft::fs::real_detail {

// An error with errno's value for `operation` on `path`.
IoError os_error(const char* operation, const std::string& path);
// A misuse inside a simulated run (real files are outside its decisions).
void refuse_inside_a_simulation(const char* operation, const std::string& path);

// Closes the descriptor when the file and every call using it are done.
struct Descriptor {
  explicit Descriptor(int fd_) : fd(fd_) {}
  ~Descriptor();
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  const int fd;
};

std::unique_ptr<FileIo> make_real_file(std::shared_ptr<BlockingPool> pool,
                                       std::shared_ptr<UringDriver> uring,
                                       int fd, std::string path);

}  // namespace weft::fs::real_detail
