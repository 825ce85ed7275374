#include "sim/decision/prng.h"

namespace weft::sim {
namespace {

std::uint64_t split_mix_64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotate_left(std::uint64_t x, int k) noexcept {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

Prng::Prng(std::uint64_t seed) noexcept {
  std::uint64_t mixer = seed;
  for (std::uint64_t& word : state_) word = split_mix_64(mixer);
}

std::uint64_t Prng::next_u64() noexcept {
  const std::uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotate_left(state_[3], 45);
  return result;
}

std::uint32_t Prng::uniform(std::uint32_t bound) noexcept {
  std::uint64_t product =
      static_cast<std::uint64_t>(static_cast<std::uint32_t>(next_u64() >> 32)) *
      bound;
  auto low = static_cast<std::uint32_t>(product);
  if (low < bound) {
    const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
    while (low < threshold) {
      product = static_cast<std::uint64_t>(
                    static_cast<std::uint32_t>(next_u64() >> 32)) *
                bound;
      low = static_cast<std::uint32_t>(product);
    }
  }
  return static_cast<std::uint32_t>(product >> 32);
}

bool Prng::chance(std::uint32_t chance_per_2_32) noexcept {
  return static_cast<std::uint32_t>(next_u64() >> 32) < chance_per_2_32;
}

std::uint32_t Prng::probability_to_chance(double probability) noexcept {
  if (!(probability > 0.0)) return 0;
  if (probability >= 1.0) return 0xffffffffu;
  return static_cast<std::uint32_t>(probability * 4294967296.0);
}

}  // namespace weft::sim
