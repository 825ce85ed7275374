// WEFT_CHECK(condition, what) and WEFT_CHECK_LT / _LE / _EQ (a, b): weft's
// own invariants, checked on both sides of its boundaries and always on
// (TigerBeetle's style): an intrusive list unlinking a node it does not
// hold, a reference count going below zero, a queue index past its end.
// A failed check is a misuse report naming the condition, both values for
// the comparisons, and the place: it aborts with the message, or, inside a
// simulation, becomes a protocol-misuse report with a replay line.
//
// They cost a compare and a predictable branch; bench/README.md measures
// them (build with --copt=-DWEFT_NO_CHECKS, for that measurement only).
#pragma once

#include <cstdint>
#include <string>

#include "runtime/seam/misuse.h"
#include "runtime/seam/source_location.h"

namespace weft::detail {

[[noreturn]] void check_failed(const char* condition, const char* what,
                               SourceLocation where);
[[noreturn]] void check_compare_failed(const char* condition,
                                       std::uint64_t left, std::uint64_t right,
                                       SourceLocation where);

}  // namespace weft::detail

#if defined(WEFT_NO_CHECKS)
// Unevaluated, but the operands still count as used.
#define WEFT_CHECK(condition, what) ((void)sizeof(condition))
#define WEFT_CHECK_COMPARE_(left, op, right) ((void)sizeof((left)op(right)))
#else
#define WEFT_CHECK(condition, what)                                    \
  do {                                                                 \
    if (!(condition)) [[unlikely]] {                                   \
      ::weft::detail::check_failed(#condition, (what),                 \
                                   ::weft::SourceLocation::current()); \
    }                                                                  \
  } while (false)
#define WEFT_CHECK_COMPARE_(left, op, right)                     \
  do {                                                           \
    const auto weft_check_left_ = (left);                        \
    const auto weft_check_right_ = (right);                      \
    if (!(weft_check_left_ op weft_check_right_)) [[unlikely]] { \
      ::weft::detail::check_compare_failed(                      \
          #left " " #op " " #right,                              \
          static_cast<std::uint64_t>(weft_check_left_),          \
          static_cast<std::uint64_t>(weft_check_right_),         \
          ::weft::SourceLocation::current());                    \
    }                                                            \
  } while (false)
#endif

#define WEFT_CHECK_LT(left, right) WEFT_CHECK_COMPARE_(left, <, right)
#define WEFT_CHECK_LE(left, right) WEFT_CHECK_COMPARE_(left, <=, right)
#define WEFT_CHECK_EQ(left, right) WEFT_CHECK_COMPARE_(left, ==, right)
