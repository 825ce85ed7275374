// weft::sim::VectorClock: happens-before between simulated threads, for the
// data-race check and the memory model (one counter per thread id;
// missing entries are 0).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace weft::sim {

class VectorClock {
 public:
  std::uint32_t at(std::uint32_t thread) const noexcept {
    return thread < ticks_.size() ? ticks_[thread] : 0;
  }
  void tick(std::uint32_t thread) {
    grow(thread);
    ++ticks_[thread];
  }
  void join(const VectorClock& other) {
    if (other.ticks_.size() > ticks_.size()) ticks_.resize(other.ticks_.size());
    for (std::size_t i = 0; i < other.ticks_.size(); ++i) {
      ticks_[i] = std::max(ticks_[i], other.ticks_[i]);
    }
  }
  void clear() noexcept { ticks_.clear(); }
  // Raises the entry of `thread` to at least `tick`.
  void raise(std::uint32_t thread, std::uint32_t tick) {
    grow(thread);
    ticks_[thread] = std::max(ticks_[thread], tick);
  }
  // Whether some non-zero entry is at most `clock`'s entry for its thread:
  // for a clock of read ticks, whether one of the reads happened before.
  bool any_at_or_below(const VectorClock& clock) const noexcept {
    for (std::size_t i = 0; i < ticks_.size(); ++i) {
      if (ticks_[i] != 0 &&
          ticks_[i] <= clock.at(static_cast<std::uint32_t>(i))) {
        return true;
      }
    }
    return false;
  }

 private:
  void grow(std::uint32_t thread) {
    if (thread >= ticks_.size()) ticks_.resize(thread + 1, 0);
  }
  std::vector<std::uint32_t> ticks_;
};

// One access by one thread: happened before a thread whose clock has at
// least `tick` for `thread`.
struct Epoch {
  std::uint32_t thread = 0;
  std::uint32_t tick = 0;
  bool before(const VectorClock& clock) const noexcept {
    return tick <= clock.at(thread);
  }
};

}  // namespace weft::sim
