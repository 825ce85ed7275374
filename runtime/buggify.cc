#include "runtime/buggify.h"

namespace weft {
namespace {

thread_local FaultInjector* installed_injector = nullptr;

}  // namespace

FaultInjector* set_fault_injector(FaultInjector* injector) noexcept {
  FaultInjector* previous = installed_injector;
  installed_injector = injector;
  return previous;
}

bool buggify(double probability, SourceLocation site) {
  if (installed_injector == nullptr) return false;
  return installed_injector->should_inject(probability, site);
}

}  // namespace weft
