// weft::Poll<T>: the result of polling a future, either Ready with a value or
// Pending. Poll<void> is Ready or Pending with no value.
//
// Pending carries a promise from the future: it has stored the waker of the
// Context it was polled with where the thing it waits for will find it.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/seam/check.h"

namespace weft {

// The tag that builds a Pending poll of any type: `return weft::kPending;`.
struct PendingTag {
  explicit constexpr PendingTag() = default;
};
inline constexpr PendingTag kPending{};

template <typename T>
class [[nodiscard]] Poll {
 public:
  using Output = T;

  constexpr Poll(PendingTag) noexcept {}
  template <typename U = T>
  requires std::is_constructible_v<T, U&&> &&
      (!std::is_same_v<std::remove_cvref_t<U>, PendingTag>)&&(
          !std::is_same_v<std::remove_cvref_t<U>,
                          Poll>)constexpr Poll(U&& value)
      : value_(std::in_place, std::forward<U>(value)) {}

  constexpr bool is_ready() const noexcept { return value_.has_value(); }
  constexpr bool is_pending() const noexcept { return !value_.has_value(); }

  // The ready value; asking a Pending poll for it is a misuse.
  constexpr T& value() & {
    WEFT_CHECK(value_.has_value(), "value() of a Pending poll");
    return *value_;
  }
  constexpr T&& take() && {
    WEFT_CHECK(value_.has_value(), "take() of a Pending poll");
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class [[nodiscard]] Poll<void> {
 public:
  using Output = void;

  constexpr Poll(PendingTag) noexcept {}
  static constexpr Poll ready() noexcept { return Poll(true); }

  constexpr bool is_ready() const noexcept { return ready_; }
  constexpr bool is_pending() const noexcept { return !ready_; }

 private:
  constexpr explicit Poll(bool ready) noexcept : ready_(ready) {}
  bool ready_ = false;
};

// Ready for Poll<void>: `return weft::ready();`.
constexpr Poll<void> ready() noexcept { return Poll<void>::ready(); }

}  // namespace weft
