#include "runtime/misuse.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace weft {
namespace {

thread_local MisuseHandler installed_handler = nullptr;
std::atomic<MisuseHandler> process_handler{nullptr};

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
  if (installed_handler != nullptr) {
    installed_handler(what, where);
  } else if (MisuseHandler handler = process_handler.load()) {
    handler(what, where);
  }
  char message[1024];
  format_misuse(what, where, message, sizeof message);
  std::fprintf(stderr, "%s\n", message);
  std::fflush(stderr);
  std::abort();
}

void set_process_misuse_handler(MisuseHandler handler) noexcept {
  process_handler.store(handler);
}

MisuseHandler set_misuse_handler(MisuseHandler handler) noexcept {
  MisuseHandler previous = installed_handler;
  installed_handler = handler;
  return previous;
}

}  // namespace weft
