#include "runtime/seam/buggify.h"

#include "runtime/seam/hooks.h"

namespace weft {

bool buggify(double probability, SourceLocation site) {
  RuntimeHooks* hooks = current_hooks();
  return hooks != nullptr && hooks->should_inject(probability, site);
}

}  // namespace weft
