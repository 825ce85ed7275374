#include "sim/sim_net.h"

#include <algorithm>
#include <cerrno>

#include "runtime/misuse.h"
#include "sim/sim_net_core.h"
#include "sim/simulator.h"

namespace weft::sim {
namespace net_detail {
namespace {

// Heap order: the earliest delivery first, then the earliest sent.
bool later(const Packet* a, const Packet* b) noexcept {
  if (a->deliver_at != b->deliver_at) return a->deliver_at > b->deliver_at;
  return a->order > b->order;
}

std::uint64_t drop_arg(std::uint64_t number, DropReason why) noexcept {
  return number | (std::uint64_t{static_cast<std::uint8_t>(why)} << 56);
}

}  // namespace

// The timer's waker points at the NetCore, which disarms it before it goes.
const WakerVTable NetCore::kTimerWakerVTable{
    [](const void* data) {
      return RawWaker{data, &kTimerWakerVTable};
    },
    [](const void* data) {
      static_cast<NetCore*>(const_cast<void*>(data))->on_timer();
    },
    [](const void* data) {
      static_cast<NetCore*>(const_cast<void*>(data))->on_timer();
    },
    [](const void*) {}};

NetCore::NetCore(Simulator& simulator)
    : simulator_(simulator),
      shape_(simulator.options().network),
      delay_chance_(
          shape_.net_delay_steps_max > 0
              ? Simulator::chance_of(
                    simulator.options().perturbations.net_delay_probability)
              : 0),
      loss_chance_(Simulator::chance_of(
          simulator.options().perturbations.net_loss_probability)),
      duplicate_chance_(Simulator::chance_of(
          simulator.options().perturbations.net_duplicate_probability)),
      reset_chance_(Simulator::chance_of(
          simulator.options().perturbations.net_reset_probability)),
      partition_chance_(
          shape_.net_partition_steps_max > 0
              ? Simulator::chance_of(
                    simulator.options().perturbations.net_partition_probability)
              : 0),
      skew_chance_(
          shape_.clock_skew_steps_max > 0
              ? Simulator::chance_of(
                    simulator.options().perturbations.clock_skew_probability)
              : 0) {}

NetCore::~NetCore() {
  simulator_.timers()->disarm(timer_);
  for (Packet* packet : in_flight_) delete packet;
  for (Link& link : links_) {
    for (Packet* packet : link.waiting) delete packet;
  }
  for (Packet* packet : free_packets_) delete packet;
}

Instant NetCore::now() const { return simulator_.now(); }

SimHost& NetCore::add_host(net::SocketAddr ip) {
  const auto number = static_cast<std::uint32_t>(hosts_.size() + 1);
  Duration skew = Duration::zero();
  if (skew_chance_ > 0) {
    const std::uint32_t steps = shape_.clock_skew_steps_max;
    const std::uint32_t value = simulator_.decide(
        DecisionKind::kClockSkew, 2 * steps + 1, skew_chance_, {number, 0});
    const auto offset =
        static_cast<std::int64_t>(value <= steps ? value : value - steps);
    skew = shape_.clock_skew_step * (value <= steps ? offset : -offset);
  }
  hosts_.push_back(
      std::unique_ptr<SimHost>(new SimHost(*this, ip, number, skew)));
  states_.emplace_back();
  // Links are hosts x hosts: lay them out again for one more host.
  const std::size_t old_count = hosts_.size() - 1;
  std::vector<Link> links(hosts_.size() * hosts_.size());
  for (std::size_t from = 0; from < old_count; ++from) {
    for (std::size_t to = 0; to < old_count; ++to) {
      links[from * hosts_.size() + to] =
          std::move(links_[from * old_count + to]);
    }
  }
  links_ = std::move(links);
  return *hosts_.back();
}

SimHost* NetCore::find_host(const net::SocketAddr& ip) const {
  for (const auto& host : hosts_) {
    if (host->ip().family() == ip.family() &&
        host->ip().bytes() == ip.bytes()) {
      return host.get();
    }
  }
  return nullptr;
}

// --- links -------------------------------------------------------------------

bool NetCore::link_cut(const Link& link) const {
  return link.cut || link.cut_until > now();
}

void NetCore::set_cut(std::uint32_t a, std::uint32_t b, bool cut) {
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    Link& one = link(from, to);
    one.cut = cut;
    if (!cut && !one.held) release_waiting(one);
  }
  simulator_.record_event(EventKind::kNetCut, a + 1,
                          (b + 1) | (cut ? 0 : (1ULL << 63)));
}

void NetCore::set_held(std::uint32_t from, std::uint32_t to, bool held) {
  Link& one = link(from, to);
  one.held = held;
  if (!held && !link_cut(one)) release_waiting(one);
}

void NetCore::heal_all() {
  for (std::uint32_t a = 0; a < hosts_.size(); ++a) {
    for (std::uint32_t b = a + 1; b < hosts_.size(); ++b) {
      if (link(a, b).cut || link(b, a).cut) set_cut(a, b, false);
    }
  }
}

void NetCore::cut_for(std::uint32_t a, std::uint32_t b, Duration how_long) {
  const Instant until = now() + how_long;
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    Link& one = link(from, to);
    if (one.cut_until < until) one.cut_until = until;
  }
  simulator_.record_event(EventKind::kNetCut, a + 1, b + 1);
}

void NetCore::count_decided_drop(std::uint32_t from, std::uint32_t to) {
  if (++link(from, to).decided_drops < shape_.datagram_drops_in_a_row_max) {
    return;
  }
  for (auto [a, b] : {std::pair{from, to}, std::pair{to, from}}) {
    link(a, b).decided_drops = 0;
    link(a, b).fair_until = now() + shape_.fair_window;
  }
}

void NetCore::release_waiting(Link& link) {
  std::vector<Packet*> waiting = std::move(link.waiting);
  link.waiting.clear();
  for (Packet* packet : waiting) {
    packet->deliver_at = now() + shape_.latency;
    if (packet->conn != nullptr) {
      Instant& last = packet->conn->last_arrival[packet->to_side];
      packet->deliver_at = std::max(packet->deliver_at, last);
      last = packet->deliver_at;
    }
    schedule(packet);
  }
}

// --- sending -----------------------------------------------------------------

Packet* NetCore::new_packet() {
  Packet* packet;
  if (free_packets_.empty()) {
    packet = new Packet;
  } else {
    packet = free_packets_.back();
    free_packets_.pop_back();
  }
  packet->number = ++sent_;
  packet->order = ++order_;
  if (sent_ == shape_.messages_max + 1) {
    simulator_.fail(Checker::kStepBudget,
                    "the simulated network carried more than " +
                        std::to_string(shape_.messages_max) +
                        " messages in one run (a message storm, or raise "
                        "network.messages_max)");
  }
  return packet;
}

void NetCore::free_packet(Packet* packet) noexcept {
  packet->conn.reset();
  packet->payload.clear();
  packet->reset_both = false;
  free_packets_.push_back(packet);
}

void NetCore::send_stream(const std::shared_ptr<Conn>& conn, int to_side,
                          Packet::Type type,
                          std::span<const std::byte> payload) {
  Packet* packet = new_packet();
  packet->type = type;
  packet->conn = conn;
  packet->to_side = to_side;
  packet->from_host = conn->side[1 - to_side].host;
  packet->to_host = conn->side[to_side].host;
  packet->payload.assign(reinterpret_cast<const char*>(payload.data()),
                         payload.size());
  if (type == Packet::Type::kData && reset_chance_ > 0 &&
      simulator_.decide(DecisionKind::kNetReset, 2, reset_chance_,
                        {packet->number, 0}) == 1) {
    packet->type = Packet::Type::kRst;
    packet->reset_both = true;
    packet->payload.clear();
  }
  route(packet, true);
}

void NetCore::send_datagram(std::uint32_t from_host,
                            const net::SocketAddr& from,
                            const net::SocketAddr& to,
                            std::span<const std::byte> payload) {
  Packet* packet = new_packet();
  packet->type = Packet::Type::kDatagram;
  packet->from_host = from_host;
  packet->from = from;
  packet->to = to;
  packet->payload.assign(reinterpret_cast<const char*>(payload.data()),
                         payload.size());
  SimHost* target = find_host(to);
  if (target == nullptr) {
    // No such host: the datagram goes nowhere, as on a real network.
    packet->to_host = from_host;
    drop(packet, DropReason::kNoSocket);
    return;
  }
  packet->to_host = host_index(*target);
  const bool exempt = link(from_host, packet->to_host).fair_until > now();
  if (!exempt && loss_chance_ > 0 &&
      simulator_.decide(DecisionKind::kNetLoss, 2, loss_chance_,
                        {packet->number, 0}) == 1) {
    count_decided_drop(from_host, packet->to_host);
    drop(packet, DropReason::kLost);
    return;
  }
  const bool duplicate =
      duplicate_chance_ > 0 &&
      simulator_.decide(DecisionKind::kNetDuplicate, 2, duplicate_chance_,
                        {packet->number, 0}) == 1;
  if (duplicate) {
    Packet* copy = new_packet();
    copy->type = Packet::Type::kDatagram;
    copy->from_host = packet->from_host;
    copy->to_host = packet->to_host;
    copy->from = from;
    copy->to = to;
    copy->payload = packet->payload;
    route(copy, false, exempt);
  }
  route(packet, false, exempt);
}

void NetCore::route(Packet* packet, bool stream, bool exempt) {
  Instant at = now() + shape_.latency;
  if (delay_chance_ > 0) {
    const std::uint32_t steps = simulator_.decide(
        DecisionKind::kNetDelay, shape_.net_delay_steps_max + 1, delay_chance_,
        {packet->number, 0});
    at = at + shape_.delay_step * steps;
  }
  exempt =
      exempt || link(packet->from_host, packet->to_host).fair_until > now();
  if (partition_chance_ > 0 && !exempt &&
      packet->from_host != packet->to_host) {
    const std::uint32_t steps = simulator_.decide(
        DecisionKind::kNetPartition, shape_.net_partition_steps_max + 1,
        partition_chance_, {packet->number, 0});
    if (steps > 0) {
      cut_for(packet->from_host, packet->to_host,
              shape_.partition_step * steps);
    }
  }
  Link& path = link(packet->from_host, packet->to_host);
  if (path.held || (path.cut && stream)) {
    path.waiting.push_back(packet);  // until release() or heal()
    return;
  }
  if (link_cut(path) && !(exempt && !path.cut)) {
    if (!stream) {
      if (!path.cut) count_decided_drop(packet->from_host, packet->to_host);
      drop(packet, DropReason::kLinkCut);
      return;
    }
    // Retransmitted until the cut heals.
    at = std::max(at, path.cut_until + shape_.latency);
  }
  if (stream) {
    Instant& last = packet->conn->last_arrival[packet->to_side];
    at = std::max(at, last);
    last = at;
  } else {
    path.decided_drops = 0;  // this one gets through
  }
  packet->deliver_at = at;
  schedule(packet);
}

void NetCore::schedule(Packet* packet) {
  in_flight_.push_back(packet);
  std::push_heap(in_flight_.begin(), in_flight_.end(), later);
  if (!delivering_) arm_timer();
}

void NetCore::arm_timer() {
  if (in_flight_.empty()) return;
  const Instant next = in_flight_.front()->deliver_at;
  if (timer_armed_ && timer_deadline_ <= next) return;
  TimerService& timers = *simulator_.timers();
  if (timer_armed_) timers.disarm(timer_);
  timers.arm(timer_, next, Waker::from_raw(RawWaker{this, &kTimerWakerVTable}),
             SourceLocation::current());
  timer_armed_ = true;
  timer_deadline_ = next;
}

void NetCore::on_timer() {
  timer_armed_ = false;
  delivering_ = true;
  const Instant at = now();
  while (!in_flight_.empty() && in_flight_.front()->deliver_at <= at) {
    std::pop_heap(in_flight_.begin(), in_flight_.end(), later);
    Packet* packet = in_flight_.back();
    in_flight_.pop_back();
    deliver(packet);
  }
  delivering_ = false;
  arm_timer();
}

// --- delivery ----------------------------------------------------------------

void NetCore::drop(Packet* packet, DropReason why) {
  simulator_.record_event(EventKind::kNetDrop, packet->to_host + 1,
                          drop_arg(packet->number, why));
  free_packet(packet);
}

void NetCore::deliver(Packet* packet) {
  if (!hosts_[packet->to_host]->is_up()) {
    drop(packet, DropReason::kHostDown);
    return;
  }
  if (packet->type == Packet::Type::kDatagram) {
    deliver_datagram(packet);
  } else {
    deliver_stream(packet);
  }
}

void NetCore::deliver_datagram(Packet* packet) {
  HostState& state = states_[packet->to_host];
  auto found = state.datagrams.find(packet->to.port());
  if (found == state.datagrams.end()) {
    drop(packet, DropReason::kNoSocket);
    return;
  }
  DatagramQueue& queue = *found->second;
  if (queue.entries.size() >= shape_.datagram_queue_max) {
    drop(packet, DropReason::kQueueFull);
    return;
  }
  queue.entries.push_back({packet->from, std::move(packet->payload)});
  ++delivered_;
  simulator_.count_net_message();
  simulator_.record_event(EventKind::kNetDeliver, packet->to_host + 1,
                          packet->number);
  free_packet(packet);
  if (!queue.waker.empty()) std::exchange(queue.waker, Waker()).wake();
}

namespace {

void wake_all(ConnSide& side, Conn& conn, int index) {
  if (!side.read_waker.empty()) std::exchange(side.read_waker, Waker()).wake();
  if (!side.write_waker.empty()) {
    std::exchange(side.write_waker, Waker()).wake();
  }
  if (index == 0 && !conn.connect_waker.empty()) {
    std::exchange(conn.connect_waker, Waker()).wake();
  }
}

void reset_side(Conn& conn, int index, int error) {
  ConnSide& side = conn.side[index];
  if (side.error == 0) side.error = error;
  side.inbox.clear();
  side.inbox_read = 0;
  wake_all(side, conn, index);
}

}  // namespace

void NetCore::deliver_stream(Packet* packet) {
  const std::shared_ptr<Conn> conn = packet->conn;
  const int to = packet->to_side;
  ConnSide& side = conn->side[to];
  const SimHost& host = *hosts_[packet->to_host];
  // A side whose socket is gone, or whose host restarted since, answers
  // anything but a reset with a reset.
  const bool gone = side.closed || side.incarnation != host.incarnation_;
  if (packet->type == Packet::Type::kSyn) {
    HostState& state = states_[packet->to_host];
    auto found = state.listeners.find(side.local.port());
    side.incarnation = host.incarnation_;
    if (found == state.listeners.end()) {
      side.closed = true;
      simulator_.record_event(EventKind::kNetDrop, packet->to_host + 1,
                              drop_arg(packet->number, DropReason::kNoSocket));
      free_packet(packet);
      send_stream(conn, 1 - to, Packet::Type::kRst);
      return;
    }
    found->second->backlog.push_back(conn);
    state.conns.push_back(conn);
    Listener& listener = *found->second;
    ++delivered_;
    simulator_.count_net_message();
    simulator_.record_event(EventKind::kNetDeliver, packet->to_host + 1,
                            packet->number);
    free_packet(packet);
    send_stream(conn, 1 - to, Packet::Type::kSynAck);
    if (!listener.waker.empty()) std::exchange(listener.waker, Waker()).wake();
    return;
  }
  if (packet->type == Packet::Type::kRst) {
    ++delivered_;
    simulator_.count_net_message();
    simulator_.record_event(EventKind::kNetDeliver, packet->to_host + 1,
                            packet->number);
    const bool both = packet->reset_both;
    free_packet(packet);
    const bool refused = to == 0 && !conn->established;
    reset_side(*conn, to, refused ? ECONNREFUSED : ECONNRESET);
    if (both) reset_side(*conn, 1 - to, ECONNRESET);
    return;
  }
  if (gone || side.error != 0) {
    const Packet::Type type = packet->type;
    drop(packet, DropReason::kConnectionGone);
    if (type != Packet::Type::kFin || side.error == 0) {
      send_stream(conn, 1 - to, Packet::Type::kRst);
    }
    return;
  }
  ++delivered_;
  simulator_.count_net_message();
  simulator_.record_event(EventKind::kNetDeliver, packet->to_host + 1,
                          packet->number);
  switch (packet->type) {
    case Packet::Type::kSynAck:
      conn->established = true;
      if (!conn->connect_waker.empty()) {
        std::exchange(conn->connect_waker, Waker()).wake();
      }
      break;
    case Packet::Type::kData:
      side.inbox.append(packet->payload);
      if (!side.read_waker.empty()) {
        std::exchange(side.read_waker, Waker()).wake();
      }
      break;
    case Packet::Type::kFin:
      side.eof = true;
      if (!side.read_waker.empty()) {
        std::exchange(side.read_waker, Waker()).wake();
      }
      break;
    default:
      break;
  }
  free_packet(packet);
}

// --- crash -------------------------------------------------------------------

void NetCore::crash(std::uint32_t index) {
  SimHost& host = *hosts_[index];
  simulator_.record_event(EventKind::kHostCrash, index + 1, 1);
  host.up_ = false;
  ++host.incarnation_;
  HostState& state = states_[index];
  // Its sockets stop existing; the objects (in tasks about to be dropped)
  // answer ENETDOWN. Its connections are forgotten without telling peers.
  for (auto& [port, listener] : state.listeners) {
    listener->backlog.clear();
    if (!listener->waker.empty())
      std::exchange(listener->waker, Waker()).wake();
  }
  state.listeners.clear();
  for (auto& [port, queue] : state.datagrams) {
    queue->entries.clear();
    if (!queue->waker.empty()) std::exchange(queue->waker, Waker()).wake();
  }
  state.datagrams.clear();
  std::vector<std::weak_ptr<Conn>> conns = std::move(state.conns);
  state.conns.clear();
  for (auto& weak : conns) {
    std::shared_ptr<Conn> conn = weak.lock();
    if (conn == nullptr) continue;
    for (int i = 0; i < 2; ++i) {
      if (conn->side[i].host == index && conn->side[i].error == 0) {
        reset_side(*conn, i, ENETDOWN);
      }
    }
  }
  std::vector<AbortHandle> tasks = std::move(host.tasks_);
  host.tasks_.clear();
  for (AbortHandle& task : tasks) task.abort();
}

}  // namespace net_detail

// --- SimNet and SimHost ------------------------------------------------------

using net_detail::NetCore;

SimNet::SimNet() {
  Simulator* simulator = Simulator::current();
  if (simulator == nullptr) {
    report_misuse(
        "weft::sim::SimNet made outside a simulated run (make it inside the "
        "scenario, where Simulator::current() is set)");
  }
  core_ = std::make_shared<NetCore>(*simulator);
}

SimNet::~SimNet() = default;

SimHost& SimNet::add_host(std::string_view ip) {
  const std::string text(ip);
  std::optional<net::SocketAddr> address = net::SocketAddr::parse(text + ":0");
  if (!address && text.find(':') != std::string::npos) {
    address = net::SocketAddr::parse("[" + text + "]:0");
  }
  if (!address) {
    report_misuse("SimNet::add_host: '" + text +
                  "' is not an IP literal (accepted: a.b.c.d or an IPv6 "
                  "literal, no port)");
  }
  if (address->is_unspecified() || core_->find_host(*address) != nullptr) {
    report_misuse("SimNet::add_host: '" + text +
                  "' is unspecified or already a host's address");
  }
  return core_->add_host(*address);
}

SimHost& SimNet::host(std::string_view ip) const {
  const std::string text(ip);
  std::optional<net::SocketAddr> address = net::SocketAddr::parse(text + ":0");
  if (!address) address = net::SocketAddr::parse("[" + text + "]:0");
  SimHost* host = address ? core_->find_host(*address) : nullptr;
  if (host == nullptr)
    report_misuse("SimNet::host: no host has address '" + text + "'");
  return *host;
}

void SimNet::partition(std::span<SimHost* const> a,
                       std::span<SimHost* const> b) {
  for (SimHost* x : a) {
    for (SimHost* y : b) {
      if (x != y)
        core_->set_cut(core_->host_index(*x), core_->host_index(*y), true);
    }
  }
}

void SimNet::heal() { core_->heal_all(); }

void SimNet::hold(SimHost& from, SimHost& to) {
  core_->set_held(core_->host_index(from), core_->host_index(to), true);
}

void SimNet::release(SimHost& from, SimHost& to) {
  core_->set_held(core_->host_index(from), core_->host_index(to), false);
}

std::uint64_t SimNet::messages_sent() const noexcept { return core_->sent(); }
std::uint64_t SimNet::messages_delivered() const noexcept {
  return core_->delivered();
}

SimHost::SimHost(NetCore& core, net::SocketAddr ip, std::uint32_t number,
                 Duration skew)
    : core_(core), ip_(ip), number_(number), skew_(skew) {}

SimHost::~SimHost() = default;

void SimHost::crash() {
  if (up_) core_.crash(number_ - 1);
}

void SimHost::restart() {
  if (up_) return;
  up_ = true;
  core_.simulator().record_event(EventKind::kHostCrash, number_, 0);
}

Instant SimHost::now() const { return core_.now() + skew_; }

void SimHost::adopt_task(AbortHandle task) {
  // Finished tasks are let go as new ones come, so the list stays short.
  std::erase_if(tasks_, [](const AbortHandle& t) { return t.is_finished(); });
  if (!up_) {
    task.abort();  // a task spawned on a crashed host never runs
    return;
  }
  tasks_.push_back(std::move(task));
}

net::IoResult<std::unique_ptr<net::ListenerIo>> SimHost::open_listener(
    const net::SocketAddr& at) {
  return core_.open_listener(number_ - 1, at);
}

net::IoResult<std::unique_ptr<net::DatagramIo>> SimHost::open_datagram(
    const net::SocketAddr& at) {
  return core_.open_datagram(number_ - 1, at);
}

std::unique_ptr<net::ConnectIo> SimHost::open_connect(
    const net::SocketAddr& to) {
  return core_.open_connect(number_ - 1, to);
}

}  // namespace weft::sim
