// weft::io::IoError and IoResult<T>: how an I/O operation (a socket's, a
// file's) reports failure, as a value. An IoError carries the OS error
// number (ECONNRESET, ENOENT, EIO, ...; the simulated network and disk use
// the same numbers, so code checks them the same way in both) and the
// operation that failed, with its subject (an address, a path). Asking an
// IoResult holding an error for its value is a misuse, reported with the
// error's text. weft::net and weft::fs name these types as their own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "runtime/seam/misuse.h"

namespace weft::io {

struct IoError {
  IoError() = default;
  IoError(int code_, const char* operation_, std::string detail_ = {})
      : code(code_), operation(operation_), detail(std::move(detail_)) {}

  int code = 0;                // an errno value
  const char* operation = "";  // "connect", "read_at", "rename", ...
  std::string detail;          // its subject: an address, a path

  // "connect 10.0.0.2:80: Connection refused (ECONNREFUSED)".
  std::string message() const;
  friend bool operator==(const IoError& a, const IoError& b) {
    return a.code == b.code;
  }
};

// The symbolic name of an errno value ("ECONNRESET"), or its number.
std::string errno_name(int code);

template <typename T>
class [[nodiscard]] IoResult {
 public:
  IoResult(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  IoResult(IoError error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    check();
    return std::get<0>(state_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(state_));
  }
  const T& value() const& {
    check();
    return std::get<0>(state_);
  }
  // The error; asking an ok result for it is a misuse.
  const IoError& error() const {
    if (ok()) report_misuse("IoResult::error() on a result that succeeded");
    return std::get<1>(state_);
  }
  // The error number, 0 when ok.
  int code() const noexcept { return ok() ? 0 : std::get<1>(state_).code; }

 private:
  void check() const {
    if (!ok()) {
      report_misuse("IoResult::value() on an error: " +
                    std::get<1>(state_).message());
    }
  }
  std::variant<T, IoError> state_;
};

template <>
class [[nodiscard]] IoResult<void> {
 public:
  IoResult() = default;
  IoResult(IoError error) : error_(std::move(error)) {}

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  void value() const {
    if (error_) {
      report_misuse("IoResult::value() on an error: " + error_->message());
    }
  }
  const IoError& error() const {
    if (!error_) report_misuse("IoResult::error() on a result that succeeded");
    return *error_;
  }
  int code() const noexcept { return error_ ? error_->code : 0; }

 private:
  std::optional<IoError> error_;
};

}  // namespace weft::io
