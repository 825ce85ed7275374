// weft::allocate_block / deallocate_block: where task cells and coroutine
// frames get their memory. By default plain operator new/delete; inside a
// simulation the thread's hooks (hooks.h) count what is alive (leak
// reports) and quarantine and poison what was freed (use-after-drop).
#pragma once

#include <cstddef>

#include "runtime/seam/hooks.h"

namespace weft {

void* allocate_block(std::size_t size, MemoryKind kind);
void deallocate_block(void* block, std::size_t size, MemoryKind kind) noexcept;

}  // namespace weft
