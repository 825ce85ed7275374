// Nemesis decisions (sim/net/nemesis.h): each kind, replayed by its label
// on four hosts that ping each other, does what it says and nothing more
// (who cannot hear whom, and for how long; a clock that jumps; a host that
// crashes and comes back through its on_restart); a random sweep reaches
// them by default; and a bug that needs one is shrunk to that one entry.
#include "sim/net/nemesis.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/weft.h"
#include "sim/decision/decision_io.h"
#include "sim/decision/replay_source.h"
#include "sim/net/sim_net.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep.h"
#include "sim/testing/sweeps.h"
#include "sim/zoo/network_catalogue.h"
#include "sim/zoo/retry_duplicate.h"

namespace weft::sim {
namespace {

using namespace std::chrono_literals;
using net_detail::Nemesis;
using net_detail::NemesisSpace;

constexpr int kHosts = 4;
constexpr int kRestartable = 2;  // host index 2 declares on_restart
constexpr std::uint32_t kRestartableHosts[] = {kRestartable};

// What the pinging hosts saw: for each (receiver, sender), when pings
// arrived, in virtual time since the run began.
struct Seen {
  std::map<std::pair<int, int>, std::vector<Duration>> arrivals;
  int restarts = 0;
  Duration skew_of_1_after;  // host index 1's clock minus host 0's, at end
};

Async<void> listen(SimHost& host, int me, std::shared_ptr<Seen> seen,
                   Instant start) {
  net::UdpSocket socket = host.bind_udp(host.addr(5000)).value();
  std::array<std::byte, 16> buffer;
  while (true) {
    auto got = co_await socket.recv_from(buffer);
    if (!got) co_return;
    const int from =
        static_cast<int>(std::to_integer<unsigned char>(buffer[0]) - '0');
    // Clocks are not skewed in these runs (a jump moves one host's, which
    // these arrivals do not measure).
    seen->arrivals[{me, from}].push_back(host.now() - start);
  }
}

Async<void> ping(SimHost& host, int me, std::vector<net::SocketAddr> peers) {
  net::UdpSocket socket = host.bind_udp(net::SocketAddr()).value();
  const std::string text = std::to_string(me);
  for (int round = 0; round < 60; ++round) {
    for (const net::SocketAddr& peer : peers) {
      (void)co_await socket.send_to(text, peer);
    }
    co_await sleep_for(10ms);  // fewer than 16 per link in a cut: see
    // NetworkShape::datagram_drops_in_a_row_max
  }
}

Scenario pinging(std::shared_ptr<Seen> seen) {
  return [seen]() -> Async<void> {
    SimNet net;
    std::vector<SimHost*> hosts;
    for (int i = 0; i < kHosts; ++i) {
      hosts.push_back(&net.add_host("10.0.0." + std::to_string(i + 1)));
    }
    const Instant start = hosts[0]->now();
    std::vector<JoinHandle<void>> pingers;
    for (int i = 0; i < kHosts; ++i) {
      std::vector<net::SocketAddr> peers;
      for (int j = 0; j < kHosts; ++j) {
        if (j != i) peers.push_back(hosts[j]->addr(5000));
      }
      SimHost& host = *hosts[i];
      host.spawn(listen(host, i, seen, start));
      if (i == kRestartable) {
        host.on_restart([seen, i, start](SimHost& again) {
          ++seen->restarts;
          again.spawn(listen(again, i, seen, start));
        });
      }
      pingers.push_back(weft::spawn(ping(host, i, peers)));
    }
    for (JoinHandle<void>& pinger : pingers) co_await std::move(pinger);
    seen->skew_of_1_after = hosts[1]->now() - hosts[0]->now();
  };
}

SimOptions nemesis_only() {
  SimOptions options;
  options.perturbations = Perturbations::none();
  options.perturbations.net_nemesis_probability = 0.01;
  return options;
}

// nemesis@1 (the first ping) with the value that decodes to `wanted`.
SparseDecisions first_message_gets(const Nemesis& wanted) {
  NemesisSpace space;
  space.hosts = kHosts;
  space.restartable = kRestartableHosts;
  space.steps_max = NetworkShape{}.nemesis_steps_max;
  space.clock_jumps = true;
  for (std::uint32_t value = 1; value < space.bound(); ++value) {
    const Nemesis n = space.decode(value);
    if (n.kind == wanted.kind && n.host == wanted.host &&
        n.steps == wanted.steps) {
      SparseDecisions decisions;
      decisions.perturbed.push_back(
          {DecisionKind::kNetNemesis, space.bound(), value, {1, 0}});
      return decisions;
    }
  }
  ADD_FAILURE() << "no value decodes to the nemesis wanted";
  return {};
}

std::shared_ptr<Seen> run_with(const Nemesis& nemesis) {
  auto seen = std::make_shared<Seen>();
  const SparseDecisions decisions = first_message_gets(nemesis);
  RunResult run = replay_sparse(pinging(seen), nemesis_only(), decisions,
                                LabelledReplaySource::Mode::kStrict);
  EXPECT_FALSE(run.failure.has_value())
      << (run.failure ? run.failure->message : "") << " replaying "
      << format_sparse_decisions(decisions);
  return seen;
}

// Whether `to` heard `from` before `until`, and again after it.
bool heard_before(const Seen& seen, int to, int from, Duration until) {
  auto found = seen.arrivals.find({to, from});
  if (found == seen.arrivals.end()) return false;
  for (Duration at : found->second) {
    if (at < until) return true;
  }
  return false;
}
bool heard_after(const Seen& seen, int to, int from, Duration after) {
  auto found = seen.arrivals.find({to, from});
  if (found == seen.arrivals.end()) return false;
  for (Duration at : found->second) {
    if (at > after) return true;
  }
  return false;
}

// 2 steps of 50 ms; a ping sent just before the heal arrives 1 ms later.
constexpr Duration kCut = 100ms;
constexpr Duration kCutAndLatency = 102ms;

TEST(Nemesis, IsolateCutsOneHostFromEveryOtherForItsTime) {
  const auto seen = run_with({Nemesis::Kind::kIsolate, 0, 2});
  for (int other = 1; other < kHosts; ++other) {
    EXPECT_FALSE(heard_before(*seen, 0, other, kCut)) << other;
    EXPECT_FALSE(heard_before(*seen, other, 0, kCut)) << other;
    EXPECT_TRUE(heard_after(*seen, 0, other, kCutAndLatency)) << other;
  }
  EXPECT_TRUE(heard_before(*seen, 1, 2, kCut));  // the others still talk
}

TEST(Nemesis, SplitCutsTheNetworkInTwoHalves) {
  // Four hosts, split at 0: {0, 1} | {2, 3}.
  const auto seen = run_with({Nemesis::Kind::kSplit, 0, 2});
  for (int a : {0, 1}) {
    for (int b : {2, 3}) {
      EXPECT_FALSE(heard_before(*seen, a, b, kCut)) << a << " " << b;
      EXPECT_FALSE(heard_before(*seen, b, a, kCut)) << a << " " << b;
      EXPECT_TRUE(heard_after(*seen, a, b, kCutAndLatency)) << a << " " << b;
    }
  }
  EXPECT_TRUE(heard_before(*seen, 0, 1, kCut));
  EXPECT_TRUE(heard_before(*seen, 2, 3, kCut));
}

TEST(Nemesis, BridgeKeepsOneHostInTouchWithBothSides) {
  // Bridge at 3: the others after it are 0 | 1, 2.
  const auto seen = run_with({Nemesis::Kind::kBridge, 3, 2});
  for (int b : {1, 2}) {
    EXPECT_FALSE(heard_before(*seen, 0, b, kCut)) << b;
    EXPECT_FALSE(heard_before(*seen, b, 0, kCut)) << b;
  }
  for (int other : {0, 1, 2}) {
    EXPECT_TRUE(heard_before(*seen, 3, other, kCut)) << other;
    EXPECT_TRUE(heard_before(*seen, other, 3, kCut)) << other;
  }
  EXPECT_TRUE(heard_before(*seen, 1, 2, kCut));
}

TEST(Nemesis, ClockJumpMovesOneHostsClockForward) {
  const auto seen = run_with({Nemesis::Kind::kClockJump, 1, 4});
  EXPECT_EQ(seen->skew_of_1_after, 4 * NetworkShape{}.clock_skew_step);
  EXPECT_TRUE(heard_before(*seen, 0, 1, kCut));  // nothing else changed
}

TEST(Nemesis, CrashRestartBringsTheHostBackThroughOnRestart) {
  const auto seen = run_with({Nemesis::Kind::kCrashRestart, 2, 2});
  EXPECT_EQ(seen->restarts, 1);
  for (int other : {0, 1, 3}) {
    // Down for 100 ms: nothing arrives; back up, its new listener hears.
    auto found = seen->arrivals.find({kRestartable, other});
    ASSERT_NE(found, seen->arrivals.end());
    for (Duration at : found->second) {
      EXPECT_FALSE(at > 1ms && at < kCut) << other;
    }
    EXPECT_TRUE(heard_after(*seen, kRestartable, other, kCutAndLatency));
  }
}

TEST(Nemesis, OnlyHostsThatDeclaredOnRestartAreCrashed) {
  NemesisSpace space;
  space.hosts = kHosts;
  space.restartable = kRestartableHosts;
  space.steps_max = 10;
  space.clock_jumps = true;
  for (std::uint32_t value = 1; value < space.bound(); ++value) {
    const Nemesis n = space.decode(value);
    EXPECT_NE(n.kind, Nemesis::Kind::kNone) << value;
    if (n.kind == Nemesis::Kind::kCrashRestart) {
      EXPECT_EQ(n.host, static_cast<std::uint32_t>(kRestartable));
    }
    EXPECT_GE(n.steps, 1u);
    EXPECT_LE(n.steps, 10u);
  }
  // isolate, split, bridge and clock jump name any of 4 hosts; crash 1.
  EXPECT_EQ(space.bound(), 1u + (4 + 4 + 4 + 4 + 1) * 10);
}

TEST(Nemesis, ADefaultRandomSweepTakesNemesisDecisions) {
  auto seen = std::make_shared<Seen>();
  std::uint64_t nemeses = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    RandomWalkSource source(seed);
    RunResult run = run_once(pinging(seen), SimOptions{}, source);
    for (const Decision& d : run.decisions) {
      nemeses += d.kind == DecisionKind::kNetNemesis && d.perturbed() ? 1 : 0;
    }
  }
  EXPECT_GT(nemeses, 0u);
}

TEST(Nemesis, ABugThatNeedsOneShrinksToThatOneDecision) {
  for (const zoo::Component& c : zoo::network_catalogue()) {
    if (c.name != "deposed_leader") continue;
    SweepOutcome outcome = testing::sweep(c.buggy, "random");
    ASSERT_TRUE(outcome.failure.has_value()) << outcome.summary;
    ASSERT_TRUE(outcome.failure->shrunk.has_value());
    const SparseDecisions& shrunk = outcome.failure->shrunk->decisions;
    ASSERT_EQ(shrunk.perturbed.size(), 1u) << outcome.failure->to_string();
    EXPECT_EQ(shrunk.perturbed[0].kind, DecisionKind::kNetNemesis);
    // The report says what the fault did, in words.
    EXPECT_NE(outcome.failure->to_string().find("bridged by"),
              std::string::npos)
        << outcome.failure->to_string();
  }
}

}  // namespace
}  // namespace weft::sim
