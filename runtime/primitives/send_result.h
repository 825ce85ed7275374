// weft::SendResult<T>: what sending on a channel returns. Either the value
// was delivered (ok()), or the channel was closed and the value comes back
// to the sender (take_rejected()), so no message is silently dropped.
// TrySendResult<T> adds "full" for a non-waiting send on a bounded channel.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

namespace weft {

template <typename T>
class [[nodiscard]] SendResult {
 public:
  static SendResult delivered() { return SendResult(); }
  static SendResult closed(T value) {
    SendResult result;
    result.rejected_.emplace(std::move(value));
    return result;
  }
  bool ok() const noexcept { return !rejected_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  // The value that could not be sent; only when !ok().
  T take_rejected() { return std::move(*rejected_); }

 private:
  std::optional<T> rejected_;
};

enum class TrySendStatus : std::uint8_t { kDelivered, kFull, kClosed };

template <typename T>
class [[nodiscard]] TrySendResult {
 public:
  static TrySendResult delivered() {
    return TrySendResult(TrySendStatus::kDelivered);
  }
  static TrySendResult rejected(TrySendStatus status, T value) {
    TrySendResult result(status);
    result.rejected_.emplace(std::move(value));
    return result;
  }
  TrySendStatus status() const noexcept { return status_; }
  bool ok() const noexcept { return status_ == TrySendStatus::kDelivered; }
  T take_rejected() { return std::move(*rejected_); }

 private:
  explicit TrySendResult(TrySendStatus status) : status_(status) {}
  TrySendStatus status_;
  std::optional<T> rejected_;
};

}  // namespace weft
