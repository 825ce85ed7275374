// A long networked session for the golden network report
// (report_golden_test.cc): kept in its own file so that the source lines
// the report names do not move when the test changes.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include "runtime/weft.h"
#include "sim/net/sim_net.h"
#include "sim/zoo/retry_duplicate.h"

namespace weft::sim::golden {

// Answers each "PING <n>" datagram with "PONG <n>".
Async<void> serve_pings(net::UdpSocket socket) {
  std::array<std::byte, 64> buffer;
  while (true) {
    net::IoResult<net::Datagram> got = co_await socket.recv_from(buffer);
    if (!got) co_return;
    std::string text =
        ::weft::zoo::datagram_text(std::span(buffer).first(got.value().size));
    if (!text.starts_with("PING ")) continue;
    (void)co_await socket.send_to("PONG " + text.substr(5), got.value().from);
  }
}

Async<std::string> receive_text(net::UdpSocket& socket) {
  std::array<std::byte, 64> buffer;
  net::IoResult<net::Datagram> got = co_await socket.recv_from(buffer);
  co_return got
      ? ::weft::zoo::datagram_text(std::span(buffer).first(got.value().size))
      : std::string();
}

// Pings until answered (a lost ping or pong is sent again).
Async<void> ping(net::UdpSocket& socket, net::SocketAddr server, int n) {
  const std::string request = "PING " + std::to_string(n);
  for (int attempt = 0; attempt < 100; ++attempt) {
    (void)co_await socket.send_to(request, server);
    auto reply =
        co_await timeout(std::chrono::milliseconds(5), receive_text(socket));
    if (!reply.timed_out() && reply.value() == "PONG " + std::to_string(n)) {
      co_return;
    }
  }
}

// A counter service whose requests are not idempotent (the zoo's
// retry_duplicate server) in a long session: three increments, which a
// duplicated, lost or late datagram can apply twice, then a long stretch of
// pings to a harmless echo service, then the check: it comes hundreds of
// events after the decision that broke the count.
Async<void> long_counter_session() {
  SimNet net;
  SimHost& server = net.add_host("10.0.0.1");
  SimHost& client = net.add_host("10.0.0.2");
  auto service = std::make_shared<::weft::zoo::CounterService>();
  server.spawn(::weft::zoo::serve_counter<false>(
      server.bind_udp(server.addr(7000)).value(), service));
  server.spawn(serve_pings(server.bind_udp(server.addr(7001)).value()));
  net::UdpSocket socket = client.bind_udp(net::SocketAddr()).value();
  for (std::uint64_t id = 1; id <= 3; ++id) {
    const int value =
        co_await ::weft::zoo::increment(socket, server.addr(7000), "c1", id);
    WEFT_ASSERT(value > 0, "every increment is answered");
  }
  net::UdpSocket pinger = client.bind_udp(net::SocketAddr()).value();
  for (int n = 1; n <= 80; ++n) co_await ping(pinger, server.addr(7001), n);
  WEFT_ASSERT_EQ(service->value, 3);
}

}  // namespace weft::sim::golden
