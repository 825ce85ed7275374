// An adding service over TCP: the client sends "ADD <n>\n" lines and reads
// back "SUM <total>\n" after each. The bug: the server takes each read as
// one whole request, as if a write always arrived as one segment. When the
// network delivers "ADD 1" and then "2\n", it adds 1 and answers "SUM 1",
// then answers "2\n" with an error: the client reads a wrong sum. The fixed
// twin keeps what it read until a newline ends the request, as a stream needs.
//
// FIFO never splits a write; one segment@M decision finds it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/future/async.h"
#include "runtime/net/net.h"
#include "runtime/seam/assert.h"
#include "sim/net/sim_net.h"

namespace weft::zoo {

// The total after a request line ("ADD <n>"), or nullopt if it is not one.
inline std::optional<std::int64_t> add_request(const std::string& line,
                                               std::int64_t total) {
  if (line.rfind("ADD ", 0) != 0) return std::nullopt;
  try {
    return total + std::stoll(line.substr(4));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

template <bool kFixed>
Async<void> serve_sums(net::TcpStream stream) {
  std::array<std::byte, 64> buffer;
  std::int64_t total = 0;
  std::string pending;
  while (true) {
    net::IoResult<std::size_t> got = co_await stream.read(buffer);
    if (!got || got.value() == 0) co_return;
    pending.append(reinterpret_cast<const char*>(buffer.data()), got.value());
    std::size_t end;
    // The bug: whatever one read returned is taken as the request.
    while ((end = kFixed ? pending.find('\n') : pending.size()) !=
               std::string::npos &&
           !pending.empty()) {
      std::string line = pending.substr(0, end);
      if (!line.empty() && line.back() == '\n') line.pop_back();
      pending.erase(0, kFixed ? end + 1 : end);
      const std::optional<std::int64_t> next = add_request(line, total);
      if (next) total = *next;
      const std::string answer =
          next ? "SUM " + std::to_string(total) + "\n" : "ERR " + line + "\n";
      if (!co_await stream.write_all(answer)) co_return;
    }
  }
}

template <bool kFixed>
Async<void> accept_sums(net::Network& net, net::TcpListener listener) {
  while (true) {
    net::IoResult<net::TcpStream> accepted = co_await listener.accept();
    if (!accepted) co_return;
    net.spawn(serve_sums<kFixed>(std::move(accepted).value()));
  }
}

// Reads up to and including the next newline (the client side is right).
inline Async<std::optional<std::string>> read_line(net::TcpStream& stream,
                                                   std::string& pending) {
  std::array<std::byte, 64> buffer;
  while (pending.find('\n') == std::string::npos) {
    net::IoResult<std::size_t> got = co_await stream.read(buffer);
    if (!got || got.value() == 0) co_return std::nullopt;
    pending.append(reinterpret_cast<const char*>(buffer.data()), got.value());
  }
  const std::size_t end = pending.find('\n');
  std::string line = pending.substr(0, end);
  pending.erase(0, end + 1);
  co_return line;
}

template <bool kFixed>
Async<void> split_frame_scenario() {
  sim::SimNet net;
  sim::SimHost& server = net.add_host("10.0.0.1");
  sim::SimHost& client = net.add_host("10.0.0.2");
  server.spawn(
      accept_sums<kFixed>(server, server.bind_tcp(server.addr(6000)).value()));
  // A reset connection (reset@M) ends the session: what is checked is
  // every answer that does arrive.
  net::IoResult<net::TcpStream> connected =
      co_await client.connect(server.addr(6000));
  if (!connected) co_return;
  net::TcpStream stream = std::move(connected).value();
  std::string pending;
  std::int64_t expected = 0;
  for (std::int64_t n : {12, 345, 6789}) {
    expected += n;
    if (!co_await stream.write_all("ADD " + std::to_string(n) + "\n")) {
      co_return;
    }
    const std::optional<std::string> answer =
        co_await read_line(stream, pending);
    if (!answer) co_return;
    WEFT_ASSERT_EQ(*answer, "SUM " + std::to_string(expected));
  }
}

}  // namespace weft::zoo
