#include "sim/core/options_check.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

namespace weft::sim {
namespace {

// A decided count of steps (of delay, hold, cut, skew) stays far inside
// a decision's 32-bit number of options.
constexpr std::uint64_t kDecidedStepsMax = 1'000'000;
// A duration times its steps stays inside 2^60 ns (36 years), so that no
// sum of virtual times overflows.
constexpr std::int64_t kVirtualNanosecondsMax = std::int64_t{1} << 60;

class Checker {
 public:
  void probability(const char* field, double value) {
    if (problem_) return;
    if (std::isnan(value) || value < 0.0 || value > 1.0) {
      fail(field, format(value), "a probability is a number from 0 to 1");
    }
  }
  void duration(const char* field, Duration value) {
    if (problem_) return;
    if (value < Duration::zero() || value.count() > kVirtualNanosecondsMax) {
      fail(field, std::to_string(value.count()) + " ns",
           "a duration from 0 to 2^60 ns (about 36 years)");
    }
  }
  void positive_duration(const char* field, Duration value) {
    if (problem_) return;
    if (value <= Duration::zero() || value.count() > kVirtualNanosecondsMax) {
      fail(field, std::to_string(value.count()) + " ns",
           "a duration above 0 and at most 2^60 ns (about 36 years)");
    }
  }
  void at_least_one(const char* field, std::uint64_t value) {
    if (problem_) return;
    if (value == 0) fail(field, "0", "at least 1");
  }
  void in_range(const char* field, std::uint64_t value, std::uint64_t low,
                std::uint64_t high) {
    if (problem_) return;
    if (value < low || value > high) {
      fail(field, std::to_string(value),
           "a whole number from " + std::to_string(low) + " to " +
               std::to_string(high));
    }
  }
  void decided_steps(const char* field, std::uint64_t value) {
    if (problem_) return;
    if (value > kDecidedStepsMax) {
      fail(field, std::to_string(value),
           "a number of steps from 0 to " + std::to_string(kDecidedStepsMax));
    }
  }
  // `unit * steps` must stay inside the virtual clock.
  void product(const char* unit_field, Duration unit, const char* steps_field,
               std::uint64_t steps) {
    if (problem_ || unit <= Duration::zero() || steps == 0) return;
    if (static_cast<std::uint64_t>(unit.count()) >
        static_cast<std::uint64_t>(kVirtualNanosecondsMax) / steps) {
      problem_ = std::string("SimOptions ") + unit_field + " (" +
                 std::to_string(unit.count()) + " ns) times " + steps_field +
                 " (" + std::to_string(steps) +
                 ") passes 2^60 ns of virtual time; lower one of them";
    }
  }
  std::optional<std::string> result() const { return problem_; }

 private:
  static std::string format(double value) {
    if (std::isnan(value)) return "NaN";
    char text[40];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
  }
  void fail(const char* field, const std::string& value,
            const std::string& accepted) {
    problem_ = std::string("SimOptions ") + field + " is " + value +
               ", which is not accepted: " + accepted;
  }

  std::optional<std::string> problem_;
};

}  // namespace

std::optional<std::string> options_problem(const SimOptions& options) {
  Checker check;
  const Perturbations& p = options.perturbations;
  check.probability("perturbations.reorder_probability", p.reorder_probability);
  check.probability("perturbations.hold_wake_probability",
                    p.hold_wake_probability);
  check.decided_steps("perturbations.hold_wake_steps_max",
                      p.hold_wake_steps_max);
  check.probability("perturbations.spurious_poll_probability",
                    p.spurious_poll_probability);
  check.probability("perturbations.cancel_probability", p.cancel_probability);
  check.probability("perturbations.cancel_waiting_probability",
                    p.cancel_waiting_probability);
  check.probability("perturbations.timer_tie_probability",
                    p.timer_tie_probability);
  check.probability("perturbations.time_step_probability",
                    p.time_step_probability);
  check.duration("perturbations.time_step_max", p.time_step_max);
  check.probability("perturbations.timer_jitter_probability",
                    p.timer_jitter_probability);
  check.duration("perturbations.timer_jitter_max", p.timer_jitter_max);
  check.probability("perturbations.buggify_site_probability",
                    p.buggify_site_probability);
  check.probability("perturbations.thread_switch_probability",
                    p.thread_switch_probability);
  check.probability("perturbations.stale_read_probability",
                    p.stale_read_probability);
  check.probability("perturbations.net_delay_probability",
                    p.net_delay_probability);
  check.probability("perturbations.net_loss_probability",
                    p.net_loss_probability);
  check.probability("perturbations.net_duplicate_probability",
                    p.net_duplicate_probability);
  check.probability("perturbations.net_reset_probability",
                    p.net_reset_probability);
  check.probability("perturbations.net_partition_probability",
                    p.net_partition_probability);
  check.probability("perturbations.clock_skew_probability",
                    p.clock_skew_probability);
  check.probability("perturbations.net_nemesis_probability",
                    p.net_nemesis_probability);
  check.probability("perturbations.net_segment_probability",
                    p.net_segment_probability);
  check.probability("perturbations.disk_delay_probability",
                    p.disk_delay_probability);
  check.probability("perturbations.disk_fault_probability",
                    p.disk_fault_probability);
  check.probability("perturbations.disk_crash_loss_probability",
                    p.disk_crash_loss_probability);
  check.probability("perturbations.disk_corrupt_probability",
                    p.disk_corrupt_probability);
  check.probability("perturbations.disk_host_crash_probability",
                    p.disk_host_crash_probability);

  const Limits& l = options.limits;
  check.at_least_one("limits.steps_max", l.steps_max);
  check.at_least_one("limits.tasks_max", l.tasks_max);
  check.positive_duration("limits.virtual_time_max", l.virtual_time_max);
  check.at_least_one("limits.pick_skips_max", l.pick_skips_max);
  check.at_least_one("limits.threads_max", l.threads_max);
  check.at_least_one("limits.sync_operations_max", l.sync_operations_max);
  check.in_range("limits.atomic_history", l.atomic_history, 1,
                 kAtomicHistoryMax);

  const NetworkShape& n = options.network;
  check.duration("network.latency", n.latency);
  check.duration("network.delay_step", n.delay_step);
  check.decided_steps("network.net_delay_steps_max", n.net_delay_steps_max);
  check.product("network.delay_step", n.delay_step,
                "network.net_delay_steps_max", n.net_delay_steps_max);
  check.duration("network.partition_step", n.partition_step);
  check.decided_steps("network.net_partition_steps_max",
                      n.net_partition_steps_max);
  check.product("network.partition_step", n.partition_step,
                "network.net_partition_steps_max", n.net_partition_steps_max);
  check.duration("network.clock_skew_step", n.clock_skew_step);
  check.decided_steps("network.clock_skew_steps_max", n.clock_skew_steps_max);
  check.product("network.clock_skew_step", n.clock_skew_step,
                "network.clock_skew_steps_max", n.clock_skew_steps_max);
  check.duration("network.nemesis_step", n.nemesis_step);
  check.decided_steps("network.nemesis_steps_max", n.nemesis_steps_max);
  check.product("network.nemesis_step", n.nemesis_step,
                "network.nemesis_steps_max", n.nemesis_steps_max);
  check.product("network.clock_skew_step", n.clock_skew_step,
                "network.nemesis_steps_max", n.nemesis_steps_max);
  check.at_least_one("network.stream_window_bytes", n.stream_window_bytes);
  check.at_least_one("network.datagram_queue_max", n.datagram_queue_max);
  check.at_least_one("network.datagram_drops_in_a_row_max",
                     n.datagram_drops_in_a_row_max);
  check.duration("network.fair_window", n.fair_window);
  check.at_least_one("network.hosts_max", n.hosts_max);
  check.at_least_one("network.messages_max", n.messages_max);

  const StorageShape& s = options.storage;
  check.in_range("storage.sector_size", s.sector_size, 1, 1u << 20);
  check.duration("storage.delay_step", s.delay_step);
  check.decided_steps("storage.delay_steps_max", s.delay_steps_max);
  check.product("storage.delay_step", s.delay_step, "storage.delay_steps_max",
                s.delay_steps_max);
  check.at_least_one("storage.bytes_max", s.bytes_max);
  check.at_least_one("storage.files_max", s.files_max);
  return check.result();
}

}  // namespace weft::sim
