// A replicated register, primary and backup. A client writes versions
// 1..3 to the primary over UDP; the primary applies each write, sends it
// to the backup, and acknowledges it. Then the primary crashes, the backup
// takes over, and the client reads it: every acknowledged write must be
// there. The bug: the primary acknowledges as soon as it has sent the
// replication message, so a write whose message is still in flight
// (delayed, lost, or across a cut link) when the primary dies was
// acknowledged and is gone. The fixed twin acknowledges only after the
// backup confirmed the write (the write quorum is both replicas),
// resending every 5 ms until it does.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "runtime/future/async.h"
#include "runtime/net/net.h"
#include "runtime/seam/assert.h"
#include "runtime/time/timeout.h"
#include "sim/net/sim_net.h"
#include "sim/zoo/retry_duplicate.h"

namespace weft::zoo {

struct Replica {
  std::uint64_t version = 0;  // highest version applied
};

// The backup: applies "PUT <v>" (keeping the highest) and confirms with
// "ACK <v>"; answers "GET" with "VAL <version>".
inline Async<void> follow(net::UdpSocket socket,
                          std::shared_ptr<Replica> replica) {
  std::array<std::byte, 64> buffer;
  while (true) {
    net::IoResult<net::Datagram> got = co_await socket.recv_from(buffer);
    if (!got) co_return;
    std::istringstream message(
        datagram_text(std::span(buffer).first(got.value().size)));
    std::string verb;
    message >> verb;
    std::string reply;
    if (verb == "PUT") {
      std::uint64_t version = 0;
      message >> version;
      if (version > replica->version) replica->version = version;
      reply = "ACK " + std::to_string(version);
    } else if (verb == "GET") {
      reply = "VAL " + std::to_string(replica->version);
    } else {
      continue;
    }
    (void)co_await socket.send_to(reply, got.value().from);
  }
}

// Waits for "ACK <version>" from the backup.
inline Async<void> backup_confirmed(net::UdpSocket& socket,
                                    std::uint64_t version) {
  std::array<std::byte, 64> buffer;
  while (true) {
    net::IoResult<net::Datagram> got = co_await socket.recv_from(buffer);
    if (!got) co_return;
    if (datagram_text(std::span(buffer).first(got.value().size)) ==
        "ACK " + std::to_string(version)) {
      co_return;
    }
  }
}

// The primary: "PUT <v>" from the client is applied, replicated, and
// answered with "OK <v>".
template <bool kFixed>
Async<void> lead(net::UdpSocket clients, net::UdpSocket peers,
                 net::SocketAddr backup) {
  std::array<std::byte, 64> buffer;
  std::uint64_t applied = 0;
  while (true) {
    net::IoResult<net::Datagram> got = co_await clients.recv_from(buffer);
    if (!got) co_return;
    std::istringstream message(
        datagram_text(std::span(buffer).first(got.value().size)));
    std::string verb;
    std::uint64_t version = 0;
    if (!(message >> verb >> version) || verb != "PUT") continue;
    if (version > applied) {
      applied = version;
      const std::string put = "PUT " + std::to_string(version);
      for (int attempt = 0; attempt < 1000; ++attempt) {
        (void)co_await peers.send_to(put, backup);
        if (!kFixed) break;  // the bug: acknowledged before the backup has it
        auto ack = co_await timeout(std::chrono::milliseconds(5),
                                    backup_confirmed(peers, version));
        if (!ack.timed_out()) break;
      }
    }
    (void)co_await clients.send_to("OK " + std::to_string(version),
                                   got.value().from);
  }
}

// Sends `request` until a datagram that starts with `prefix` answers it;
// returns the rest of the answer (nullopt after many tries).
inline Async<std::optional<std::string>> ask(net::UdpSocket& socket,
                                             net::SocketAddr to,
                                             std::string request,
                                             std::string prefix) {
  std::array<std::byte, 64> buffer;
  for (int attempt = 0; attempt < 200; ++attempt) {
    (void)co_await socket.send_to(request, to);
    auto got = co_await timeout(std::chrono::milliseconds(5),
                                socket.recv_from(buffer));
    if (got.timed_out() || !got.value()) continue;
    const std::string text =
        datagram_text(std::span(buffer).first(got.value().value().size));
    if (text.rfind(prefix, 0) == 0) co_return text.substr(prefix.size());
  }
  co_return std::nullopt;
}

template <bool kFixed>
Async<void> backup_ack_scenario() {
  sim::SimNet net;
  sim::SimHost& primary = net.add_host("10.0.0.1");
  sim::SimHost& backup = net.add_host("10.0.0.2");
  sim::SimHost& client = net.add_host("10.0.0.9");
  auto replica = std::make_shared<Replica>();
  backup.spawn(follow(backup.bind_udp(backup.addr(9000)).value(), replica));
  primary.spawn(lead<kFixed>(primary.bind_udp(primary.addr(8000)).value(),
                             primary.bind_udp(primary.addr(9000)).value(),
                             backup.addr(9000)));
  net::UdpSocket socket = client.bind_udp(net::SocketAddr()).value();
  std::uint64_t acknowledged = 0;
  for (std::uint64_t version = 1; version <= 3; ++version) {
    const std::string v = std::to_string(version);
    if (!co_await ask(socket, primary.addr(8000), "PUT " + v, "OK " + v)) {
      break;
    }
    acknowledged = version;
  }
  primary.crash();
  const std::optional<std::string> value =
      co_await ask(socket, backup.addr(9000), "GET", "VAL ");
  WEFT_ASSERT(value.has_value(), "the backup answers");
  WEFT_ASSERT(std::stoull(*value) >= acknowledged,
              "every acknowledged write survives the primary's crash");
}

}  // namespace weft::zoo
