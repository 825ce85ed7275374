// weft::MemoryHooks: where task cells and coroutine frames get their memory.
// By default plain operator new/delete; a simulator installs hooks for the
// calling thread to count what is alive (leak reports) and to quarantine
// and poison what was freed (use-after-drop detection).
//
// Every block is an ordinary operator-new block, whoever frees it: hooks may
// delay the free, never replace the allocator, so a block allocated under
// hooks may be freed after they are removed and the other way round.
#pragma once

#include <cstddef>
#include <cstdint>

namespace weft {

enum class MemoryKind : std::uint8_t { kTaskCell, kCoroutineFrame };

class MemoryHooks {
 public:
  virtual void* allocate(std::size_t size, MemoryKind kind) = 0;
  virtual void deallocate(void* block, std::size_t size, MemoryKind kind) = 0;

 protected:
  ~MemoryHooks() = default;
};

// Installs `hooks` for the calling thread; returns the previous ones.
MemoryHooks* set_memory_hooks(MemoryHooks* hooks) noexcept;

void* allocate_block(std::size_t size, MemoryKind kind);
void deallocate_block(void* block, std::size_t size, MemoryKind kind) noexcept;

}  // namespace weft
