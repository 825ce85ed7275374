// The real sockets (runtime/net/reactor.h) on loopback: every I/O type, each
// pending operation cancelled and resumed without losing data, peer resets
// and refused connections as values, and the reactor driving both
// executors.
#include "runtime/net/net.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "runtime/executors/local_executor.h"
#include "runtime/executors/thread_pool_executor.h"
#include "runtime/future/async.h"
#include "runtime/future/co_invoke.h"
#include "runtime/net/reactor.h"
#include "runtime/primitives/notify.h"
#include "runtime/task/stalled.h"
#include "runtime/time/timeout.h"

namespace weft::net {
namespace {

using namespace std::chrono_literals;

const SocketAddr kAnyLoopback = *SocketAddr::parse("127.0.0.1:0");

// Reads until `size` bytes or the end of the stream.
Async<std::string> read_some(TcpStream& stream, std::size_t size) {
  std::string text;
  std::vector<std::byte> buffer(size);
  while (text.size() < size) {
    IoResult<std::size_t> got =
        co_await stream.read(std::span(buffer).first(size - text.size()));
    if (!got || got.value() == 0) break;
    text.append(reinterpret_cast<const char*>(buffer.data()), got.value());
  }
  co_return text;
}

TEST(NetAddr, ParsesLiteralsAndRejectsTheRest) {
  EXPECT_EQ(SocketAddr::parse("127.0.0.1:80")->to_string(), "127.0.0.1:80");
  EXPECT_EQ(SocketAddr::parse("[::1]:8080")->to_string(), "[::1]:8080");
  EXPECT_EQ(SocketAddr::v4(10, 0, 0, 2, 7), *SocketAddr::parse("10.0.0.2:7"));
  EXPECT_EQ(SocketAddr::parse_ip("10.0.0.2")->to_string(), "10.0.0.2:0");
  EXPECT_EQ(SocketAddr::parse_ip("::1")->to_string(), "[::1]:0");
  EXPECT_FALSE(SocketAddr::parse_ip("10.0.0.2:7").has_value());
  EXPECT_FALSE(SocketAddr::parse_ip("[::1]").has_value());
  for (const char* bad : {"localhost:80", "1.2.3.4", "1.2.3.4:99999",
                          "1.2.3.4:", "::1:80", "[::1]80", "", "1.2.3:4"}) {
    EXPECT_FALSE(SocketAddr::parse(bad).has_value()) << bad;
  }
  IoResult<SocketAddr> named = resolve("example.com:80");
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.code(), EINVAL);
  EXPECT_NE(named.error().message().find("example.com:80"), std::string::npos);
}

TEST(Reactor, TcpEchoOnLoopback) {
  Reactor reactor;
  LocalExecutor executor(reactor);
  const std::string echoed =
      executor.block_on(co_invoke([&]() -> Async<std::string> {
        TcpListener listener = reactor.bind_tcp(kAnyLoopback).value();
        const SocketAddr at = listener.local_addr();
        auto server = spawn([&listener]() -> Async<void> {
          TcpStream stream = (co_await listener.accept()).value();
          std::vector<std::byte> buffer(64);
          while (true) {
            IoResult<std::size_t> got = co_await stream.read(buffer);
            if (!got || got.value() == 0) break;
            (void)co_await stream.write_all(
                std::span(buffer).first(got.value()));
          }
        });
        TcpStream client = (co_await reactor.connect(at)).value();
        EXPECT_EQ(client.peer_addr(), at);
        (co_await client.write_all("hello, weft")).value();
        std::string reply = co_await read_some(client, 11);
        client.shutdown().value();
        co_await server;  // the server saw the end of the stream
        co_return reply;
      }));
  EXPECT_EQ(echoed, "hello, weft");
  EXPECT_FALSE(reactor.has_waiters());
}

TEST(Reactor, UdpRoundTrip) {
  Reactor reactor;
  LocalExecutor executor(reactor);
  executor.block_on(co_invoke([&]() -> Async<void> {
    UdpSocket a = reactor.bind_udp(kAnyLoopback).value();
    UdpSocket b = reactor.bind_udp(kAnyLoopback).value();
    (co_await a.send_to("ping", b.local_addr())).value();
    std::byte buffer[16];
    Datagram got = (co_await b.recv_from(buffer)).value();
    EXPECT_EQ(got.size, 4u);
    EXPECT_EQ(got.from, a.local_addr());
    // A datagram longer than the buffer is truncated, not split.
    (co_await a.send_to("0123456789", b.local_addr())).value();
    std::byte small[4];
    EXPECT_EQ((co_await b.recv_from(small)).value().size, 4u);
  }));
}

TEST(Reactor, CancelledReadLosesNoDataAndNoRegistration) {
  Reactor reactor;
  LocalExecutor executor(reactor);
  executor.block_on(co_invoke([&]() -> Async<void> {
    TcpListener listener = reactor.bind_tcp(kAnyLoopback).value();
    TcpStream client =
        (co_await reactor.connect(listener.local_addr())).value();
    TcpStream server = (co_await listener.accept()).value();
    std::byte buffer[8];
    auto first = co_await timeout(5ms, server.read(buffer));
    EXPECT_TRUE(first.timed_out());
    EXPECT_FALSE(reactor.has_waiters());  // the dropped read left nothing
    (co_await client.write_all("late")).value();
    EXPECT_EQ(co_await read_some(server, 4), "late");
  }));
}

TEST(Reactor, CancelledAcceptAndRecvResumeLater) {
  Reactor reactor;
  LocalExecutor executor(reactor);
  executor.block_on(co_invoke([&]() -> Async<void> {
    TcpListener listener = reactor.bind_tcp(kAnyLoopback).value();
    EXPECT_TRUE((co_await timeout(5ms, listener.accept())).timed_out());
    TcpStream client =
        (co_await reactor.connect(listener.local_addr())).value();
    EXPECT_TRUE((co_await listener.accept()).ok());

    UdpSocket a = reactor.bind_udp(kAnyLoopback).value();
    UdpSocket b = reactor.bind_udp(kAnyLoopback).value();
    std::byte buffer[8];
    EXPECT_TRUE((co_await timeout(5ms, b.recv_from(buffer))).timed_out());
    EXPECT_FALSE(reactor.has_waiters());
    (co_await a.send_to("kept", b.local_addr())).value();
    EXPECT_EQ((co_await b.recv_from(buffer)).value().size, 4u);
  }));
}

TEST(Reactor, CancelledWriteLosesAndRepeatsNothing) {
  Reactor reactor;
  LocalExecutor executor(reactor);
  executor.block_on(co_invoke([&]() -> Async<void> {
    TcpListener listener = reactor.bind_tcp(kAnyLoopback).value();
    TcpStream client =
        (co_await reactor.connect(listener.local_addr())).value();
    TcpStream server = (co_await listener.accept()).value();
    // Write until the kernel's buffers are full and a write waits; then
    // drop that write.
    std::vector<std::byte> chunk(64 * 1024, std::byte{7});
    std::size_t written = 0;
    while (true) {
      auto step = co_await timeout(5ms, client.write(chunk));
      if (step.timed_out()) break;
      written += step.value().value();
    }
    EXPECT_FALSE(reactor.has_waiters());
    client.shutdown().value();
    // The reader gets exactly what the completed writes wrote.
    std::size_t received = 0;
    std::vector<std::byte> buffer(64 * 1024);
    while (true) {
      IoResult<std::size_t> got = co_await server.read(buffer);
      if (!got || got.value() == 0) break;
      received += got.value();
    }
    EXPECT_EQ(received, written);
  }));
}

TEST(Reactor, DroppedConnectAndRefusedConnectAreClean) {
  Reactor reactor;
  LocalExecutor executor(reactor);
  executor.block_on(co_invoke([&]() -> Async<void> {
    SocketAddr closed_port;
    {
      TcpListener listener = reactor.bind_tcp(kAnyLoopback).value();
      closed_port = listener.local_addr();
      { auto dropped = reactor.connect(closed_port); }  // never polled
      // Polled once, then dropped while the handshake may be in flight.
      (void)co_await timeout(0ms, reactor.connect(closed_port));
    }
    IoResult<TcpStream> refused = co_await reactor.connect(closed_port);
    EXPECT_FALSE(refused.ok());
    if (refused.ok()) co_return;
    EXPECT_EQ(refused.code(), ECONNREFUSED) << refused.error().message();
  }));
  EXPECT_FALSE(reactor.has_waiters());
}

TEST(Reactor, PeerResetIsAnErrorValue) {
  Reactor reactor;
  LocalExecutor executor(reactor);
  executor.block_on(co_invoke([&]() -> Async<void> {
    TcpListener listener = reactor.bind_tcp(kAnyLoopback).value();
    TcpStream client =
        (co_await reactor.connect(listener.local_addr())).value();
    {
      TcpStream server = (co_await listener.accept()).value();
      (co_await client.write_all("unread")).value();
      // Closing with unread bytes makes the kernel reset the connection.
    }
    std::byte buffer[8];
    IoResult<std::size_t> read = co_await client.read(buffer);
    EXPECT_FALSE(read.ok());
    if (read.ok()) co_return;
    EXPECT_EQ(read.code(), ECONNRESET) << read.error().message();
    IoResult<void> write = co_await client.write_all("more");
    EXPECT_FALSE(write.ok());
    if (write.ok()) co_return;
    EXPECT_TRUE(write.code() == EPIPE || write.code() == ECONNRESET)
        << write.error().message();
  }));
}

TEST(Reactor, Ipv6LoopbackWhereTheMachineHasIt) {
  Reactor reactor;
  IoResult<TcpListener> listener =
      reactor.bind_tcp(*SocketAddr::parse("[::1]:0"));
  if (!listener.ok()) {
    GTEST_SKIP() << "no IPv6 loopback here: " << listener.error().message();
  }
  LocalExecutor executor(reactor);
  const SocketAddr at = listener.value().local_addr();
  EXPECT_EQ(at.family(), SocketAddr::Family::kV6);
  executor.block_on(co_invoke([&]() -> Async<void> {
    TcpStream client = (co_await reactor.connect(at)).value();
    TcpStream server = (co_await listener.value().accept()).value();
    EXPECT_EQ(server.peer_addr(), client.local_addr());
    (co_await client.write_all("v6")).value();
    EXPECT_EQ(co_await read_some(server, 2), "v6");
  }));
}

TEST(Reactor, AnExecutorWithNothingToWaitForStillStalls) {
  // Parked on a reactor with no socket waiting, a stuck future is a
  // Stalled error, not a wait forever.
  Reactor reactor;
  LocalExecutor executor(reactor);
  Notify never;
  EXPECT_THROW(executor.block_on(never.notified()), Stalled);
}

TEST(Reactor, BindErrorsNameTheAddress) {
  Reactor reactor;
  TcpListener first = reactor.bind_tcp(kAnyLoopback).value();
  IoResult<TcpListener> second = reactor.bind_tcp(first.local_addr());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.code(), EADDRINUSE);
  EXPECT_NE(second.error().message().find(first.local_addr().to_string()),
            std::string::npos)
      << second.error().message();
}

TEST(Reactor, DrivesAThreadPoolFromItsOwnThread) {
  Reactor reactor;
  ReactorThread driver(reactor);
  ThreadPoolExecutor pool(2);
  constexpr int kClients = 8;
  const int total = pool.block_on(co_invoke([&]() -> Async<int> {
    TcpListener listener = reactor.bind_tcp(kAnyLoopback).value();
    const SocketAddr at = listener.local_addr();
    auto server = spawn([&listener]() -> Async<void> {
      for (int i = 0; i < kClients; ++i) {
        TcpStream stream = (co_await listener.accept()).value();
        spawn([](TcpStream stream) -> Async<void> {
          std::byte buffer[4];
          while (true) {
            IoResult<std::size_t> got = co_await stream.read(buffer);
            if (!got || got.value() == 0) co_return;
            (void)co_await stream.write_all(
                std::span(buffer).first(got.value()));
          }
        }(std::move(stream)));
      }
    });
    std::vector<JoinHandle<int>> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(spawn([&reactor, at, i]() -> Async<int> {
        TcpStream stream = (co_await reactor.connect(at)).value();
        const std::string message = "client " + std::to_string(i);
        (co_await stream.write_all(message)).value();
        const std::string reply = co_await read_some(stream, message.size());
        co_return reply == message ? 1 : 0;
      }));
    }
    int ok = 0;
    for (auto& client : clients) ok += co_await client;
    co_await server;
    co_return ok;
  }));
  EXPECT_EQ(total, kClients);
}

}  // namespace
}  // namespace weft::net
