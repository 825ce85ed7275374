// weft::sync::atomic_thread_fence: std::atomic_thread_fence, and under the
// simulator a scheduling point whose ordering the memory model follows (a
// release fence publishes what came before it through the relaxed stores
// after it; an acquire fence takes what the relaxed loads before it read;
// seq_cst fences are also totally ordered).
#pragma once

#include <atomic>

#include "runtime/sync/sync_hooks.h"

namespace weft::sync {

inline void atomic_thread_fence(
    std::memory_order order, SourceLocation site = SourceLocation::current()) {
  if (SyncHooks* hooks = interleaving_sync()) [[unlikely]] {
    hooks->fence(order, site);
    return;
  }
  std::atomic_thread_fence(order);
}

}  // namespace weft::sync
