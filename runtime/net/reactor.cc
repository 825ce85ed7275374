#include "runtime/net/reactor.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "runtime/future/wake_list.h"

namespace weft::net {
namespace {

// epoll's data for the eventfd (slot indexes stay below it).
constexpr std::uint64_t kWakeToken = ~std::uint64_t{0};

std::uint64_t token_of(Reactor::Registration registration) noexcept {
  return (std::uint64_t{registration.index} << 32) | registration.generation;
}

int timeout_ms(std::optional<Instant> deadline, const Clock& clock) {
  if (!deadline) return -1;
  const Duration left = *deadline - clock.now();
  if (left <= Duration::zero()) return 0;
  // Rounded up: waking before the deadline would only spin.
  const auto ms = (left.count() + 999'999) / 1'000'000;
  return ms > 1'000'000 ? 1'000'000 : static_cast<int>(ms);
}

}  // namespace

Reactor::Reactor() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_create1");
  }
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    const int error = errno;
    close(epoll_fd_);
    throw std::system_error(error, std::generic_category(), "eventfd");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeToken;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event) != 0) {
    const int error = errno;
    close(wake_fd_);
    close(epoll_fd_);
    throw std::system_error(error, std::generic_category(), "epoll_ctl");
  }
}

Reactor::~Reactor() {
  if (registered_ != 0) {
    // A socket outliving its reactor would touch freed memory later.
    std::fprintf(stderr,
                 "weft: a Reactor was destroyed with %zu sockets still open; "
                 "close every socket (drop its tasks) before its Reactor\n",
                 registered_);
    std::abort();
  }
  close(wake_fd_);
  close(epoll_fd_);
}

Instant Reactor::now() const { return system_clock().now(); }

Reactor::Slot* Reactor::find(Registration registration) const noexcept {
  if (registration.index >= slots_.size()) return nullptr;
  Slot* slot = slots_[registration.index].get();
  return slot->in_use && slot->generation == registration.generation ? slot
                                                                     : nullptr;
}

IoResult<Reactor::Registration> Reactor::add(int fd) {
  Registration registration;
  {
    std::lock_guard lock(mutex_);
    if (free_slots_.empty()) {
      registration.index = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(std::make_unique<Slot>());
    } else {
      registration.index = free_slots_.back();
      free_slots_.pop_back();
    }
    Slot& slot = *slots_[registration.index];
    slot.fd = fd;
    slot.in_use = true;
    slot.events[0] = slot.events[1] = 0;
    registration.generation = slot.generation;
    ++registered_;
  }
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  event.data.u64 = token_of(registration);
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    const int error = errno;
    remove(registration);
    return IoError{error, "epoll_ctl"};
  }
  return registration;
}

void Reactor::remove(Registration registration) noexcept {
  Waker dropped[2];
  {
    std::lock_guard lock(mutex_);
    Slot* slot = find(registration);
    if (slot == nullptr) return;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, slot->fd, nullptr);
    for (int i = 0; i < 2; ++i) {
      if (!slot->wakers[i].empty()) --stored_wakers_;
      dropped[i] = std::move(slot->wakers[i]);
    }
    slot->in_use = false;
    slot->fd = -1;
    ++slot->generation;  // late events for the old socket miss
    free_slots_.push_back(registration.index);
    --registered_;
  }
  // Dropped outside the lock: a last reference may free a task whose
  // future closes another socket.
}

std::uint64_t Reactor::events_seen(Registration registration,
                                   Interest interest) const {
  std::lock_guard lock(mutex_);
  const Slot* slot = find(registration);
  return slot == nullptr ? 0 : slot->events[static_cast<int>(interest)];
}

bool Reactor::wait(Registration registration, Interest interest,
                   std::uint64_t seen, const Waker& waker) {
  Waker previous;
  {
    std::lock_guard lock(mutex_);
    Slot* slot = find(registration);
    const int i = static_cast<int>(interest);
    if (slot == nullptr || slot->events[i] != seen) return false;
    if (slot->wakers[i].empty()) {
      ++stored_wakers_;
    } else if (slot->wakers[i].will_wake(waker)) {
      return true;
    }
    previous = std::exchange(slot->wakers[i], waker);
  }
  return true;
}

void Reactor::forget(Registration registration, Interest interest) noexcept {
  Waker dropped;
  std::lock_guard lock(mutex_);
  Slot* slot = find(registration);
  const int i = static_cast<int>(interest);
  if (slot == nullptr || slot->wakers[i].empty()) return;
  --stored_wakers_;
  dropped = std::move(slot->wakers[i]);
  // `dropped` goes after the lock: declared before the guard.
}

bool Reactor::has_waiters() const {
  std::lock_guard lock(mutex_);
  return stored_wakers_ > 0;
}

void Reactor::unpark() noexcept {
  const std::uint64_t one = 1;
  // A full counter already means "wake up"; nothing to do on failure.
  [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof one);
}

void Reactor::park(std::optional<Instant> deadline, const Clock& clock) {
  constexpr int kEventsMax = 64;
  epoll_event events[kEventsMax];
  const int count =
      epoll_wait(epoll_fd_, events, kEventsMax, timeout_ms(deadline, clock));
  if (count <= 0) return;  // timeout, or EINTR: the caller looks again
  WakeList wakes;
  {
    std::lock_guard lock(mutex_);
    for (int e = 0; e < count; ++e) {
      if (events[e].data.u64 == kWakeToken) {
        std::uint64_t drained;
        [[maybe_unused]] const ssize_t got =
            read(wake_fd_, &drained, sizeof drained);
        continue;
      }
      const Registration registration{
          static_cast<std::uint32_t>(events[e].data.u64 >> 32),
          static_cast<std::uint32_t>(events[e].data.u64)};
      Slot* slot = find(registration);
      if (slot == nullptr) continue;  // closed since the event
      const std::uint32_t bits = events[e].events;
      const bool readable =
          (bits & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
      const bool writable = (bits & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
      for (int i = 0; i < 2; ++i) {
        if (i == 0 ? !readable : !writable) continue;
        ++slot->events[i];
        if (!slot->wakers[i].empty()) {
          --stored_wakers_;
          wakes.push(std::move(slot->wakers[i]));
        }
      }
    }
  }
  wakes.wake_all();
}

ReactorThread::ReactorThread(Reactor& reactor)
    : reactor_(reactor), thread_([this] {
        while (!stop_.load(std::memory_order_acquire)) {
          reactor_.park(std::nullopt, system_clock());
        }
      }) {}

ReactorThread::~ReactorThread() {
  stop_.store(true, std::memory_order_release);
  reactor_.unpark();
  thread_.join();
}

}  // namespace weft::net
