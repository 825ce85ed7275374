// Schedule coverage: what a run did, as a fixed-size map of hit counters
// that the simulator fills when SimOptions::record_coverage is on (the
// coverage-guided strategy turns it on; other runs pay nothing).
//
// A feature is a hash of something the schedule decided:
//   - a task's poll, from the await it was parked at to the one it parks
//     at next (or its end);
//   - which parked await was resumed right after which other one (the
//     interleaving of tasks, as pairs of sites);
//   - a mark reached (runtime/seam/mark.h);
//   - a task cancelled while parked at an await;
//   - a switch of simulated threads (the site where one stopped, the site
//     where the next resumes);
//   - what an atomic load read (its site, the store's site, and how much
//     older than the newest the store was).
// Sites are hashed by file name and line, never by address, so the same
// run gives the same map in every process and build.
//
// CoverageSeen accumulates the (slot, hit-count bucket) pairs of all runs
// so far, the way AFL does: a run is interesting when it reaches a slot,
// or a known slot a new number of times (1, 2, 3, 4-7, ... 128+).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/seam/source_location.h"

namespace weft::sim {

inline constexpr std::size_t kCoverageSlots = std::size_t{1} << 13;

// kCoverageSlots saturating hit counters.
using CoverageMap = std::vector<std::uint8_t>;

// FNV-1a over a text, and over a site's file name and line: the same in
// every process.
std::uint64_t text_hash(std::string_view text) noexcept;
std::uint64_t site_hash(const char* file, std::uint32_t line) noexcept;
inline std::uint64_t site_hash(SourceLocation site) noexcept {
  return site_hash(site.file, site.line);
}

// Mixes two values into one feature.
std::uint64_t feature_of(std::uint64_t a, std::uint64_t b) noexcept;

inline void count_feature(CoverageMap& map, std::uint64_t feature) noexcept {
  std::uint8_t& slot = map[feature & (kCoverageSlots - 1)];
  if (slot != 0xff) ++slot;
}

// The bucket of a non-zero hit count: 0 for 1, 1 for 2, 2 for 3, then
// 4-7, 8-15, 16-31, 32-127, 128+ (8 buckets).
inline constexpr std::size_t kCoverageBuckets = 8;
std::size_t coverage_bucket(std::uint8_t count) noexcept;

class CoverageSeen {
 public:
  CoverageSeen() : seen_(kCoverageSlots, 0) {}
  // Adds a run's map; returns how many (slot, bucket) pairs were new.
  std::size_t merge(const CoverageMap& run);
  // (slot, bucket) pairs seen so far.
  std::size_t size() const noexcept { return size_; }

 private:
  std::vector<std::uint8_t> seen_;  // per slot, one bit per bucket
  std::size_t size_ = 0;
};

}  // namespace weft::sim
