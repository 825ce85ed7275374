// weft::sim::Quarantine: the simulator's MemoryHooks. It counts the task
// cells and coroutine frames a run allocates (for leak reports) and, when
// they are freed, keeps them for a while filled with a poison pattern, so
// that a late access hits poisoned memory instead of a reused block:
//   - under AddressSanitizer the blocks are also poisoned with ASan's manual
//     poisoning, so any late read or write fails at once, and weft adds to
//     ASan's report what the block was and when and why it was dropped;
//   - without it, check_canaries() finds late writes (the poison pattern
//     changed) at the end of the run and names the block the same way.
//     The pattern is zero: a late read then sees null pointers and empty
//     wakers (a quiet, deterministic run to the canary check) rather than
//     garbage that crashes without a report. Reads alone are only caught
//     under ASan.
// Quarantined blocks are released oldest first past bytes_max, and all of
// them when the Quarantine is destroyed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "runtime/memory_hooks.h"

namespace weft::sim {

// Why memory was freed, as the simulator knows it at that moment.
struct DropContext {
  std::uint64_t step = 0;
  std::uint64_t task = 0;  // the task being polled or dropped (0: none)
  // Index of the cancellation decision, or -1 if not cancelled.
  long cancel_decision = -1;
  bool teardown = false;
};

class Quarantine final : public MemoryHooks {
 public:
  static constexpr unsigned char kPoison = 0x00;

  explicit Quarantine(std::size_t bytes_max) : bytes_max_(bytes_max) {}
  ~Quarantine();
  Quarantine(const Quarantine&) = delete;
  Quarantine& operator=(const Quarantine&) = delete;

  void* allocate(std::size_t size, MemoryKind kind) override;
  void deallocate(void* block, std::size_t size, MemoryKind kind) override;

  // What the simulator is doing now; stamped on blocks freed meanwhile.
  void set_context(const DropContext& context) noexcept { context_ = context; }
  const DropContext& context() const noexcept { return context_; }

  // Blocks allocated through these hooks and not freed yet.
  std::size_t live_count(MemoryKind kind) const noexcept {
    return live_[static_cast<int>(kind)];
  }

  // A description of the first quarantined block whose poison was
  // overwritten, or nullopt.
  std::optional<std::string> check_canaries() const;
  // What `address` was, if it lies in a quarantined block.
  std::optional<std::string> describe_address(const void* address) const;

  // Under ASan: makes ASan's report of a bad access to quarantined memory
  // end with what the memory was. A no-op otherwise.
  static void describe_bad_accesses_of(const Quarantine* quarantine);

 private:
  struct Dropped {
    unsigned char* block;
    std::size_t size;
    MemoryKind kind;
    DropContext context;
  };
  static std::string describe(const Dropped& dropped);
  void release_oldest();

  std::size_t bytes_max_;
  std::size_t bytes_ = 0;
  std::size_t live_[2] = {0, 0};
  DropContext context_;
  std::deque<Dropped> dropped_;
};

}  // namespace weft::sim
