// The OS sockets behind Reactor: non-blocking descriptors registered with
// its epoll, each operation tried first and waited for on EAGAIN.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "runtime/net/reactor.h"
#include "runtime/seam/misuse.h"
#include "runtime/sync/sync_hooks.h"

namespace weft::net {
namespace {

using Interest = Reactor::Interest;
using Registration = Reactor::Registration;

IoError os_error(const char* operation, const SocketAddr* address = nullptr) {
  return IoError{errno, operation,
                 address != nullptr ? address->to_string() : std::string()};
}

// Tries `call` (a system call returning -1 and errno on failure) until it
// succeeds, fails with something other than EAGAIN, or the waker is stored.
template <typename Call>
Poll<IoResult<long>> poll_io(Reactor& reactor, Registration registration,
                             Interest interest, Context& cx,
                             const char* operation, Call call) {
  while (true) {
    const std::uint64_t seen = reactor.events_seen(registration, interest);
    const long result = call();
    if (result >= 0) return IoResult<long>(result);
    const int error = errno;
    if (error == EINTR) continue;
    if (error != EAGAIN && error != EWOULDBLOCK) {
      return IoResult<long>(IoError{error, operation});
    }
    if (reactor.wait(registration, interest, seen, cx.waker())) {
      return kPending;
    }
  }
}

Poll<IoResult<std::size_t>> as_size(Poll<IoResult<long>> step) {
  if (step.is_pending()) return kPending;
  IoResult<long> result = std::move(step).take();
  if (!result) return IoResult<std::size_t>(result.error());
  return IoResult<std::size_t>(static_cast<std::size_t>(result.value()));
}

std::optional<SocketAddr> name_of(int fd, bool peer) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  sockaddr* address = reinterpret_cast<sockaddr*>(&storage);
  const int result = peer ? getpeername(fd, address, &length)
                          : getsockname(fd, address, &length);
  if (result != 0) return std::nullopt;
  return SocketAddr::from_sockaddr(address);
}

int family_of(const SocketAddr& address) {
  return address.family() == SocketAddr::Family::kV4 ? AF_INET : AF_INET6;
}

// A registered descriptor, closed and deregistered with its owner.
class Registered {
 public:
  Registered(Reactor& reactor, int fd, Registration registration)
      : reactor_(reactor), fd_(fd), registration_(registration) {}
  Registered(const Registered&) = delete;
  Registered& operator=(const Registered&) = delete;
  ~Registered() {
    if (fd_ < 0) return;
    reactor_.remove(registration_);
    close(fd_);
  }
  // Hands the descriptor and its registration to another owner.
  std::pair<int, Registration> release() noexcept {
    return {std::exchange(fd_, -1), registration_};
  }

  Reactor& reactor_;
  int fd_;
  Registration registration_;
};

// Makes `fd` registered, or closes it and reports why.
IoResult<std::pair<int, Registration>> register_fd(Reactor& reactor, int fd) {
  IoResult<Registration> registration = reactor.add(fd);
  if (!registration) {
    close(fd);
    return registration.error();
  }
  return std::pair<int, Registration>{fd, registration.value()};
}

class PosixStream final : public StreamIo {
 public:
  PosixStream(Reactor& reactor, int fd, Registration registration)
      : socket_(reactor, fd, registration) {
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }

  Poll<IoResult<std::size_t>> poll_read(Context& cx,
                                        std::span<std::byte> into) override {
    const int fd = socket_.fd_;
    return as_size(poll_io(socket_.reactor_, socket_.registration_,
                           Interest::kRead, cx, "read", [&] {
                             return static_cast<long>(
                                 recv(fd, into.data(), into.size(), 0));
                           }));
  }
  Poll<IoResult<std::size_t>> poll_write(
      Context& cx, std::span<const std::byte> from) override {
    const int fd = socket_.fd_;
    // MSG_NOSIGNAL: a closed peer is EPIPE, a value, not SIGPIPE.
    return as_size(poll_io(socket_.reactor_, socket_.registration_,
                           Interest::kWrite, cx, "write", [&] {
                             return static_cast<long>(send(
                                 fd, from.data(), from.size(), MSG_NOSIGNAL));
                           }));
  }
  IoResult<void> shutdown_write() override {
    if (shutdown(socket_.fd_, SHUT_WR) != 0) return os_error("shutdown");
    return {};
  }
  void forget_read() noexcept override {
    socket_.reactor_.forget(socket_.registration_, Interest::kRead);
  }
  void forget_write() noexcept override {
    socket_.reactor_.forget(socket_.registration_, Interest::kWrite);
  }
  SocketAddr local_addr() const override {
    return name_of(socket_.fd_, false).value_or(SocketAddr());
  }
  SocketAddr peer_addr() const override {
    return name_of(socket_.fd_, true).value_or(SocketAddr());
  }

 private:
  Registered socket_;
};

class PosixListener final : public ListenerIo {
 public:
  PosixListener(Reactor& reactor, int fd, Registration registration)
      : socket_(reactor, fd, registration) {}

  Poll<IoResult<std::unique_ptr<StreamIo>>> poll_accept(Context& cx) override {
    const int fd = socket_.fd_;
    Poll<IoResult<long>> step =
        poll_io(socket_.reactor_, socket_.registration_, Interest::kRead, cx,
                "accept", [fd] {
                  return static_cast<long>(accept4(
                      fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
                });
    if (step.is_pending()) return kPending;
    IoResult<long> accepted = std::move(step).take();
    using Result = IoResult<std::unique_ptr<StreamIo>>;
    if (!accepted) return Result(accepted.error());
    auto registered =
        register_fd(socket_.reactor_, static_cast<int>(accepted.value()));
    if (!registered) return Result(registered.error());
    return Result(std::make_unique<PosixStream>(
        socket_.reactor_, registered.value().first, registered.value().second));
  }
  void forget_accept() noexcept override {
    socket_.reactor_.forget(socket_.registration_, Interest::kRead);
  }
  SocketAddr local_addr() const override {
    return name_of(socket_.fd_, false).value_or(SocketAddr());
  }

 private:
  Registered socket_;
};

class PosixDatagram final : public DatagramIo {
 public:
  PosixDatagram(Reactor& reactor, int fd, Registration registration)
      : socket_(reactor, fd, registration) {}

  Poll<IoResult<std::size_t>> poll_send_to(Context& cx,
                                           std::span<const std::byte> data,
                                           const SocketAddr& to) override {
    sockaddr_storage storage;
    const socklen_t length = to.to_sockaddr(storage);
    const int fd = socket_.fd_;
    return as_size(poll_io(socket_.reactor_, socket_.registration_,
                           Interest::kWrite, cx, "send_to", [&] {
                             return static_cast<long>(sendto(
                                 fd, data.data(), data.size(), MSG_NOSIGNAL,
                                 reinterpret_cast<const sockaddr*>(&storage),
                                 length));
                           }));
  }
  Poll<IoResult<Datagram>> poll_recv_from(Context& cx,
                                          std::span<std::byte> into) override {
    sockaddr_storage storage{};
    const int fd = socket_.fd_;
    Poll<IoResult<long>> step =
        poll_io(socket_.reactor_, socket_.registration_, Interest::kRead, cx,
                "recv_from", [&] {
                  socklen_t length = sizeof storage;
                  return static_cast<long>(
                      recvfrom(fd, into.data(), into.size(), 0,
                               reinterpret_cast<sockaddr*>(&storage), &length));
                });
    if (step.is_pending()) return kPending;
    IoResult<long> received = std::move(step).take();
    if (!received) return IoResult<Datagram>(received.error());
    Datagram datagram;
    datagram.size = static_cast<std::size_t>(received.value());
    datagram.from =
        SocketAddr::from_sockaddr(reinterpret_cast<sockaddr*>(&storage))
            .value_or(SocketAddr());
    return IoResult<Datagram>(datagram);
  }
  void forget_send() noexcept override {
    socket_.reactor_.forget(socket_.registration_, Interest::kWrite);
  }
  void forget_recv() noexcept override {
    socket_.reactor_.forget(socket_.registration_, Interest::kRead);
  }
  SocketAddr local_addr() const override {
    return name_of(socket_.fd_, false).value_or(SocketAddr());
  }

 private:
  Registered socket_;
};

class PosixConnect final : public ConnectIo {
 public:
  PosixConnect(Reactor& reactor, SocketAddr to) : reactor_(reactor), to_(to) {}

  Poll<IoResult<std::unique_ptr<StreamIo>>> poll_connect(Context& cx) override {
    using Result = IoResult<std::unique_ptr<StreamIo>>;
    if (!socket_) {
      const int fd =
          socket(family_of(to_), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0) return Result(os_error("connect", &to_));
      auto registered = register_fd(reactor_, fd);
      if (!registered) return Result(registered.error());
      socket_.emplace(reactor_, registered.value().first,
                      registered.value().second);
      sockaddr_storage storage;
      const socklen_t length = to_.to_sockaddr(storage);
      if (connect(fd, reinterpret_cast<const sockaddr*>(&storage), length) ==
          0) {
        return finish();
      }
      if (errno != EINPROGRESS) return Result(os_error("connect", &to_));
    }
    while (true) {
      const std::uint64_t seen =
          reactor_.events_seen(socket_->registration_, Interest::kWrite);
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(socket_->fd_, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) return Result(IoError{error, "connect", to_.to_string()});
      if (name_of(socket_->fd_, true)) return finish();
      if (reactor_.wait(socket_->registration_, Interest::kWrite, seen,
                        cx.waker())) {
        return kPending;
      }
    }
  }
  ~PosixConnect() override {
    if (socket_) reactor_.forget(socket_->registration_, Interest::kWrite);
  }

 private:
  Poll<IoResult<std::unique_ptr<StreamIo>>> finish() {
    const auto [fd, registration] = socket_->release();
    socket_.reset();
    return IoResult<std::unique_ptr<StreamIo>>(
        std::make_unique<PosixStream>(reactor_, fd, registration));
  }

  Reactor& reactor_;
  SocketAddr to_;
  std::optional<Registered> socket_;
};

// A bound socket of `type`, or the error of the step that failed.
IoResult<int> bound_socket(const SocketAddr& at, int type,
                           const char* operation) {
  const int fd = socket(family_of(at), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return os_error(operation, &at);
  const int one = 1;
  if (type == SOCK_STREAM) {
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  }
  sockaddr_storage storage;
  const socklen_t length = at.to_sockaddr(storage);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
    IoError error = os_error(operation, &at);
    close(fd);
    return error;
  }
  return fd;
}

// A real socket inside a simulated run would wait on the kernel, outside
// the run's decisions and virtual time: a misuse, named.
void refuse_inside_a_simulation(const char* operation, SourceLocation at) {
  if (sync::simulated_sync() == nullptr) return;
  report_misuse(std::string("weft::net::Reactor::") + operation +
                    " inside a simulated run: a real Reactor's sockets wait "
                    "on the kernel, outside the run's decisions and virtual "
                    "time; give the code under test a SimHost "
                    "(sim/net/sim_net.h) as its Network instead",
                at);
}

}  // namespace

IoResult<std::unique_ptr<ListenerIo>> Reactor::open_listener(
    const SocketAddr& at) {
  refuse_inside_a_simulation("bind_tcp", {});
  IoResult<int> fd = bound_socket(at, SOCK_STREAM, "bind_tcp");
  if (!fd) return fd.error();
  if (listen(fd.value(), SOMAXCONN) != 0) {
    IoError error = os_error("listen", &at);
    close(fd.value());
    return error;
  }
  auto registered = register_fd(*this, fd.value());
  if (!registered) return registered.error();
  return std::unique_ptr<ListenerIo>(std::make_unique<PosixListener>(
      *this, registered.value().first, registered.value().second));
}

IoResult<std::unique_ptr<DatagramIo>> Reactor::open_datagram(
    const SocketAddr& at) {
  refuse_inside_a_simulation("bind_udp", {});
  IoResult<int> fd = bound_socket(at, SOCK_DGRAM, "bind_udp");
  if (!fd) return fd.error();
  auto registered = register_fd(*this, fd.value());
  if (!registered) return registered.error();
  return std::unique_ptr<DatagramIo>(std::make_unique<PosixDatagram>(
      *this, registered.value().first, registered.value().second));
}

std::unique_ptr<ConnectIo> Reactor::open_connect(const SocketAddr& to) {
  refuse_inside_a_simulation("connect", {});
  return std::make_unique<PosixConnect>(*this, to);
}

}  // namespace weft::net
