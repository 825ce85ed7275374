#include "runtime/task/clock.h"

#include <thread>

namespace weft {

Instant SystemClock::now() const {
  const auto since_origin = std::chrono::steady_clock::now().time_since_epoch();
  return Instant::from_nanoseconds(
      std::chrono::duration_cast<Duration>(since_origin).count());
}

void SystemClock::sleep_until(Instant deadline) {
  const Duration left = deadline - now();
  if (left > Duration::zero()) std::this_thread::sleep_for(left);
}

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

}  // namespace weft
