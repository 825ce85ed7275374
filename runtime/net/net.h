// weft's sockets: TcpListener, TcpStream, UdpSocket, and Network, what
// opens them. The same types run over the OS (runtime/net/reactor.h: an epoll
// reactor) and over the simulator's network (sim/net/sim_net.h), so code under
// test takes a Network& and never knows which:
//
//   weft::Async<void> serve(weft::net::Network& net, weft::net::SocketAddr at)
//   {
//     auto listener = net.bind_tcp(at);
//     if (!listener) co_return;  // errors are values: listener.error()
//     while (true) {
//       auto stream = co_await listener.value().accept();
//       if (stream) net.spawn(handle(std::move(stream).value()));
//     }
//   }
//
// Every operation future is cancellation-safe: dropping it while pending
// loses no data (bytes and connections stay queued for the next call) and
// leaves no registration behind. Timeouts compose: weft::timeout(d,
// stream.read(buffer)). A stream allows one read and one write in flight at
// a time; a UDP socket one send and one receive.
#pragma once

#include <cerrno>
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "runtime/net/net_io.h"
#include "runtime/task/abort_handle.h"
#include "runtime/task/executor.h"

namespace weft::net {

namespace detail {

// A pending operation on an I/O object: forgets its waker if dropped
// while pending. `Poller` is a callable (Context&) -> Poll<R>.
template <typename Io, typename R, typename Poller, auto Forget>
class IoFuture {
 public:
  using Output = R;
  IoFuture(Io* io, Poller poller) : io_(io), poller_(std::move(poller)) {}
  IoFuture(IoFuture&& other) noexcept
      : io_(std::exchange(other.io_, nullptr)),
        poller_(std::move(other.poller_)),
        pending_(std::exchange(other.pending_, false)) {}
  IoFuture& operator=(IoFuture&&) = delete;
  ~IoFuture() {
    if (pending_ && io_ != nullptr) (io_->*Forget)();
  }

  Poll<R> poll(Context& cx) {
    if (io_ == nullptr)
      report_misuse("poll of a moved-from or finished I/O future");
    Poll<R> result = poller_(cx);
    pending_ = result.is_pending();
    if (!pending_) io_ = nullptr;
    return result;
  }

 private:
  Io* io_;
  Poller poller_;
  bool pending_ = false;
};

}  // namespace detail

class TcpStream {
 public:
  TcpStream() = default;
  explicit TcpStream(std::unique_ptr<StreamIo> io) : io_(std::move(io)) {}

  // Reads at most into.size() bytes; 0 means the peer shut down.
  auto read(std::span<std::byte> into) {
    StreamIo* io = checked();
    auto poller = [io, into](Context& cx) { return io->poll_read(cx, into); };
    return detail::IoFuture<StreamIo, IoResult<std::size_t>, decltype(poller),
                            &StreamIo::forget_read>(io, poller);
  }
  // Writes some of `from`; returns how much.
  auto write(std::span<const std::byte> from) {
    StreamIo* io = checked();
    auto poller = [io, from](Context& cx) { return io->poll_write(cx, from); };
    return detail::IoFuture<StreamIo, IoResult<std::size_t>, decltype(poller),
                            &StreamIo::forget_write>(io, poller);
  }
  // Writes all of `from` (or fails); the bytes must outlive the future.
  // Dropped part-way, some prefix of `from` has been written.
  auto write_all(std::span<const std::byte> from) {
    StreamIo* io = checked();
    auto poller = [io, from, written = std::size_t{0}](
                      Context& cx) mutable -> Poll<IoResult<void>> {
      while (written < from.size()) {
        Poll<IoResult<std::size_t>> step =
            io->poll_write(cx, from.subspan(written));
        if (step.is_pending()) return kPending;
        IoResult<std::size_t> result = std::move(step).take();
        if (!result) return IoResult<void>(result.error());
        written += result.value();
      }
      return IoResult<void>();
    };
    return detail::IoFuture<StreamIo, IoResult<void>, decltype(poller),
                            &StreamIo::forget_write>(io, std::move(poller));
  }
  auto write_all(std::string_view text) {
    return write_all(std::as_bytes(std::span(text.data(), text.size())));
  }
  // Reads exactly into.size() bytes; an error with code kUnexpectedEof if
  // the stream ends first.
  auto read_exact(std::span<std::byte> into) {
    StreamIo* io = checked();
    auto poller = [io, into, filled = std::size_t{0}](
                      Context& cx) mutable -> Poll<IoResult<void>> {
      while (filled < into.size()) {
        Poll<IoResult<std::size_t>> step =
            io->poll_read(cx, into.subspan(filled));
        if (step.is_pending()) return kPending;
        IoResult<std::size_t> result = std::move(step).take();
        if (!result) return IoResult<void>(result.error());
        if (result.value() == 0) {
          return IoResult<void>(IoError{kUnexpectedEof, "read_exact",
                                        "(the stream ended first)"});
        }
        filled += result.value();
      }
      return IoResult<void>();
    };
    return detail::IoFuture<StreamIo, IoResult<void>, decltype(poller),
                            &StreamIo::forget_read>(io, std::move(poller));
  }
  // Shuts down the writing side: the peer reads the end of the stream.
  IoResult<void> shutdown() { return checked()->shutdown_write(); }

  SocketAddr local_addr() const { return checked()->local_addr(); }
  SocketAddr peer_addr() const { return checked()->peer_addr(); }
  bool is_open() const noexcept { return io_ != nullptr; }
  // Closes the stream now (the destructor does the same).
  void close() noexcept { io_.reset(); }

  // The error read_exact reports when the stream ends early.
  static constexpr int kUnexpectedEof = ENODATA;

 private:
  StreamIo* checked() const {
    if (io_ == nullptr)
      report_misuse("use of a closed or moved-from TcpStream");
    return io_.get();
  }
  std::unique_ptr<StreamIo> io_;
};

class TcpListener {
 public:
  TcpListener() = default;
  explicit TcpListener(std::unique_ptr<ListenerIo> io) : io_(std::move(io)) {}

  // The next incoming connection.
  auto accept() {
    ListenerIo* io = checked();
    auto poller = [io](Context& cx) -> Poll<IoResult<TcpStream>> {
      Poll<IoResult<std::unique_ptr<StreamIo>>> step = io->poll_accept(cx);
      if (step.is_pending()) return kPending;
      IoResult<std::unique_ptr<StreamIo>> result = std::move(step).take();
      if (!result) return IoResult<TcpStream>(result.error());
      return IoResult<TcpStream>(TcpStream(std::move(result).value()));
    };
    return detail::IoFuture<ListenerIo, IoResult<TcpStream>, decltype(poller),
                            &ListenerIo::forget_accept>(io, poller);
  }
  SocketAddr local_addr() const { return checked()->local_addr(); }
  void close() noexcept { io_.reset(); }

 private:
  ListenerIo* checked() const {
    if (io_ == nullptr)
      report_misuse("use of a closed or moved-from TcpListener");
    return io_.get();
  }
  std::unique_ptr<ListenerIo> io_;
};

class UdpSocket {
 public:
  UdpSocket() = default;
  explicit UdpSocket(std::unique_ptr<DatagramIo> io) : io_(std::move(io)) {}

  // Sends one datagram to `to`; the bytes must outlive the future.
  auto send_to(std::span<const std::byte> data, SocketAddr to) {
    DatagramIo* io = checked();
    auto poller = [io, data, to](Context& cx) {
      return io->poll_send_to(cx, data, to);
    };
    return detail::IoFuture<DatagramIo, IoResult<std::size_t>, decltype(poller),
                            &DatagramIo::forget_send>(io, poller);
  }
  auto send_to(std::string_view text, SocketAddr to) {
    return send_to(std::as_bytes(std::span(text.data(), text.size())), to);
  }
  // Receives one datagram (truncated to into.size()) and its sender.
  auto recv_from(std::span<std::byte> into) {
    DatagramIo* io = checked();
    auto poller = [io, into](Context& cx) {
      return io->poll_recv_from(cx, into);
    };
    return detail::IoFuture<DatagramIo, IoResult<Datagram>, decltype(poller),
                            &DatagramIo::forget_recv>(io, poller);
  }
  SocketAddr local_addr() const { return checked()->local_addr(); }
  void close() noexcept { io_.reset(); }

 private:
  DatagramIo* checked() const {
    if (io_ == nullptr)
      report_misuse("use of a closed or moved-from UdpSocket");
    return io_.get();
  }
  std::unique_ptr<DatagramIo> io_;
};

// What code under test is given to reach the network: the real one
// (Reactor) or one host of a simulated one (sim::SimHost).
class Network {
 public:
  virtual ~Network() = default;

  // Binds a listening socket (port 0: any free port, see local_addr()).
  IoResult<TcpListener> bind_tcp(const SocketAddr& at) {
    IoResult<std::unique_ptr<ListenerIo>> io = open_listener(at);
    if (!io) return io.error();
    return TcpListener(std::move(io).value());
  }
  IoResult<UdpSocket> bind_udp(const SocketAddr& at) {
    IoResult<std::unique_ptr<DatagramIo>> io = open_datagram(at);
    if (!io) return io.error();
    return UdpSocket(std::move(io).value());
  }
  // Connects to `to`; dropping the future abandons the attempt.
  auto connect(const SocketAddr& to) {
    struct Connect {
      using Output = IoResult<TcpStream>;
      std::unique_ptr<ConnectIo> io;
      Poll<Output> poll(Context& cx) {
        if (io == nullptr) report_misuse("poll of a finished connect future");
        Poll<IoResult<std::unique_ptr<StreamIo>>> step = io->poll_connect(cx);
        if (step.is_pending()) return kPending;
        io.reset();
        IoResult<std::unique_ptr<StreamIo>> result = std::move(step).take();
        if (!result) return Output(result.error());
        return Output(TcpStream(std::move(result).value()));
      }
    };
    return Connect{open_connect(to)};
  }

  // This host's clock: the real one, or simulated time with the host's
  // skew. Durations (weft::sleep) do not depend on it.
  virtual Instant now() const = 0;

  // Spawns a task that belongs to this host: when a simulated host
  // crashes, its tasks are dropped, and so are the tasks they spawned
  // (with this or with weft::spawn). Without simulation it is weft::spawn.
  template <Future F>
  JoinHandle<OutputOf<F>> spawn(F future,
                                SourceLocation at = SourceLocation::current()) {
    JoinHandle<OutputOf<F>> handle = weft::spawn(std::move(future), at);
    adopt_task(handle.abort_handle());
    return handle;
  }
  template <FutureFactory F>
  auto spawn(F function, SourceLocation at = SourceLocation::current()) {
    return spawn(co_invoke(std::move(function)), at);
  }

 protected:
  virtual IoResult<std::unique_ptr<ListenerIo>> open_listener(
      const SocketAddr& at) = 0;
  virtual IoResult<std::unique_ptr<DatagramIo>> open_datagram(
      const SocketAddr& at) = 0;
  virtual std::unique_ptr<ConnectIo> open_connect(const SocketAddr& to) = 0;
  virtual void adopt_task(AbortHandle task) { (void)task; }
};

}  // namespace weft::net
