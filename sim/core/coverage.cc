#include "sim/core/coverage.h"

#include <bit>

namespace weft::sim {
namespace {

// The bucket of a hit count, as one bit: 1, 2, 3, 4-7, 8-15, 16-31,
// 32-127, 128+.
std::uint8_t bucket_bit(std::uint8_t count) noexcept {
  if (count <= 3) return static_cast<std::uint8_t>(1u << (count - 1));
  if (count < 8) return 1u << 3;
  if (count < 16) return 1u << 4;
  if (count < 32) return 1u << 5;
  if (count < 128) return 1u << 6;
  return 1u << 7;
}

}  // namespace

std::size_t coverage_bucket(std::uint8_t count) noexcept {
  return static_cast<std::size_t>(std::countr_zero(bucket_bit(count)));
}

namespace {
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
}  // namespace

std::uint64_t text_hash(std::string_view text) noexcept {
  std::uint64_t hash = kFnvOffset;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

std::uint64_t site_hash(const char* file, std::uint32_t line) noexcept {
  std::uint64_t hash = kFnvOffset;
  for (const char* c = file; c != nullptr && *c != '\0'; ++c) {
    hash ^= static_cast<unsigned char>(*c);
    hash *= kFnvPrime;
  }
  for (int i = 0; i < 4; ++i) {
    hash ^= (line >> (8 * i)) & 0xff;
    hash *= kFnvPrime;
  }
  return hash;
}

std::uint64_t feature_of(std::uint64_t a, std::uint64_t b) noexcept {
  // splitmix64's finaliser over an asymmetric combination, so (a, b) and
  // (b, a) are different features.
  std::uint64_t x = a * 0x9e3779b97f4a7c15ULL + std::rotl(b, 29);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::size_t CoverageSeen::merge(const CoverageMap& run) {
  std::size_t added = 0;
  const std::size_t slots =
      run.size() < seen_.size() ? run.size() : seen_.size();
  for (std::size_t i = 0; i < slots; ++i) {
    if (run[i] == 0) continue;
    const std::uint8_t bit = bucket_bit(run[i]);
    if ((seen_[i] & bit) == 0) {
      seen_[i] |= bit;
      ++added;
    }
  }
  size_ += added;
  return added;
}

}  // namespace weft::sim
