// weft::sim::net_detail::Nemesis: a fault that spans the network, taken as
// one decision (nemesis@M, asked as message M is sent) so that faults which
// must overlap — a host cut off from every other, a majority and a minority
// that cannot talk, a bridge — are one entry of a run's decisions, found,
// replayed and shrunk as one.
//
// The decision's value packs what happens, to which host and for how long:
// value 0 is no fault; the values after it are laid out kind by kind, each
// kind taking (hosts it may name) x (steps) values, in this order:
//
//   isolate H for S   every link between H and the other hosts cut
//   split at H for S  the network in two: H and the hosts after it by
//                     number, half of them (rounded down), cannot reach the
//                     rest (four hosts or more)
//   bridge at H for S the other hosts, in number order after H, in two
//                     halves (the first rounded down) that cannot talk; H
//                     reaches both (three hosts or more)
//   clock jump on H   H's clock jumps forward S clock-skew steps
//   crash H for S     H crashes and restarts S steps later through the
//                     function it declared (SimHost::on_restart); only
//                     hosts that declared one, and are up, are named
//
// S runs from 1 to NetworkShape::nemesis_steps_max, in nemesis_step units
// (clock_skew_step for a jump). The layout depends on the hosts when the
// message is sent, which a replay reproduces.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace weft::sim::net_detail {

struct Nemesis {
  enum class Kind : std::uint8_t {
    kNone,
    kIsolate,
    kSplit,
    kBridge,
    kClockJump,
    kCrashRestart,
  };
  Kind kind = Kind::kNone;
  std::uint32_t host = 0;  // index into the network's hosts
  std::uint32_t steps = 0;
};

// The shape of the choice when a message is sent.
struct NemesisSpace {
  std::uint32_t hosts = 0;  // hosts in the network
  // Indices of the hosts a crash may name (declared on_restart, up).
  std::span<const std::uint32_t> restartable;
  std::uint32_t steps_max = 0;
  bool clock_jumps = false;

  // Choices including "no fault"; 1 when there is nothing to choose.
  std::uint32_t bound() const noexcept;
  Nemesis decode(std::uint32_t value) const noexcept;
};

// The two sides a split or a bridge separates (host indices); empty for
// the other kinds. For isolate, {host} and everyone else.
struct NemesisSides {
  std::vector<std::uint32_t> a;
  std::vector<std::uint32_t> b;
};
NemesisSides sides_of(const Nemesis& nemesis, std::uint32_t hosts);

}  // namespace weft::sim::net_detail
