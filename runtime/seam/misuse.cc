#include "runtime/seam/misuse.h"

#include <cstdio>
#include <cstdlib>

#include "runtime/seam/hooks.h"

namespace weft {
namespace {

[[noreturn]] void print_and_abort(std::string_view what,
                                  SourceLocation where) noexcept {
  char message[1024];
  format_misuse(what, where, message, sizeof message);
  std::fprintf(stderr, "%s\n", message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace

void format_misuse(std::string_view what, SourceLocation where, char* out,
                   std::size_t out_size) noexcept {
  if (where.known()) {
    std::snprintf(out, out_size, "weft: misuse: %.*s (at %s:%u in %s)",
                  static_cast<int>(what.size()), what.data(), where.file,
                  where.line, where.function);
  } else {
    std::snprintf(out, out_size, "weft: misuse: %.*s",
                  static_cast<int>(what.size()), what.data());
  }
}

void report_misuse(std::string_view what, SourceLocation where) {
  if (RuntimeHooks* hooks = current_hooks()) hooks->on_misuse(what, where);
  // The hooks returned (they could not unwind, or they give the production
  // answer): a caller that cannot return must not go on.
  print_and_abort(what, where);
}

void report_misuse_no_unwind(std::string_view what,
                             SourceLocation where) noexcept {
  RuntimeHooks* hooks = current_hooks();
  bool taken = false;
  if (hooks != nullptr) {
    NoUnwindScope no_unwind;
    try {
      taken = hooks->on_misuse(what, where);
    } catch (...) {
      taken = true;  // hooks must not throw here; the report is recorded
    }
  }
  if (!taken) print_and_abort(what, where);
}

}  // namespace weft
