#include "sim/quarantine.h"

#include <cstring>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEFT_HAS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WEFT_HAS_ASAN 1
#endif

#if defined(WEFT_HAS_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

#include <cstdio>
#define WEFT_POISON(block, size) ASAN_POISON_MEMORY_REGION(block, size)
#define WEFT_UNPOISON(block, size) ASAN_UNPOISON_MEMORY_REGION(block, size)
#else
#define WEFT_POISON(block, size) ((void)(block), (void)(size))
#define WEFT_UNPOISON(block, size) ((void)(block), (void)(size))
#endif

namespace weft::sim {

Quarantine::~Quarantine() {
  while (!dropped_.empty()) release_oldest();
}

void* Quarantine::allocate(std::size_t size, MemoryKind kind) {
  ++live_[static_cast<int>(kind)];
  return ::operator new(size);
}

void Quarantine::deallocate(void* block, std::size_t size, MemoryKind kind) {
  std::size_t& live = live_[static_cast<int>(kind)];
  if (live > 0) --live;  // blocks from before the hooks are not counted
  if (bytes_max_ == 0) {
    ::operator delete(block);
    return;
  }
  auto* bytes = static_cast<unsigned char*>(block);
  std::memset(bytes, kPoison, size);
  WEFT_POISON(bytes, size);
  dropped_.push_back(Dropped{bytes, size, kind, context_});
  bytes_ += size;
  while (bytes_ > bytes_max_ && !dropped_.empty()) release_oldest();
}

void Quarantine::release_oldest() {
  Dropped oldest = dropped_.front();
  dropped_.pop_front();
  bytes_ -= oldest.size;
  WEFT_UNPOISON(oldest.block, oldest.size);
  ::operator delete(oldest.block);
}

std::string Quarantine::describe(const Dropped& dropped) {
  std::string out = dropped.kind == MemoryKind::kTaskCell
                        ? "the task cell of task "
                        : "a coroutine frame of task ";
  out += std::to_string(dropped.context.task);
  out += " (" + std::to_string(dropped.size) + " bytes), dropped at step " +
         std::to_string(dropped.context.step);
  if (dropped.context.cancel_decision >= 0) {
    out += " when the task was cancelled by decision #" +
           std::to_string(dropped.context.cancel_decision);
  } else if (dropped.context.teardown) {
    out += " at teardown";
  } else if (dropped.context.task != 0) {
    out +=
        " while task " + std::to_string(dropped.context.task) + " was polled";
  }
  return out;
}

std::optional<std::string> Quarantine::check_canaries() const {
  for (const Dropped& dropped : dropped_) {
    WEFT_UNPOISON(dropped.block, dropped.size);
    std::size_t changed = dropped.size;
    for (std::size_t i = 0; i < dropped.size; ++i) {
      if (dropped.block[i] != kPoison) {
        changed = i;
        break;
      }
    }
    WEFT_POISON(dropped.block, dropped.size);
    if (changed != dropped.size) {
      return "memory of " + describe(dropped) + " was written after it was " +
             "dropped (byte " + std::to_string(changed) + " changed)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> Quarantine::describe_address(
    const void* address) const {
  const auto* target = static_cast<const unsigned char*>(address);
  for (const Dropped& dropped : dropped_) {
    if (target >= dropped.block && target < dropped.block + dropped.size) {
      return describe(dropped);
    }
  }
  return std::nullopt;
}

#if defined(WEFT_HAS_ASAN)
namespace {

const Quarantine* reported_quarantine = nullptr;

void describe_on_asan_death() {
  if (reported_quarantine == nullptr || !__asan_report_present()) return;
  std::optional<std::string> what =
      reported_quarantine->describe_address(__asan_get_report_address());
  if (what) {
    std::fprintf(stderr,
                 "weft: use-after-drop: the bad access hit the memory of %s "
                 "(quarantined by the simulator)\n",
                 what->c_str());
  }
}

}  // namespace

void Quarantine::describe_bad_accesses_of(const Quarantine* quarantine) {
  reported_quarantine = quarantine;
  if (quarantine != nullptr) {
    __sanitizer_set_death_callback(&describe_on_asan_death);
  }
}
#else
void Quarantine::describe_bad_accesses_of(const Quarantine*) {}
#endif

}  // namespace weft::sim
