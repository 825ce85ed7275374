// weft::ThreadParker: blocks a thread until one of its Wakers is woken, for
// waiting on a future from a thread that is not an executor (block_on of
// the thread pool). Wakers may be woken from any thread and stay valid
// after the parker is gone.
#pragma once

#include "runtime/future/waker.h"

namespace weft {

class ThreadParker {
 public:
  ThreadParker();
  ~ThreadParker();
  ThreadParker(const ThreadParker&) = delete;
  ThreadParker& operator=(const ThreadParker&) = delete;

  Waker waker() const;
  // Returns at once if a wake arrived since the last park; otherwise blocks
  // until one does. Consumes the wake.
  void park();

  // The reference-counted state the wakers point at (defined in the .cc).
  struct Shared;

 private:
  Shared* shared_;
};

}  // namespace weft
