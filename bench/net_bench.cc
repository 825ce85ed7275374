// Sockets, real and simulated.
//
//   bazel run -c opt //bench:net_bench
//
// Real: echo round trips of 64 bytes over one loopback TCP connection,
// server and client on one thread, weft (LocalExecutor parked on its epoll
// Reactor, coroutines) against Asio 1.22 (io_context, completion handlers:
// Asio's own fastest style). Both counted in round trips per second; the
// ratio of the two is what bench/README.md reports.
//
// Simulated: messages the simulated network carries per second of real
// time on one core (goal: at least 1 M/s), for datagrams sent in bursts and
// for a TCP ping-pong, where every message is its own delivery, wake and
// poll. Runs under FIFO (no perturbation) and under the default random
// strategy (every message asks its delay, loss, duplicate and cut).
#include <benchmark/benchmark.h>

#include <array>
#include <asio.hpp>
#include <cstdint>

#include "runtime/weft.h"
#include "sim/net/sim_net.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"

namespace {

constexpr int kRoundTrips = 1000;
constexpr std::size_t kPayload = 64;

// --- real sockets ------------------------------------------------------------

weft::Async<void> weft_echo_server(weft::net::TcpStream stream) {
  std::array<std::byte, kPayload> buffer;
  while (true) {
    auto got = co_await stream.read_exact(buffer);
    if (!got) co_return;
    if (!co_await stream.write_all(buffer)) co_return;
  }
}

void BM_WeftEchoRoundTrips(benchmark::State& state) {
  using namespace weft;
  net::Reactor reactor;
  LocalExecutor executor(reactor);
  net::TcpListener listener =
      reactor.bind_tcp(*net::SocketAddr::parse("127.0.0.1:0")).value();
  net::TcpStream client =
      executor.block_on(reactor.connect(listener.local_addr())).value();
  JoinHandle<void> server = executor.spawn(
      weft_echo_server(executor.block_on(listener.accept()).value()));
  std::array<std::byte, kPayload> out{};
  std::array<std::byte, kPayload> in{};
  std::int64_t trips = 0;
  for (auto _ : state) {
    executor.block_on(co_invoke([&]() -> Async<void> {
      for (int i = 0; i < kRoundTrips; ++i) {
        (co_await client.write_all(out)).value();
        (co_await client.read_exact(in)).value();
      }
    }));
    trips += kRoundTrips;
  }
  client.close();
  executor.block_on(std::move(server));
  state.counters["round_trips/s"] = benchmark::Counter(
      static_cast<double>(trips), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WeftEchoRoundTrips)->Unit(benchmark::kMillisecond);

// Asio: the server echoes with chained handlers; the client writes, reads
// the echo, and starts the next round trip until kRoundTrips are done.
struct AsioEcho {
  asio::io_context io{1};
  asio::ip::tcp::socket server{io};
  asio::ip::tcp::socket client{io};
  std::array<char, kPayload> server_buffer{};
  std::array<char, kPayload> out{};
  std::array<char, kPayload> in{};
  int left = 0;

  void serve() {
    asio::async_read(server, asio::buffer(server_buffer),
                     [this](asio::error_code error, std::size_t) {
                       if (error) return;
                       asio::async_write(
                           server, asio::buffer(server_buffer),
                           [this](asio::error_code e, std::size_t) {
                             if (!e) serve();
                           });
                     });
  }
  void trip() {
    asio::async_write(
        client, asio::buffer(out), [this](asio::error_code error, std::size_t) {
          if (error) return;
          asio::async_read(client, asio::buffer(in),
                           [this](asio::error_code e, std::size_t) {
                             if (!e && --left > 0) trip();
                           });
        });
  }
};

void BM_AsioEchoRoundTrips(benchmark::State& state) {
  AsioEcho echo;
  asio::ip::tcp::acceptor acceptor(
      echo.io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  echo.client.connect(acceptor.local_endpoint());
  acceptor.accept(echo.server);
  echo.client.set_option(asio::ip::tcp::no_delay(true));
  echo.server.set_option(asio::ip::tcp::no_delay(true));
  echo.serve();
  std::int64_t trips = 0;
  for (auto _ : state) {
    echo.left = kRoundTrips;
    echo.trip();
    while (echo.left > 0) echo.io.run_one();
    trips += kRoundTrips;
  }
  state.counters["round_trips/s"] = benchmark::Counter(
      static_cast<double>(trips), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AsioEchoRoundTrips)->Unit(benchmark::kMillisecond);

// --- simulated network -------------------------------------------------------

constexpr int kBurst = 100;
constexpr int kBursts = 100;

// kBursts bursts of kBurst datagrams, each burst drained by the receiver.
weft::Async<void> datagram_bursts() {
  using namespace weft;
  sim::SimNet net;
  sim::SimHost& a = net.add_host("10.0.0.1");
  sim::SimHost& b = net.add_host("10.0.0.2");
  net::UdpSocket sender = a.bind_udp(net::SocketAddr()).value();
  net::UdpSocket receiver = b.bind_udp(b.addr(9)).value();
  const std::array<std::byte, 32> payload{};
  std::array<std::byte, 64> buffer;
  for (int burst = 0; burst < kBursts; ++burst) {
    for (int i = 0; i < kBurst; ++i) {
      (void)co_await sender.send_to(payload, b.addr(9));
    }
    // What arrives in the next 100 ms (lost ones never do).
    while (true) {
      auto got = co_await timeout(std::chrono::milliseconds(100),
                                  receiver.recv_from(buffer));
      if (got.timed_out()) break;
    }
  }
}

constexpr int kPings = 5000;

// A TCP ping-pong: every message is one delivery, one wake, one poll.
weft::Async<void> stream_ping_pong() {
  using namespace weft;
  sim::SimNet net;
  sim::SimHost& a = net.add_host("10.0.0.1");
  sim::SimHost& b = net.add_host("10.0.0.2");
  net::TcpListener listener = b.bind_tcp(b.addr(80)).value();
  net::TcpStream client = (co_await a.connect(b.addr(80))).value();
  net::TcpStream server = (co_await listener.accept()).value();
  JoinHandle<void> echo = b.spawn(weft_echo_server(std::move(server)));
  std::array<std::byte, kPayload> out{};
  std::array<std::byte, kPayload> in{};
  for (int i = 0; i < kPings; ++i) {
    if (!co_await client.write_all(out)) break;
    if (!co_await client.read_exact(in)) break;
  }
  client.close();
  co_await std::move(echo);
}

template <bool kRandom>
void simulated(benchmark::State& state, weft::Async<void> (*scenario)()) {
  weft::sim::SimOptions options;
  if (!kRandom) options.perturbations = weft::sim::Perturbations::none();
  // Resets would end the ping-pong early; everything else stays on.
  options.perturbations.net_reset_probability = 0;
  std::uint64_t seed = 1;
  double messages = 0;
  for (auto _ : state) {
    weft::sim::RandomWalkSource random(seed++);
    weft::sim::FifoSource fifo;
    weft::sim::DecisionSource& source =
        kRandom ? static_cast<weft::sim::DecisionSource&>(random) : fifo;
    weft::sim::RunResult run = weft::sim::run_once(scenario, options, source);
    if (run.failure) state.SkipWithError(run.failure->message.c_str());
    messages += static_cast<double>(run.net_messages);
  }
  state.counters["messages/s"] =
      benchmark::Counter(messages, benchmark::Counter::kIsRate);
  state.counters["messages/run"] =
      benchmark::Counter(messages / static_cast<double>(state.iterations()));
}

void BM_SimDatagramBursts_Fifo(benchmark::State& state) {
  simulated<false>(state, datagram_bursts);
}
void BM_SimDatagramBursts_Random(benchmark::State& state) {
  simulated<true>(state, datagram_bursts);
}
void BM_SimTcpPingPong_Fifo(benchmark::State& state) {
  simulated<false>(state, stream_ping_pong);
}
void BM_SimTcpPingPong_Random(benchmark::State& state) {
  simulated<true>(state, stream_ping_pong);
}
BENCHMARK(BM_SimDatagramBursts_Fifo)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimDatagramBursts_Random)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimTcpPingPong_Fifo)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimTcpPingPong_Random)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
