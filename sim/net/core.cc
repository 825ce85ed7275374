// The simulated network's core: hosts, links and their cuts, sending
// (each message's decisions) and the one timer that delivers what is due.
#include "sim/net/core.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <set>
#include <string_view>

#include "runtime/seam/misuse.h"
#include "sim/core/simulator.h"

namespace weft::sim {
namespace net_detail {
namespace {

// Heap order: the earliest delivery first, then the earliest sent.
bool later(const Packet* a, const Packet* b) noexcept {
  if (a->deliver_at != b->deliver_at) return a->deliver_at > b->deliver_at;
  return a->order > b->order;
}

// Where leak reports say the delivery timer was armed: it outlives a run
// only when a socket (holding the network) does.
constexpr SourceLocation kTimerSite{
    "the simulated network's delivery timer (messages in flight; a socket "
    "outlived its run)",
    "NetCore::arm_timer", 1};

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
      run_id_(simulator.run_id()),
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
              : 0),
      segment_chance_(Simulator::chance_of(
          simulator.options().perturbations.net_segment_probability)),
      nemesis_chance_(
          shape_.nemesis_steps_max > 0
              ? Simulator::chance_of(
                    simulator.options().perturbations.net_nemesis_probability)
              : 0),
      halt_chance_(shape_.nemesis_steps_max > 0
                       ? Simulator::chance_of(
                             simulator.options()
                                 .perturbations.disk_host_crash_probability)
                       : 0),
      timers_(simulator.timers()) {
  simulator_.add_spawn_observer(this);
}

NetCore::~NetCore() {
  // Outliving the run (a socket kept past it), the simulator may be gone.
  if (in_own_run()) simulator_.remove_spawn_observer(this);
  timers_->disarm(timer_);
  for (Packet* packet : in_flight_) delete packet;
  for (auto& [ends, link] : links_) {
    for (Packet* packet : link.waiting) delete packet;
  }
  for (Packet* packet : free_packets_) delete packet;
}

Instant NetCore::now() const { return simulator_.now(); }

bool NetCore::in_own_run() const {
  const Simulator* current = Simulator::current();
  return current != nullptr && current->run_id() == run_id_;
}

bool NetCore::run_going() const {
  return in_own_run() && !simulator_.tearing_down();
}

void NetCore::report_used_after_run(const std::string& what) const {
  const Simulator* current = Simulator::current();
  report_misuse(
      what + " of simulated run #" + std::to_string(run_id_) + " was used " +
      (current != nullptr ? "in run #" + std::to_string(current->run_id())
                          : std::string("outside any simulated run")) +
      ", after its run ended: a SimNet, its hosts and their sockets "
      "belong to the run that made them (make them inside the "
      "scenario, and let them go when it ends)");
}

SimHost& NetCore::add_host(net::SocketAddr ip) {
  const auto index = static_cast<std::uint32_t>(hosts_.size());
  const std::uint32_t number = simulator_.number_host();
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
      std::unique_ptr<SimHost>(new SimHost(*this, ip, index, number, skew)));
  by_address_[address_key(ip)] = index;
  if (RunDetail* detail = simulator_.detail()) {
    RunDetail::slot(detail->hosts, number).name =
        "host " + std::to_string(number) + " (" + ip.ip_string() + ")";
  }
  states_.emplace_back();
  return *hosts_.back();
}

SimHost* NetCore::find_host(const net::SocketAddr& ip) const {
  auto found = by_address_.find(address_key(ip));
  return found == by_address_.end() ? nullptr : hosts_[found->second].get();
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
  simulator_.record_event(EventKind::kNetCut, host_number(a),
                          host_number(b) | (cut ? 0 : (1ULL << 63)));
}

void NetCore::set_held(std::uint32_t from, std::uint32_t to, bool held) {
  Link& one = link(from, to);
  one.held = held;
  if (!held && !link_cut(one)) release_waiting(one);
}

void NetCore::heal_all() {
  // The pairs with a cut, each once, in host order.
  std::set<std::pair<std::uint32_t, std::uint32_t>> cut;
  for (const auto& [ends, link] : links_) {
    if (link.cut)
      cut.insert({std::min(ends.first, ends.second),
                  std::max(ends.first, ends.second)});
  }
  for (const auto& [a, b] : cut) set_cut(a, b, false);
}

void NetCore::cut_for(std::uint32_t a, std::uint32_t b, Duration how_long) {
  const Instant until = now() + how_long;
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    Link& one = link(from, to);
    if (one.cut_until < until) one.cut_until = until;
  }
  simulator_.record_event(EventKind::kNetCut, host_number(a), b + 1);
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
  // Numbered in the run, not the network: a run may have several SimNets,
  // and each message's label (delay@M) must name one message.
  packet->number = simulator_.number_message();
  ++sent_;
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

namespace {

// Up to 32 bytes, quoted, with what is not printable escaped.
std::string printable_prefix(std::string_view bytes) {
  constexpr std::size_t kShownMax = 32;
  std::string out = "\"";
  for (std::size_t i = 0; i < bytes.size() && i < kShownMax; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    }
  }
  out += '"';
  if (bytes.size() > kShownMax) out += "...";
  return out;
}

const char* kind_of(Packet::Type type) {
  switch (type) {
    case Packet::Type::kSyn:
      return "connect";
    case Packet::Type::kSynAck:
      return "accept";
    case Packet::Type::kData:
      return "data";
    case Packet::Type::kFin:
      return "end of stream";
    case Packet::Type::kRst:
      return "reset";
    case Packet::Type::kDatagram:
      return "datagram";
  }
  return "message";
}

}  // namespace

void NetCore::note_send(const Packet& packet, std::uint64_t duplicate_of) {
  simulator_.record_event(EventKind::kNetSend, host_number(packet.from_host),
                          packet.number);
  RunDetail* detail = simulator_.detail();
  if (detail == nullptr) return;
  MessageDetail& message = RunDetail::slot(detail->messages, packet.number);
  message.from_host = static_cast<std::uint32_t>(host_number(packet.from_host));
  message.to_host = static_cast<std::uint32_t>(host_number(packet.to_host));
  const bool stream = packet.conn != nullptr;
  const net::SocketAddr& from =
      stream ? packet.conn->side[1 - packet.to_side].local : packet.from;
  const net::SocketAddr& to =
      stream ? packet.conn->side[packet.to_side].local : packet.to;
  message.from = from.to_string();
  message.to = to.to_string();
  message.connection = stream ? packet.conn->number : 0;
  message.kind = kind_of(packet.type);
  message.bytes = packet.payload.size();
  message.duplicate_of = duplicate_of;
  if (!packet.payload.empty()) {
    message.content = printable_prefix(packet.payload);
    if (describer_) {
      try {
        message.content = describer_(from, to, packet.payload);
      } catch (const std::exception& error) {
        message.content +=
            " (describe_messages threw: " + std::string(error.what()) + ")";
      } catch (...) {
        message.content += " (describe_messages threw)";
      }
    }
  }
}

void NetCore::free_packet(Packet* packet) noexcept {
  packet->conn.reset();
  packet->payload.clear();
  packet->reset_both = false;
  free_packets_.push_back(packet);
}

void NetCore::send_stream(const std::shared_ptr<Conn>& conn, int to_side,
                          Packet::Type type, std::span<const std::byte> payload,
                          bool tail) {
  Packet* packet = new_packet();
  packet->type = type;
  packet->conn = conn;
  packet->to_side = to_side;
  packet->from_host = conn->side[1 - to_side].host;
  packet->to_host = conn->side[to_side].host;
  // A write may travel as two segments, by decision: the first part now,
  // the rest as a message of its own that arrives later. Readers then see
  // the bytes of one write in two reads.
  std::size_t first = payload.size();
  if (type == Packet::Type::kData && !tail && segment_chance_ > 0 &&
      payload.size() >= 2) {
    const auto bound = static_cast<std::uint32_t>(
        std::min<std::size_t>(payload.size(), kSegmentChoicesMax));
    const std::uint32_t cut = simulator_.decide(
        DecisionKind::kNetSegment, bound, segment_chance_, {packet->number, 0});
    if (cut > 0) first = cut * payload.size() / bound;  // 1..size - 1
  }
  packet->payload.assign(reinterpret_cast<const char*>(payload.data()), first);
  // Noted as the caller sent it: a decided reset replaces it below.
  note_send(*packet);
  if (type == Packet::Type::kData && reset_chance_ > 0 &&
      simulator_.decide(DecisionKind::kNetReset, 2, reset_chance_,
                        {packet->number, 0}) == 1) {
    packet->type = Packet::Type::kRst;
    packet->reset_both = true;
    packet->payload.clear();
  }
  route(packet, true, false, tail);
  if (first < payload.size()) {
    send_stream(conn, to_side, type, payload.subspan(first), /*tail=*/true);
  }
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
    note_send(*packet);
    drop(packet, DropReason::kNoSocket);
    return;
  }
  packet->to_host = host_index(*target);
  note_send(*packet);
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
    note_send(*copy, packet->number);
    route(copy, false, exempt);
  }
  route(packet, false, exempt);
}

void NetCore::route(Packet* packet, bool stream, bool exempt,
                    bool after_previous) {
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
  if (nemesis_chance_ > 0 && !exempt && packet->from_host != packet->to_host) {
    maybe_nemesis(*packet);
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
    // The rest of a split write comes a delay step after its first part,
    // so that a reader can see the part alone.
    at = std::max(at, after_previous ? last + shape_.delay_step : last);
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
  Instant next;
  const bool host_event = next_host_event(next);
  if (in_flight_.empty() && !host_event) return;
  if (!in_flight_.empty() &&
      (!host_event || in_flight_.front()->deliver_at < next)) {
    next = in_flight_.front()->deliver_at;
  }
  if (timer_armed_ && timer_deadline_ <= next) return;
  if (timer_armed_) timers_->disarm(timer_);
  timers_->arm(timer_, next,
               Waker::from_raw(RawWaker{this, &kTimerWakerVTable}), kTimerSite);
  timer_armed_ = true;
  timer_deadline_ = next;
}

void NetCore::on_timer() {
  timer_armed_ = false;
  delivering_ = true;
  const Instant at = now();
  // A host's crash or restart due now comes before what arrives now.
  run_host_events();
  while (!in_flight_.empty() && in_flight_.front()->deliver_at <= at) {
    std::pop_heap(in_flight_.begin(), in_flight_.end(), later);
    Packet* packet = in_flight_.back();
    in_flight_.pop_back();
    deliver(packet);
  }
  delivering_ = false;
  arm_timer();
}

}  // namespace net_detail
}  // namespace weft::sim
