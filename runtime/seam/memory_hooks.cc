#include "runtime/seam/memory_hooks.h"

#include <new>

namespace weft {

void* allocate_block(std::size_t size, MemoryKind kind) {
  if (RuntimeHooks* hooks = current_hooks()) {
    return hooks->allocate(size, kind);
  }
  return ::operator new(size);
}

void deallocate_block(void* block, std::size_t size, MemoryKind kind) noexcept {
  if (RuntimeHooks* hooks = current_hooks()) {
    hooks->deallocate(block, size, kind);
    return;
  }
#if defined(__cpp_sized_deallocation)
  ::operator delete(block, size);
#else
  (void)size;  // clang before 19 leaves sized deallocation off by default
  ::operator delete(block);
#endif
}

}  // namespace weft
