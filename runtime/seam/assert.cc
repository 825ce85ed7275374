#include "runtime/seam/assert.h"

#include <cstdio>
#include <cstdlib>

#include "runtime/seam/hooks.h"

namespace weft {

void report_invariant_failure(std::string_view condition,
                              std::string_view message, SourceLocation where) {
  if (RuntimeHooks* hooks = current_hooks()) {
    if (hooks->on_invariant_failure(condition, message, where)) return;
  }
  std::fprintf(stderr, "weft: invariant failed: %.*s (%.*s) at %s:%u in %s\n",
               static_cast<int>(condition.size()), condition.data(),
               static_cast<int>(message.size()), message.data(), where.file,
               where.line, where.function);
  std::fflush(stderr);
  std::abort();
}

}  // namespace weft
