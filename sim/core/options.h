// weft::sim::SimOptions: what a simulated run may perturb, and the limits
// that turn a runaway run into a reported failure instead of a hang.
//
// Each perturbation has its own knob; a chance of 0 (or a max of 0) turns
// it off, and a kind that is off is never asked about, so it adds nothing
// to the decision list.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/task/clock.h"

namespace weft::sim {

struct Perturbations {
  // Run a runnable task other than the oldest.
  double reorder_probability = 0.5;
  // Hold a wake back for 1..hold_wake_steps_max steps (cross-thread wake
  // latency).
  double hold_wake_probability = 0.1;
  std::uint32_t hold_wake_steps_max = 4;
  // Poll an idle task that nobody woke.
  double spurious_poll_probability = 0.05;
  // Drop a task's future at a poll boundary; only tasks spawned with
  // spawn_cancellable().
  double cancel_probability = 0.05;
  // At a step, cancel one of the cancellable tasks that wait (on anything):
  // a cancellation where real code most often gets it wrong.
  double cancel_waiting_probability = 0.02;
  // Fire same-deadline timers in a decided order.
  double timer_tie_probability = 0.5;
  // Add up to time_step_max of virtual time before a step.
  double time_step_probability = 0.0;
  Duration time_step_max = Duration::zero();
  // Fire a timer up to timer_jitter_max early or late.
  double timer_jitter_probability = 0.0;
  Duration timer_jitter_max = Duration::zero();
  // Enable a buggify() call site for the run.
  double buggify_site_probability = 0.25;
  // At a weft::sync operation with other simulated threads able to run,
  // switch to one of them.
  double thread_switch_probability = 0.1;
  // At a relaxed or acquire load of a weft::sync::atomic whose older
  // stores the C++ memory model still lets it read, read one of them
  // (stale@T.N; 0 turns weak memory off: every load reads the newest).
  double stale_read_probability = 0.2;
  // The simulated network (sim/net/sim_net.h), per message: extra latency of
  // 1..net_delay_steps_max steps, a datagram lost or duplicated, a
  // connection reset, the link between sender and receiver cut for
  // 1..net_partition_steps_max steps (datagrams dropped, stream segments
  // delayed until it heals); per host, a clock skewed by up to
  // clock_skew_steps_max steps either way.
  double net_delay_probability = 0.1;
  double net_loss_probability = 0.02;
  double net_duplicate_probability = 0.02;
  double net_reset_probability = 0.002;
  double net_partition_probability = 0.005;
  double clock_skew_probability = 0.2;
  // Per message, a fault across the network (sim/net/nemesis.h): a host
  // isolated, a minority split off, a bridge, a clock jump, or a host that
  // declared how it restarts crashed and restarted, for
  // 1..network.nemesis_steps_max steps.
  double net_nemesis_probability = 0.01;
  // Per stream write, sent as two segments (segment@M): the rest arrives
  // a delay step after the first part, so one write can take two reads.
  double net_segment_probability = 0.05;
  // Storage (sim/storage/sim_disk.h). Per operation, extra latency of
  // 1..storage.delay_steps_max steps, and an injected fault: EIO on a
  // read, write or sync (a failed sync drops the dirty data, as Linux
  // does), ENOSPC or a short write on a write.
  double disk_delay_probability = 0.05;
  double disk_fault_probability = 0.02;
  // Per change not yet synced when its disk crashes: lost, or torn at a
  // sector boundary, instead of kept.
  double disk_crash_loss_probability = 0.3;
  // Per read, one sector read back corrupted (a latent sector error or a
  // bit flip), for code that claims to checksum; off by default.
  double disk_corrupt_probability = 0.0;
  // Per storage operation of a host that declared on_restart(): the host
  // crashes as it begins, and restarts 1..network.nemesis_steps_max
  // nemesis steps later (a crash between any two steps of a protocol).
  double disk_host_crash_probability = 0.01;

  // No perturbation at all: the run does what a FIFO executor does.
  static Perturbations none();
};

inline constexpr std::uint32_t kAtomicHistoryMax = 64;

struct Limits {
  std::uint64_t steps_max = 100'000;
  std::uint32_t tasks_max = 10'000;
  Duration virtual_time_max = std::chrono::hours(24);
  // Freed memory kept poisoned for use-after-drop checks (task cells,
  // coroutine frames, and heap blocks when //sim:heap_quarantine is
  // linked): at most this many bytes and blocks; the oldest go first.
  std::size_t quarantine_bytes_max = 64u << 20;
  std::size_t quarantine_blocks_max = 1u << 16;
  // Fairness: the oldest runnable task is passed over at most this many
  // picks in a row, so no sequence of decisions starves a correct program.
  std::uint32_t pick_skips_max = 16;
  // Simulated threads in one run, and weft::sync operations in one run
  // (a spinning thread's budget, as steps_max is a task's).
  std::uint32_t threads_max = 64;
  std::uint64_t sync_operations_max = 1'000'000;
  // Stores of one weft::sync::atomic kept for loads that may read an older
  // one (the newest included; 1: every load reads the newest), at most
  // kAtomicHistoryMax.
  std::uint32_t atomic_history = 4;
};

// The shape of the simulated network (sim/net/sim_net.h): what a message costs
// unperturbed and the units its perturbations come in.
struct NetworkShape {
  Duration latency = std::chrono::milliseconds(1);
  Duration delay_step = std::chrono::milliseconds(1);
  std::uint32_t net_delay_steps_max = 20;
  Duration partition_step = std::chrono::milliseconds(20);
  std::uint32_t net_partition_steps_max = 10;
  Duration clock_skew_step = std::chrono::milliseconds(5);
  std::uint32_t clock_skew_steps_max = 20;
  // How long a nemesis lasts (a crashed host stays down): 1..steps_max
  // steps; a clock jump is that many clock_skew_steps forward.
  Duration nemesis_step = std::chrono::milliseconds(50);
  std::uint32_t nemesis_steps_max = 10;
  // Bytes a connection carries in one direction before the writer waits
  // for the reader; datagrams queued at one socket before more are dropped.
  std::size_t stream_window_bytes = 64 * 1024;
  std::size_t datagram_queue_max = 256;
  // Fairness: after this many datagrams in a row lost or dropped at a cut
  // by decision between two hosts, the link between them behaves for
  // fair_window: no loss, no new cut, decided cuts ignored. No sequence of
  // decisions, even a fuzzer's, silences a link for good (partition() and
  // hold() still do what the test says).
  std::uint32_t datagram_drops_in_a_row_max = 16;
  Duration fair_window = std::chrono::milliseconds(200);
  // Hosts in one SimNet (links are kept per pair of hosts).
  std::uint32_t hosts_max = 1024;
  // Messages in one run (a runaway protocol is a failure, not a hang).
  std::uint64_t messages_max = 10'000'000;
};

// The shape of simulated disks (sim/storage/sim_disk.h): the unit a torn
// write is cut in, the unit of a decided delay, and what one disk may hold.
struct StorageShape {
  std::uint32_t sector_size = 512;  // 1..1 MiB
  Duration delay_step = std::chrono::microseconds(100);
  std::uint32_t delay_steps_max = 10;
  // Exceeding either is a misuse (a test that writes without bound), not
  // ENOSPC (which is a decided fault).
  std::uint64_t bytes_max = 256u << 20;  // current contents of one disk
  std::uint32_t files_max = 10'000;      // files and folders on one disk
};

struct SimOptions {
  Perturbations perturbations;
  Limits limits;
  NetworkShape network;
  StorageShape storage;
  // A wake through a waker from an earlier poll of a parked task is not
  // delivered (a future must keep the newest waker); if the task then never
  // wakes, the stale-waker checker reports it.
  bool strict_wakers = true;
  // Events kept in a failure's timeline (the last ones; the decisive
  // events of a report's run are shown besides, wherever they are).
  std::size_t timeline_events = 40;
  // Record the run in detail for a report: each event's source site, what
  // each decision chose between, the actors and messages (run_detail.h).
  // Reports replay their run once with it on; sweeps never pay for it.
  bool record_detail = false;
  // Called after every poll; a returned message ends the run as an
  // invariant failure (the GoogleTest glue reports new test failures here).
  std::function<std::optional<std::string>()> external_check;
  // Record where cancellable tasks waited (RunResult::cancel_points); the
  // cancellation sweep turns it on for its runs.
  bool record_cancel_points = false;
  // Count schedule coverage (sim/core/coverage.h) into RunResult::coverage; the
  // coverage-guided strategy turns it on for its runs.
  bool record_coverage = false;
  // Coverage marks (runtime/seam/mark.h) a sweep must reach in at least one
  // run; a sweep that never does fails with mark-never-reached.
  std::vector<std::string> required_marks;
};

inline Perturbations Perturbations::none() {
  Perturbations none;
  none.reorder_probability = 0;
  none.hold_wake_probability = 0;
  none.spurious_poll_probability = 0;
  none.cancel_probability = 0;
  none.cancel_waiting_probability = 0;
  none.timer_tie_probability = 0;
  none.buggify_site_probability = 0;
  none.thread_switch_probability = 0;
  none.stale_read_probability = 0;
  none.net_delay_probability = 0;
  none.net_loss_probability = 0;
  none.net_duplicate_probability = 0;
  none.net_reset_probability = 0;
  none.net_partition_probability = 0;
  none.clock_skew_probability = 0;
  none.net_nemesis_probability = 0;
  none.net_segment_probability = 0;
  none.disk_delay_probability = 0;
  none.disk_fault_probability = 0;
  none.disk_crash_loss_probability = 0;
  none.disk_corrupt_probability = 0;
  none.disk_host_crash_probability = 0;
  return none;
}

}  // namespace weft::sim
