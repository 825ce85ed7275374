#include "runtime/task/wake_flag.h"

#include <atomic>
#include <cstdint>

namespace weft {

struct WakeFlag::Shared {
  std::atomic<std::uint32_t> references{1};
  std::atomic<bool> woken{true};
  std::atomic<WakeFlag::Waiter*> waiter{nullptr};

  static Shared* from(const void* data) {
    return static_cast<Shared*>(const_cast<void*>(data));
  }
  void release() {
    // Acquire-release: the last drop sees every use before deleting.
    if (references.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
};

namespace {

extern const WakerVTable kWakeFlagVTable;

RawWaker clone_flag(const void* data) {
  // Relaxed: a new reference is made from one the caller holds.
  WakeFlag::Shared::from(data)->references.fetch_add(1,
                                                     std::memory_order_relaxed);
  return RawWaker{data, &kWakeFlagVTable};
}
void wake_flag_by_ref(const void* data) {
  WakeFlag::Shared* shared = WakeFlag::Shared::from(data);
  // Release: what the waker did before the wake is seen by the poll that
  // takes it (acquire in take_woken).
  shared->woken.store(true, std::memory_order_release);
  if (WakeFlag::Waiter* waiter =
          shared->waiter.load(std::memory_order_acquire)) {
    waiter->rouse();
  }
}
void wake_flag(const void* data) {
  wake_flag_by_ref(data);
  WakeFlag::Shared::from(data)->release();
}
void drop_flag(const void* data) { WakeFlag::Shared::from(data)->release(); }

const WakerVTable kWakeFlagVTable{&clone_flag, &wake_flag, &wake_flag_by_ref,
                                  &drop_flag};

}  // namespace

WakeFlag::WakeFlag() : shared_(new Shared) {}
WakeFlag::~WakeFlag() { shared_->release(); }

Waker WakeFlag::waker() const { return Waker::from_raw(clone_flag(shared_)); }

void WakeFlag::set_waiter(Waiter* waiter) noexcept {
  shared_->waiter.store(waiter, std::memory_order_release);
}

bool WakeFlag::take_woken() noexcept {
  // Acquire-release: pairs with the wake's release.
  return shared_->woken.exchange(false, std::memory_order_acq_rel);
}

}  // namespace weft
