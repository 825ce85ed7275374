// The data-race check on weft::sync::Cell: each access is compared with the
// last write and (for a write) with every thread's last read since, by the
// accessing thread's vector clock (sim_threads.h says what orders what).
#include "sim/report/site_text.h"
#include "sim/threads/sim_threads.h"
#include "sim/threads/thread_state.h"

namespace weft::sim {

struct SimThreads::RaceReport {
  std::uint32_t thread;
  SourceLocation site;
  std::uint64_t step;
  bool write;
};

void SimThreads::on_cell_access(const void* cell, bool write,
                                SourceLocation site) {
  // (Alone, the facade does not call: every access is ordered before any
  // thread spawned later.)
  if (stopping()) return;
  stopping_at(write ? ThreadOp::kCellWrite : ThreadOp::kCellRead, site);
  const VectorClock& clock = running_clock();
  Object& state = object(cell);
  const Epoch now{current_, clock.at(current_)};
  const std::uint64_t step = host_.step();
  if (state.written && state.write.thread != current_ &&
      !state.write.before(clock)) {
    report_race({state.write.thread, state.write_site, state.write_step, true},
                {current_, site, step, write});
    return;
  }
  if (write) {
    for (const Object::Read& read : state.reads) {
      if (read.epoch.thread != current_ && !read.epoch.before(clock)) {
        report_race({read.epoch.thread, read.site, read.step, false},
                    {current_, site, step, true});
        return;
      }
    }
    state.written = true;
    state.write = now;
    state.write_site = site;
    state.write_step = step;
    state.reads.clear();
    return;
  }
  for (Object::Read& read : state.reads) {
    if (read.epoch.thread == current_) {
      read = {now, site, step};
      return;
    }
  }
  state.reads.push_back({now, site, step});
}

void SimThreads::report_race(const RaceReport& earlier,
                             const RaceReport& later) {
  const auto access = [this](const RaceReport& report) {
    return thread_name(report.thread) + (report.write ? " wrote" : " read") +
           " it at " + site_text(report.site) + " (step " +
           std::to_string(report.step) + ")";
  };
  host_.fail(Checker::kDataRace,
             "data race on a weft::sync::Cell: " + access(earlier) + ", and " +
                 access(later) +
                 ", with nothing ordering the two (no lock, "
                 "acquire/release pair, spawn, join or wake between "
                 "them)\n" +
                 describe_threads(),
             later.site);
}

}  // namespace weft::sim
