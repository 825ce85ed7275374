#include "runtime/seam/check.h"

#include <cstdio>

namespace weft::detail {

void check_failed(const char* condition, const char* what,
                  SourceLocation where) {
  char message[512];
  std::snprintf(message, sizeof message, "internal check failed: %s (%s)",
                condition, what);
  report_misuse(message, where);
}

void check_compare_failed(const char* condition, std::uint64_t left,
                          std::uint64_t right, SourceLocation where) {
  char message[512];
  std::snprintf(message, sizeof message,
                "internal check failed: %s (%llu vs %llu)", condition,
                static_cast<unsigned long long>(left),
                static_cast<unsigned long long>(right));
  report_misuse(message, where);
}

}  // namespace weft::detail
