// Routes every operator delete made on a simulating thread through that
// simulation's quarantine (quarantine.h), so that a write into an ordinary
// heap object after it was freed is a use-after-drop report naming its
// size, when it was freed and after which decision, even without ASan.
//
// It replaces the global operator new and delete (link this library, as
// //sim does, with alwayslink): new is malloc; delete offers the block to
// the thread's hooks (runtime/seam/hooks.h: a simulator keeps it in its
// quarantine), else frees it.
// Under AddressSanitizer or ThreadSanitizer nothing is replaced: they own
// operator new, find such accesses (reads too) themselves, and the fatal
// handlers add the replay line to their report.
#include "sim/memory/heap_quarantine.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

#include "runtime/seam/hooks.h"
#include "sim/memory/quarantine.h"
#include "sim/report/sanitizers.h"

namespace weft::sim {

bool heap_quarantine_linked() noexcept {
  return !kBuiltWithAsan && !kBuiltWithTsan;
}

}  // namespace weft::sim

#if !defined(WEFT_HAS_ASAN) && !defined(WEFT_HAS_TSAN)

namespace {

void* allocate(std::size_t size) {
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
  const auto align = static_cast<std::size_t>(alignment);
  void* block = nullptr;
  if (::posix_memalign(&block, align < sizeof(void*) ? sizeof(void*) : align,
                       size == 0 ? 1 : size) != 0) {
    throw std::bad_alloc();
  }
  return block;
}

// `size` is what was asked for when the compiler knows it (sized delete),
// else 0: then the allocator's usable size is poisoned instead.
void release(void* block, std::size_t size = 0) noexcept {
  if (block == nullptr) return;
  weft::RuntimeHooks* hooks = weft::this_thread_runtime().hooks;
  if (hooks != nullptr &&
      hooks->take_freed_block(block,
                              size != 0 ? size : ::malloc_usable_size(block))) {
    return;
  }
  std::free(block);
}

struct MarkLinked {
  MarkLinked() { weft::sim::Quarantine::mark_heap_routing_linked(); }
} mark_linked;

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment) {
  return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate_aligned(size, alignment);
}
void operator delete(void* block) noexcept { release(block); }
void operator delete[](void* block) noexcept { release(block); }
void operator delete(void* block, std::size_t size) noexcept {
  release(block, size);
}
void operator delete[](void* block, std::size_t size) noexcept {
  release(block, size);
}
void operator delete(void* block, std::align_val_t) noexcept { release(block); }
void operator delete[](void* block, std::align_val_t) noexcept {
  release(block);
}
void operator delete(void* block, std::size_t size, std::align_val_t) noexcept {
  release(block, size);
}
void operator delete[](void* block, std::size_t size,
                       std::align_val_t) noexcept {
  release(block, size);
}

#endif  // neither ASan nor TSan
