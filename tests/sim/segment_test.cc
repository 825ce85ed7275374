// Segmentation of simulated streams: a write may arrive as two segments
// (segment@M), reads return what has arrived up to the buffer, a write is
// accepted partly when the peer's window is short, and through all of it
// the byte stream keeps its order and content.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/net/sim_net.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"

namespace weft::sim {
namespace {

struct Received {
  std::string bytes;
  std::vector<std::size_t> reads;  // sizes of the reads that returned data
  std::size_t first_write_accepted = 0;
};

std::string pattern(std::size_t size, char base) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += static_cast<char>(base + static_cast<char>(i % 26));
  }
  return out;
}

// The client writes `writes` to the server, which reads with a buffer of
// `buffer_size` bytes until the end of the stream.
Scenario stream_of(std::vector<std::string> writes, std::size_t buffer_size,
                   std::shared_ptr<Received> received) {
  return [writes, buffer_size, received]() -> Async<void> {
    SimNet net;
    SimHost& server = net.add_host("10.0.0.1");
    SimHost& client = net.add_host("10.0.0.2");
    net::TcpListener listener = server.bind_tcp(server.addr(6000)).value();
    auto reader =
        weft::spawn([&listener, buffer_size, received]() -> Async<void> {
          net::IoResult<net::TcpStream> accepted = co_await listener.accept();
          if (!accepted) co_return;
          net::TcpStream stream = std::move(accepted).value();
          std::vector<std::byte> buffer(buffer_size);
          while (true) {
            net::IoResult<std::size_t> got = co_await stream.read(buffer);
            if (!got || got.value() == 0) co_return;
            received->reads.push_back(got.value());
            received->bytes.append(reinterpret_cast<const char*>(buffer.data()),
                                   got.value());
          }
        });
    net::TcpStream stream =
        (co_await client.connect(server.addr(6000))).value();
    for (const std::string& text : writes) {
      (void)co_await stream.write_all(text);
    }
    (void)stream.shutdown();
    co_await std::move(reader);
  };
}

SimOptions segments_only(double probability) {
  SimOptions options;
  options.perturbations = Perturbations::none();
  options.perturbations.net_segment_probability = probability;
  return options;
}

TEST(Segments, OrderAndContentSurviveSplitsDelaysAndSmallReads) {
  const std::vector<std::string> writes = {pattern(200, 'a'), pattern(3, 'A'),
                                           pattern(150, 'a')};
  std::string expected;
  for (const std::string& w : writes) expected += w;
  SimOptions options;  // every default perturbation, delays included
  options.perturbations.net_segment_probability = 0.5;
  options.perturbations.net_reset_probability = 0;  // a reset ends it early
  std::uint64_t split_runs = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    auto received = std::make_shared<Received>();
    RandomWalkSource source(seed);
    RunResult run = run_once(stream_of(writes, 7, received), options, source);
    ASSERT_FALSE(run.failure.has_value()) << run.failure->message;
    ASSERT_EQ(received->bytes, expected) << "seed " << seed;
    for (const Decision& d : run.decisions) {
      if (d.kind == DecisionKind::kNetSegment && d.perturbed()) {
        ++split_runs;
        break;
      }
    }
  }
  EXPECT_GT(split_runs, 50u);  // the splits were really taken
}

TEST(Segments, ASplitWriteTakesTwoReadsAtTheDecidedByte) {
  // Message 3 is the client's one write (after connect and accept). Cut at
  // choice 3 of 10 (its bytes spread over 10 places): 3 bytes, then 7.
  auto received = std::make_shared<Received>();
  SparseDecisions decisions;
  decisions.perturbed.push_back({DecisionKind::kNetSegment, 10, 3, {3, 0}});
  RunResult run = replay_sparse(stream_of({"0123456789"}, 64, received),
                                segments_only(0.05), decisions,
                                LabelledReplaySource::Mode::kStrict);
  ASSERT_FALSE(run.failure.has_value()) << run.failure->message;
  EXPECT_EQ(received->bytes, "0123456789");
  ASSERT_EQ(received->reads.size(), 2u);
  EXPECT_EQ(received->reads[0], 3u);
  EXPECT_EQ(received->reads[1], 7u);
}

TEST(Segments, WithoutTheDecisionOneWriteIsOneRead) {
  auto received = std::make_shared<Received>();
  FifoSource fifo;
  RunResult run = run_once(stream_of({"0123456789"}, 64, received),
                           segments_only(0.05), fifo);
  ASSERT_FALSE(run.failure.has_value());
  ASSERT_EQ(received->reads.size(), 1u);
  EXPECT_EQ(received->reads[0], 10u);
}

TEST(Segments, AWriteIsAcceptedInPartWhenTheWindowIsShort) {
  auto received = std::make_shared<Received>();
  SimOptions options = segments_only(0);
  options.network.stream_window_bytes = 10;
  const Scenario scenario = [received]() -> Async<void> {
    SimNet net;
    SimHost& server = net.add_host("10.0.0.1");
    SimHost& client = net.add_host("10.0.0.2");
    net::TcpListener listener = server.bind_tcp(server.addr(6000)).value();
    net::TcpStream stream =
        (co_await client.connect(server.addr(6000))).value();
    net::TcpStream accepted = (co_await listener.accept()).value();
    const std::string text = pattern(25, 'a');
    net::IoResult<std::size_t> wrote = co_await stream.write(
        std::as_bytes(std::span(text.data(), text.size())));
    received->first_write_accepted = wrote.value();
    // The reader frees the window; the rest goes through.
    std::array<std::byte, 64> buffer;
    net::IoResult<std::size_t> got = co_await accepted.read(buffer);
    received->bytes.append(reinterpret_cast<const char*>(buffer.data()),
                           got.value());
  };
  FifoSource fifo;
  RunResult run = run_once(scenario, options, fifo);
  ASSERT_FALSE(run.failure.has_value()) << run.failure->message;
  EXPECT_EQ(received->first_write_accepted, 10u);
  EXPECT_EQ(received->bytes, pattern(10, 'a'));
}

}  // namespace
}  // namespace weft::sim
