// A register replicated on three hosts with an elected leader. The leader
// takes a write, has a majority apply it, then acknowledges it; a follower
// that hears nothing from a leader for its election timeout stands for a
// new term and leads once a majority votes for it (a voter refuses a
// candidate with an older value). A client sends each request to replica
// 1, 2, 3 in turn until a leader answers, and records what it saw in a
// history that weft::check checks for linearizability.
//
// The bug: a leader answers a read from its own copy. Cut off from the
// other replicas while the client still reaches it (a bridge), the old
// leader does not know it was deposed: the others elect a new leader,
// which takes the client's next write, and the client's next read, sent
// to replica 1 first, returns the old value. The fixed twin confirms it
// still leads before answering a read: a heartbeat of its term that a
// majority accepts after the read arrived.
//
// One nemesis decision finds it (a bridge at the client's host); a
// partition of one link at a time cannot, and FIFO never cuts anything.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "check/history.h"
#include "check/linearizability.h"
#include "check/models.h"
#include "runtime/future/async.h"
#include "runtime/net/net.h"
#include "runtime/seam/assert.h"
#include "runtime/time/sleep.h"
#include "runtime/time/timeout.h"
#include "sim/net/sim_net.h"
#include "sim/zoo/retry_duplicate.h"

namespace weft::zoo {

struct ElectedReplica {
  int id = 0;  // 1..3
  std::uint64_t term = 1;
  bool leader = false;
  std::int64_t value = 0;  // the highest written value applied
  Instant last_heard;      // from a leader, or a vote given
  std::vector<net::SocketAddr> peers;
  std::uint64_t round = 0;  // numbers requests to peers
};

// Sends `message` to every peer from a socket of its own and counts the
// answers "<ok> <term> <round>"; true once a majority (one peer, with the
// sender) agreed within 15 ms. An answer with a higher term deposes.
inline Async<bool> majority_agrees(net::Network& host,
                                   std::shared_ptr<ElectedReplica> self,
                                   std::string verb, std::string ok,
                                   std::string rest = {}) {
  net::UdpSocket socket = host.bind_udp(net::SocketAddr()).value();
  const std::uint64_t term = self->term;
  const std::uint64_t round = ++self->round;
  const std::string message =
      verb + " " + std::to_string(term) + " " + std::to_string(round) + rest;
  for (const net::SocketAddr& peer : self->peers) {
    (void)co_await socket.send_to(message, peer);
  }
  std::array<std::byte, 64> buffer;
  const Instant deadline = host.now() + std::chrono::milliseconds(15);
  while (host.now() < deadline) {
    auto got =
        co_await timeout(deadline - host.now(), socket.recv_from(buffer));
    if (got.timed_out() || !got.value()) co_return false;
    std::istringstream answer(
        datagram_text(std::span(buffer).first(got.value().value().size)));
    std::string word;
    std::uint64_t their_term = 0, their_round = 0;
    if (!(answer >> word >> their_term >> their_round)) continue;
    if (their_term > self->term) {
      self->term = their_term;
      self->leader = false;
      co_return false;
    }
    if (word == ok && their_term == term && their_round == round) {
      co_return self->term == term;
    }
  }
  co_return false;
}

// One client request ("PUT <id> <v>" or "GET <id>"), handled by a task of
// its own so the replica keeps answering its peers meanwhile.
template <bool kFixed>
Async<void> answer_client(net::Network& host,
                          std::shared_ptr<ElectedReplica> self,
                          std::string request, net::SocketAddr client) {
  std::istringstream in(request);
  std::string verb, id;
  in >> verb >> id;
  std::string reply = "NOTLEADER " + id;
  if (self->leader && verb == "PUT") {
    std::int64_t value = 0;
    in >> value;
    if (co_await majority_agrees(host, self, "APP", "APPOK",
                                 " " + std::to_string(value))) {
      if (value > self->value) self->value = value;
      reply = "OK " + id;
    }
  } else if (self->leader && verb == "GET") {
    // The bug: a leader that may have been deposed answers from its copy.
    const bool leads =
        !kFixed || co_await majority_agrees(host, self, "HB", "HBOK");
    if (leads && self->leader) {
      reply = "VAL " + id + " " + std::to_string(self->value);
    }
  }
  net::UdpSocket socket = host.bind_udp(net::SocketAddr()).value();
  (void)co_await socket.send_to(reply, client);
}

// A replica's requests from peers and clients.
template <bool kFixed>
Async<void> serve_replica(net::Network& host,
                          std::shared_ptr<ElectedReplica> self,
                          net::UdpSocket socket) {
  std::array<std::byte, 64> buffer;
  while (true) {
    net::IoResult<net::Datagram> got = co_await socket.recv_from(buffer);
    if (!got) co_return;
    const net::SocketAddr from = got.value().from;
    const std::string text =
        datagram_text(std::span(buffer).first(got.value().size));
    std::istringstream in(text);
    std::string verb;
    in >> verb;
    if (verb == "PUT" || verb == "GET") {
      host.spawn(answer_client<kFixed>(host, self, text, from));
      continue;
    }
    std::uint64_t term = 0, round = 0;
    if (!(in >> term >> round)) continue;
    std::string reply;
    if (verb == "VOTE") {
      std::int64_t candidate_value = 0;
      in >> candidate_value;
      const bool grant = term > self->term && candidate_value >= self->value;
      if (term > self->term) {
        self->term = term;
        self->leader = false;
      }
      if (grant) self->last_heard = host.now();
      reply = grant ? "YES" : "NO";
    } else if (verb == "HB" || verb == "APP") {
      const bool current = term >= self->term;
      if (current) {
        if (term > self->term) self->leader = false;
        self->term = term;
        self->last_heard = host.now();
        std::int64_t value = 0;
        if (verb == "APP" && (in >> value) && value > self->value) {
          self->value = value;
        }
      }
      reply = current ? verb + "OK" : std::string("STALE");
    } else {
      continue;
    }
    (void)co_await socket.send_to(
        reply + " " + std::to_string(self->term) + " " + std::to_string(round),
        from);
  }
}

// Heartbeats while leading; an election after a silence of the replica's
// own timeout (longer for higher ids, so elections rarely collide).
inline Async<void> keep_leadership(net::Network& host,
                                   std::shared_ptr<ElectedReplica> self) {
  const auto election_timeout = std::chrono::milliseconds(40 + 15 * self->id);
  while (true) {
    co_await sleep_for(std::chrono::milliseconds(10));
    if (self->leader) {
      (void)co_await majority_agrees(host, self, "HB", "HBOK");
      continue;
    }
    if (host.now() - self->last_heard < election_timeout) continue;
    ++self->term;
    self->last_heard = host.now();
    if (co_await majority_agrees(host, self, "VOTE", "YES",
                                 " " + std::to_string(self->value))) {
      self->leader = true;
    }
  }
}

// Sends `request` to replica 1, 2, 3 in turn until one answers with
// `prefix` and the request's id; the rest of the answer, or nullopt.
inline Async<std::optional<std::string>> ask_replicas(
    net::UdpSocket& socket, const std::vector<net::SocketAddr>& replicas,
    const std::string& verb, std::uint64_t id, const std::string& args,
    const std::string& prefix) {
  const std::string tag = std::to_string(id);
  const std::string request = verb + " " + tag + args;
  std::array<std::byte, 64> buffer;
  for (int round = 0; round < 40; ++round) {
    for (const net::SocketAddr& replica : replicas) {
      (void)co_await socket.send_to(request, replica);
      const auto wait = std::chrono::milliseconds(20);
      while (true) {
        auto got = co_await timeout(wait, socket.recv_from(buffer));
        if (got.timed_out() || !got.value()) break;
        std::istringstream answer(
            datagram_text(std::span(buffer).first(got.value().value().size)));
        std::string word, their_id;
        answer >> word >> their_id;
        if (their_id != tag) continue;    // a late answer to an older request
        if (word + " " != prefix) break;  // not the leader: try the next
        std::string rest;
        std::getline(answer >> std::ws, rest);
        co_return rest;
      }
    }
  }
  co_return std::nullopt;
}

template <bool kFixed>
Async<void> deposed_leader_scenario() {
  using check::RegisterModel;
  sim::SimNet net;
  std::vector<sim::SimHost*> hosts = {&net.add_host("10.0.0.1"),
                                      &net.add_host("10.0.0.2"),
                                      &net.add_host("10.0.0.3")};
  sim::SimHost& client = net.add_host("10.0.0.9");
  std::vector<net::SocketAddr> replicas;
  for (sim::SimHost* host : hosts) replicas.push_back(host->addr(7000));
  for (int i = 0; i < 3; ++i) {
    auto self = std::make_shared<ElectedReplica>();
    self->id = i + 1;
    self->leader = i == 0;  // replica 1 leads term 1
    self->last_heard = hosts[i]->now();
    for (int j = 0; j < 3; ++j) {
      if (j != i) self->peers.push_back(replicas[j]);
    }
    sim::SimHost& host = *hosts[i];
    host.spawn(serve_replica<kFixed>(host, self,
                                     host.bind_udp(host.addr(7000)).value()));
    host.spawn(keep_leadership(host, self));
  }
  net::UdpSocket socket = client.bind_udp(net::SocketAddr()).value();
  check::History<RegisterModel> history;
  std::uint64_t id = 0;
  for (std::int64_t value = 1; value <= 6; ++value) {
    const auto write =
        history.invoke(1, RegisterModel::write(value), client.now());
    if (co_await ask_replicas(socket, replicas, "PUT", ++id,
                              " " + std::to_string(value), "OK ")) {
      history.complete(write, RegisterModel::ok(), client.now());
    }
    const auto read = history.invoke(1, RegisterModel::read(), client.now());
    if (auto seen =
            co_await ask_replicas(socket, replicas, "GET", ++id, "", "VAL ")) {
      history.complete(read, RegisterModel::read_returned(std::stoll(*seen)),
                       client.now());
    }
  }
  const check::CheckResult result = check::check_linearizable(history);
  WEFT_ASSERT(result,
              "the register's history is linearizable:\n" + result.explanation);
}

}  // namespace weft::zoo
