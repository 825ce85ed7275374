// WEFT_ASSERT(condition, message): an invariant check that is always on.
// In a normal run a failure prints "weft: invariant failed: <condition>
// (<message>) at file:line" and aborts; inside a simulation the simulator's
// hooks (hooks.h) end the run as a failure with its decision list instead:
// they unwind out of the code under test, or, where unwinding is not
// allowed (a destructor run by a cancellation), record the failure and let
// the code go on until the next poll boundary.
//
// WEFT_ASSERT_EQ(a, b) (and _NE, _LT, _LE, _GT, _GE) print both values
// when the comparison fails, as GoogleTest's printers would (value_text.h:
// numbers, strings, containers, pairs, optionals, operator<<).
#pragma once

#include <string>
#include <string_view>

#include "runtime/seam/source_location.h"
#include "runtime/seam/value_text.h"

namespace weft {

// Reports a failed check. Returns only when simulation hooks recorded it in
// a place that must not unwind; otherwise they throw, or it aborts.
void report_invariant_failure(std::string_view condition,
                              std::string_view message, SourceLocation where);

}  // namespace weft

#define WEFT_ASSERT(condition, message)                                    \
  do {                                                                     \
    if (!(condition)) {                                                    \
      ::weft::report_invariant_failure(#condition, (message),              \
                                       ::weft::SourceLocation::current()); \
    }                                                                      \
  } while (false)

// Compares `left op right`; when it fails, the message names both
// expressions and their values (value_text.h).
#define WEFT_ASSERT_COMPARE_(left, op, right)                                 \
  do {                                                                        \
    const auto& weft_left_ = (left);                                          \
    const auto& weft_right_ = (right);                                        \
    if (!(weft_left_ op weft_right_)) {                                       \
      ::weft::report_invariant_failure(                                       \
          #left " " #op " " #right,                                           \
          ::weft::expression_is(#left, ::weft::value_text(weft_left_)) +      \
              ", " +                                                          \
              ::weft::expression_is(#right, ::weft::value_text(weft_right_)), \
          ::weft::SourceLocation::current());                                 \
    }                                                                         \
  } while (false)

#define WEFT_ASSERT_EQ(left, right) WEFT_ASSERT_COMPARE_(left, ==, right)
#define WEFT_ASSERT_NE(left, right) WEFT_ASSERT_COMPARE_(left, !=, right)
#define WEFT_ASSERT_LT(left, right) WEFT_ASSERT_COMPARE_(left, <, right)
#define WEFT_ASSERT_LE(left, right) WEFT_ASSERT_COMPARE_(left, <=, right)
#define WEFT_ASSERT_GT(left, right) WEFT_ASSERT_COMPARE_(left, >, right)
#define WEFT_ASSERT_GE(left, right) WEFT_ASSERT_COMPARE_(left, >=, right)
