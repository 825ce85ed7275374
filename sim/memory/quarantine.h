// weft::sim::Quarantine: where memory freed during a simulated run waits,
// poisoned, before it really goes back to the allocator, so that a late
// write into it is caught and named instead of corrupting a reused block.
//
// It takes three kinds of blocks: task cells and coroutine frames (through
// the runtime's hooks, which also count the live ones for leak reports),
// and, when //sim:heap_quarantine is linked, every other block the thread
// frees with operator delete during the run (heap_quarantine.cc routes
// them here through the thread's hooks).
//
//   - A freed block is filled with the poison byte (zero: a late read then
//     sees null pointers and empty wakers, a quiet and deterministic run to
//     the check, rather than garbage that crashes without a report).
//   - Under AddressSanitizer task cells and frames are also poisoned with
//     ASan's manual poisoning, so any late access fails at once; ordinary
//     heap blocks are left to ASan's own quarantine.
//   - When a block leaves the quarantine (oldest first, past bytes_max or
//     blocks_max) and at the end of the run, its poison is verified; the
//     first block found written is kept as the use-after-drop finding,
//     with its size, what it was, the step it was freed at and why.
// Reads alone are caught only under ASan.
//
// Not thread safe: one Quarantine per simulating thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/seam/hooks.h"
#include "sim/report/signal_safe_writer.h"

namespace weft::sim {

// Why memory was freed, as the simulator knows it at that moment.
struct DropContext {
  std::uint64_t step = 0;
  std::uint64_t task = 0;  // the task being polled or dropped (0: none)
  // Index of the cancellation decision, or -1 if not cancelled.
  long cancel_decision = -1;
  // Index of the last decision made before the free, or -1.
  long last_decision = -1;
  bool teardown = false;
};

enum class BlockKind : std::uint8_t { kTaskCell, kCoroutineFrame, kHeap };

class Quarantine {
 public:
  static constexpr unsigned char kPoison = 0x00;

  Quarantine(std::size_t bytes_max, std::size_t blocks_max);
  // Verifies and releases every block still held.
  ~Quarantine();
  Quarantine(const Quarantine&) = delete;
  Quarantine& operator=(const Quarantine&) = delete;

  // Task cells and coroutine frames (counted while alive).
  void* allocate(std::size_t size, MemoryKind kind);
  void deallocate(void* block, std::size_t size, MemoryKind kind) noexcept;
  // An ordinary heap block freed by operator delete; `block` came from
  // malloc (see heap_quarantine.cc). Returns false if the quarantine cannot
  // take it now (it is busy releasing); the caller then frees it itself.
  bool take_heap_block(void* block, std::size_t size) noexcept;

  // What the simulator is doing now; stamped on blocks freed meanwhile.
  void set_context(const DropContext& context) noexcept { context_ = context; }
  const DropContext& context() const noexcept { return context_; }

  // Task cells or frames allocated through these hooks and not freed yet.
  std::size_t live_count(MemoryKind kind) const noexcept {
    return live_[static_cast<int>(kind)];
  }
  // Coroutine frames allocated and not freed yet, oldest first, with the
  // step and task at which each was created; for leak reports.
  struct LiveFrame {
    const void* block;
    std::size_t size;
    std::uint64_t step;
    std::uint64_t task;
    std::uint64_t sequence;
  };
  std::vector<LiveFrame> live_frames() const;

  // Blocks and bytes currently held, and heap blocks taken in all.
  std::size_t held_blocks() const noexcept { return count_; }
  std::size_t held_bytes() const noexcept { return bytes_; }
  std::uint64_t heap_blocks_taken() const noexcept { return heap_taken_; }

  // Verifies every held block; returns the first corruption found, now or
  // earlier (on eviction), as a sentence.
  std::optional<std::string> check_canaries();
  // What `address` was, if it lies in a held block.
  std::optional<std::string> describe_address(const void* address) const;
  // The same, written without allocating (for a sanitizer's death
  // callback); returns false if the address is in no held block.
  bool write_address_description(SignalSafeWriter& out,
                                 const void* address) const noexcept;

  // Whether operator delete is routed here at all (//sim:heap_quarantine
  // linked into the binary, outside ASan and TSan builds).
  static bool heap_routing_linked() noexcept;
  static void mark_heap_routing_linked() noexcept;

 private:
  struct Dropped {
    unsigned char* block;
    std::size_t size;
    BlockKind kind;
    DropContext context;
  };
  struct Corruption {
    Dropped dropped;
    std::size_t offset;
  };
  static std::string describe(const Dropped& dropped);
  static std::optional<std::size_t> first_changed_byte(const Dropped& dropped);
  void hold(unsigned char* block, std::size_t size, BlockKind kind) noexcept;
  void evict_oldest() noexcept;
  void grow() noexcept;
  // Gives a block back to the allocator it came from.
  static void release(const Dropped& dropped) noexcept;

  std::size_t bytes_max_;
  std::size_t blocks_max_;
  std::size_t bytes_ = 0;
  std::size_t live_[2] = {0, 0};
  std::uint64_t heap_taken_ = 0;
  DropContext context_;
  // A ring: `count_` blocks from `head_`, oldest first.
  std::vector<Dropped> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  // Set while the quarantine itself allocates or frees, so that those
  // frees are not taken back in.
  bool busy_ = false;
  std::optional<Corruption> corruption_;
  std::vector<LiveFrame> live_frames_;  // unordered; sorted when read
  std::uint64_t frames_made_ = 0;
};

}  // namespace weft::sim
