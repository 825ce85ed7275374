#include "sim/net/nemesis.h"

#include <array>

namespace weft::sim::net_detail {
namespace {

// How many hosts each kind may name, in layout order.
std::array<std::uint32_t, 5> named_hosts(const NemesisSpace& space) {
  const std::uint32_t h = space.hosts;
  return {
      h >= 2 ? h : 0,             // isolate
      h >= 4 ? h : 0,             // split (with three, an isolate)
      h >= 3 ? h : 0,             // bridge
      space.clock_jumps ? h : 0,  // clock jump
      static_cast<std::uint32_t>(space.restartable.size()),  // crash
  };
}

constexpr std::array<Nemesis::Kind, 5> kKinds = {
    Nemesis::Kind::kIsolate, Nemesis::Kind::kSplit, Nemesis::Kind::kBridge,
    Nemesis::Kind::kClockJump, Nemesis::Kind::kCrashRestart};

}  // namespace

std::uint32_t NemesisSpace::bound() const noexcept {
  if (steps_max == 0) return 1;
  std::uint64_t total = 1;
  for (std::uint32_t named : named_hosts(*this)) {
    total += std::uint64_t{named} * steps_max;
  }
  // Far beyond any real network; keeps the bound a decision's width.
  constexpr std::uint64_t kBoundMax = 1u << 30;
  return static_cast<std::uint32_t>(total < kBoundMax ? total : kBoundMax);
}

Nemesis NemesisSpace::decode(std::uint32_t value) const noexcept {
  if (value == 0 || steps_max == 0) return {};
  std::uint64_t rest = value - 1;
  const auto named = named_hosts(*this);
  for (std::size_t i = 0; i < named.size(); ++i) {
    const std::uint64_t width = std::uint64_t{named[i]} * steps_max;
    if (rest >= width) {
      rest -= width;
      continue;
    }
    Nemesis nemesis;
    nemesis.kind = kKinds[i];
    const auto which = static_cast<std::uint32_t>(rest / steps_max);
    nemesis.steps = static_cast<std::uint32_t>(rest % steps_max) + 1;
    nemesis.host = nemesis.kind == Nemesis::Kind::kCrashRestart
                       ? restartable[which]
                       : which;
    return nemesis;
  }
  return {};  // beyond the layout (a bound from a larger network)
}

NemesisSides sides_of(const Nemesis& nemesis, std::uint32_t hosts) {
  NemesisSides sides;
  auto nth_after = [&](std::uint32_t k) { return (nemesis.host + k) % hosts; };
  switch (nemesis.kind) {
    case Nemesis::Kind::kIsolate:
      sides.a.push_back(nemesis.host);
      for (std::uint32_t k = 1; k < hosts; ++k) sides.b.push_back(nth_after(k));
      break;
    case Nemesis::Kind::kSplit: {
      // H and the hosts after it, half of them (rounded down), against
      // the rest.
      const std::uint32_t first = hosts / 2;
      for (std::uint32_t k = 0; k < hosts; ++k) {
        (k < first ? sides.a : sides.b).push_back(nth_after(k));
      }
      break;
    }
    case Nemesis::Kind::kBridge: {
      // The others, in number order after the bridge, in two halves (the
      // first rounded down).
      const std::uint32_t first = (hosts - 1) / 2;
      for (std::uint32_t k = 1; k < hosts; ++k) {
        (k <= first ? sides.a : sides.b).push_back(nth_after(k));
      }
      break;
    }
    default:
      break;
  }
  return sides;
}

}  // namespace weft::sim::net_detail
