// The simulated network (sim/net/sim_net.h): weft::net's sockets between
// simulated hosts, with delay, loss, duplication, resets, partitions,
// crashes and clock skew as decisions; runs replay exactly.
#include "sim/net/sim_net.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep.h"
#include "sim/zoo/echo.h"

namespace weft::sim {
namespace {

using namespace std::chrono_literals;
using net::Datagram;
using net::IoResult;
using net::Network;
using net::SocketAddr;
using net::TcpListener;
using net::TcpStream;
using net::UdpSocket;

SweepConfig random_config(std::uint64_t iterations) {
  SweepConfig config;
  config.strategy = std::get<StrategySpec>(parse_strategy("random"));
  config.iterations = iterations;
  config.jobs = 1;
  return config;
}

std::string text_of(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Echoes each connection until its end.
Async<void> echo_server(Network& net, std::uint16_t port) {
  TcpListener listener = net.bind_tcp(SocketAddr().with_port(port)).value();
  while (true) {
    IoResult<TcpStream> accepted = co_await listener.accept();
    if (!accepted) co_return;
    net.spawn([](TcpStream stream) -> Async<void> {
      std::byte buffer[16];
      while (true) {
        IoResult<std::size_t> got = co_await stream.read(buffer);
        if (!got || got.value() == 0) co_return;
        if (!co_await stream.write_all(std::span(buffer).first(got.value()))) {
          co_return;
        }
      }
    }(std::move(accepted).value()));
  }
}

// Sends `message`, shuts down, reads everything back.
Async<std::string> echo_call(Network& net, SocketAddr to, std::string message) {
  IoResult<TcpStream> connected = co_await net.connect(to);
  if (!connected) co_return "connect: " + connected.error().message();
  TcpStream stream = std::move(connected).value();
  if (!co_await stream.write_all(message)) co_return "write failed";
  (void)stream.shutdown();
  std::string reply;
  std::byte buffer[7];
  while (true) {
    IoResult<std::size_t> got = co_await stream.read(buffer);
    if (!got) co_return "read: " + got.error().message();
    if (got.value() == 0) co_return reply;
    reply += text_of(std::span(buffer).first(got.value()));
  }
}

Async<void> echo_scenario() {
  SimNet net;
  SimHost& server = net.add_host("10.0.0.1");
  SimHost& client = net.add_host("10.0.0.2");
  server.spawn(echo_server(server, 7));
  const std::string message(200, 'x');
  std::vector<JoinHandle<std::string>> calls;
  for (int i = 0; i < 3; ++i) {
    calls.push_back(client.spawn(
        echo_call(client, server.addr(7), message + std::to_string(i))));
  }
  for (int i = 0; i < 3; ++i) {
    const std::string reply = co_await calls[i];
    WEFT_ASSERT_EQ(reply, message + std::to_string(i));
  }
}

TEST(SimNet, TcpEchoBetweenHosts) {
  FifoSource fifo;
  SimOptions options;
  options.perturbations = Perturbations::none();
  RunResult run = run_once(echo_scenario, options, fifo);
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

TEST(SimNet, StreamsStayOrderedAndWholeUnderEveryPerturbation) {
  // Delays, partitions and duplicates never reorder, lose or repeat a
  // connection's bytes; resets do end some calls, which then say so.
  SimOptions options;
  options.perturbations.net_reset_probability = 0;
  options.perturbations.net_partition_probability = 0.05;
  options.perturbations.net_delay_probability = 0.5;
  SweepOutcome outcome = run_sweep(echo_scenario, options, random_config(300));
  EXPECT_FALSE(outcome.failure.has_value()) << outcome.failure->to_string();
}

TEST(SimNet, ResetsReachBothEndsAsErrorValues) {
  SimOptions options;
  options.perturbations.net_reset_probability = 0.2;
  SweepOutcome outcome = run_sweep(echo_scenario, options, random_config(200));
  ASSERT_TRUE(outcome.failure.has_value());
  const std::string text = outcome.failure->to_string();
  EXPECT_NE(text.find("ECONNRESET"), std::string::npos) << text;
  EXPECT_NE(text.find("WEFT_DECISIONS"), std::string::npos) << text;
}

// Sends five numbered datagrams and asserts they arrive in order, once.
Async<void> datagram_order_scenario() {
  SimNet net;
  SimHost& a = net.add_host("10.0.0.1");
  SimHost& b = net.add_host("10.0.0.2");
  UdpSocket sender = a.bind_udp(SocketAddr()).value();
  UdpSocket receiver = b.bind_udp(b.addr(9)).value();
  for (char c = '0'; c < '5'; ++c) {
    (co_await sender.send_to(std::string_view(&c, 1), b.addr(9))).value();
  }
  std::string seen;
  std::byte buffer[4];
  while (true) {
    auto got = co_await timeout(1s, receiver.recv_from(buffer));
    if (got.timed_out()) break;
    Datagram datagram = std::move(got).value().value();
    WEFT_ASSERT_EQ(datagram.from, sender.local_addr());
    seen += text_of(std::span(buffer).first(datagram.size));
  }
  WEFT_ASSERT_EQ(seen, std::string("01234"));
}

TEST(SimNet, DatagramsAreLostDuplicatedAndReorderedAndReplayExactly) {
  FifoSource fifo;
  SimOptions options;
  options.perturbations = Perturbations::none();
  EXPECT_FALSE(run_once(datagram_order_scenario, options, fifo).failure);

  for (const char* kind : {"loss", "dup", "delay"}) {
    SimOptions only = options;
    if (std::string(kind) == "loss")
      only.perturbations.net_loss_probability = 0.3;
    if (std::string(kind) == "dup")
      only.perturbations.net_duplicate_probability = 0.3;
    if (std::string(kind) == "delay")
      only.perturbations.net_delay_probability = 0.5;
    SweepOutcome outcome =
        run_sweep(datagram_order_scenario, only, random_config(200));
    ASSERT_TRUE(outcome.failure.has_value()) << kind;
    const FailureReport& report = *outcome.failure;
    ASSERT_TRUE(report.shrunk.has_value()) << kind;
    // Shrunk to perturbations of the one kind that was possible.
    EXPECT_GE(report.shrunk->decisions.perturbed.size(), 1u);
    for (const Decision& decision : report.shrunk->decisions.perturbed) {
      EXPECT_EQ(to_string(decision.kind), kind);
    }
    RunResult again =
        replay_sparse(datagram_order_scenario, only, report.shrunk->decisions,
                      LabelledReplaySource::Mode::kStrict);
    ASSERT_TRUE(again.failure.has_value()) << kind;
    EXPECT_EQ(again.failure->message, report.failure.message);
  }
}

TEST(SimNet, ReplayOfANetworkedRunGivesTheSameTrace) {
  SimOptions options;
  options.perturbations.net_loss_probability = 0.2;
  options.perturbations.net_partition_probability = 0.05;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomWalkSource source(seed);
    RunResult first = run_once(echo_scenario, options, source);
    ReplaySource replay(first.decisions);
    RunResult again = run_once(echo_scenario, options, replay);
    ASSERT_EQ(first.trace_hash, again.trace_hash) << "seed " << seed;
    ASSERT_EQ(first.decisions, again.decisions) << "seed " << seed;
  }
}

RunResult run_fifo(Async<void> (*scenario)()) {
  FifoSource fifo;
  SimOptions options;
  options.perturbations = Perturbations::none();
  return run_once(scenario, options, fifo);
}

TEST(SimNet, PartitionDropsDatagramsAndHoldsSegmentsUntilHealed) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& a = net.add_host("10.0.0.1");
    SimHost& b = net.add_host("10.0.0.2");
    UdpSocket udp_a = a.bind_udp(SocketAddr()).value();
    UdpSocket udp_b = b.bind_udp(b.addr(9)).value();
    TcpListener listener = b.bind_tcp(b.addr(80)).value();
    TcpStream client = (co_await a.connect(b.addr(80))).value();
    TcpStream server = (co_await listener.accept()).value();

    net.partition({&a}, {&b});
    (co_await udp_a.send_to("lost", b.addr(9))).value();
    (co_await client.write_all("waits")).value();
    std::byte buffer[8];
    WEFT_ASSERT((co_await timeout(1s, udp_b.recv_from(buffer))).timed_out(),
                "(co_await timeout(1s, udp_b.recv_from(buffer))).timed_out()");
    WEFT_ASSERT((co_await timeout(1s, server.read(buffer))).timed_out(),
                "(co_await timeout(1s, server.read(buffer))).timed_out()");
    const Instant healed_at = a.now();
    net.heal();
    IoResult<std::size_t> got = co_await server.read(buffer);
    WEFT_ASSERT_EQ(text_of(std::span(buffer).first(got.value())),
                   std::string("waits"));
    WEFT_ASSERT(a.now() - healed_at >= 1ms,
                "a.now() - healed_at >= 1ms");  // one latency after the heal
    WEFT_ASSERT((co_await timeout(1s, udp_b.recv_from(buffer))).timed_out(),
                "(co_await timeout(1s, udp_b.recv_from(buffer))).timed_out()");
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

TEST(SimNet, HoldKeepsDatagramsUntilRelease) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& a = net.add_host("10.0.0.1");
    SimHost& b = net.add_host("10.0.0.2");
    UdpSocket udp_a = a.bind_udp(SocketAddr()).value();
    UdpSocket udp_b = b.bind_udp(b.addr(9)).value();
    net.hold(a, b);
    (co_await udp_a.send_to("kept", b.addr(9))).value();
    std::byte buffer[8];
    WEFT_ASSERT((co_await timeout(1s, udp_b.recv_from(buffer))).timed_out(),
                "(co_await timeout(1s, udp_b.recv_from(buffer))).timed_out()");
    net.release(a, b);
    WEFT_ASSERT_EQ((co_await udp_b.recv_from(buffer)).value().size, 4u);
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

Async<void> read_forever(TcpStream stream) {
  std::byte buffer[4];
  (void)co_await stream.read(buffer);
}

TEST(SimNet, CrashDropsTheHostsTasksAndRestartAnswersWithResets) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& server = net.add_host("10.0.0.1");
    SimHost& client = net.add_host("10.0.0.2");
    TcpListener listener = server.bind_tcp(server.addr(80)).value();
    TcpStream stream = (co_await client.connect(server.addr(80))).value();
    TcpStream accepted = (co_await listener.accept()).value();
    JoinHandle<void> task = server.spawn(read_forever(std::move(accepted)));
    co_await sleep_for(1ms);
    server.crash();
    bool cancelled = false;
    try {
      co_await task;
    } catch (const TaskCancelled&) {
      cancelled = true;
    }
    WEFT_ASSERT(cancelled, "cancelled");
    // The listener's object outlives the crash, but its socket is gone.
    WEFT_ASSERT_EQ(server.bind_tcp(server.addr(81)).code(), ENETDOWN);
    // Nothing tells the client; its bytes go to a host that is down.
    (co_await stream.write_all("anyone?")).value();
    std::byte buffer[8];
    WEFT_ASSERT((co_await timeout(1s, stream.read(buffer))).timed_out(),
                "(co_await timeout(1s, stream.read(buffer))).timed_out()");
    server.restart();
    (co_await stream.write_all("hello?")).value();
    WEFT_ASSERT_EQ((co_await stream.read(buffer)).code(), ECONNRESET);
    // The restarted host can serve again.
    TcpListener again = server.bind_tcp(server.addr(80)).value();
    WEFT_ASSERT((co_await client.connect(server.addr(80))).ok(),
                "(co_await client.connect(server.addr(80))).ok()");
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

// A host task that spawns a child with plain weft::spawn: the crash drops
// the child too.
Async<void> spawn_reader(TcpStream stream,
                         std::shared_ptr<std::optional<JoinHandle<void>>> out) {
  out->emplace(spawn(read_forever(std::move(stream))));
  co_await sleep_for(1h);
}

TEST(SimNet, CrashDropsTheTasksAHostsTasksSpawned) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& server = net.add_host("10.0.0.1");
    SimHost& client = net.add_host("10.0.0.2");
    TcpListener listener = server.bind_tcp(server.addr(80)).value();
    TcpStream stream = (co_await client.connect(server.addr(80))).value();
    auto child = std::make_shared<std::optional<JoinHandle<void>>>();
    JoinHandle<void> parent =
        server.spawn(spawn_reader((co_await listener.accept()).value(), child));
    co_await sleep_for(1ms);
    WEFT_ASSERT(child->has_value(), "the child was spawned");
    server.crash();
    for (JoinHandle<void>* task : {&parent, &child->value()}) {
      bool cancelled = false;
      try {
        co_await std::move(*task);
      } catch (const TaskCancelled&) {
        cancelled = true;
      }
      WEFT_ASSERT(cancelled, "a task of the crashed host was dropped");
    }
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

TEST(SimNet, ConnectErrorsAreValues) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& a = net.add_host("10.0.0.1");
    SimHost& b = net.add_host("10.0.0.2");
    WEFT_ASSERT_EQ((co_await a.connect(b.addr(80))).code(), ECONNREFUSED);
    WEFT_ASSERT_EQ(
        (co_await a.connect(*SocketAddr::parse("10.9.9.9:80"))).code(),
        EHOSTUNREACH);
    TcpListener first = b.bind_tcp(b.addr(80)).value();
    WEFT_ASSERT_EQ(b.bind_tcp(b.addr(80)).code(), EADDRINUSE);
    WEFT_ASSERT_EQ(b.bind_tcp(a.addr(80)).code(), EADDRNOTAVAIL);
    UdpSocket udp = b.bind_udp(b.addr(80)).value();  // another protocol
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

TEST(SimNet, ClosingWithUnreadBytesResetsThePeer) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& a = net.add_host("10.0.0.1");
    SimHost& b = net.add_host("10.0.0.2");
    TcpListener listener = b.bind_tcp(b.addr(80)).value();
    TcpStream client = (co_await a.connect(b.addr(80))).value();
    {
      TcpStream server = (co_await listener.accept()).value();
      (co_await client.write_all("unread")).value();
      co_await sleep_for(5ms);
    }
    std::byte buffer[8];
    WEFT_ASSERT_EQ((co_await client.read(buffer)).code(), ECONNRESET);
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

TEST(SimNet, CancelledReadLosesNoBytes) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& a = net.add_host("10.0.0.1");
    SimHost& b = net.add_host("10.0.0.2");
    TcpListener listener = b.bind_tcp(b.addr(80)).value();
    TcpStream client = (co_await a.connect(b.addr(80))).value();
    TcpStream server = (co_await listener.accept()).value();
    std::byte buffer[8];
    WEFT_ASSERT((co_await timeout(1ms, server.read(buffer))).timed_out(),
                "(co_await timeout(1ms, server.read(buffer))).timed_out()");
    WEFT_ASSERT((co_await timeout(1ms, listener.accept())).timed_out(),
                "(co_await timeout(1ms, listener.accept())).timed_out()");
    (co_await client.write_all("late")).value();
    WEFT_ASSERT_EQ((co_await server.read(buffer)).value(), 4u);
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

TEST(SimNet, AFullWindowMakesTheWriterWaitAndACancelledWriteLosesNothing) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& a = net.add_host("10.0.0.1");
    SimHost& b = net.add_host("10.0.0.2");
    TcpListener listener = b.bind_tcp(b.addr(80)).value();
    TcpStream client = (co_await a.connect(b.addr(80))).value();
    TcpStream server = (co_await listener.accept()).value();
    std::vector<std::byte> chunk(10'000, std::byte{1});
    std::size_t written = 0;
    while (true) {
      auto step = co_await timeout(10ms, client.write(chunk));
      if (step.timed_out()) break;
      written += step.value().value();
    }
    // The writer waited at the window: 64 KiB unread by default.
    WEFT_ASSERT_EQ(written, std::size_t{64 * 1024});
    client.shutdown().value();
    std::size_t received = 0;
    std::vector<std::byte> buffer(4096);
    while (true) {
      IoResult<std::size_t> got = co_await server.read(buffer);
      if (!got || got.value() == 0) break;
      received += got.value();
    }
    WEFT_ASSERT_EQ(received, written);
  });
  EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
}

TEST(SimNet, HostClocksAreSkewedByDecision) {
  SimOptions options = SimOptions{};
  bool skewed = false;
  for (std::uint64_t seed = 1; seed <= 30 && !skewed; ++seed) {
    RandomWalkSource source(seed);
    RunResult run = run_once(
        [&skewed]() -> Async<void> {
          SimNet net;
          SimHost& a = net.add_host("10.0.0.1");
          SimHost& b = net.add_host("10.0.0.2");
          if (a.now() != b.now()) skewed = true;
          co_return;
        },
        options, source);
    EXPECT_FALSE(run.failure.has_value());
  }
  EXPECT_TRUE(skewed);
}

// sim/zoo/echo.h, which examples/net_echo.cc runs on real sockets, runs
// here unchanged between simulated hosts, under every perturbation but
// resets (which end a call, as they would on a real network).
Async<void> example_echo_scenario() {
  SimNet net;
  SimHost& server = net.add_host("10.0.0.1");
  SimHost& client = net.add_host("10.0.0.2");
  server.spawn(examples::echo_server(
      server, server.bind_tcp(server.addr(7)).value(), 2));
  for (int i = 0; i < 2; ++i) {
    const std::string message(3000, static_cast<char>('a' + i));
    WEFT_ASSERT_EQ(
        co_await examples::echo_call(client, server.addr(7), message), message);
  }
}

TEST(SimNet, TheRealSocketExampleRunsUnchanged) {
  SimOptions options;
  options.perturbations.net_reset_probability = 0;
  options.perturbations.net_partition_probability = 0.05;
  SweepOutcome outcome =
      run_sweep(example_echo_scenario, options, random_config(300));
  EXPECT_FALSE(outcome.failure.has_value()) << outcome.failure->to_string();
}

TEST(SimNet, AHostOfAnotherNetworkIsAMisuse) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet one;
    SimNet other;
    SimHost& a = one.add_host("10.0.0.1");
    SimHost& b = other.add_host("10.0.0.2");
    one.hold(a, b);
    co_return;
  });
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->checker, Checker::kProtocolMisuse);
  EXPECT_NE(run.failure->message.find("belongs to another SimNet"),
            std::string::npos)
      << run.failure->message;
}

TEST(SimNet, BadHostAddressesAreMisusesNamingThem) {
  for (const char* bad : {"10.0.0.1:80", "host.example", "0.0.0.0", "dup"}) {
    SCOPED_TRACE(bad);
    FifoSource fifo;
    RunResult run = run_once(
        [bad]() -> Async<void> {
          SimNet net;
          net.add_host("10.0.0.9");
          net.add_host(std::string(bad) == "dup" ? "10.0.0.9" : bad);
          co_return;
        },
        SimOptions{}, fifo);
    ASSERT_TRUE(run.failure.has_value());
    EXPECT_EQ(run.failure->checker, Checker::kProtocolMisuse);
    EXPECT_NE(
        run.failure->message.find(std::string(bad) == "dup" ? "10.0.0.9" : bad),
        std::string::npos)
        << run.failure->message;
  }
}

TEST(SimNet, HostsAreFoundByAddress) {
  RunResult run = run_fifo([]() -> Async<void> {
    SimNet net;
    SimHost& a = net.add_host("10.0.0.1");
    SimHost& b = net.add_host("fd00::2");
    WEFT_ASSERT(&net.host("10.0.0.1") == &a, "found by IPv4 literal");
    WEFT_ASSERT(&net.host("fd00::2") == &b, "found by IPv6 literal");
    net.host("10.0.0.3");  // no such host: a misuse
    co_return;
  });
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_EQ(run.failure->checker, Checker::kProtocolMisuse);
  EXPECT_NE(run.failure->message.find("no host has address '10.0.0.3'"),
            std::string::npos)
      << run.failure->message;
}

TEST(SimNet, MoreHostsThanTheLimitIsAMisuse) {
  FifoSource fifo;
  SimOptions options;
  options.network.hosts_max = 3;
  RunResult run = run_once(
      []() -> Async<void> {
        SimNet net;
        for (int i = 1; i <= 4; ++i)
          net.add_host("10.0.0." + std::to_string(i));
        co_return;
      },
      options, fifo);
  ASSERT_TRUE(run.failure.has_value());
  EXPECT_NE(run.failure->message.find("network.hosts_max"), std::string::npos)
      << run.failure->message;
}

TEST(SimNet, ASocketThatOutlivesItsRunIsALeakAndClosesSafely) {
  // The scenario hands a connected stream out of the run with bytes in
  // flight: the leak check names the network's timer, and closing the
  // stream after the simulator is gone touches nothing of it (ASan would
  // report a use of freed memory).
  auto kept = std::make_shared<std::optional<TcpStream>>();
  {
    FifoSource fifo;
    RunResult run = run_once(
        [kept]() -> Async<void> {
          SimNet net;
          SimHost& a = net.add_host("10.0.0.1");
          SimHost& b = net.add_host("10.0.0.2");
          TcpListener listener = b.bind_tcp(b.addr(80)).value();
          kept->emplace((co_await a.connect(b.addr(80))).value());
          (co_await kept->value().write_all("unsent")).value();
        },
        SimOptions{}, fifo);
    ASSERT_TRUE(run.failure.has_value());
    EXPECT_EQ(run.failure->checker, Checker::kLeak);
    EXPECT_NE(run.failure->message.find("a socket outlived its run"),
              std::string::npos)
        << run.failure->message;
  }
  kept->reset();
}

TEST(SimNet, MadeOutsideARunIsAMisuse) {
  EXPECT_DEATH({ SimNet net; }, "outside a simulated run");
}

}  // namespace
}  // namespace weft::sim
