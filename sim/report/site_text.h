// weft::sim::site_text: a source location as "file:line" for reports.
#pragma once

#include <string>
#include <string_view>

#include "runtime/seam/source_location.h"

namespace weft::sim {

// "./tests/x.cc" reads better as "tests/x.cc".
inline const char* short_path(const char* file) {
  if (file == nullptr) return "?";
  return (file[0] == '.' && file[1] == '/') ? file + 2 : file;
}

// Whether `site` is inside weft's own runtime (its locks and wakes), not
// the user's code: under Bazel "runtime/..." in weft itself and
// "external/weft/..." in a workspace that uses it; installed headers have
// ".../weft/runtime/..." in their path.
inline bool weft_internal_site(const SourceLocation& site) {
  const std::string_view file = short_path(site.file);
  return file.starts_with("runtime/") || file.starts_with("external/weft/") ||
         file.find("/weft/runtime/") != std::string_view::npos;
}

// Whether `site` is a line of a system header: a weft call reached
// through the standard library (std::make_unique, std::invoke) defaults its
// site to the library's line, which tells a reader nothing.
inline bool system_header_site(const SourceLocation& site) {
  const std::string_view file = short_path(site.file);
  return file.starts_with("/usr/include/") || file.starts_with("/usr/lib/");
}

inline std::string site_text(SourceLocation site) {
  std::string out =
      std::string(short_path(site.file)) + ":" + std::to_string(site.line);
  if (system_header_site(site)) {
    out +=
        " (inside the standard library: pass "
        "weft::SourceLocation::current() from your code to name your line)";
  }
  return out;
}

}  // namespace weft::sim
