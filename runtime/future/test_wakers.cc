#include "runtime/future/test_wakers.h"

#include <cstdio>
#include <string>

#include "runtime/seam/misuse.h"

namespace weft {
namespace {

RawWaker noop_clone(const void*);
void noop(const void*) {}
const WakerVTable kNoopVTable{&noop_clone, &noop, &noop, &noop};
RawWaker noop_clone(const void*) { return RawWaker{nullptr, &kNoopVTable}; }

}  // namespace

Waker noop_waker() { return Waker::from_raw(RawWaker{nullptr, &kNoopVTable}); }

const WakerVTable CountingWaker::kVTable{
    &CountingWaker::clone, &CountingWaker::wake, &CountingWaker::wake_by_ref,
    &CountingWaker::drop};

CountingWaker::~CountingWaker() {
  if (live_ != 0) {
    std::string what = "CountingWaker destroyed while " +
                       std::to_string(live_) + " of its Wakers are alive";
    report_misuse(what);
  }
}

Waker CountingWaker::waker() { return Waker::from_raw(clone(this)); }

RawWaker CountingWaker::clone(const void* data) {
  auto* self = static_cast<CountingWaker*>(const_cast<void*>(data));
  ++self->clones_;
  ++self->live_;
  return RawWaker{data, &kVTable};
}

void CountingWaker::wake(const void* data) {
  wake_by_ref(data);
  drop(data);
}

void CountingWaker::wake_by_ref(const void* data) {
  ++static_cast<CountingWaker*>(const_cast<void*>(data))->wakes_;
}

void CountingWaker::drop(const void* data) {
  --static_cast<CountingWaker*>(const_cast<void*>(data))->live_;
}

}  // namespace weft
