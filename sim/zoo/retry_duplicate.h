// A counter service over UDP and its client. The client sends "INC <client>
// <request>", waits 5 ms for "OK <request> <value>", and sends the same
// request again if no answer came (a lost request, a lost or late answer);
// answers to earlier requests are skipped. The bug is in the server:
// increment is not idempotent and the server does not remember what it
// answered, so a retried request, or one the network duplicated, is
// applied twice. The fixed twin keeps each client's last request id and
// answer, and answers a repeat without counting it again.
//
// The service is written against weft::net::Network, so the same code runs
// between simulated hosts (the scenario) and on real sockets
// (examples/net_counter.cc).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "runtime/future/async.h"
#include "runtime/net/net.h"
#include "runtime/seam/assert.h"
#include "runtime/time/timeout.h"
#include "sim/net/sim_net.h"

namespace weft::zoo {

struct CounterService {
  int value = 0;
  // Per client: the last request applied and the value it answered
  // (request ids grow, so anything older was answered before).
  std::map<std::string, std::pair<std::uint64_t, int>> answered;
};

inline std::string datagram_text(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

template <bool kFixed>
Async<void> serve_counter(net::UdpSocket socket,
                          std::shared_ptr<CounterService> service) {
  std::array<std::byte, 128> buffer;
  while (true) {
    net::IoResult<net::Datagram> got = co_await socket.recv_from(buffer);
    if (!got) co_return;
    std::istringstream request(
        datagram_text(std::span(buffer).first(got.value().size)));
    std::string verb, client;
    std::uint64_t id = 0;
    if (!(request >> verb >> client >> id) || verb != "INC") continue;
    int value;
    auto& last = service->answered[client];
    if (kFixed && id <= last.first) {
      if (id < last.first) continue;  // a stale copy: already answered
      value = last.second;            // a repeat: the same answer, once
    } else {
      value = ++service->value;
      last = {id, value};
    }
    const std::string reply =
        "OK " + std::to_string(id) + " " + std::to_string(value);
    (void)co_await socket.send_to(reply, got.value().from);
  }
}

// The value the server answered request `id` with (skipping answers to
// earlier requests).
inline Async<int> counter_reply(net::UdpSocket& socket, std::uint64_t id) {
  std::array<std::byte, 128> buffer;
  while (true) {
    net::IoResult<net::Datagram> got = co_await socket.recv_from(buffer);
    if (!got) co_return -1;
    std::istringstream reply(
        datagram_text(std::span(buffer).first(got.value().size)));
    std::string verb;
    std::uint64_t answered = 0;
    int value = 0;
    if (reply >> verb >> answered >> value && verb == "OK" && answered == id) {
      co_return value;
    }
  }
}

// Increments once, retrying until answered; -1 after kAttemptsMax tries.
inline Async<int> increment(net::UdpSocket& socket, net::SocketAddr server,
                            std::string client, std::uint64_t id) {
  constexpr int kAttemptsMax = 200;
  const std::string request = "INC " + client + " " + std::to_string(id);
  for (int attempt = 0; attempt < kAttemptsMax; ++attempt) {
    (void)co_await socket.send_to(request, server);
    auto reply = co_await timeout(std::chrono::milliseconds(5),
                                  counter_reply(socket, id));
    if (!reply.timed_out()) co_return reply.value();
  }
  co_return -1;
}

template <bool kFixed>
Async<void> retry_duplicate_scenario() {
  sim::SimNet net;
  sim::SimHost& server = net.add_host("10.0.0.1");
  sim::SimHost& client = net.add_host("10.0.0.2");
  auto service = std::make_shared<CounterService>();
  server.spawn(serve_counter<kFixed>(server.bind_udp(server.addr(7000)).value(),
                                     service));
  net::UdpSocket socket = client.bind_udp(net::SocketAddr()).value();
  for (std::uint64_t id = 1; id <= 3; ++id) {
    const int value = co_await increment(socket, server.addr(7000), "c1", id);
    WEFT_ASSERT(value > 0, "every increment is answered");
  }
  WEFT_ASSERT_EQ(service->value, 3);  // three increments, each applied once
}

}  // namespace weft::zoo
