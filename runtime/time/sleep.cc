#include "runtime/time/sleep.h"

#include "runtime/seam/misuse.h"
#include "runtime/task/executor.h"

namespace weft {
namespace {

const std::shared_ptr<TimerService>& current_timers(const char* what,
                                                    SourceLocation at) {
  Executor* executor = Executor::current();
  if (executor == nullptr) report_misuse(what, at);
  return executor->timers();
}

}  // namespace

Instant now(SourceLocation at) {
  return current_timers("weft::now() called outside a task (no executor)", at)
      ->now();
}

Sleep::Sleep(Sleep&& other) noexcept
    : deadline_(other.deadline_),
      duration_(other.duration_),
      at_(other.at_),
      done_(other.done_) {
  // An armed entry's address is in the timer heap; it cannot move. The
  // other one keeps it (and disarms it when dropped); this one is inert.
  if (other.armed_) {
    report_misuse_no_unwind("a Sleep was moved after its first poll", at_);
    done_ = true;
    return;
  }
  timers_ = std::move(other.timers_);
}

Sleep::~Sleep() {
  if (armed_) timers_->disarm(entry_);
}

Poll<void> Sleep::poll(Context& cx) {
  if (done_) report_misuse("poll of a Sleep after it returned Ready", at_);
  if (timers_ == nullptr) {
    timers_ =
        current_timers("a Sleep was polled outside a task (no executor)", at_);
  }
  if (!armed_) {
    const Instant now = timers_->now();
    if (!deadline_) deadline_ = now + duration_;
    if (*deadline_ <= now) {
      done_ = true;
      return ready();
    }
    timers_->arm(entry_, *deadline_, cx.waker(), at_);
    armed_ = true;
    return kPending;
  }
  if (!timers_->check(entry_, cx.waker())) return kPending;
  timers_->disarm(entry_);
  armed_ = false;
  done_ = true;
  return ready();
}

void Sleep::reset(Instant deadline) {
  if (armed_) {
    timers_->disarm(entry_);
    armed_ = false;
  }
  deadline_ = deadline;
  done_ = false;
}

}  // namespace weft
