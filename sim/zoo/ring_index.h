// A single-producer, single-consumer ring of atomic slots between a thread
// and a task: the producer thread writes a slot, then publishes it by
// advancing `tail` with a release store; the consumer task reads `tail`,
// then the slots up to it, then advances `head` so the producer may reuse
// them.
//
// The bug: the consumer loads `tail` relaxed, so seeing the new index does
// not make the slot's store visible: the slot may still read as the value
// before it (an empty slot, or the item of the previous lap), and the
// consumer takes a wrong item. Only the memory model's older-store reads
// find it. The fixed twin loads `tail` with acquire.
#pragma once

#include <array>
#include <cstdint>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/future/yield_now.h"
#include "runtime/seam/assert.h"
#include "runtime/sync/sync.h"

namespace weft::zoo {

template <bool kFixed>
class SpscRing {
 public:
  static constexpr std::uint32_t kCapacity = 2;

  // Producer thread: false when the ring is full.
  bool try_push(int value) {
    const std::uint32_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) == kCapacity) {
      return false;
    }
    slots_[tail % kCapacity].store(value, std::memory_order_relaxed);
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }
  // Consumer task: false when the ring is empty.
  bool try_pop(int& value) {
    const std::uint32_t head = head_.load(std::memory_order_relaxed);
    const std::uint32_t tail = tail_.load(kFixed ? std::memory_order_acquire
                                                 : std::memory_order_relaxed);
    if (head == tail) return false;
    value = slots_[head % kCapacity].load(std::memory_order_relaxed);
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

 private:
  std::array<sync::atomic<int>, kCapacity> slots_{};
  sync::atomic<std::uint32_t> head_{0};
  sync::atomic<std::uint32_t> tail_{0};
};

template <bool kFixed>
Async<void> ring_index_scenario() {
  constexpr int kItems = 3;
  SpscRing<kFixed> ring;
  sync::thread producer([&ring] {
    for (int item = 1; item <= kItems; ++item) {
      while (!ring.try_push(item)) sync::yield_now();
    }
  });
  for (int expected = 1; expected <= kItems;) {
    int item = 0;
    if (!ring.try_pop(item)) {
      co_await yield_now();
      continue;
    }
    WEFT_ASSERT_EQ(item, expected);
    ++expected;
  }
  producer.join();
}

}  // namespace weft::zoo
