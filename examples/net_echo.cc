// The echo service of sim/zoo/echo.h on real sockets: an epoll Reactor
// drives a LocalExecutor; the server and a few clients talk over loopback.
// The same functions run between simulated hosts in
// tests/sim/sim_net_test.cc.
//
//   bazel run //examples:net_echo                         server + 3 clients
//   bazel run //examples:net_echo -- --listen 127.0.0.1:7007   serve forever
//   bazel run //examples:net_echo -- --connect 127.0.0.1:7007 "hello"
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/weft.h"
#include "sim/zoo/echo.h"

namespace {

using weft::Async;
using weft::JoinHandle;
using weft::net::Reactor;
using weft::net::SocketAddr;
using weft::net::TcpListener;

int usage() {
  std::fprintf(stderr,
               "usage: net_echo                       (server and 3 clients)\n"
               "       net_echo --listen ADDR         (serve until killed)\n"
               "       net_echo --connect ADDR TEXT   (one call)\n"
               "ADDR is a literal address with a port: 127.0.0.1:7007 or "
               "[::1]:7007\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Reactor reactor;
  weft::LocalExecutor executor(reactor);
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "--listen") {
    auto at = weft::net::resolve(args[1]);
    if (!at) {
      std::fprintf(stderr, "net_echo: %s\n", at.error().message().c_str());
      return 2;
    }
    auto listener = reactor.bind_tcp(at.value());
    if (!listener) {
      std::fprintf(stderr, "net_echo: %s\n",
                   listener.error().message().c_str());
      return 1;
    }
    std::printf("echoing on %s\n",
                listener.value().local_addr().to_string().c_str());
    std::fflush(stdout);
    executor.block_on(
        weft::examples::echo_server(reactor, std::move(listener).value()));
    return 0;
  }
  if (args.size() == 3 && args[0] == "--connect") {
    auto at = weft::net::resolve(args[1]);
    if (!at) {
      std::fprintf(stderr, "net_echo: %s\n", at.error().message().c_str());
      return 2;
    }
    const std::string reply = executor.block_on(
        weft::examples::echo_call(reactor, at.value(), args[2]));
    std::printf("%s\n", reply.c_str());
    return reply.rfind("error: ", 0) == 0 ? 1 : 0;
  }
  if (!args.empty()) return usage();

  constexpr int kClients = 3;
  auto listener = reactor.bind_tcp(*SocketAddr::parse("127.0.0.1:0"));
  if (!listener) {
    std::fprintf(stderr, "net_echo: %s\n", listener.error().message().c_str());
    return 1;
  }
  const SocketAddr at = listener.value().local_addr();
  std::printf("server on %s\n", at.to_string().c_str());
  const int failures = executor.block_on(weft::co_invoke([&]() -> Async<int> {
    JoinHandle<void> server = weft::spawn(weft::examples::echo_server(
        reactor, std::move(listener).value(), kClients));
    std::vector<JoinHandle<std::string>> calls;
    for (int i = 0; i < kClients; ++i) {
      calls.push_back(weft::spawn(weft::examples::echo_call(
          reactor, at, "hello from client " + std::to_string(i))));
    }
    int failed = 0;
    for (int i = 0; i < kClients; ++i) {
      const std::string reply = co_await std::move(calls[i]);
      std::printf("client %d got back: %s\n", i, reply.c_str());
      if (reply != "hello from client " + std::to_string(i)) ++failed;
    }
    co_await std::move(server);
    co_return failed;
  }));
  std::printf("%s\n", failures == 0 ? "every echo came back whole"
                                    : "some echoes failed");
  return failures == 0 ? 0 : 1;
}
