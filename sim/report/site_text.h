// weft::sim::site_text: a source location as "file:line" for reports.
#pragma once

#include <string>

#include "runtime/seam/source_location.h"

namespace weft::sim {

// "./tests/x.cc" reads better as "tests/x.cc".
inline const char* short_path(const char* file) {
  if (file == nullptr) return "?";
  return (file[0] == '.' && file[1] == '/') ? file + 2 : file;
}

inline std::string site_text(SourceLocation site) {
  return std::string(short_path(site.file)) + ":" + std::to_string(site.line);
}

}  // namespace weft::sim
