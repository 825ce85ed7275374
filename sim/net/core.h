// The simulated network's state (private to sim_net*.cc): hosts, links,
// connections, sockets' queues, and the messages in flight, delivered in
// (time, send order) by one timer of the simulator's.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/future/waker.h"
#include "runtime/net/net.h"
#include "runtime/task/abort_handle.h"
#include "runtime/task/timer_service.h"
#include "sim/core/options.h"
#include "sim/core/simulator.h"
#include "sim/net/nemesis.h"
#include "sim/net/sim_net.h"

namespace weft::sim {
class Simulator;
}

namespace weft::sim::net_detail {

// Why a message was not delivered (the top byte of a kNetDrop event).
enum class DropReason : std::uint8_t {
  kLost = 1,
  kLinkCut = 2,
  kNoSocket = 3,
  kHostDown = 4,
  kQueueFull = 5,
  kConnectionGone = 6,
};

// One end of a simulated connection. Side 0 connected, side 1 accepted.
struct ConnSide {
  std::uint32_t host = 0;  // index into NetCore::hosts_
  std::uint32_t incarnation = 0;
  net::SocketAddr local;
  net::SocketAddr peer;
  std::string inbox;               // received, not yet read
  std::size_t inbox_read = 0;      // bytes of inbox already read
  std::size_t unread_by_peer = 0;  // sent by this side, not yet read
  bool eof = false;                // the peer's end of stream arrived
  int error = 0;                   // ECONNRESET / ECONNREFUSED once it came
  bool closed = false;             // the owner dropped its socket
  bool write_shut = false;
  Waker read_waker;
  Waker write_waker;
};

struct Conn {
  std::uint64_t number = 0;  // in the order connections were opened
  ConnSide side[2];
  bool established = false;  // the handshake reached side 0
  Waker connect_waker;       // side 0's pending connect
  Instant last_arrival[2];   // latest delivery time towards each side
};

struct Packet {
  enum class Type : std::uint8_t {
    kSyn,
    kSynAck,
    kData,
    kFin,
    kRst,
    kDatagram
  };
  Instant deliver_at;
  std::uint64_t order = 0;   // send order, for ties
  std::uint64_t number = 0;  // message number (decision labels, trace)
  Type type = Type::kData;
  bool reset_both = false;  // a decided reset: both ends see it
  std::uint32_t from_host = 0;
  std::uint32_t to_host = 0;
  std::shared_ptr<Conn> conn;  // stream messages
  int to_side = 0;
  net::SocketAddr from;  // datagrams
  net::SocketAddr to;
  std::string payload;
};

struct Listener {
  std::deque<std::shared_ptr<Conn>> backlog;
  Waker waker;
};

struct DatagramQueue {
  struct Entry {
    net::SocketAddr from;
    std::string payload;
  };
  std::deque<Entry> entries;
  Waker waker;
};

struct HostState {
  std::map<std::uint16_t, Listener*> listeners;
  std::map<std::uint16_t, DatagramQueue*> datagrams;
  std::vector<std::weak_ptr<Conn>> conns;
  std::uint16_t next_port = 49152;
};

// A crash or restart a nemesis scheduled (faults.cc).
struct HostEvent {
  Instant at;
  std::uint64_t order = 0;
  std::uint32_t host = 0;
  bool restart = false;
};

struct Link {
  bool cut = false;                 // partition() until heal()
  bool held = false;                // hold() until release()
  Instant cut_until;                // a decided cut
  std::uint32_t decided_drops = 0;  // datagrams in a row (fairness bound)
  Instant fair_until;               // no decided loss or cut before this
  std::vector<Packet*> waiting;     // for heal() or release(), in send order
};

class NetCore final : public std::enable_shared_from_this<NetCore>,
                      public SpawnObserver {
 public:
  explicit NetCore(Simulator& simulator);
  ~NetCore();

  Simulator& simulator() noexcept { return simulator_; }
  // Whether this network's run is the one running now (its Simulator is
  // the thread's, by run number: a new Simulator at the old address is
  // another run).
  bool in_own_run() const;
  // Whether this network's run is still going (not torn down, not over):
  // a socket that outlives its run sends nothing and decides nothing.
  bool run_going() const;
  // `what` (an object of this network) was used outside its run: a misuse
  // naming it and its run. Callers check in_own_run() first, so the
  // message is made only then.
  [[noreturn]] void report_used_after_run(const std::string& what) const;
  std::uint64_t run_id() const noexcept { return run_id_; }
  bool owns(const SimHost& host) const {
    return host.index_ < hosts_.size() && hosts_[host.index_].get() == &host;
  }
  const NetworkShape& shape() const noexcept { return shape_; }
  Instant now() const;

  SimHost& add_host(net::SocketAddr ip);
  SimHost* find_host(const net::SocketAddr& ip) const;
  SimHost& host_at(std::uint32_t index) const { return *hosts_[index]; }
  std::size_t host_count() const noexcept { return hosts_.size(); }
  HostState& state_of(std::uint32_t index) { return states_[index]; }
  std::uint32_t host_index(const SimHost& host) const { return host.index_; }
  // The run-wide number of the host at `index` (what events and labels
  // name; a run may have several SimNets).
  std::uint64_t host_number(std::uint32_t index) const {
    return hosts_[index]->number_;
  }
  // Bumped by each crash: sockets of an earlier one are dead.
  std::uint32_t incarnation_of(std::uint32_t host) const {
    return hosts_[host]->incarnation_;
  }

  // Links are made on first use; there are at most hosts x hosts.
  std::size_t links_made() const noexcept { return links_.size(); }

  // Links (explicit controls).
  void set_cut(std::uint32_t a, std::uint32_t b, bool cut);
  void set_held(std::uint32_t from, std::uint32_t to, bool held);
  void heal_all();

  // Sending.
  // `tail`: the rest of a write split in two (segment@M), sent right after
  // its first part and never split again.
  void send_stream(const std::shared_ptr<Conn>& conn, int to_side,
                   Packet::Type type, std::span<const std::byte> payload = {},
                   bool tail = false);
  void send_datagram(std::uint32_t from_host, const net::SocketAddr& from,
                     const net::SocketAddr& to,
                     std::span<const std::byte> payload);

  // Crash and restart (SimHost). restart() runs the host's on_restart.
  void crash(std::uint32_t host);
  void restart(std::uint32_t host);
  // As storage operation `op` of the host's disk begins: if the host
  // declared on_restart and the operation is its own task's, asks
  // disk-halt@O and, when decided, crashes the host at once and restarts
  // it later. True: the operation must never complete (faults.cc).
  bool halt_at(std::uint32_t host, std::uint64_t op);
  // The tasks a crash drops: those started with host.spawn(), and what
  // they spawn, transitively (SpawnObserver).
  void adopt(std::uint32_t host, AbortHandle task);
  void on_spawn(std::uint64_t parent, TaskHeader* child) override;

  // Socket factories (sockets.cc).
  net::IoResult<std::unique_ptr<net::ListenerIo>> open_listener(
      std::uint32_t host, const net::SocketAddr& at);
  net::IoResult<std::unique_ptr<net::DatagramIo>> open_datagram(
      std::uint32_t host, const net::SocketAddr& at);
  std::unique_ptr<net::ConnectIo> open_connect(std::uint32_t host,
                                               const net::SocketAddr& to);
  // A local address for `host` and `at`, or why not (bind rules).
  net::IoResult<std::uint16_t> claim_port(std::uint32_t host,
                                          const net::SocketAddr& at,
                                          bool stream, const char* operation);

  // Numbers connections in the order they are opened (for reports).
  std::uint64_t next_connection_number() noexcept { return ++connections_; }
  // What a report says a message holds (SimNet::describe_messages).
  void set_describer(MessageDescriber describer) {
    describer_ = std::move(describer);
  }

  std::uint64_t sent() const noexcept { return sent_; }
  std::uint64_t delivered() const noexcept { return delivered_; }

 private:
  Packet* new_packet();
  void free_packet(Packet* packet) noexcept;
  // A message leaves its host: its send event, and, when the run keeps
  // detail, its endpoints, size and contents in words.
  void note_send(const Packet& packet, std::uint64_t duplicate_of = 0);
  // Decides delay and a cut, then queues `packet` (or makes it wait).
  // `exempt`: a datagram the fairness bound lets through.
  // `after_previous`: a stream segment that must arrive strictly after the
  // connection's previous one (the rest of a split write).
  void route(Packet* packet, bool stream, bool exempt = false,
             bool after_previous = false);
  void schedule(Packet* packet);
  void release_waiting(Link& link);
  void arm_timer();
  void on_timer();
  void deliver(Packet* packet);
  void deliver_stream(Packet* packet);
  void deliver_datagram(Packet* packet);
  void drop(Packet* packet, DropReason why);
  bool link_cut(const Link& link) const;
  Link& link(std::uint32_t from, std::uint32_t to) {
    return links_[{from, to}];
  }
  void cut_for(std::uint32_t a, std::uint32_t b, Duration how_long);
  // Network-wide faults (faults.cc): asks nemesis@M as `packet` is sent,
  // and does what it decided.
  void maybe_nemesis(const Packet& packet);
  void apply_nemesis(const Nemesis& nemesis);
  std::string nemesis_in_words(const Nemesis& nemesis) const;
  std::string host_words(std::uint32_t index) const;
  // Crashes and restarts that are due; the earliest still pending.
  void run_host_events();
  bool next_host_event(Instant& at) const;
  void restart_host(std::uint32_t index);
  // A datagram dropped by decision from `from` to `to`; may open a fair
  // window between them (see NetworkShape::datagram_drops_in_a_row_max).
  void count_decided_drop(std::uint32_t from, std::uint32_t to);

  static const WakerVTable kTimerWakerVTable;

  Simulator& simulator_;
  const std::uint64_t run_id_;
  NetworkShape shape_;
  std::uint32_t delay_chance_, loss_chance_, duplicate_chance_, reset_chance_,
      partition_chance_, skew_chance_, segment_chance_, nemesis_chance_,
      halt_chance_;
  // Where a split write may be cut: at most this many places, spread over
  // its bytes.
  static constexpr std::size_t kSegmentChoicesMax = 64;
  // A host's address without its port, as a lookup key.
  using AddressKey =
      std::pair<net::SocketAddr::Family, std::array<std::uint8_t, 16>>;
  static AddressKey address_key(const net::SocketAddr& ip) {
    return {ip.family(), ip.bytes()};
  }
  std::vector<std::unique_ptr<SimHost>> hosts_;
  std::map<AddressKey, std::uint32_t> by_address_;  // lookup only
  std::vector<HostState> states_;
  // By (from, to), made on first use: adding a host costs nothing, and a
  // map's order keeps every walk over the links deterministic.
  std::map<std::pair<std::uint32_t, std::uint32_t>, Link> links_;
  std::vector<Packet*> in_flight_;          // a min-heap on (deliver_at, order)
  std::vector<HostEvent> host_events_;      // few: scanned
  std::vector<std::uint32_t> restartable_;  // maybe_nemesis's scratch list
  std::vector<Packet*> free_packets_;
  // Which host each of the hosts' tasks belongs to (lookup only).
  std::map<std::uint64_t, std::uint32_t> host_of_task_;
  // Held, not borrowed: the timer is disarmed safely even by a NetCore
  // that outlives its simulator (a socket kept past the run).
  std::shared_ptr<TimerService> timers_;
  TimerEntry timer_;
  bool timer_armed_ = false;
  Instant timer_deadline_;
  bool delivering_ = false;
  std::uint64_t sent_ = 0;
  std::uint64_t connections_ = 0;
  MessageDescriber describer_;
  std::uint64_t order_ = 0;
  std::uint64_t delivered_ = 0;
};

}  // namespace weft::sim::net_detail
