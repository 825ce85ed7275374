// weft::fs::UringDriver and UringCall: file reads, writes, syncs and opens
// through Linux's io_uring (Debian's liburing), with one thread that waits
// for completions and wakes the futures waiting on them. RealFileSystem
// uses it where the kernel allows io_uring (start() says why not
// otherwise, and the blocking pool takes over).
//
// An operation owns what the kernel touches (its buffer, the descriptor's
// holder, the path): the driver keeps it until its completion arrives, so
// a future dropped while the kernel works only forgets to wait. The
// driver's destructor waits for every operation in flight.
#pragma once

// Built with io_uring when liburing's header is there (Bazel's @liburing,
// or CMake's find of liburing); without, start() says so and RealFileSystem
// uses its thread pool.
#if !defined(WEFT_NO_IO_URING) && __has_include(<liburing.h>)
#define WEFT_HAS_IO_URING 1
#else
#define WEFT_HAS_IO_URING 0
#endif

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "runtime/fs/completion.h"
#include "runtime/future/context.h"
#include "runtime/future/poll.h"
#include "runtime/future/waker.h"

struct io_uring;
struct io_uring_sqe;

namespace weft::fs {

class UringDriver {
 public:
  // One submission: fills its entry, then hears the kernel's result (a
  // byte count or a descriptor, or -errno) on the completion thread.
  class Op {
   public:
    virtual ~Op() = default;
    virtual void prepare(io_uring_sqe& entry) = 0;
    virtual void complete(int result) = 0;
  };

  // A driver with a ring of `entries`, or nullptr with `why` set when the
  // kernel refuses (no io_uring, or a seccomp policy that forbids it).
  static std::shared_ptr<UringDriver> start(unsigned entries, std::string& why);
  ~UringDriver();
  UringDriver(const UringDriver&) = delete;
  UringDriver& operator=(const UringDriver&) = delete;

  void submit(std::shared_ptr<Op> op);

 private:
  explicit UringDriver(std::unique_ptr<io_uring> ring);
  void reap();

  std::unique_ptr<io_uring> ring_;
  std::mutex mutex_;
  std::condition_variable drained_;
  // Owned until completed; keyed by the address the kernel echoes back
  // (never iterated, so its order does not matter).
  std::map<const Op*, std::shared_ptr<Op>> in_flight_;
  std::thread reaper_;
};

// A future whose Output is R, made from the kernel's result by `convert`
// on the completion thread.
template <typename R>
class UringCall {
 public:
  using Output = R;
  using Prepare = std::function<void(io_uring_sqe&)>;
  using Convert = std::function<R(int)>;

  UringCall(UringDriver& driver, Prepare prepare, Convert convert)
      : driver_(&driver),
        prepare_(std::move(prepare)),
        convert_(std::move(convert)) {}
  UringCall(UringCall&&) noexcept = default;

  Poll<R> poll(Context& cx) {
    if (state_ == nullptr) {
      state_ = std::make_shared<Completion<R>>(cx.waker());
      driver_->submit(std::make_shared<Submission>(state_, std::move(prepare_),
                                                   std::move(convert_)));
      return kPending;
    }
    return state_->take(cx);
  }

 private:
  class Submission final : public UringDriver::Op {
   public:
    Submission(std::shared_ptr<Completion<R>> state, Prepare prepare,
               Convert convert)
        : state_(std::move(state)),
          prepare_(std::move(prepare)),
          convert_(std::move(convert)) {}
    void prepare(io_uring_sqe& entry) override { prepare_(entry); }
    void complete(int result) override { state_->complete(convert_(result)); }

   private:
    std::shared_ptr<Completion<R>> state_;
    Prepare prepare_;
    Convert convert_;
  };

  UringDriver* driver_;
  Prepare prepare_;
  Convert convert_;
  std::shared_ptr<Completion<R>> state_;
};

}  // namespace weft::fs
