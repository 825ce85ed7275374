// The simulated network's sockets: what TcpListener, TcpStream, UdpSocket
// and connect() do on a SimHost. Each holds the network's state, so it
// stays valid however long the socket outlives the scenario.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sim/core/simulator.h"
#include "sim/net/core.h"

namespace weft::sim::net_detail {
namespace {

using net::IoError;
using net::IoResult;
using net::SocketAddr;

constexpr std::size_t kDatagramMax = 65507;

// What every socket of a host knows: the network, the host, and the
// incarnation it was opened in (a crash ends it).
struct HostBound {
  std::shared_ptr<NetCore> core;
  std::uint32_t host;
  std::uint32_t incarnation;

  bool alive() const {
    return core->host_at(host).is_up() &&
           core->incarnation_of(host) == incarnation;
  }
  // No messages while the run's tasks are being dropped: teardown makes no
  // decisions.
  bool may_send() const { return core->run_going() && alive(); }
};

IoError host_down(const char* operation) {
  return IoError{ENETDOWN, operation, "(the host crashed)"};
}

class SimStream final : public net::StreamIo {
 public:
  SimStream(HostBound bound, std::shared_ptr<Conn> conn, int side)
      : bound_(std::move(bound)), conn_(std::move(conn)), side_(side) {}

  ~SimStream() override {
    ConnSide& me = conn_->side[side_];
    me.closed = true;
    me.read_waker.reset();
    me.write_waker.reset();
    if (me.error != 0 || !bound_.may_send()) return;
    // As a kernel does: unread bytes make the close a reset.
    if (me.inbox.size() > me.inbox_read) {
      bound_.core->send_stream(conn_, 1 - side_, Packet::Type::kRst);
    } else if (!me.write_shut) {
      bound_.core->send_stream(conn_, 1 - side_, Packet::Type::kFin);
    }
  }

  Poll<IoResult<std::size_t>> poll_read(Context& cx,
                                        std::span<std::byte> into) override {
    expect_own_run("read");
    using Result = IoResult<std::size_t>;
    if (!bound_.alive()) return Result(host_down("read"));
    ConnSide& me = conn_->side[side_];
    if (me.error != 0) return Result(IoError{me.error, "read"});
    const std::size_t available = me.inbox.size() - me.inbox_read;
    if (available > 0 && !into.empty()) {
      const std::size_t n = std::min(available, into.size());
      std::memcpy(into.data(), me.inbox.data() + me.inbox_read, n);
      me.inbox_read += n;
      if (me.inbox_read == me.inbox.size()) {
        me.inbox.clear();
        me.inbox_read = 0;
      }
      ConnSide& peer = conn_->side[1 - side_];
      peer.unread_by_peer -= std::min(peer.unread_by_peer, n);
      if (!peer.write_waker.empty()) {
        std::exchange(peer.write_waker, Waker()).wake();
      }
      return Result(n);
    }
    if (me.eof || into.empty()) return Result(std::size_t{0});
    store_waker(me.read_waker, cx.waker());
    return kPending;
  }

  Poll<IoResult<std::size_t>> poll_write(
      Context& cx, std::span<const std::byte> from) override {
    expect_own_run("write");
    using Result = IoResult<std::size_t>;
    if (!bound_.alive()) return Result(host_down("write"));
    ConnSide& me = conn_->side[side_];
    if (me.error != 0) return Result(IoError{me.error, "write"});
    if (me.write_shut)
      return Result(IoError{EPIPE, "write", "(after shutdown)"});
    if (from.empty()) return Result(std::size_t{0});
    const std::size_t window = bound_.core->shape().stream_window_bytes;
    if (me.unread_by_peer >= window) {
      store_waker(me.write_waker, cx.waker());
      return kPending;
    }
    const std::size_t n = std::min(from.size(), window - me.unread_by_peer);
    me.unread_by_peer += n;
    bound_.core->send_stream(conn_, 1 - side_, Packet::Type::kData,
                             from.first(n));
    return Result(n);
  }

  IoResult<void> shutdown_write() override {
    expect_own_run("shutdown");
    if (!bound_.alive()) return host_down("shutdown");
    ConnSide& me = conn_->side[side_];
    if (me.error != 0) return IoError{me.error, "shutdown"};
    if (!me.write_shut) {
      me.write_shut = true;
      bound_.core->send_stream(conn_, 1 - side_, Packet::Type::kFin);
    }
    return {};
  }
  void forget_read() noexcept override {
    conn_->side[side_].read_waker.reset();
  }
  void forget_write() noexcept override {
    conn_->side[side_].write_waker.reset();
  }
  SocketAddr local_addr() const override { return conn_->side[side_].local; }
  SocketAddr peer_addr() const override { return conn_->side[side_].peer; }

 private:
  void expect_own_run(const char* operation) const {
    if (!bound_.core->in_own_run())
      bound_.core->report_used_after_run(
          "a simulated TCP stream " + conn_->side[side_].local.to_string() +
          " -> " + conn_->side[side_].peer.to_string() + " (" + operation +
          ")");
  }

 public:
 private:
  HostBound bound_;
  std::shared_ptr<Conn> conn_;
  int side_;
};

class SimListener final : public net::ListenerIo {
 public:
  SimListener(HostBound bound, SocketAddr local)
      : bound_(std::move(bound)), local_(local) {
    bound_.core->state_of(bound_.host).listeners[local_.port()] = &state_;
  }
  ~SimListener() override {
    if (bound_.alive()) {
      bound_.core->state_of(bound_.host).listeners.erase(local_.port());
    }
    // Connections never accepted are refused with a reset.
    for (std::shared_ptr<Conn>& conn : state_.backlog) {
      conn->side[1].closed = true;
      if (bound_.may_send()) {
        bound_.core->send_stream(conn, 0, Packet::Type::kRst);
      }
    }
  }

  Poll<IoResult<std::unique_ptr<net::StreamIo>>> poll_accept(
      Context& cx) override {
    if (!bound_.core->in_own_run())
      bound_.core->report_used_after_run("a simulated TCP listener at " +
                                         local_.to_string() + " (accept)");
    using Result = IoResult<std::unique_ptr<net::StreamIo>>;
    if (!bound_.alive()) return Result(host_down("accept"));
    if (!state_.backlog.empty()) {
      std::shared_ptr<Conn> conn = std::move(state_.backlog.front());
      state_.backlog.pop_front();
      return Result(std::unique_ptr<net::StreamIo>(
          std::make_unique<SimStream>(bound_, std::move(conn), 1)));
    }
    store_waker(state_.waker, cx.waker());
    return kPending;
  }
  void forget_accept() noexcept override { state_.waker.reset(); }
  SocketAddr local_addr() const override { return local_; }

 private:
  HostBound bound_;
  SocketAddr local_;
  Listener state_;
};

class SimDatagram final : public net::DatagramIo {
 public:
  SimDatagram(HostBound bound, SocketAddr local)
      : bound_(std::move(bound)), local_(local) {
    bound_.core->state_of(bound_.host).datagrams[local_.port()] = &queue_;
  }
  ~SimDatagram() override {
    if (bound_.alive()) {
      bound_.core->state_of(bound_.host).datagrams.erase(local_.port());
    }
  }

  Poll<IoResult<std::size_t>> poll_send_to(Context&,
                                           std::span<const std::byte> data,
                                           const SocketAddr& to) override {
    if (!bound_.core->in_own_run())
      bound_.core->report_used_after_run("a simulated UDP socket at " +
                                         local_.to_string() + " (send_to)");
    using Result = IoResult<std::size_t>;
    if (!bound_.alive()) return Result(host_down("send_to"));
    if (data.size() > kDatagramMax) {
      return Result(IoError{EMSGSIZE, "send_to", to.to_string()});
    }
    bound_.core->send_datagram(bound_.host, local_, to, data);
    return Result(data.size());
  }
  Poll<IoResult<net::Datagram>> poll_recv_from(
      Context& cx, std::span<std::byte> into) override {
    if (!bound_.core->in_own_run())
      bound_.core->report_used_after_run("a simulated UDP socket at " +
                                         local_.to_string() + " (recv_from)");
    using Result = IoResult<net::Datagram>;
    if (!bound_.alive()) return Result(host_down("recv_from"));
    if (queue_.entries.empty()) {
      store_waker(queue_.waker, cx.waker());
      return kPending;
    }
    DatagramQueue::Entry entry = std::move(queue_.entries.front());
    queue_.entries.pop_front();
    net::Datagram datagram;
    datagram.size = std::min(entry.payload.size(), into.size());
    datagram.from = entry.from;
    std::memcpy(into.data(), entry.payload.data(), datagram.size);
    return Result(datagram);
  }
  void forget_send() noexcept override {}
  void forget_recv() noexcept override { queue_.waker.reset(); }
  SocketAddr local_addr() const override { return local_; }

 private:
  HostBound bound_;
  SocketAddr local_;
  DatagramQueue queue_;
};

class SimConnect final : public net::ConnectIo {
 public:
  SimConnect(HostBound bound, SocketAddr to)
      : bound_(std::move(bound)), to_(to) {}
  ~SimConnect() override {
    if (conn_ != nullptr) {
      // Abandoned: a late handshake finds the side closed and resets.
      conn_->side[0].closed = true;
      conn_->connect_waker.reset();
    }
  }

  Poll<IoResult<std::unique_ptr<net::StreamIo>>> poll_connect(
      Context& cx) override {
    if (!bound_.core->in_own_run())
      bound_.core->report_used_after_run("a simulated TCP connect to " +
                                         to_.to_string());
    using Result = IoResult<std::unique_ptr<net::StreamIo>>;
    if (!bound_.alive()) return Result(host_down("connect"));
    if (conn_ == nullptr) {
      NetCore& core = *bound_.core;
      SimHost* target = core.find_host(to_);
      if (target == nullptr) {
        return Result(IoError{EHOSTUNREACH, "connect",
                              to_.to_string() + " (no simulated host has it)"});
      }
      IoResult<std::uint16_t> port =
          core.claim_port(bound_.host, SocketAddr(), true, "connect");
      if (!port) return Result(port.error());
      conn_ = std::make_shared<Conn>();
      conn_->number = core.next_connection_number();
      ConnSide& client = conn_->side[0];
      client.host = bound_.host;
      client.incarnation = bound_.incarnation;
      client.local = core.host_at(bound_.host).addr(port.value());
      client.peer = to_;
      ConnSide& server = conn_->side[1];
      server.host = core.host_index(*target);
      server.local = to_;
      server.peer = client.local;
      core.state_of(bound_.host).conns.push_back(conn_);
      core.send_stream(conn_, 1, Packet::Type::kSyn);
    }
    ConnSide& client = conn_->side[0];
    if (client.error != 0) {
      return Result(IoError{client.error, "connect", to_.to_string()});
    }
    if (conn_->established) {
      return Result(std::unique_ptr<net::StreamIo>(std::make_unique<SimStream>(
          bound_, std::exchange(conn_, nullptr), 0)));
    }
    store_waker(conn_->connect_waker, cx.waker());
    return kPending;
  }

 private:
  HostBound bound_;
  SocketAddr to_;
  std::shared_ptr<Conn> conn_;
};

}  // namespace

IoResult<std::uint16_t> NetCore::claim_port(std::uint32_t host,
                                            const SocketAddr& at, bool stream,
                                            const char* operation) {
  const SimHost& owner = *hosts_[host];
  if (!owner.is_up()) return host_down(operation);
  if (!at.is_unspecified() && (at.family() != owner.ip().family() ||
                               at.bytes() != owner.ip().bytes())) {
    return IoError{EADDRNOTAVAIL, operation,
                   at.to_string() + " (host " + owner.ip().ip_string() +
                       " has only its own address)"};
  }
  HostState& state = states_[host];
  auto in_use = [&](std::uint16_t port) {
    return stream ? state.listeners.count(port) > 0
                  : state.datagrams.count(port) > 0;
  };
  if (at.port() != 0) {
    if (in_use(at.port()))
      return IoError{EADDRINUSE, operation, at.to_string()};
    return at.port();
  }
  for (int tries = 0; tries < 16384; ++tries) {
    const std::uint16_t port = state.next_port;
    state.next_port = port == 65535 ? 49152 : port + 1;
    if (!in_use(port)) return port;
  }
  return IoError{EADDRINUSE, operation, "(no free port)"};
}

IoResult<std::unique_ptr<net::ListenerIo>> NetCore::open_listener(
    std::uint32_t host, const SocketAddr& at) {
  IoResult<std::uint16_t> port = claim_port(host, at, true, "bind_tcp");
  if (!port) return port.error();
  HostBound bound{shared_from_this(), host, incarnation_of(host)};
  return std::unique_ptr<net::ListenerIo>(std::make_unique<SimListener>(
      std::move(bound), hosts_[host]->addr(port.value())));
}

IoResult<std::unique_ptr<net::DatagramIo>> NetCore::open_datagram(
    std::uint32_t host, const SocketAddr& at) {
  IoResult<std::uint16_t> port = claim_port(host, at, false, "bind_udp");
  if (!port) return port.error();
  HostBound bound{shared_from_this(), host, incarnation_of(host)};
  return std::unique_ptr<net::DatagramIo>(std::make_unique<SimDatagram>(
      std::move(bound), hosts_[host]->addr(port.value())));
}

std::unique_ptr<net::ConnectIo> NetCore::open_connect(std::uint32_t host,
                                                      const SocketAddr& to) {
  HostBound bound{shared_from_this(), host, incarnation_of(host)};
  return std::make_unique<SimConnect>(std::move(bound), to);
}

}  // namespace weft::sim::net_detail
