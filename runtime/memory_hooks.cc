#include "runtime/memory_hooks.h"

#include <new>

namespace weft {
namespace {

thread_local MemoryHooks* installed_hooks = nullptr;

}  // namespace

MemoryHooks* set_memory_hooks(MemoryHooks* hooks) noexcept {
  MemoryHooks* previous = installed_hooks;
  installed_hooks = hooks;
  return previous;
}

void* allocate_block(std::size_t size, MemoryKind kind) {
  if (installed_hooks != nullptr) return installed_hooks->allocate(size, kind);
  return ::operator new(size);
}

void deallocate_block(void* block, std::size_t size, MemoryKind kind) noexcept {
  if (installed_hooks != nullptr) {
    installed_hooks->deallocate(block, size, kind);
    return;
  }
  ::operator delete(block);
}

}  // namespace weft
