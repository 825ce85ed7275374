// Fibers on ucontext. makecontext starts a fiber; swapcontext switches.
// (swapcontext also saves the signal mask, a system call per switch; it
// keeps a switch near 0.2 us, well inside the simulator's budget, with no
// hand-written assembly.)
#include "sim/threads/fiber.h"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <new>

#include "runtime/seam/check.h"
#include "sim/report/sanitizers.h"

#if defined(WEFT_HAS_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace weft::sim {

struct FiberContext::Impl {
  ucontext_t context{};
  // Where the stack lies, for ASan (unknown for the simulator's own stack
  // until the first switch away reports it).
  const void* stack_bottom = nullptr;
  std::size_t stack_bytes = 0;
  void* fake_stack = nullptr;  // ASan's saved fake stack while suspended
  void* tsan_fiber = nullptr;
  bool owns_tsan_fiber = false;
  // A fiber's entry, called on its first resume.
  void (*entry)(void*) = nullptr;
  void* argument = nullptr;
  bool started = false;
};

namespace {

// The context a fiber's trampoline starts in (set just before the first
// switch to it; the simulation is single-threaded).
thread_local FiberContext::Impl* starting = nullptr;

// ASan: the resumed side completes the switch the suspended side began.
void finish_switch(FiberContext::Impl& resumed, FiberContext::Impl* from) {
#if defined(WEFT_HAS_ASAN)
  const void* bottom = nullptr;
  std::size_t bytes = 0;
  __sanitizer_finish_switch_fiber(resumed.fake_stack, &bottom, &bytes);
  if (from != nullptr && from->stack_bottom == nullptr) {
    from->stack_bottom = bottom;
    from->stack_bytes = bytes;
  }
#else
  (void)resumed;
  (void)from;
#endif
}

thread_local FiberContext::Impl* switching_from = nullptr;

void trampoline() {
  FiberContext::Impl* self = starting;
  starting = nullptr;
  finish_switch(*self, switching_from);
  self->entry(self->argument);
  // entry switches away for good; returning would end the real thread.
  std::abort();
}

// getcontext returns twice; kept apart so no local of the caller can be
// clobbered by it.
[[gnu::noinline]] void prepare_context(FiberContext::Impl& impl) {
  WEFT_CHECK(getcontext(&impl.context) == 0, "getcontext failed");
  impl.context.uc_stack.ss_sp = const_cast<void*>(impl.stack_bottom);
  impl.context.uc_stack.ss_size = impl.stack_bytes;
  impl.context.uc_link = nullptr;
  makecontext(&impl.context, trampoline, 0);
}

}  // namespace

FiberContext::FiberContext(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

FiberContext::~FiberContext() {
#if defined(WEFT_HAS_TSAN)
  if (impl_->owns_tsan_fiber) __tsan_destroy_fiber(impl_->tsan_fiber);
#endif
}

std::unique_ptr<FiberContext> FiberContext::current_stack() {
  auto impl = std::make_unique<Impl>();
#if defined(WEFT_HAS_TSAN)
  impl->tsan_fiber = __tsan_get_current_fiber();
#endif
  return std::unique_ptr<FiberContext>(new FiberContext(std::move(impl)));
}

void FiberContext::switch_to(FiberContext& from, FiberContext& to,
                             bool from_is_finished) noexcept {
  Impl& source = *from.impl_;
  Impl& target = *to.impl_;
  if (target.entry != nullptr && !target.started) {
    // First resume: the trampoline starts the fiber's entry.
    target.started = true;
    starting = &target;
  }
  switching_from = &source;
#if defined(WEFT_HAS_ASAN)
  __sanitizer_start_switch_fiber(
      from_is_finished ? nullptr : &source.fake_stack, target.stack_bottom,
      target.stack_bytes);
#else
  (void)from_is_finished;
#endif
#if defined(WEFT_HAS_TSAN)
  __tsan_switch_to_fiber(target.tsan_fiber, 0);
#endif
  WEFT_CHECK(swapcontext(&source.context, &target.context) == 0,
             "swapcontext failed");
  // Resumed: something switched back to `from`.
  finish_switch(source, switching_from);
}

Fiber::Fiber(void (*entry)(void*), void* argument, std::size_t stack_bytes) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  stack_bytes = (stack_bytes + page - 1) / page * page;
  mapping_bytes_ = stack_bytes + page;  // one guard page below the stack
  mapping_ = mmap(nullptr, mapping_bytes_, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping_ == MAP_FAILED) {
    mapping_ = nullptr;
    throw std::bad_alloc();
  }
  WEFT_CHECK(mprotect(mapping_, page, PROT_NONE) == 0,
             "cannot make a fiber's guard page");
  auto impl = std::make_unique<FiberContext::Impl>();
  impl->stack_bottom = static_cast<char*>(mapping_) + page;
  impl->stack_bytes = stack_bytes;
  impl->entry = entry;
  impl->argument = argument;
  prepare_context(*impl);
#if defined(WEFT_HAS_TSAN)
  impl->tsan_fiber = __tsan_create_fiber(0);
  impl->owns_tsan_fiber = true;
#endif
  context_.reset(new FiberContext(std::move(impl)));
}

Fiber::~Fiber() {
  context_.reset();
  if (mapping_ != nullptr) munmap(mapping_, mapping_bytes_);
}

}  // namespace weft::sim
