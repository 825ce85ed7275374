#include "runtime/fs/uring_driver.h"

#include <cerrno>
#include <cstring>

#include "runtime/seam/misuse.h"

#if WEFT_HAS_IO_URING
#include <liburing.h>
#endif

namespace weft::fs {

#if !WEFT_HAS_IO_URING

std::shared_ptr<UringDriver> UringDriver::start(unsigned, std::string& why) {
  why = "weft was built without liburing";
  return nullptr;
}
UringDriver::~UringDriver() = default;
void UringDriver::submit(std::shared_ptr<Op>) {}

#else

std::shared_ptr<UringDriver> UringDriver::start(unsigned entries,
                                                std::string& why) {
  auto ring = std::make_unique<io_uring>();
  const int status = io_uring_queue_init(entries, ring.get(), 0);
  if (status < 0) {
    why = std::string("io_uring_queue_init: ") + std::strerror(-status);
    return nullptr;
  }
  return std::shared_ptr<UringDriver>(new UringDriver(std::move(ring)));
}

UringDriver::UringDriver(std::unique_ptr<io_uring> ring)
    : ring_(std::move(ring)), reaper_([this] { reap(); }) {}

UringDriver::~UringDriver() {
  std::unique_lock lock(mutex_);
  drained_.wait(lock, [this] { return in_flight_.empty(); });
  // A no-op without an operation tells the reaper to stop.
  io_uring_sqe* entry = io_uring_get_sqe(ring_.get());
  if (entry == nullptr) {
    io_uring_submit(ring_.get());
    entry = io_uring_get_sqe(ring_.get());
  }
  io_uring_prep_nop(entry);
  io_uring_sqe_set_data(entry, nullptr);
  io_uring_submit(ring_.get());
  lock.unlock();
  reaper_.join();
  io_uring_queue_exit(ring_.get());
}

void UringDriver::submit(std::shared_ptr<Op> op) {
  std::lock_guard lock(mutex_);
  io_uring_sqe* entry = io_uring_get_sqe(ring_.get());
  if (entry == nullptr) {  // the queue is full: hand it to the kernel
    io_uring_submit(ring_.get());
    entry = io_uring_get_sqe(ring_.get());
    if (entry == nullptr) report_misuse("io_uring: no submission entry");
  }
  op->prepare(*entry);
  io_uring_sqe_set_data(entry, op.get());
  in_flight_.emplace(op.get(), std::move(op));
  io_uring_submit(ring_.get());
}

void UringDriver::reap() {
  while (true) {
    io_uring_cqe* completion = nullptr;
    const int status = io_uring_wait_cqe(ring_.get(), &completion);
    if (status == -EINTR) continue;
    if (status < 0) {
      report_misuse(std::string("io_uring_wait_cqe: ") +
                    std::strerror(-status));
    }
    const void* key = io_uring_cqe_get_data(completion);
    const int result = completion->res;
    io_uring_cqe_seen(ring_.get(), completion);
    if (key == nullptr) return;
    std::shared_ptr<Op> op;
    {
      std::lock_guard lock(mutex_);
      auto found = in_flight_.find(static_cast<const Op*>(key));
      op = std::move(found->second);
      in_flight_.erase(found);
    }
    op->complete(result);
    op.reset();
    std::lock_guard lock(mutex_);
    if (in_flight_.empty()) drained_.notify_all();
  }
}

#endif  // WEFT_HAS_IO_URING

}  // namespace weft::fs
