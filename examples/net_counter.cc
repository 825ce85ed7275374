// The counter service of the zoo's retry_duplicate component, its fixed
// twin, on real UDP sockets over loopback: the same serve_counter and
// increment functions the simulator tests between simulated hosts, here
// driven by an epoll Reactor. The client increments a few times (each
// request retried until answered) and checks that each was counted once.
//
//   bazel run //examples:net_counter
#include <cstdio>
#include <memory>

#include "runtime/weft.h"
#include "sim/zoo/retry_duplicate.h"

int main() {
  using weft::Async;
  weft::net::Reactor reactor;
  weft::LocalExecutor executor(reactor);
  auto service = std::make_shared<weft::zoo::CounterService>();
  auto loopback = *weft::net::SocketAddr::parse("127.0.0.1:0");
  weft::net::UdpSocket server_socket = reactor.bind_udp(loopback).value();
  const weft::net::SocketAddr server = server_socket.local_addr();
  weft::net::UdpSocket client = reactor.bind_udp(loopback).value();
  constexpr int kIncrements = 5;
  const bool answered = executor.block_on(weft::co_invoke([&]() -> Async<bool> {
    auto serving = weft::spawn(
        weft::zoo::serve_counter<true>(std::move(server_socket), service));
    bool all = true;
    for (std::uint64_t id = 1; id <= kIncrements; ++id) {
      const int value = co_await weft::zoo::increment(client, server, "c1", id);
      std::printf("increment %llu -> %d\n", static_cast<unsigned long long>(id),
                  value);
      all = all && value > 0;
    }
    serving.abort();
    co_return all;
  }));
  std::printf("server counted %d of %d increments\n", service->value,
              kIncrements);
  return answered && service->value == kIncrements ? 0 : 1;
}
