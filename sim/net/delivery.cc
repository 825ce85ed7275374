// The simulated network's deliveries: what a message does when it arrives
// (a datagram queued, a connection's handshake, bytes, end or reset), and a
// host's crash.
#include <algorithm>
#include <cerrno>

#include "sim/core/simulator.h"
#include "sim/net/core.h"

namespace weft::sim {
namespace net_detail {
namespace {

std::uint64_t drop_arg(std::uint64_t number, DropReason why) noexcept {
  return number | (std::uint64_t{static_cast<std::uint8_t>(why)} << 56);
}

}  // namespace

void NetCore::drop(Packet* packet, DropReason why) {
  simulator_.record_event(EventKind::kNetDrop, host_number(packet->to_host),
                          drop_arg(packet->number, why));
  free_packet(packet);
}

void NetCore::deliver(Packet* packet) {
  if (!hosts_[packet->to_host]->is_up()) {
    drop(packet, DropReason::kHostDown);
    return;
  }
  // The wakes a delivery causes name the message (in reports).
  simulator_.set_delivering(packet->number);
  if (packet->type == Packet::Type::kDatagram) {
    deliver_datagram(packet);
  } else {
    deliver_stream(packet);
  }
  simulator_.set_delivering(0);
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
  simulator_.record_event(EventKind::kNetDeliver, host_number(packet->to_host),
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
  // The side's socket was dropped, or its host restarted since.
  const bool gone = side.closed || side.incarnation != host.incarnation_;
  if (packet->type == Packet::Type::kSyn) {
    HostState& state = states_[packet->to_host];
    auto found = state.listeners.find(side.local.port());
    side.incarnation = host.incarnation_;
    if (found == state.listeners.end()) {
      side.closed = true;
      simulator_.record_event(EventKind::kNetDrop, host_number(packet->to_host),
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
    simulator_.record_event(EventKind::kNetDeliver,
                            host_number(packet->to_host), packet->number);
    free_packet(packet);
    send_stream(conn, 1 - to, Packet::Type::kSynAck);
    if (!listener.waker.empty()) std::exchange(listener.waker, Waker()).wake();
    return;
  }
  if (packet->type == Packet::Type::kRst) {
    ++delivered_;
    simulator_.count_net_message();
    simulator_.record_event(EventKind::kNetDeliver,
                            host_number(packet->to_host), packet->number);
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
    // Bytes (or a handshake) for a socket that is gone are answered with a
    // reset; an end of stream is not (a closed socket expects one).
    if (type != Packet::Type::kFin) {
      send_stream(conn, 1 - to, Packet::Type::kRst);
    }
    return;
  }
  ++delivered_;
  simulator_.count_net_message();
  simulator_.record_event(EventKind::kNetDeliver, host_number(packet->to_host),
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
  simulator_.record_event(EventKind::kHostCrash, host_number(index), 1);
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
  for (AbortHandle& task : tasks) {
    host_of_task_.erase(task.id());
    task.abort();
  }
  // Its disk loses what was not synced (its tasks are gone: none of their
  // pending operations will happen).
  if (host.disk_ != nullptr) host.disk_->crash();
}

// --- the hosts' tasks
// ----------------------------------------------------------

void NetCore::adopt(std::uint32_t index, AbortHandle task) {
  SimHost& host = *hosts_[index];
  // Finished tasks are let go as new ones come, so the lists stay short.
  std::erase_if(host.tasks_, [this](const AbortHandle& t) {
    if (!t.is_finished()) return false;
    host_of_task_.erase(t.id());
    return true;
  });
  if (!host.up_) {
    task.abort();  // a task spawned on a crashed host never runs
    return;
  }
  // Spawned through this host by another host's task: it is this host's.
  auto [entry, added] = host_of_task_.try_emplace(task.id(), index);
  if (!added && entry->second != index) {
    std::erase_if(hosts_[entry->second]->tasks_, [&task](const AbortHandle& t) {
      return t.id() == task.id();
    });
    entry->second = index;
  } else if (!added) {
    return;  // already this host's (a child it spawned)
  }
  host.tasks_.push_back(std::move(task));
}

void NetCore::on_spawn(std::uint64_t parent, TaskHeader* child) {
  auto found = host_of_task_.find(parent);
  if (found == host_of_task_.end()) return;
  const std::uint32_t index = found->second;
  host_of_task_[child->id()] = index;
  hosts_[index]->tasks_.emplace_back(child);
}

}  // namespace net_detail
}  // namespace weft::sim
