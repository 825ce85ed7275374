// An echo service and its client, written once against weft::net::Network:
// examples/net_echo.cc runs them on real loopback sockets, and
// tests/sim/sim_net_test.cc runs the same functions between simulated
// hosts. Nothing here knows which network it is on.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "runtime/future/async.h"
#include "runtime/net/net.h"

namespace weft::examples {

// Echoes one connection until the client shuts down its side.
inline Async<void> echo_connection(net::TcpStream stream) {
  std::byte buffer[1024];
  while (true) {
    net::IoResult<std::size_t> got = co_await stream.read(buffer);
    if (!got || got.value() == 0) co_return;
    if (!co_await stream.write_all(std::span(buffer).first(got.value()))) {
      co_return;
    }
  }
}

// Accepts `connections` connections (forever if negative), each served by
// a task of its own on `net`.
inline Async<void> echo_server(net::Network& net, net::TcpListener listener,
                               int connections = -1) {
  for (int served = 0; connections < 0 || served < connections; ++served) {
    net::IoResult<net::TcpStream> accepted = co_await listener.accept();
    if (!accepted) co_return;
    net.spawn(echo_connection(std::move(accepted).value()));
  }
}

// Sends `message`, shuts down its side, and returns what came back (or
// the error, as text).
inline Async<std::string> echo_call(net::Network& net, net::SocketAddr server,
                                    std::string message) {
  net::IoResult<net::TcpStream> connected = co_await net.connect(server);
  if (!connected) co_return "error: " + connected.error().message();
  net::TcpStream stream = std::move(connected).value();
  if (net::IoResult<void> sent = co_await stream.write_all(message); !sent) {
    co_return "error: " + sent.error().message();
  }
  if (net::IoResult<void> shut = stream.shutdown(); !shut) {
    co_return "error: " + shut.error().message();
  }
  std::string reply;
  std::byte buffer[1024];
  while (true) {
    net::IoResult<std::size_t> got = co_await stream.read(buffer);
    if (!got) co_return "error: " + got.error().message();
    if (got.value() == 0) co_return reply;
    reply.append(reinterpret_cast<const char*>(buffer), got.value());
  }
}

}  // namespace weft::examples
