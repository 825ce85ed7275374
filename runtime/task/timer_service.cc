#include "runtime/task/timer_service.h"

#include <algorithm>
#include <utility>

#include "runtime/future/wake_list.h"
#include "runtime/seam/check.h"
#include "runtime/seam/misuse.h"
#include "runtime/sync/mutex.h"

namespace weft {

TimerService::~TimerService() = default;

void TimerService::arm(TimerEntry& entry, Instant deadline, const Waker& waker,
                       SourceLocation at) {
  sync::lock_guard lock(mutex_);
  if (shut_down_) {
    report_misuse("a timer was armed on an executor that has shut down", at);
  }
  if (entry.heap_index_ != TimerEntry::kNotArmed) {
    report_misuse("a TimerEntry was armed twice", at);
  }
  entry.deadline_ = adjust_deadline(deadline);
  entry.sequence_ = next_sequence_++;
  entry.fired_ = false;
  entry.waker_ = waker;
  entry.armed_at_ = at;
  heap_.push_back(&entry);
  place(heap_.size() - 1, &entry);
  sift_up(heap_.size() - 1);
  if (heap_.front() == &entry) on_earlier_deadline();
}

bool TimerService::check(TimerEntry& entry, const Waker& waker) {
  sync::lock_guard lock(mutex_);
  if (entry.fired_) return true;
  store_waker(entry.waker_, waker);
  return false;
}

void TimerService::disarm(TimerEntry& entry) noexcept {
  Waker dropped;
  {
    sync::lock_guard lock(mutex_);
    if (entry.heap_index_ != TimerEntry::kNotArmed) {
      remove_at(entry.heap_index_);
    }
    dropped = std::move(entry.waker_);
  }
}

std::optional<Instant> TimerService::next_deadline() const {
  sync::lock_guard lock(mutex_);
  if (heap_.empty()) return std::nullopt;
  return heap_.front()->deadline_;
}

std::size_t TimerService::armed_count() const {
  sync::lock_guard lock(mutex_);
  return heap_.size();
}

std::size_t TimerService::fire_due(Instant now) {
  std::size_t fired = 0;
  // Each timer wakes with the site that armed it (what a simulation's
  // report shows); four at once without allocating.
  struct Due {
    Waker waker;
    SourceLocation armed_at;
  };
  while (true) {
    Due due_inline[4];
    std::vector<Due> due_more;
    std::size_t due_count = 0;
    sync::unique_lock lock(mutex_);
    if (heap_.empty() || heap_.front()->deadline_ > now) return fired;
    // Take every timer sharing the earliest deadline, let the tie order be
    // chosen, and fire them in that order, after the lock is released (a
    // waker may arm or disarm a timer of this service).
    const Instant deadline = heap_.front()->deadline_;
    batch_.clear();
    while (!heap_.empty() && heap_.front()->deadline_ == deadline) {
      batch_.push_back(pop_min());
    }
    order_ties(std::span<TimerEntry*>(batch_));
    for (TimerEntry* entry : batch_) {
      entry->fired_ = true;
      Due due{std::move(entry->waker_), entry->armed_at_};
      if (due_count < 4) {
        due_inline[due_count] = std::move(due);
      } else {
        due_more.push_back(std::move(due));
      }
      ++due_count;
      ++fired;
    }
    lock.unlock();
    for (std::size_t i = 0; i < due_count && i < 4; ++i) {
      if (due_inline[i].waker) {
        std::move(due_inline[i].waker).wake(due_inline[i].armed_at);
      }
    }
    for (Due& due : due_more) {
      if (due.waker) std::move(due.waker).wake(due.armed_at);
    }
  }
}

std::vector<SourceLocation> TimerService::armed_sites() const {
  sync::lock_guard lock(mutex_);
  std::vector<const TimerEntry*> sorted(heap_.begin(), heap_.end());
  std::sort(sorted.begin(), sorted.end(), earlier);
  std::vector<SourceLocation> sites;
  for (const TimerEntry* entry : sorted) sites.push_back(entry->armed_at_);
  return sites;
}

void TimerService::shut_down() {
  sync::lock_guard lock(mutex_);
  shut_down_ = true;
}

void TimerService::order_ties(std::span<TimerEntry*>) {}

bool TimerService::earlier(const TimerEntry* a, const TimerEntry* b) noexcept {
  if (a->deadline_ != b->deadline_) return a->deadline_ < b->deadline_;
  return a->sequence_ < b->sequence_;
}

void TimerService::place(std::size_t index, TimerEntry* entry) noexcept {
  heap_[index] = entry;
  entry->heap_index_ = index;
}

void TimerService::sift_up(std::size_t index) noexcept {
  TimerEntry* entry = heap_[index];
  while (index > 0) {
    const std::size_t parent = (index - 1) / 2;
    if (!earlier(entry, heap_[parent])) break;
    place(index, heap_[parent]);
    index = parent;
  }
  place(index, entry);
}

void TimerService::sift_down(std::size_t index) noexcept {
  TimerEntry* entry = heap_[index];
  const std::size_t size = heap_.size();
  while (true) {
    std::size_t child = 2 * index + 1;
    if (child >= size) break;
    if (child + 1 < size && earlier(heap_[child + 1], heap_[child])) ++child;
    if (!earlier(heap_[child], entry)) break;
    place(index, heap_[child]);
    index = child;
  }
  place(index, entry);
}

TimerEntry* TimerService::pop_min() noexcept {
  TimerEntry* entry = heap_.front();
  remove_at(0);
  return entry;
}

void TimerService::remove_at(std::size_t index) noexcept {
  WEFT_CHECK_LT(index, heap_.size());
  TimerEntry* removed = heap_[index];
  WEFT_CHECK_EQ(removed->heap_index_, index);
  TimerEntry* last = heap_.back();
  heap_.pop_back();
  removed->heap_index_ = TimerEntry::kNotArmed;
  if (removed == last) return;
  place(index, last);
  sift_up(index);
  sift_down(last->heap_index_);
}

}  // namespace weft
