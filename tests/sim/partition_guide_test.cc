// The partition test of docs/guide.md, section 9, as it is written there:
// the primary/backup register of sim/zoo/backup_ack.h (the fixed twin)
// must not acknowledge a write while the backup is cut off, and every
// acknowledged write must survive the primary's crash once the link heals.
#include <chrono>

#include "sim/weft_sim.h"
#include "sim/zoo/backup_ack.h"

using namespace std::chrono_literals;
using weft::net::SocketAddr;
using weft::net::UdpSocket;

WEFT_SIM_TEST(Replication, NoAcknowledgementWhileTheBackupIsCutOff) {
  weft::sim::SimNet net;
  weft::sim::SimHost& primary = net.add_host("10.0.0.1");
  weft::sim::SimHost& backup = net.add_host("10.0.0.2");
  weft::sim::SimHost& client = net.add_host("10.0.0.9");
  auto replica = std::make_shared<weft::zoo::Replica>();
  backup.spawn(
      weft::zoo::follow(backup.bind_udp(backup.addr(9000)).value(), replica));
  primary.spawn(weft::zoo::lead<true>(
      primary.bind_udp(primary.addr(8000)).value(),
      primary.bind_udp(primary.addr(9000)).value(), backup.addr(9000)));
  UdpSocket socket = client.bind_udp(SocketAddr()).value();

  net.partition({&primary}, {&backup});
  auto write =
      client.spawn(weft::zoo::ask(socket, primary.addr(8000), "PUT 1", "OK 1"));
  co_await weft::sleep_for(100ms);
  WEFT_ASSERT(!write.is_finished(),
              "no acknowledgement while the backup is cut off");

  net.heal();
  WEFT_ASSERT((co_await std::move(write)).has_value(), "acknowledged");
  primary.crash();
  auto value =
      co_await weft::zoo::ask(socket, backup.addr(9000), "GET", "VAL ");
  WEFT_ASSERT(value == "1", "the acknowledged write is on the backup");
}
