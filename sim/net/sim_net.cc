#include "sim/net/sim_net.h"

#include "runtime/seam/misuse.h"
#include "sim/core/simulator.h"
#include "sim/net/core.h"

namespace weft::sim {

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
  if (!core_->in_own_run())
    core_->report_used_after_run("a weft::sim::SimNet (add_host)");
  const std::string text(ip);
  const std::optional<net::SocketAddr> address = net::SocketAddr::parse_ip(ip);
  if (!address) {
    report_misuse("SimNet::add_host: '" + text +
                  "' is not an IP literal (accepted: a.b.c.d or an IPv6 "
                  "literal, no port)");
  }
  if (core_->host_count() >= core_->shape().hosts_max) {
    report_misuse("SimNet::add_host: more than " +
                  std::to_string(core_->shape().hosts_max) +
                  " hosts (network.hosts_max)");
  }
  if (address->is_unspecified() || core_->find_host(*address) != nullptr) {
    report_misuse("SimNet::add_host: '" + text +
                  "' is unspecified or already a host's address");
  }
  return core_->add_host(*address);
}

namespace {

void check_owned(const NetCore& core, const SimHost& host, const char* what) {
  if (!core.owns(host)) {
    report_misuse(std::string("SimNet::") + what + ": host " +
                  host.ip().ip_string() + " belongs to another SimNet");
  }
}

}  // namespace

SimHost& SimNet::host(std::string_view ip) const {
  if (!core_->in_own_run())
    core_->report_used_after_run("a weft::sim::SimNet (host)");
  const std::optional<net::SocketAddr> address = net::SocketAddr::parse_ip(ip);
  SimHost* host = address ? core_->find_host(*address) : nullptr;
  if (host == nullptr) {
    report_misuse("SimNet::host: no host has address '" + std::string(ip) +
                  "'");
  }
  return *host;
}

void SimNet::partition(std::span<SimHost* const> a,
                       std::span<SimHost* const> b) {
  if (!core_->in_own_run())
    core_->report_used_after_run("a weft::sim::SimNet (partition)");
  for (SimHost* x : a) {
    for (SimHost* y : b) {
      check_owned(*core_, *x, "partition");
      check_owned(*core_, *y, "partition");
      if (x != y) {
        core_->set_cut(core_->host_index(*x), core_->host_index(*y), true);
      }
    }
  }
}

void SimNet::heal() {
  if (!core_->in_own_run())
    core_->report_used_after_run("a weft::sim::SimNet (heal)");
  core_->heal_all();
}

void SimNet::hold(SimHost& from, SimHost& to) {
  if (!core_->in_own_run())
    core_->report_used_after_run("a weft::sim::SimNet (hold)");
  check_owned(*core_, from, "hold");
  check_owned(*core_, to, "hold");
  core_->set_held(core_->host_index(from), core_->host_index(to), true);
}

void SimNet::release(SimHost& from, SimHost& to) {
  if (!core_->in_own_run())
    core_->report_used_after_run("a weft::sim::SimNet (release)");
  check_owned(*core_, from, "release");
  check_owned(*core_, to, "release");
  core_->set_held(core_->host_index(from), core_->host_index(to), false);
}

void SimNet::describe_messages(MessageDescriber describer) {
  core_->set_describer(std::move(describer));
}

std::uint64_t SimNet::messages_sent() const noexcept { return core_->sent(); }
std::uint64_t SimNet::messages_delivered() const noexcept {
  return core_->delivered();
}

SimHost::SimHost(NetCore& core, net::SocketAddr ip, std::uint32_t index,
                 std::uint32_t number, Duration skew)
    : core_(core), ip_(ip), index_(index), number_(number), skew_(skew) {}

SimHost::~SimHost() = default;

std::string SimHost::name() const {
  return "weft::sim::SimHost " + ip_.ip_string();
}

SimDisk& SimHost::disk() {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (disk)");
  if (disk_ == nullptr) {
    disk_ =
        std::make_unique<SimDisk>("disk of host " + std::to_string(number_) +
                                  " (" + ip_.ip_string() + ")");
    disk_->set_halt(
        [this](std::uint64_t op) { return core_.halt_at(index_, op); });
  }
  return *disk_;
}

void SimHost::crash() {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (crash)");
  if (up_) core_.crash(index_);
}

void SimHost::restart() {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (restart)");
  if (up_) return;
  core_.restart(index_);
}

void SimHost::on_restart(std::function<void(SimHost&)> start) {
  if (!core_.in_own_run()) {
    core_.report_used_after_run(name() + " (on_restart)");
  }
  on_restart_ = std::move(start);
}

Instant SimHost::now() const {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (now)");
  return core_.now() + skew_;
}

void SimHost::adopt_task(AbortHandle task) {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (spawn)");
  core_.adopt(index_, std::move(task));
}

net::IoResult<std::unique_ptr<net::ListenerIo>> SimHost::open_listener(
    const net::SocketAddr& at) {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (bind_tcp)");
  return core_.open_listener(index_, at);
}

net::IoResult<std::unique_ptr<net::DatagramIo>> SimHost::open_datagram(
    const net::SocketAddr& at) {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (bind_udp)");
  return core_.open_datagram(index_, at);
}

std::unique_ptr<net::ConnectIo> SimHost::open_connect(
    const net::SocketAddr& to) {
  if (!core_.in_own_run()) core_.report_used_after_run(name() + " (connect)");
  return core_.open_connect(index_, to);
}

}  // namespace weft::sim
