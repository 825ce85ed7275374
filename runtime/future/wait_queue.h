// weft::detail::orphan_waiters: the part a primitive's destructor shares
// (Notify, Semaphore): every waiter still queued is unlinked and marked
// orphaned under the primitive's lock, so that dropping its future later
// touches nothing of the destroyed primitive; the caller then reports the
// misuse (destroying a primitive that still has waiters) without
// unwinding.
#pragma once

#include <cstddef>
#include <mutex>

#include "runtime/future/intrusive_list.h"
#include "runtime/sync/mutex.h"

namespace weft::detail {

template <typename Waiter, typename State>
std::size_t orphan_waiters(sync::mutex& mutex, IntrusiveList<Waiter>& waiters,
                           State orphaned) {
  std::size_t count = 0;
  sync::lock_guard lock(mutex);
  while (Waiter* waiter = waiters.pop_front()) {
    waiter->state = orphaned;
    ++count;
  }
  return count;
}

}  // namespace weft::detail
