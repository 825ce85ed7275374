#include "runtime/seam/mark.h"

#include "runtime/seam/hooks.h"

namespace weft {

void mark(std::string_view name, SourceLocation site) {
  if (RuntimeHooks* hooks = this_thread_runtime().hooks) {
    hooks->on_mark(name, /*reached=*/true, /*sometimes=*/false, site);
  }
}

bool sometimes(bool held, std::string_view name, SourceLocation site) {
  if (RuntimeHooks* hooks = this_thread_runtime().hooks) {
    hooks->on_mark(name, held, /*sometimes=*/true, site);
  }
  return held;
}

}  // namespace weft
