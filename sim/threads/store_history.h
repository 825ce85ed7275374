// weft::sim::StoreRecord and StoreHistory: the stores to one
// weft::sync::atomic that a load may still read under the C++ memory model,
// kept by the simulated threads (memory_model.cc).
//
// A history is the tail of the location's modification order: stores enter
// it in the order they run, so the newest record holds the value the
// std::atomic itself holds. It keeps at most limits.atomic_history
// records; the oldest go first (a load can then no longer read them, which
// only narrows what the model explores). Each record remembers what a load
// needs to decide whether it may still read it: who stored it and when
// (an epoch of the storing thread's vector clock), the release sequence it
// heads (what an acquire that reads it synchronizes with), and when each
// thread last read it (coherence: once a store, or a read of it, happens
// before a load, that load can read nothing older).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/seam/source_location.h"
#include "sim/threads/vector_clock.h"

namespace weft::sim {

struct StoreRecord {
  std::uint64_t value = 0;  // the stored bits
  // Who stored it and at which tick of its clock; {0, 0} for the value the
  // atomic held before the threads' first access to it, which is ordered
  // before every access.
  Epoch store;
  VectorClock release;    // what an acquire load reading it acquires
  VectorClock reads;      // by thread: the tick of its latest read, 0 none
  SourceLocation site{};  // empty for the value held before
  std::uint64_t step = 0;
  bool read_modify_write = false;

  // Whether this store happened before a load of a thread whose clock is
  // `clock`, or a read of it did: that load then reads it or a newer one.
  bool observed_before(const VectorClock& clock) const noexcept {
    return store.before(clock) || reads.any_at_or_below(clock);
  }
};

class StoreHistory {
 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  // The `age`-th newest record: 0 is the newest.
  StoreRecord& newest(std::size_t age) noexcept {
    const std::size_t capacity = ring_.size();
    return ring_[(next_ + capacity - 1 - age) % capacity];
  }
  // Room for a store newer than every record, at most `bound` records
  // kept (the oldest is reused: its clocks keep their capacity).
  StoreRecord& push(std::size_t bound) {
    if (ring_.size() < bound && next_ == ring_.size()) {
      ring_.emplace_back();
      next_ = ring_.size();
      ++size_;
      return ring_.back();
    }
    next_ %= ring_.size();
    StoreRecord& record = ring_[next_++];
    if (size_ < ring_.size()) ++size_;
    return record;
  }
  // Loads of one thread in a row that read an older store than the newest
  // (fairness: a spinning reader sees the newest store in the end).
  std::uint32_t& stale_reads_in_a_row(std::uint32_t thread) {
    if (thread >= stale_runs_.size()) stale_runs_.resize(thread + 1, 0);
    return stale_runs_[thread];
  }

 private:
  std::vector<StoreRecord> ring_;
  std::size_t next_ = 0;  // the slot the next store takes
  std::size_t size_ = 0;
  std::vector<std::uint32_t> stale_runs_;
};

}  // namespace weft::sim
