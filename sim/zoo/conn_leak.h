// A line server: each connection has a reader task (requests) and a writer
// task (answers, fed through a channel), and the server keeps every
// connection's channel in a registry (to send all clients a notice). When
// a connection ends, its reader removes it from the registry, which closes
// the channel and lets the writer finish. The bug: the reader removes it
// only when the stream ends cleanly; a peer that resets mid-request makes
// the read fail, the reader returns early, and the writer waits on a
// channel nobody will close: one leaked task (and socket) per reset. The
// fixed twin removes the connection on every way out of the reader.
//
// The property: once the clients are done, every connection's tasks end
// (eventually(): a liveness failure names the stuck writer). Resets come
// from the network's reset@M decisions and from clients that give up on a
// slow answer and close with bytes unread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/future/async.h"
#include "runtime/net/net.h"
#include "runtime/primitives/mpsc.h"
#include "runtime/task/join_handle.h"
#include "runtime/time/timeout.h"
#include "sim/core/eventually.h"
#include "sim/net/sim_net.h"

namespace weft::zoo {

struct LineServer {
  std::map<std::uint64_t, mpsc::Sender<std::string>> registry;
  std::uint64_t next_id = 1;
  int writers = 0;  // writer tasks still running
};

// Writes each answer the channel brings until it closes.
inline Async<void> line_writer(std::shared_ptr<net::TcpStream> stream,
                               mpsc::Receiver<std::string> answers,
                               std::shared_ptr<LineServer> server) {
  while (std::optional<std::string> answer = co_await answers.recv()) {
    if (!co_await stream->write_all(*answer)) break;
  }
  --server->writers;
}

template <bool kFixed>
Async<void> line_reader(net::Network& net, net::TcpStream accepted,
                        std::shared_ptr<LineServer> server) {
  auto stream = std::make_shared<net::TcpStream>(std::move(accepted));
  auto [answers, pending] = mpsc::unbounded<std::string>();
  const std::uint64_t id = server->next_id++;
  server->registry.emplace(id, answers);
  ++server->writers;
  net.spawn(line_writer(stream, std::move(pending), server));
  std::string line;
  std::byte buffer[8];
  while (true) {
    net::IoResult<std::size_t> got = co_await stream->read(buffer);
    if (!got) {
      if (kFixed) server->registry.erase(id);
      co_return;  // the buggy twin forgets the registry here
    }
    if (got.value() == 0) break;
    for (std::size_t i = 0; i < got.value(); ++i) {
      const char c = static_cast<char>(buffer[i]);
      if (c != '\n') {
        line += c;
        continue;
      }
      (void)answers.try_send("echo " + line + "\n");
      line.clear();
    }
  }
  server->registry.erase(id);
}

template <bool kFixed>
Async<void> serve_lines(net::Network& net, net::TcpListener listener,
                        std::shared_ptr<LineServer> server) {
  while (true) {
    net::IoResult<net::TcpStream> accepted = co_await listener.accept();
    if (!accepted) co_return;
    net.spawn(line_reader<kFixed>(net, std::move(accepted).value(), server));
  }
}

// Sends `lines` requests and reads each answer, giving up (and closing)
// if one takes longer than 20 ms.
inline Async<void> line_client(net::Network& net, net::SocketAddr server,
                               int lines) {
  net::IoResult<net::TcpStream> connected = co_await net.connect(server);
  if (!connected) co_return;
  net::TcpStream stream = std::move(connected).value();
  for (int i = 0; i < lines; ++i) {
    if (!co_await stream.write_all("request " + std::to_string(i) + "\n")) {
      co_return;
    }
    std::byte buffer[32];
    auto got =
        co_await timeout(std::chrono::milliseconds(20), stream.read(buffer));
    if (got.timed_out() || !got.value() || got.value().value() == 0) co_return;
  }
}

template <bool kFixed>
Async<void> conn_leak_scenario() {
  sim::SimNet net;
  sim::SimHost& host = net.add_host("10.0.0.1");
  auto server = std::make_shared<LineServer>();
  host.spawn(
      serve_lines<kFixed>(host, host.bind_tcp(host.addr(80)).value(), server));
  std::vector<JoinHandle<void>> clients;
  for (int c = 0; c < 3; ++c) {
    sim::SimHost& client = net.add_host("10.0.1." + std::to_string(c + 1));
    clients.push_back(client.spawn(line_client(client, host.addr(80), 4)));
  }
  for (JoinHandle<void>& client : clients) co_await std::move(client);
  co_await sim::eventually(
      [&server] { return server->registry.empty() && server->writers == 0; },
      "every connection's tasks end once its client is gone",
      std::chrono::seconds(1));
}

}  // namespace weft::zoo
