// WEFT_ASSERT(condition, message): an invariant check that is always on.
// In a normal run a failure prints "weft: invariant failed: <condition>
// (<message>) at file:line" and aborts; inside a simulation the simulator's
// hooks (hooks.h) end the run as a failure with its decision list instead:
// they unwind out of the code under test, or, where unwinding is not
// allowed (a destructor run by a cancellation), record the failure and let
// the code go on until the next poll boundary.
//
// WEFT_ASSERT_EQ(a, b) prints both values when they differ (for types that
// std::to_string or a string conversion accepts).
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "runtime/seam/source_location.h"

namespace weft {

// Reports a failed check. Returns only when simulation hooks recorded it in
// a place that must not unwind; otherwise they throw, or it aborts.
void report_invariant_failure(std::string_view condition,
                              std::string_view message, SourceLocation where);

namespace detail {
template <typename T>
std::string describe_value(const T& value) {
  if constexpr (std::is_arithmetic_v<T>) {
    return std::to_string(value);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return std::string(std::string_view(value));
  } else {
    return "<value>";
  }
}
}  // namespace detail

}  // namespace weft

#define WEFT_ASSERT(condition, message)                                    \
  do {                                                                     \
    if (!(condition)) {                                                    \
      ::weft::report_invariant_failure(#condition, (message),              \
                                       ::weft::SourceLocation::current()); \
    }                                                                      \
  } while (false)

#define WEFT_ASSERT_EQ(left, right)                             \
  do {                                                          \
    const auto& weft_left_ = (left);                            \
    const auto& weft_right_ = (right);                          \
    if (!(weft_left_ == weft_right_)) {                         \
      ::weft::report_invariant_failure(                         \
          #left " == " #right,                                  \
          ::weft::detail::describe_value(weft_left_) + " vs " + \
              ::weft::detail::describe_value(weft_right_),      \
          ::weft::SourceLocation::current());                   \
    }                                                           \
  } while (false)
