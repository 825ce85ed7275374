// SimDisk and the weft::fs interface over it: each operation is numbered,
// takes its latency and fault decisions, waits its decided delay in virtual
// time, then applies itself to the model (disk_core.cc) whole, and leaves
// an event (with its words, when the run keeps detail).
#include "sim/storage/sim_disk.h"

#include <cerrno>

#include "runtime/seam/misuse.h"
#include "runtime/time/sleep.h"
#include "sim/core/simulator.h"
#include "sim/report/run_detail.h"
#include "sim/report/trace.h"
#include "sim/storage/disk_core.h"

namespace weft::sim {
namespace storage_detail {
namespace {

// What an operation may fail with (its disk-fault bound is 1 + the count).
enum class Faults : std::uint8_t { kNone, kRead, kWrite, kSync };
constexpr std::uint32_t kFaultEio = 1;
constexpr std::uint32_t kFaultNoSpace = 2;  // writes
constexpr std::uint32_t kFaultShort = 3;    // writes of 2 bytes or more
constexpr std::uint32_t kFaultCorrupt = 2;  // reads, when enabled

// What an operation waits before it applies itself: nothing, its decided
// delay, or, its host having crashed as it began, forever (the crash drops
// the task; its waker is kept alive until then, so the task is not taken
// for one that nobody can wake).
class OpWait {
 public:
  using Output = void;
  OpWait(bool halted, Duration delay) : halted_(halted), delay_(delay) {}
  Poll<void> poll(Context& cx) {
    if (halted_) {
      kept_ = cx.waker();
      return kPending;
    }
    if (delay_ <= Duration::zero()) return ready();
    if (!sleep_) sleep_.emplace(sleep_for(delay_));
    return sleep_->poll(cx);
  }

 private:
  bool halted_;
  Duration delay_;
  std::optional<Sleep> sleep_;
  Waker kept_;
};

struct Op {
  std::uint64_t number = 0;
  std::uint32_t fault = 0;
  std::uint32_t incarnation = 0;
  Duration delay = Duration::zero();  // decided latency, to wait first
  bool halted = false;  // its host crashed as it began: it never completes

  OpWait wait() const { return OpWait(halted, delay); }
};

Simulator& checked_simulator() {
  Simulator* simulator = Simulator::current();
  if (simulator == nullptr) {
    report_misuse(
        "weft::sim::SimDisk made outside a simulated run: a simulated disk "
        "belongs to one run (make it inside the scenario)");
  }
  return *simulator;
}

// Numbers the operation and takes its decisions: the fault first (so a
// report can say what it was), then the delay, which the caller waits
// (wait()). `words` says what the operation is; it runs only when the run
// keeps detail. Not a coroutine: GCC 12 mishandles temporaries (a lambda,
// a by-value argument) of a co_await expression.
template <typename Words>
Op begin(DiskCore& core, Faults faults, std::uint64_t bytes,
         const Words& words) {
  if (!core.in_own_run()) core.report_used_after_run(words());
  Simulator& simulator = core.simulator();
  Op op{simulator.number_disk_op(), 0, core.incarnation()};
  core.count_operation();
  RunDetail* detail = simulator.detail();
  if (detail != nullptr) [[unlikely]] {
    RunDetail::slot(detail->disk_ops, op.number) = words();
  }
  if (core.halts_at(op.number)) {
    op.halted = true;
    return op;
  }
  std::uint32_t bound = 1;
  std::uint32_t chance = core.fault_chance();
  switch (faults) {
    case Faults::kNone:
      break;
    case Faults::kRead:
      bound = core.corrupt_chance() > 0 ? 3 : 2;
      chance = std::max(chance, core.corrupt_chance());
      break;
    case Faults::kWrite:
      bound = bytes >= 2 ? 4 : 3;
      break;
    case Faults::kSync:
      bound = 2;
      break;
  }
  if (bound > 1 && chance > 0) {
    op.fault = simulator.decide(DecisionKind::kDiskFault, bound, chance,
                                {op.number, 0});
    if (op.fault != 0 && detail != nullptr && !detail->decision_events.empty())
        [[unlikely]] {
      const char* what = op.fault == kFaultEio ? "failed with EIO (injected)"
                         : faults == Faults::kRead
                             ? "read back one sector corrupted (injected)"
                         : op.fault == kFaultNoSpace
                             ? "failed with ENOSPC (injected)"
                             : "was cut short (injected)";
      RunDetail::slot(detail->decision_words, detail->decision_events.size()) =
          core.name() + ": " + words() + " " + what;
    }
  }
  if (core.delay_chance() > 0) {
    const StorageShape& shape = core.shape();
    const std::uint32_t steps =
        simulator.decide(DecisionKind::kDiskDelay, shape.delay_steps_max + 1,
                         core.delay_chance(), {op.number, 0});
    op.delay = shape.delay_step * steps;
  }
  return op;
}

// The operation is done: its event.
void finish(DiskCore& core, const Op& op) {
  core.simulator().record_event(EventKind::kDiskOp, core.number(), op.number);
}

// A crash while the operation waited: it never happened.
bool crashed_meanwhile(const DiskCore& core, const Op& op) {
  return core.incarnation() != op.incarnation;
}

fs::IoError crashed_error(const char* operation, const std::string& path) {
  return fs::IoError{EIO, operation,
                     path + " (the disk crashed while it was pending)"};
}

fs::IoError injected(int code, const char* operation, const std::string& path) {
  return fs::IoError{code, operation, path + " (injected by the simulator)"};
}

class SimFile final : public fs::FileIo {
 public:
  SimFile(std::shared_ptr<DiskCore> core, std::uint64_t inode, std::string path,
          bool readable, bool writable)
      : core_(std::move(core)),
        inode_(inode),
        path_(std::move(path)),
        incarnation_(core_->incarnation()),
        readable_(readable),
        writable_(writable) {
    core_->file_opened(path_);
  }
  ~SimFile() override { core_->file_closed(path_); }
  SimFile(const SimFile&) = delete;
  SimFile& operator=(const SimFile&) = delete;

  Async<fs::IoResult<std::size_t>> read_at(std::uint64_t offset,
                                           std::span<std::byte> into) override {
    check_alive("read_at");
    if (!readable_) co_return denied("read_at");
    const Op op = begin(*core_, Faults::kRead, into.size(), [=, this] {
      return "read of " + std::to_string(into.size()) + " bytes at offset " +
             std::to_string(offset) + " from " + path_;
    });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op))
      co_return crashed_error("read_at", path_);
    finish(*core_, op);
    if (op.fault == kFaultEio) co_return injected(EIO, "read_at", path_);
    const std::size_t n = core_->read(inode_, offset, into);
    if (op.fault == kFaultCorrupt && n > 0) {
      // One sector of what was read comes back with its bits flipped.
      const std::uint64_t sector = core_->shape().sector_size;
      const std::uint64_t start = offset / sector * sector;
      for (std::uint64_t at = std::max(start, offset);
           at < std::min(start + sector, offset + n); ++at) {
        into[at - offset] = ~into[at - offset];
      }
    }
    co_return n;
  }

  Async<fs::IoResult<std::size_t>> write_at(
      std::uint64_t offset, std::span<const std::byte> from) override {
    check_alive("write_at");
    if (!writable_) co_return denied("write_at");
    const Op op = begin(*core_, Faults::kWrite, from.size(), [=, this] {
      return "write of " + std::to_string(from.size()) + " bytes at offset " +
             std::to_string(offset) + " to " + path_;
    });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op)) {
      co_return crashed_error("write_at", path_);
    }
    finish(*core_, op);
    if (op.fault == kFaultEio) co_return injected(EIO, "write_at", path_);
    if (op.fault == kFaultNoSpace) {
      co_return injected(ENOSPC, "write_at", path_);
    }
    const std::size_t n =
        op.fault == kFaultShort ? from.size() / 2 : from.size();
    core_->write(inode_, offset, from.first(n), op.number);
    co_return n;
  }

  Async<fs::IoResult<std::uint64_t>> append(
      std::span<const std::byte> from) override {
    check_alive("append");
    if (!writable_) co_return denied("append");
    const Op op = begin(*core_, Faults::kWrite, 0, [=, this] {
      return "append of " + std::to_string(from.size()) + " bytes to " + path_;
    });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op)) co_return crashed_error("append", path_);
    finish(*core_, op);
    if (op.fault == kFaultEio) co_return injected(EIO, "append", path_);
    if (op.fault == kFaultNoSpace) co_return injected(ENOSPC, "append", path_);
    const std::uint64_t at = core_->size(inode_);
    core_->write(inode_, at, from, op.number);
    co_return at;
  }

  Async<fs::IoResult<void>> sync(bool data_only) override {
    const char* operation = data_only ? "sync_data" : "sync_all";
    check_alive(operation);
    const Op op = begin(*core_, Faults::kSync, 0, [=, this] {
      return std::string(operation) + " of " + path_;
    });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op))
      co_return crashed_error(operation, path_);
    finish(*core_, op);
    core_->sync(inode_, op.fault == kFaultEio);
    if (op.fault == kFaultEio) co_return injected(EIO, operation, path_);
    co_return fs::IoResult<void>();
  }

  Async<fs::IoResult<void>> set_len(std::uint64_t size) override {
    check_alive("set_len");
    if (!writable_) co_return denied("set_len");
    const Op op = begin(*core_, Faults::kNone, 0, [=, this] {
      return "set_len(" + std::to_string(size) + ") of " + path_;
    });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op))
      co_return crashed_error("set_len", path_);
    finish(*core_, op);
    core_->set_len(inode_, size, op.number);
    co_return fs::IoResult<void>();
  }

  Async<fs::IoResult<std::uint64_t>> size() override {
    check_alive("size");
    co_return core_->size(inode_);
  }

  const std::string& path() const noexcept override { return path_; }

 private:
  void check_alive(const char* operation) const {
    if (!core_->in_own_run()) {
      core_->report_used_after_run(std::string("fs::File ") + path_ + " (" +
                                   operation + ")");
    }
    if (core_->incarnation() != incarnation_) {
      report_misuse("fs::File " + path_ + " of " + core_->name() +
                    " was used (" + operation +
                    ") after its disk crashed: the process that opened it "
                    "is gone; open the file again after the restart");
    }
  }
  fs::IoError denied(const char* operation) const {
    return fs::IoError{
        EBADF, operation,
        path_ + " (not opened for " +
            (std::string_view(operation) == "read_at" ? "reading" : "writing") +
            ")"};
  }

  std::shared_ptr<DiskCore> core_;
  std::uint64_t inode_;
  std::string path_;
  std::uint32_t incarnation_;
  bool readable_;
  bool writable_;
};

class SimFileSystem final : public fs::FileSystem {
 public:
  explicit SimFileSystem(std::shared_ptr<DiskCore> core)
      : core_(std::move(core)) {}

  Async<fs::IoResult<fs::File>> open(std::string path,
                                     fs::OpenOptions options) override {
    path = normalize(path);
    const Op op =
        begin(*core_, Faults::kNone, 0, [&path] { return "open of " + path; });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op)) co_return crashed_error("open", path);
    finish(*core_, op);
    fs::IoResult<std::uint64_t> inode = core_->open(path, options, op.number);
    if (!inode) co_return inode.error();
    co_return fs::File(std::make_unique<SimFile>(core_, inode.value(), path,
                                                 options.read, options.write));
  }

  Async<fs::IoResult<void>> create_dir(std::string path) override {
    path = normalize(path);
    const std::string subject = path;
    const Op op = begin(*core_, Faults::kNone, 0,
                        [&subject] { return "create_dir of " + subject; });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op)) {
      co_return crashed_error("create_dir", subject);
    }
    finish(*core_, op);
    co_return core_->create_dir(path, op.number);
  }
  Async<fs::IoResult<void>> remove_file(std::string path) override {
    path = normalize(path);
    const std::string subject = path;
    const Op op = begin(*core_, Faults::kNone, 0,
                        [&subject] { return "remove_file of " + subject; });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op)) {
      co_return crashed_error("remove_file", subject);
    }
    finish(*core_, op);
    co_return core_->remove_file(path, op.number);
  }
  Async<fs::IoResult<void>> remove_dir(std::string path) override {
    path = normalize(path);
    const std::string subject = path;
    const Op op = begin(*core_, Faults::kNone, 0,
                        [&subject] { return "remove_dir of " + subject; });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op)) {
      co_return crashed_error("remove_dir", subject);
    }
    finish(*core_, op);
    co_return core_->remove_dir(path, op.number);
  }
  Async<fs::IoResult<void>> rename(std::string from, std::string to) override {
    from = normalize(from);
    to = normalize(to);
    const std::string subject = from + " -> " + to;
    const Op op = begin(*core_, Faults::kNone, 0,
                        [&subject] { return "rename of " + subject; });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op)) {
      co_return crashed_error("rename", subject);
    }
    finish(*core_, op);
    co_return core_->rename(from, to, op.number);
  }
  Async<fs::IoResult<std::vector<std::string>>> list_dir(
      std::string path) override {
    path = normalize(path);
    const Op op = begin(*core_, Faults::kNone, 0,
                        [&path] { return "list_dir of " + path; });
    co_await op.wait();
    finish(*core_, op);
    co_return core_->list_dir(path);
  }
  Async<fs::IoResult<void>> sync_dir(std::string path) override {
    path = normalize(path);
    const Op op = begin(*core_, Faults::kNone, 0,
                        [&path] { return "sync_dir of " + path; });
    co_await op.wait();
    if (crashed_meanwhile(*core_, op))
      co_return crashed_error("sync_dir", path);
    finish(*core_, op);
    co_return core_->sync_dir(path);
  }
  Async<fs::IoResult<bool>> exists(std::string path) override {
    path = normalize(path);
    if (!core_->in_own_run()) core_->report_used_after_run("exists " + path);
    co_return core_->exists(path);
  }

 private:
  std::shared_ptr<DiskCore> core_;
};

}  // namespace
}  // namespace storage_detail

SimDisk::SimDisk() : SimDisk(std::string()) {}

SimDisk::SimDisk(std::string name) {
  Simulator& simulator = storage_detail::checked_simulator();
  core_ =
      std::make_shared<storage_detail::DiskCore>(simulator, std::move(name));
  fs_ = std::make_unique<storage_detail::SimFileSystem>(core_);
  if (RunDetail* detail = simulator.detail()) {
    RunDetail::slot(detail->disks, core_->number()).name = core_->name();
  }
}

SimDisk::~SimDisk() = default;

void SimDisk::set_halt(std::function<bool(std::uint64_t op)> halt) {
  core_->set_halt(std::move(halt));
}

void SimDisk::crash() {
  if (!core_->in_own_run()) core_->report_used_after_run("crash()");
  core_->crash();
}

std::optional<std::string> SimDisk::durable_contents(
    std::string_view path) const {
  return core_->durable_file(storage_detail::normalize(path));
}

std::uint64_t SimDisk::operations() const noexcept {
  return core_->operations();
}

const std::string& SimDisk::name() const noexcept { return core_->name(); }

}  // namespace weft::sim
