#include "runtime/fs/fs.h"

#include <cerrno>

#include "runtime/seam/misuse.h"

namespace weft::fs {

FileIo& File::io_checked() const {
  if (io_ == nullptr) report_misuse("use of a closed or moved-from fs::File");
  return *io_;
}

Async<IoResult<void>> File::write_all_at(std::uint64_t offset,
                                         std::span<const std::byte> from) {
  FileIo& io = checked();
  std::size_t written = 0;
  while (written < from.size()) {
    IoResult<std::size_t> step =
        co_await io.write_at(offset + written, from.subspan(written));
    if (!step) co_return step.error();
    written += step.value();
  }
  co_return IoResult<void>();
}

Async<IoResult<std::string>> File::read_to_end(std::uint64_t offset) {
  FileIo& io = checked();
  std::string contents;
  std::byte chunk[4096];
  while (true) {
    IoResult<std::size_t> step =
        co_await io.read_at(offset + contents.size(), chunk);
    if (!step) co_return step.error();
    if (step.value() == 0) co_return contents;
    contents.append(reinterpret_cast<const char*>(chunk), step.value());
  }
}

Async<IoResult<std::string>> FileSystem::read_file(std::string path) {
  auto opening = open(std::move(path), OpenOptions::read_only());
  IoResult<File> file = co_await std::move(opening);
  if (!file) co_return file.error();
  co_return co_await file.value().read_to_end();
}

Async<IoResult<void>> FileSystem::write_file(std::string path,
                                             std::string contents) {
  auto opening = open(std::move(path), OpenOptions::create_truncate());
  IoResult<File> file = co_await std::move(opening);
  if (!file) co_return file.error();
  co_return co_await file.value().write_all_at(0, contents);
}

}  // namespace weft::fs
