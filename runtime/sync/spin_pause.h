// weft::spin_pause(): tells the CPU the calling thread is spinning on a
// value another thread will change (x86 `pause`, Arm `yield`), so the spin
// costs its sibling hardware thread and the memory bus less. Used by the
// thread pool's workers and by ThreadParker before they fall asleep: a
// hand-off between threads that are awake takes well under a microsecond,
// one that must wake a sleeping thread takes tens.
#pragma once

namespace weft {

inline void spin_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield" ::: "memory");
#endif
}

// How many spin_pause() a thread spends looking for news before it sleeps:
// a few microseconds, less than a sleep-and-wake costs.
inline constexpr int kSpinsBeforeSleep = 2000;

}  // namespace weft
