// A networked component tested from outside weft: a UDP ping service and a
// client that retries until answered, written against weft::net::Network
// and run between two simulated hosts under every network perturbation
// (late, lost, duplicated and reordered datagrams, cut links).
#include <array>
#include <chrono>
#include <string>

#include "sim/weft_sim.h"

namespace {

weft::Async<void> pong(weft::net::UdpSocket socket) {
  std::array<std::byte, 64> buffer;
  while (true) {
    auto got = co_await socket.recv_from(buffer);
    if (!got) co_return;
    (void)co_await socket.send_to(std::span(buffer).first(got.value().size),
                                  got.value().from);
  }
}

// Sends "ping N" until "ping N" comes back; false after 100 tries.
weft::Async<bool> ping(weft::net::UdpSocket& socket, weft::net::SocketAddr to,
                       int n) {
  const std::string message = "ping " + std::to_string(n);
  std::array<std::byte, 64> buffer;
  for (int attempt = 0; attempt < 100; ++attempt) {
    (void)co_await socket.send_to(message, to);
    auto got = co_await weft::timeout(std::chrono::milliseconds(50),
                                      socket.recv_from(buffer));
    if (got.timed_out() || !got.value()) continue;
    const std::string reply(reinterpret_cast<const char*>(buffer.data()),
                            got.value().value().size);
    if (reply == message) co_return true;
  }
  co_return false;
}

}  // namespace

WEFT_SIM_TEST(Ping, EveryPingIsAnsweredDespiteTheNetwork) {
  weft::sim::SimNet net;
  weft::sim::SimHost& server = net.add_host("10.0.0.1");
  weft::sim::SimHost& client = net.add_host("10.0.0.2");
  server.spawn(pong(server.bind_udp(server.addr(7)).value()));
  weft::net::UdpSocket socket =
      client.bind_udp(weft::net::SocketAddr()).value();
  for (int n = 1; n <= 5; ++n) {
    WEFT_ASSERT(co_await ping(socket, server.addr(7), n), "answered");
  }
}
