#include "runtime/assert.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace weft {
namespace {

thread_local InvariantHandler installed_handler = nullptr;
std::atomic<InvariantHandler> process_handler{nullptr};

}  // namespace

InvariantHandler set_invariant_handler(InvariantHandler handler) noexcept {
  InvariantHandler previous = installed_handler;
  installed_handler = handler;
  return previous;
}

void set_process_invariant_handler(InvariantHandler handler) noexcept {
  process_handler.store(handler);
}

void report_invariant_failure(std::string_view condition,
                              std::string_view message, SourceLocation where) {
  if (installed_handler != nullptr) {
    installed_handler(condition, message, where);
  } else if (InvariantHandler handler = process_handler.load()) {
    handler(condition, message, where);
  }
  std::fprintf(stderr, "weft: invariant failed: %.*s (%.*s) at %s:%u in %s\n",
               static_cast<int>(condition.size()), condition.data(),
               static_cast<int>(message.size()), message.data(), where.file,
               where.line, where.function);
  std::fflush(stderr);
  std::abort();
}

}  // namespace weft
