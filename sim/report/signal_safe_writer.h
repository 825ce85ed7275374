// weft::sim::SignalSafeWriter: text and bytes written to a file descriptor
// from a signal handler or a sanitizer's death callback, where malloc,
// stdio and locks are off limits. It formats into a fixed buffer and
// flushes with write(2) when the buffer fills and when it is destroyed.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace weft::sim {

class SignalSafeWriter {
 public:
  explicit SignalSafeWriter(int fd) noexcept : fd_(fd) {}
  ~SignalSafeWriter() { flush(); }
  SignalSafeWriter(const SignalSafeWriter&) = delete;
  SignalSafeWriter& operator=(const SignalSafeWriter&) = delete;

  SignalSafeWriter& text(std::string_view text) noexcept {
    return bytes(text.data(), text.size());
  }
  SignalSafeWriter& text(const char* text) noexcept {
    return text == nullptr ? *this : bytes(text, std::strlen(text));
  }
  SignalSafeWriter& number(std::uint64_t value) noexcept {
    char digits[20];
    std::size_t count = 0;
    do {
      digits[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (count > 0) put(digits[--count]);
    return *this;
  }
  SignalSafeWriter& bytes(const void* data, std::size_t size) noexcept {
    const auto* from = static_cast<const char*>(data);
    for (std::size_t i = 0; i < size; ++i) put(from[i]);
    return *this;
  }

  void flush() noexcept {
    std::size_t done = 0;
    while (done < used_ && fd_ >= 0) {
      const ssize_t wrote = ::write(fd_, buffer_ + done, used_ - done);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) break;
      done += static_cast<std::size_t>(wrote);
    }
    used_ = 0;
  }

 private:
  void put(char c) noexcept {
    if (used_ == sizeof buffer_) flush();
    buffer_[used_++] = c;
  }

  int fd_;
  std::size_t used_ = 0;
  char buffer_[4096];
};

}  // namespace weft::sim
