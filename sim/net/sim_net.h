// weft::sim::SimNet and SimHost: the simulated network. Code written
// against weft::net::Network (runtime/net/net.h) runs on it unchanged: each
// SimHost is a Network with an address, and everything between hosts is a
// message in virtual time whose fate is a recorded decision.
//
//   SimNet net;                                  // inside a simulated run
//   SimHost& server = net.add_host("10.0.0.1");
//   SimHost& client = net.add_host("10.0.0.2");
//   server.spawn(serve(server, server.addr(80)));
//   auto reply = co_await call(client, server.addr(80));
//
// The model. A message (a datagram, a connection's segment, its handshake,
// end or reset) takes SimOptions::network.latency, plus a decided delay
// (delay@M). Datagrams may be lost (loss@M) or duplicated (dup@M); a
// connection's segments arrive in order and exactly once, but a segment
// may reset the connection instead (reset@M), and a write may arrive as
// two segments, the rest a delay step after the first part (segment@M);
// a read returns what has arrived, up to its buffer, and a write is
// accepted in part when the peer's window is short. Any message may cut its
// sender's link to its receiver for a decided while (partition@M): while a
// link is cut, datagrams across it are dropped and segments wait until it
// heals, as TCP's retransmissions would. Each host's clock is skewed by a
// decided offset (skew@H), seen through now(). Nothing is lost silently:
// every delivery and drop is in the run's trace.
//
// A test can also act on the network itself: partition() / heal() cut and
// restore links between sets of hosts; hold() / release() keep every
// message on one link (datagrams included) until released; a host can
// crash() (its tasks started with spawn() are dropped, its sockets closed,
// its connections forgotten without a word to their peers, whose packets
// are then answered with resets once it restarts) and restart().
//
// Faults that must overlap are one decision each (nemesis@M, asked as
// message M is sent; sim/net/nemesis.h): a host isolated from every other,
// a minority split from the majority, a bridge host between two halves
// that cannot talk, a host's clock jumping forward, and a host that
// declared on_restart() crashed and restarted, each for a decided time.
//
// Each host has a disk (fs(), a sim::SimDisk) that survives its crashes:
// a crash loses or tears what its code had not synced, by decision.
//
// A failure report names each message by its endpoints, size and a
// printable prefix of its bytes; describe_messages() lets a test say what a
// message means instead ("ACK seq=3").
//
// A SimNet belongs to one run: make it inside the scenario. Sockets keep
// the network's state alive, so tasks dropped after the scenario returns
// close them safely.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/net/net.h"
#include "runtime/seam/source_location.h"
#include "sim/storage/sim_disk.h"

namespace weft::sim {

class SimHost;
namespace net_detail {
class NetCore;
}

// What a report says a message holds: given its sender, receiver and bytes,
// a few words ("ACK seq=3"). Called only while a failure is reported.
using MessageDescriber = std::function<std::string(const net::SocketAddr& from,
                                                   const net::SocketAddr& to,
                                                   std::string_view bytes)>;

class SimNet {
 public:
  // Inside a simulated run only (a misuse elsewhere).
  SimNet();
  ~SimNet();
  SimNet(const SimNet&) = delete;
  SimNet& operator=(const SimNet&) = delete;

  // Adds a host with the IPv4 or IPv6 literal `ip` ("10.0.0.1"). A bad or
  // duplicate address is a misuse naming it.
  SimHost& add_host(std::string_view ip);
  // The host with address `ip`; a misuse if there is none.
  SimHost& host(std::string_view ip) const;

  // Cuts every link between a host of `a` and a host of `b`, both ways,
  // until heal().
  void partition(std::span<SimHost* const> a, std::span<SimHost* const> b);
  void partition(std::initializer_list<SimHost*> a,
                 std::initializer_list<SimHost*> b) {
    partition(std::span<SimHost* const>(a.begin(), a.size()),
              std::span<SimHost* const>(b.begin(), b.size()));
  }
  // Heals every cut made by partition(); waiting segments go on their way.
  void heal();
  // Keeps every message from `from` to `to` until release().
  void hold(SimHost& from, SimHost& to);
  void release(SimHost& from, SimHost& to);

  // Reports show each message's bytes through `describer` instead of as a
  // printable prefix (for a binary protocol, or to name what it means).
  void describe_messages(MessageDescriber describer);

  std::uint64_t messages_sent() const noexcept;
  std::uint64_t messages_delivered() const noexcept;

 private:
  std::shared_ptr<net_detail::NetCore> core_;
};

class SimHost final : public net::Network {
 public:
  ~SimHost() override;

  // The host's address with `port`.
  net::SocketAddr addr(std::uint16_t port) const { return ip_.with_port(port); }
  const net::SocketAddr& ip() const noexcept { return ip_; }
  // Numbered from 1 in the order added to the run (across all of its
  // SimNets): the trace, reports and skew@H use it.
  std::uint32_t number() const noexcept { return number_; }
  bool is_up() const noexcept { return up_; }

  // Drops every task started with spawn() on this host (and every task
  // those spawned, with any spawn), closes its sockets and forgets its
  // connections. Until restart() it receives
  // nothing, and opening a socket fails with ENETDOWN.
  void crash();
  // Brings a crashed host back, then runs the function given to
  // on_restart(), if any.
  void restart();
  // Declares how this host starts again after a crash: `start` runs at
  // each restart (explicit, or decided) and typically spawns the host's
  // services again (`host.spawn(serve(host))`), reading what survived from
  // wherever the test keeps it. A host that declared one may also be
  // crashed and restarted by the network's own decisions (nemesis@M, see
  // sim/net/nemesis.h); one that did not never is.
  void on_restart(std::function<void(SimHost&)> start);
  // The host's disk (sim/storage/sim_disk.h), made on first use: what its
  // code reads and writes files on. It survives the host's crashes, which
  // crash it too (what was not synced may be lost or torn, by decision).
  fs::FileSystem& fs() { return disk().fs(); }
  SimDisk& disk();
  // Virtual time plus this host's skew.
  Instant now() const override;
  // "weft::sim::SimHost 10.0.0.1", for messages.
  std::string name() const;

 protected:
  net::IoResult<std::unique_ptr<net::ListenerIo>> open_listener(
      const net::SocketAddr& at) override;
  net::IoResult<std::unique_ptr<net::DatagramIo>> open_datagram(
      const net::SocketAddr& at) override;
  std::unique_ptr<net::ConnectIo> open_connect(
      const net::SocketAddr& to) override;
  void adopt_task(AbortHandle task) override;

 private:
  friend class net_detail::NetCore;
  SimHost(net_detail::NetCore& core, net::SocketAddr ip, std::uint32_t index,
          std::uint32_t number, Duration skew);

  net_detail::NetCore& core_;
  net::SocketAddr ip_;
  std::uint32_t index_;   // in its SimNet, from 0
  std::uint32_t number_;  // in the run, from 1
  Duration skew_;
  bool up_ = true;
  std::uint32_t incarnation_ = 1;
  std::function<void(SimHost&)> on_restart_;
  std::unique_ptr<SimDisk> disk_;
  std::vector<AbortHandle> tasks_;
};

}  // namespace weft::sim
