// Simulated threads: the C++ memory model of weft::sync::atomic. What an
// atomic load may read, what a store, read-modify-write or fence
// publishes, with the vector clocks the data-race check follows.
//
// Modelled (each rule of the C++ standard's [intro.races] and
// [atomics.order] it comes from):
//   - a relaxed, consume or acquire load reads the newest store or an
//     older one in the location's history, unless a newer store, or a read
//     of one, happens before the load (write-read and read-read coherence);
//     each older choice is a kStaleRead decision;
//   - read-modify-writes and seq_cst loads read the newest store (RMW
//     atomicity; a seq_cst load reads the last store in the total order);
//   - an acquire load (or RMW) that reads a release store synchronizes
//     with it; a relaxed RMW continues the release sequence it reads, a
//     relaxed store ends it (C++20);
//   - release fences publish through the relaxed stores after them, and
//     acquire fences take what the relaxed loads before them read;
//   - seq_cst fences and seq_cst stores are ordered by one clock: a fence
//     sees every seq_cst store and fence before it (stronger than the
//     standard, which orders them without synchronizing: a behaviour the
//     standard allows may be missed, none it forbids is produced).
// Not modelled: a store entering the modification order before a store
// that already ran (2+2W's weak outcome), a load reading a store that has
// not run yet (load buffering, out-of-thin-air values), a failed
// compare-exchange reading an older value, and stores older than
// limits.atomic_history.
#include "sim/report/site_text.h"
#include "sim/threads/sim_threads.h"
#include "sim/threads/thread_state.h"

namespace weft::sim {
namespace {

// A thread that read older stores of one atomic this many times in a row
// reads the newest next (stores become visible "in a finite period of
// time", [intro.progress]): a spinning reader ends its wait.
constexpr std::uint32_t kStaleReadsInARowMax = 4;

bool acquires(std::memory_order order) {
  return order == std::memory_order_acquire ||
         order == std::memory_order_consume ||
         order == std::memory_order_acq_rel ||
         order == std::memory_order_seq_cst;
}

bool releases(std::memory_order order) {
  return order == std::memory_order_release ||
         order == std::memory_order_acq_rel ||
         order == std::memory_order_seq_cst;
}

std::string_view order_name(std::memory_order order) {
  switch (order) {
    case std::memory_order_relaxed:
      return "relaxed";
    case std::memory_order_consume:
      return "consume";
    case std::memory_order_acquire:
      return "acquire";
    case std::memory_order_release:
      return "release";
    case std::memory_order_acq_rel:
      return "acq_rel";
    case std::memory_order_seq_cst:
      return "seq_cst";
  }
  return "?";
}

}  // namespace

StoreHistory& SimThreads::history_of(const void* atomic,
                                     std::uint64_t current) {
  StoreHistory& history = object(atomic).history;
  if (history.empty()) {
    // First seen since threads started: what it holds now was stored
    // before (alone, or when it was made), which orders it before all.
    StoreRecord& initial = history.push(atomic_history_);
    initial.value = current;
    initial.store = Epoch{0, 0};
    initial.release.clear();
    initial.reads.clear();
    initial.site = {};
    initial.step = 0;
    initial.read_modify_write = false;
  }
  return history;
}

std::size_t SimThreads::stale_choice(StoreHistory& history,
                                     std::memory_order order, bool modelled) {
  Thread& self = *threads_[current_];
  ++self.loads;
  if (!modelled || order == std::memory_order_seq_cst || stale_chance_ == 0 ||
      history.size() < 2 || stopping()) {
    return 0;
  }
  std::uint32_t& in_a_row = history.stale_reads_in_a_row(current_);
  if (in_a_row >= kStaleReadsInARowMax) {
    in_a_row = 0;
    return 0;
  }
  // Older stores stay readable until one newer than them was observed.
  std::size_t visible = 1;
  while (visible < history.size() &&
         !history.newest(visible - 1).observed_before(self.clock)) {
    ++visible;
  }
  if (visible < 2) {
    in_a_row = 0;
    return 0;
  }
  const std::uint32_t chosen = host_.decide(
      DecisionKind::kStaleRead, static_cast<std::uint32_t>(visible),
      stale_chance_, {current_, self.loads}, {});
  in_a_row = chosen > 0 ? in_a_row + 1 : 0;
  return chosen;
}

void SimThreads::took_effect(StoreRecord& read, std::memory_order order) {
  Thread& self = *threads_[current_];
  if (acquires(order)) {
    self.clock.join(read.release);
  } else {
    self.fence_acquire.join(read.release);  // for a later acquire fence
  }
  read.reads.raise(current_, self.clock.at(current_));
}

bool SimThreads::atomic_read(const void* atomic, std::memory_order order,
                             SourceLocation site, std::uint64_t* value) {
  StoreHistory& history = history_of(atomic, value != nullptr ? *value : 0);
  const std::size_t chosen = stale_choice(history, order, value != nullptr);
  StoreRecord& read = history.newest(chosen);
  took_effect(read, order);
  if (host_.records_coverage()) [[unlikely]] {
    host_.reads_from_coverage(site, read.site, chosen);
  }
  if (chosen == 0) return false;
  if (host_.detail() != nullptr) [[unlikely]] {
    describe_stale_read(history, chosen, order, site);
  }
  *value = read.value;
  return true;
}

void SimThreads::atomic_written(const void* atomic, sync::AccessKind kind,
                                std::memory_order order, SourceLocation site,
                                bool stored, std::uint64_t previous,
                                std::uint64_t value) {
  StoreHistory& history = history_of(atomic, previous);
  Thread& self = *threads_[current_];
  if (!stored) {  // a failed compare-exchange: a load of the newest value
    ++self.loads;
    took_effect(history.newest(0), order);
    return;
  }
  // What the new store publishes: a read-modify-write continues the
  // release sequence of the store it reads; a relaxed store publishes only
  // what a release fence before it did.
  release_scratch_.clear();
  if (kind == sync::AccessKind::kReadModifyWrite) {
    StoreRecord& read = history.newest(0);
    if (acquires(order)) {
      self.clock.join(read.release);
    } else {
      self.fence_acquire.join(read.release);
    }
    release_scratch_ = read.release;
  }
  if (releases(order)) {
    release_scratch_.join(self.clock);
  } else if (self.fence_released) {
    release_scratch_.join(self.fence_release);
  }
  StoreRecord& record = history.push(atomic_history_);
  record.value = value;
  record.store = Epoch{current_, self.clock.at(current_)};
  record.release = release_scratch_;  // keeps its capacity
  record.reads.clear();
  record.site = site;
  record.step = host_.step();
  record.read_modify_write = kind == sync::AccessKind::kReadModifyWrite;
  if (order == std::memory_order_seq_cst) seq_cst_clock_.join(self.clock);
  // What comes after a release is not published by it.
  if (releases(order)) self.clock.tick(current_);
}

void SimThreads::fence(std::memory_order order, SourceLocation site) {
  stopping_at(ThreadOp::kFence, site);
  count_operation();
  reschedule(true);
  Thread& self = *threads_[current_];
  if (acquires(order)) self.clock.join(self.fence_acquire);
  if (order == std::memory_order_seq_cst) {
    self.clock.join(seq_cst_clock_);
    seq_cst_clock_.join(self.clock);
  }
  if (releases(order)) {
    self.fence_release = self.clock;
    self.fence_released = true;
    self.clock.tick(current_);
  }
}

void SimThreads::describe_stale_read(StoreHistory& history, std::size_t chosen,
                                     std::memory_order order,
                                     SourceLocation site) {
  RunDetail* detail = host_.detail();
  if (detail == nullptr || detail->decision_events.empty()) return;
  const auto store_words = [this](const StoreRecord& record) {
    if (!record.site.known()) {
      return std::string("the value it held before the threads first used it");
    }
    return std::string(record.read_modify_write ? "the read-modify-write"
                                                : "the store") +
           " by " + thread_name(record.store.thread) + " at " +
           site_text(record.site) + " (step " + std::to_string(record.step) +
           ")";
  };
  const StoreRecord& read = history.newest(chosen);
  const StoreRecord& missed = history.newest(chosen - 1);
  std::string words = "the " + std::string(order_name(order)) +
                      " atomic load at " + site_text(site) + " in " +
                      thread_name(current_) +
                      " read an older value: " + store_words(read) + ", not " +
                      store_words(missed);
  if (chosen > 1) {
    words += " (nor " + std::to_string(chosen - 1) + " newer store" +
             (chosen > 2 ? "s" : "") + " after it)";
  }
  RunDetail::slot(detail->decision_words, detail->decision_events.size()) =
      std::move(words);
}

}  // namespace weft::sim
