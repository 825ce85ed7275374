// weft::sim::Prng: the simulator's own pseudo-random generator and
// distributions, so that a seed means the same run on every compiler and
// standard library (std::uniform_int_distribution and friends differ
// between implementations).
//
// Generator: xoshiro256** (Blackman and Vigna, "Scrambled linear
// pseudorandom number generators", 2018), seeded through SplitMix64.
// Bounded integers: Lemire's multiply-and-reject ("Fast random integer
// generation in an interval", 2019), exact and unbiased.
#pragma once

#include <cstdint>

namespace weft::sim {

class Prng {
 public:
  explicit Prng(std::uint64_t seed) noexcept;

  std::uint64_t next_u64() noexcept;
  // Uniform in [0, bound); bound must be at least 1.
  std::uint32_t uniform(std::uint32_t bound) noexcept;
  // True with probability `chance_per_2_32` / 2^32.
  bool chance(std::uint32_t chance_per_2_32) noexcept;

  // Converts a probability in [0, 1] to the integer form chance() takes.
  static std::uint32_t probability_to_chance(double probability) noexcept;

 private:
  std::uint64_t state_[4];
};

}  // namespace weft::sim
