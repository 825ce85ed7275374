// The interfaces behind weft's sockets: StreamIo (one end of a connection),
// ListenerIo, DatagramIo, ConnectIo (a connection being made) and Network
// (what opens them). The epoll reactor (runtime/net/reactor.h) implements them
// over the OS; the simulator's network (sim/net/sim_net.h) implements them in
// memory, with every delay, loss and reset a recorded decision. Code under
// test sees only TcpListener, TcpStream, UdpSocket and Network
// (runtime/net/net.h), so it runs unchanged on either.
//
// The protocol of every poll_ function is a future's: Ready with a result,
// or Pending with the context's waker stored, to be woken when the
// operation can make progress. One pending operation per direction: a
// stream has at most one reader and one writer at a time. forget_*()
// drops the stored waker when the future that stored it is dropped
// (cancellation leaks no registration); the data stays where it was, so a
// later operation gets it.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "runtime/future/context.h"
#include "runtime/future/poll.h"
#include "runtime/net/io_result.h"
#include "runtime/net/net_addr.h"
#include "runtime/task/clock.h"

namespace weft::net {

struct Datagram {
  std::size_t size = 0;  // bytes received (a longer datagram is truncated)
  SocketAddr from;
};

class StreamIo {
 public:
  virtual ~StreamIo() = default;
  // Ready(0) is the end of the stream (the peer shut down its side).
  virtual Poll<IoResult<std::size_t>> poll_read(Context& cx,
                                                std::span<std::byte> into) = 0;
  virtual Poll<IoResult<std::size_t>> poll_write(
      Context& cx, std::span<const std::byte> from) = 0;
  virtual IoResult<void> shutdown_write() = 0;
  virtual void forget_read() noexcept = 0;
  virtual void forget_write() noexcept = 0;
  virtual SocketAddr local_addr() const = 0;
  virtual SocketAddr peer_addr() const = 0;
};

class ListenerIo {
 public:
  virtual ~ListenerIo() = default;
  virtual Poll<IoResult<std::unique_ptr<StreamIo>>> poll_accept(
      Context& cx) = 0;
  virtual void forget_accept() noexcept = 0;
  virtual SocketAddr local_addr() const = 0;
};

class DatagramIo {
 public:
  virtual ~DatagramIo() = default;
  virtual Poll<IoResult<std::size_t>> poll_send_to(
      Context& cx, std::span<const std::byte> data, const SocketAddr& to) = 0;
  virtual Poll<IoResult<Datagram>> poll_recv_from(
      Context& cx, std::span<std::byte> into) = 0;
  virtual void forget_send() noexcept = 0;
  virtual void forget_recv() noexcept = 0;
  virtual SocketAddr local_addr() const = 0;
};

// A connection being made; destroying it while pending abandons it.
class ConnectIo {
 public:
  virtual ~ConnectIo() = default;
  virtual Poll<IoResult<std::unique_ptr<StreamIo>>> poll_connect(
      Context& cx) = 0;
};

}  // namespace weft::net
