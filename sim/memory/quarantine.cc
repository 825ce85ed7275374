#include "sim/memory/quarantine.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "runtime/seam/check.h"
#include "sim/report/sanitizers.h"

namespace weft::sim {
namespace {

std::atomic<bool> heap_routing_is_linked{false};

const char* kind_name(BlockKind kind) {
  switch (kind) {
    case BlockKind::kTaskCell:
      return "the task cell";
    case BlockKind::kCoroutineFrame:
      return "a coroutine frame";
    case BlockKind::kHeap:
      return "a heap block";
  }
  return "a block";
}

}  // namespace

bool Quarantine::heap_routing_linked() noexcept {
  // Relaxed: set once by a static initializer, before main.
  return heap_routing_is_linked.load(std::memory_order_relaxed);
}

void Quarantine::mark_heap_routing_linked() noexcept {
  heap_routing_is_linked.store(true, std::memory_order_relaxed);
}

Quarantine::Quarantine(std::size_t bytes_max, std::size_t blocks_max)
    : bytes_max_(bytes_max), blocks_max_(blocks_max) {}

Quarantine::~Quarantine() {
  busy_ = true;
  while (count_ > 0) evict_oldest();
}

void* Quarantine::allocate(std::size_t size, MemoryKind kind) {
  void* block = ::operator new(size);
  ++live_[static_cast<int>(kind)];
  if (kind == MemoryKind::kCoroutineFrame) {
    const bool was_busy = std::exchange(busy_, true);
    live_frames_.push_back(
        LiveFrame{block, size, context_.step, context_.task, ++frames_made_});
    busy_ = was_busy;
  }
  return block;
}

std::vector<Quarantine::LiveFrame> Quarantine::live_frames() const {
  std::vector<LiveFrame> frames = live_frames_;
  std::sort(frames.begin(), frames.end(),
            [](const LiveFrame& a, const LiveFrame& b) {
              return a.sequence < b.sequence;
            });
  return frames;
}

void Quarantine::deallocate(void* block, std::size_t size,
                            MemoryKind kind) noexcept {
  std::size_t& live = live_[static_cast<int>(kind)];
  if (live > 0) --live;  // blocks from before the hooks are not counted
  if (kind == MemoryKind::kCoroutineFrame) {
    // Frames die mostly in reverse order of birth: search from the back.
    for (std::size_t i = live_frames_.size(); i-- > 0;) {
      if (live_frames_[i].block == block) {
        live_frames_[i] = live_frames_.back();
        live_frames_.pop_back();
        break;
      }
    }
  }
  hold(static_cast<unsigned char*>(block), size,
       kind == MemoryKind::kTaskCell ? BlockKind::kTaskCell
                                     : BlockKind::kCoroutineFrame);
}

bool Quarantine::take_heap_block(void* block, std::size_t size) noexcept {
  if (busy_ || bytes_max_ == 0 || blocks_max_ == 0) return false;
  ++heap_taken_;
  hold(static_cast<unsigned char*>(block), size, BlockKind::kHeap);
  return true;
}

void Quarantine::hold(unsigned char* block, std::size_t size,
                      BlockKind kind) noexcept {
  const Dropped dropped{block, size, kind, context_};
  if (busy_ || bytes_max_ == 0 || blocks_max_ == 0) {
    const bool was_busy = std::exchange(busy_, true);
    release(dropped);
    busy_ = was_busy;
    return;
  }
  busy_ = true;
  std::memset(block, kPoison, size);
  if (kind != BlockKind::kHeap) weft_poison_memory(block, size);
  if (count_ == ring_.size()) grow();
  while (count_ > 0 && (count_ == ring_.size() || bytes_ + size > bytes_max_)) {
    evict_oldest();
  }
  ring_[(head_ + count_) % ring_.size()] = dropped;
  ++count_;
  bytes_ += size;
  busy_ = false;
}

void Quarantine::grow() noexcept {
  // Doubling up to blocks_max keeps the cost of a run that frees little
  // small; the copy happens with busy_ set, so the old buffer's own free
  // is not taken back in.
  const std::size_t capacity = ring_.size();
  if (capacity >= blocks_max_) return;
  std::size_t wanted = capacity == 0 ? 64 : capacity * 2;
  if (wanted > blocks_max_) wanted = blocks_max_;
  std::vector<Dropped> bigger;
  try {
    bigger.resize(wanted);
  } catch (const std::bad_alloc&) {
    return;  // keep the ring as it is; eviction makes room
  }
  for (std::size_t i = 0; i < count_; ++i) {
    bigger[i] = ring_[(head_ + i) % capacity];
  }
  ring_.swap(bigger);
  head_ = 0;
}

void Quarantine::evict_oldest() noexcept {
  WEFT_CHECK_LT(0u, count_);
  const Dropped oldest = ring_[head_];
  WEFT_CHECK_LE(oldest.size, bytes_);
  head_ = (head_ + 1) % ring_.size();
  --count_;
  bytes_ -= oldest.size;
  if (!corruption_) {
    if (std::optional<std::size_t> offset = first_changed_byte(oldest)) {
      corruption_ = Corruption{oldest, *offset};
    }
  }
  release(oldest);
}

void Quarantine::release(const Dropped& dropped) noexcept {
  if (dropped.kind == BlockKind::kHeap) {
    std::free(dropped.block);  // heap_quarantine's operator new is malloc
    return;
  }
  weft_unpoison_memory(dropped.block, dropped.size);
  ::operator delete(dropped.block);
}

std::optional<std::size_t> Quarantine::first_changed_byte(
    const Dropped& dropped) {
  const bool poisoned = dropped.kind != BlockKind::kHeap;
  if (poisoned) weft_unpoison_memory(dropped.block, dropped.size);
  // Eight bytes at a time: the poison is zero, so a whole word of it is 0.
  static_assert(kPoison == 0, "the word check below assumes a zero poison");
  std::optional<std::size_t> changed;
  std::size_t i = 0;
  for (; i + sizeof(std::uint64_t) <= dropped.size;
       i += sizeof(std::uint64_t)) {
    std::uint64_t word;
    std::memcpy(&word, dropped.block + i, sizeof word);
    if (word != 0) break;
  }
  for (; i < dropped.size; ++i) {
    if (dropped.block[i] != kPoison) {
      changed = i;
      break;
    }
  }
  if (poisoned) weft_poison_memory(dropped.block, dropped.size);
  return changed;
}

std::string Quarantine::describe(const Dropped& dropped) {
  std::string out = kind_name(dropped.kind);
  if (dropped.kind != BlockKind::kHeap) {
    out += " of task " + std::to_string(dropped.context.task);
  }
  out += " (" + std::to_string(dropped.size) + " bytes), freed at step " +
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
  if (dropped.context.cancel_decision < 0 &&
      dropped.context.last_decision >= 0) {
    out += ", just after decision #" +
           std::to_string(dropped.context.last_decision);
  }
  return out;
}

std::optional<std::string> Quarantine::check_canaries() {
  if (!corruption_) {
    for (std::size_t i = 0; i < count_; ++i) {
      const Dropped& dropped = ring_[(head_ + i) % ring_.size()];
      if (std::optional<std::size_t> offset = first_changed_byte(dropped)) {
        corruption_ = Corruption{dropped, *offset};
        break;
      }
    }
  }
  if (!corruption_) return std::nullopt;
  return "memory of " + describe(corruption_->dropped) +
         ", was written after it was freed (byte " +
         std::to_string(corruption_->offset) + " changed)";
}

bool Quarantine::write_address_description(SignalSafeWriter& out,
                                           const void* address) const noexcept {
  const auto* target = static_cast<const unsigned char*>(address);
  for (std::size_t i = 0; i < count_; ++i) {
    const Dropped& dropped = ring_[(head_ + i) % ring_.size()];
    if (target < dropped.block || target >= dropped.block + dropped.size) {
      continue;
    }
    const DropContext& context = dropped.context;
    out.text(kind_name(dropped.kind));
    if (dropped.kind != BlockKind::kHeap)
      out.text(" of task ").number(context.task);
    out.text(" (").number(dropped.size).text(" bytes), freed at step ");
    out.number(context.step);
    if (context.cancel_decision >= 0) {
      out.text(" when the task was cancelled by decision #");
      out.number(static_cast<std::uint64_t>(context.cancel_decision));
    } else if (context.teardown) {
      out.text(" at teardown");
    } else if (context.task != 0) {
      out.text(" while task ").number(context.task).text(" was polled");
    }
    return true;
  }
  return false;
}

std::optional<std::string> Quarantine::describe_address(
    const void* address) const {
  const auto* target = static_cast<const unsigned char*>(address);
  for (std::size_t i = 0; i < count_; ++i) {
    const Dropped& dropped = ring_[(head_ + i) % ring_.size()];
    if (target >= dropped.block && target < dropped.block + dropped.size) {
      return describe(dropped);
    }
  }
  return std::nullopt;
}

}  // namespace weft::sim
