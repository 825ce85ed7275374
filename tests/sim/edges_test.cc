// Trust at the edges: what the simulated network, simulated threads and
// SimOptions do when given what a careless or unlucky user gives them.
// Objects kept past the run that made them, options out of range, two
// networks in one run, a thousand hosts: each ends in a clear misuse (or a
// leak) naming the object, the field or the limit, or simply works.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/gtest/leak_sanitizer_off.h"
#include "sim/net/sim_net.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"

namespace weft::sim {
namespace {

using namespace std::chrono_literals;

SweepConfig random_runs(std::uint64_t iterations) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kRandom, 0};
  config.iterations = iterations;
  config.jobs = 1;  // the runs below share state on purpose, in order
  config.shrink = false;
  return config;
}

void expect_failure(const SweepOutcome& outcome, Checker checker,
                    const std::string& words) {
  ASSERT_TRUE(outcome.failure) << outcome.summary;
  EXPECT_EQ(outcome.failure->failure.checker, checker)
      << outcome.failure->to_string();
  EXPECT_NE(outcome.failure->failure.message.find(words), std::string::npos)
      << outcome.failure->failure.message;
}

Async<void> nothing() { co_return; }

// --- objects kept past their run --------------------------------------------

std::unique_ptr<SimNet> kept_net;

Async<void> keeps_a_net_past_its_run() {
  if (kept_net == nullptr) {
    kept_net = std::make_unique<SimNet>();
    kept_net->add_host("10.0.0.1");
    co_return;
  }
  kept_net->add_host("10.0.0.2");  // the next run
}

TEST(Edges, ASimNetUsedInALaterRunIsAMisuseNamingBothRuns) {
  SweepOutcome outcome =
      find_failure(keeps_a_net_past_its_run, SimOptions{}, random_runs(2));
  kept_net.reset();
  expect_failure(outcome, Checker::kProtocolMisuse,
                 "a weft::sim::SimNet (add_host) of simulated run #");
  EXPECT_NE(outcome.failure->failure.message.find("was used in run #"),
            std::string::npos);
}

std::unique_ptr<net::UdpSocket> kept_socket;

Async<void> keeps_a_socket_past_its_run() {
  if (kept_socket == nullptr) {
    SimNet net;
    SimHost& host = net.add_host("10.0.0.1");
    kept_socket =
        std::make_unique<net::UdpSocket>(host.bind_udp(host.addr(53)).value());
    co_return;
  }
  std::array<std::byte, 8> buffer;
  (void)co_await kept_socket->recv_from(buffer);
}

TEST(Edges, ASocketUsedInALaterRunIsAMisuse) {
  SweepOutcome outcome =
      find_failure(keeps_a_socket_past_its_run, SimOptions{}, random_runs(2));
  kept_socket.reset();
  expect_failure(outcome, Checker::kProtocolMisuse,
                 "a simulated UDP socket at 10.0.0.1:53 (recv_from) of "
                 "simulated run #");
}

std::unique_ptr<sync::thread> kept_thread;

Async<void> keeps_a_thread_past_its_run() {
  if (kept_thread == nullptr) {
    kept_thread.reset(new sync::thread([] {}));  // (so the site is here)
    co_return;
  }
  kept_thread->join();  // the next run
}

TEST(Edges, AThreadJoinedInALaterRunIsAMisuse) {
  // The thread object is left behind on purpose (it names a thread of a
  // run that is gone; destroying it would be the misuse again).
  testing::LeakSanitizerOff leaks_expected;
  SweepOutcome outcome =
      find_failure(keeps_a_thread_past_its_run, SimOptions{}, random_runs(2));
  kept_thread.release();  // its run is gone; it names nothing now
  expect_failure(outcome, Checker::kProtocolMisuse,
                 "a weft::sync::thread spawned at tests/sim/edges_test.cc:");
  EXPECT_NE(outcome.failure->failure.message.find("was joined in run #"),
            std::string::npos);
}

sync::mutex* left_locked = nullptr;

Async<void> leaves_a_mutex_locked() {
  left_locked->lock();
  co_return;
}

TEST(Edges, AMutexStillLockedWhenItsRunEndsIsALeak) {
  left_locked = new sync::mutex;
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  SweepOutcome outcome = find_failure(leaves_a_mutex_locked, {}, config);
  delete left_locked;  // (the lock was the simulation's, not the real one)
  expect_failure(outcome, Checker::kLeak,
                 "a weft::sync::mutex locked at tests/sim/edges_test.cc:");
}

Async<void> uses_a_real_reactor() {
  net::Reactor reactor;
  (void)reactor.bind_udp(net::SocketAddr::v4(127, 0, 0, 1, 0));
  co_return;
}

TEST(Edges, ARealReactorInsideASimulationIsAMisuse) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  expect_failure(find_failure(uses_a_real_reactor, {}, config),
                 Checker::kProtocolMisuse,
                 "weft::net::Reactor::bind_udp inside a simulated run");
}

// --- knobs ------------------------------------------------------------------

TEST(Edges, AJobsSettingASweepCannotUseIsNamedInItsSummary) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  config.jobs = 4;
  const SweepOutcome outcome = run_sweep(nothing, {}, config);
  EXPECT_NE(outcome.summary.find("WEFT_JOBS=4 unused: this sweep runs one "
                                 "schedule at a time (a single run)"),
            std::string::npos)
      << outcome.summary;
  EXPECT_NE(outcome.summary.find("one run of the unperturbed (FIFO) schedule, "
                                 "no other schedule tried"),
            std::string::npos)
      << outcome.summary;
}

// --- SimOptions out of range ------------------------------------------------

void expect_refused(const SimOptions& options, const std::string& words) {
  SCOPED_TRACE(words);
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  SweepOutcome outcome = find_failure(nothing, options, config);
  expect_failure(outcome, Checker::kProtocolMisuse, words);
  EXPECT_EQ(outcome.runs, 0u) << "refused before the first run";
}

TEST(Edges, SimOptionsOutOfRangeAreRefusedNamingTheField) {
  SimOptions options;
  options.perturbations.reorder_probability = 2.0;
  expect_refused(options,
                 "SimOptions perturbations.reorder_probability is 2, which is "
                 "not accepted: a probability is a number from 0 to 1");
  options = {};
  options.perturbations.net_loss_probability = -1;
  expect_refused(options, "perturbations.net_loss_probability is -1");
  options = {};
  options.perturbations.hold_wake_probability =
      std::numeric_limits<double>::quiet_NaN();
  expect_refused(options, "perturbations.hold_wake_probability is NaN");
  options = {};
  options.network.latency = -1ms;
  expect_refused(options, "network.latency is -1000000 ns");
  options = {};
  options.network.stream_window_bytes = 0;
  expect_refused(options, "network.stream_window_bytes is 0");
  options = {};
  options.network.datagram_queue_max = 0;
  expect_refused(options, "network.datagram_queue_max is 0");
  options = {};
  options.network.clock_skew_step = std::chrono::hours(24 * 365 * 30);
  expect_refused(options, "passes 2^60 ns of virtual time");
  options = {};
  options.limits.steps_max = 0;
  expect_refused(options, "limits.steps_max is 0");
}

TEST(Edges, ASimulatorGivenBadOptionsFailsItsRunInsteadOfRunningIt) {
  SimOptions options;
  options.perturbations.spurious_poll_probability = 1.5;
  FifoSource fifo;
  const RunResult run = run_once(nothing, options, fifo);
  ASSERT_TRUE(run.failure);
  EXPECT_NE(run.failure->message.find("spurious_poll_probability is 1.5"),
            std::string::npos)
      << run.failure->message;
}

// --- networks ---------------------------------------------------------------

Async<void> two_networks() {
  {
    SimNet first;
    SimHost& a = first.add_host("10.0.0.1");
    SimHost& b = first.add_host("10.0.0.2");
    auto socket = a.bind_udp(a.addr(9)).value();
    (void)co_await socket.send_to("x", b.addr(9));
  }
  SimNet second;
  SimHost& client = second.add_host("10.0.1.1");
  SimHost& server = second.add_host("10.0.1.2");
  auto in = server.bind_udp(server.addr(7)).value();
  auto out = client.bind_udp(net::SocketAddr()).value();
  (void)co_await out.send_to("ping", server.addr(7));
  std::array<std::byte, 8> buffer;
  auto got = co_await timeout(4ms, in.recv_from(buffer));
  WEFT_ASSERT(!got.timed_out(), "the ping arrives within 4 ms");
}

TEST(Edges, TwoNetworksInOneRunNumberTheirMessagesApartAndReplay) {
  SimOptions options;
  options.perturbations = Perturbations::none();
  options.perturbations.net_delay_probability = 0.5;
  SweepConfig config = random_runs(200);
  config.shrink = true;
  SweepOutcome outcome = find_failure(two_networks, options, config);
  ASSERT_TRUE(outcome.failure) << outcome.summary;
  ASSERT_TRUE(outcome.failure->shrunk);
  const SparseDecisions& shrunk = outcome.failure->shrunk->decisions;
  ASSERT_EQ(shrunk.perturbed.size(), 1u) << outcome.failure->to_string();
  // The second network's first message is the run's second: its label
  // cannot be mistaken for the first network's message.
  EXPECT_EQ(shrunk.perturbed[0].kind, DecisionKind::kNetDelay);
  EXPECT_EQ(shrunk.perturbed[0].label.first, 2u);
  const RunResult again = replay_sparse(two_networks, options, shrunk,
                                        LabelledReplaySource::Mode::kStrict);
  ASSERT_TRUE(again.failure);
  EXPECT_EQ(again.failure->checker, Checker::kInvariant);
}

Async<void> many_hosts(int count) {
  SimNet net;
  for (int i = 0; i < count; ++i) {
    net.add_host("10." + std::to_string(i / 256) + "." +
                 std::to_string(i % 256) + ".1");
  }
  co_return;
}

TEST(Edges, AThousandHostsFitAndOneMoreThanTheLimitIsAMisuse) {
  SimOptions options;
  options.perturbations = Perturbations::none();
  FifoSource fifo;
  EXPECT_FALSE(
      run_once([] { return many_hosts(1024); }, options, fifo).failure);
  FifoSource again;
  const RunResult over =
      run_once([] { return many_hosts(1025); }, options, again);
  ASSERT_TRUE(over.failure);
  EXPECT_NE(
      over.failure->message.find("more than 1024 hosts (network.hosts_max)"),
      std::string::npos)
      << over.failure->message;
}

// --- threads ----------------------------------------------------------------

Async<void> runs_a_move_only_callable() {
  auto owned = std::make_unique<int>(5);
  sync::thread worker([owned = std::move(owned)] {
    WEFT_ASSERT(*owned == 5, "the thread owns its value");
  });
  worker.join();
  co_return;
}

TEST(Edges, ASimulatedThreadTakesAMoveOnlyCallable) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  EXPECT_FALSE(find_failure(runs_a_move_only_callable, {}, config).failure);
  // And in production, as std::thread does.
  auto owned = std::make_unique<int>(6);
  int seen = 0;
  sync::thread worker([owned = std::move(owned), &seen] { seen = *owned; });
  worker.join();
  EXPECT_EQ(seen, 6);
}

Async<void> a_pool_that_waits_forever() {
  ThreadPoolExecutor pool(1);  // its worker is named by this line
  auto [tx, rx] = oneshot::channel<int>();
  (void)co_await std::move(rx);  // never sent: a deadlock
  (void)tx;
}

TEST(Edges, APoolsWorkersAreNamedByTheLineThatMadeThePool) {
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kFifo, 0};
  SweepOutcome outcome = find_failure(a_pool_that_waits_forever, {}, config);
  ASSERT_TRUE(outcome.failure);
  const std::string& message = outcome.failure->failure.message;
  EXPECT_NE(message.find("thread 1 (spawned at tests/sim/edges_test.cc:"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("stl_construct"), std::string::npos) << message;
}

}  // namespace
}  // namespace weft::sim
