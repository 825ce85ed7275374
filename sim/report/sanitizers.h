// Which sanitizer this translation unit is built with, and ASan's manual
// poisoning as functions that are no-ops without it. GCC says so with
// __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__, clang with __has_feature.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define WEFT_HAS_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define WEFT_HAS_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEFT_HAS_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define WEFT_HAS_TSAN 1
#endif
#endif

#if defined(WEFT_HAS_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#endif

namespace weft::sim {

inline constexpr bool kBuiltWithAsan =
#if defined(WEFT_HAS_ASAN)
    true;
#else
    false;
#endif

inline constexpr bool kBuiltWithTsan =
#if defined(WEFT_HAS_TSAN)
    true;
#else
    false;
#endif

inline void weft_poison_memory(const void* block, std::size_t size) noexcept {
#if defined(WEFT_HAS_ASAN)
  ASAN_POISON_MEMORY_REGION(block, size);
#else
  (void)block;
  (void)size;
#endif
}

inline void weft_unpoison_memory(const void* block, std::size_t size) noexcept {
#if defined(WEFT_HAS_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(block, size);
#else
  (void)block;
  (void)size;
#endif
}

// A block weft's leak checker has reported: LeakSanitizer treats it (and
// what it points at) as reachable, so the leak is reported once, by weft,
// with where it was made, whichever thread made it.
inline void weft_leak_reported(const void* block) noexcept {
#if defined(WEFT_HAS_ASAN)
  __lsan_ignore_object(block);
#else
  (void)block;
#endif
}

}  // namespace weft::sim
