// weft::SourceLocation: where in the user's code something happened (an
// await, a spawn, a misuse), captured by a defaulted argument.
//
// std::source_location needs a compiler builtin that clang 14 lacks when it
// uses libstdc++ 12, and GCC 12 lacks __builtin_COLUMN; this type picks what
// the compiler has, in this one place, so the rest of weft never checks.
#pragma once

// clang-format off
#include "runtime/seam/cxx20.h"  // first: a clear error below C++20
// clang-format on

#include <cstdint>
#include <version>

#if defined(__cpp_lib_source_location)
#include <source_location>
#endif

namespace weft {

struct SourceLocation {
  const char* file = "<unknown>";
  const char* function = "<unknown>";
  std::uint32_t line = 0;

#if defined(__cpp_lib_source_location)
  static constexpr SourceLocation current(
      std::source_location here = std::source_location::current()) noexcept {
    return SourceLocation{here.file_name(), here.function_name(), here.line()};
  }
#else
  static constexpr SourceLocation current(
      const char* file = __builtin_FILE(),
      const char* function = __builtin_FUNCTION(),
      std::uint32_t line = __builtin_LINE()) noexcept {
    return SourceLocation{file, function, line};
  }
#endif

  bool known() const noexcept { return line != 0; }
};

}  // namespace weft
