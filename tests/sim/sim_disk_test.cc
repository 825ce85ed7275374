// The simulated disk's model: each crash rule (kept, lost, torn; names
// durable only once their folder is synced) and each fault (EIO, ENOSPC,
// short writes, a failed sync that drops its data) reached, replayed by
// label; synced data never lost; errors that name the operation and path;
// misuse of files across a crash.
#include "sim/storage/sim_disk.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "runtime/weft.h"
#include "sim/decision/decision_io.h"
#include "sim/net/sim_net.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"

namespace weft::sim {
namespace {

std::span<const std::byte> bytes(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

SparseDecisions parsed(const std::string& text) {
  auto parsed = parse_sparse_decisions(text, "the test");
  if (auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << *error;
    return {};
  }
  return std::get<SparseDecisions>(parsed);
}

RunResult replay(const Scenario& scenario, const std::string& decisions,
                 SimOptions options = {}) {
  return replay_sparse(scenario, options, parsed(decisions),
                       LabelledReplaySource::Mode::kLenient);
}

// What a scenario saw after its crash.
struct Seen {
  std::optional<std::string> contents;  // nullopt: the open failed
  std::string error;
};

// Writes `text` to /f (op 1 open-and-create, op 2 the write), syncs if
// asked (op 3), crashes the disk and reads /f back.
Scenario write_crash_read(std::string text, bool sync,
                          std::shared_ptr<Seen> seen) {
  return [text, sync, seen]() -> Async<void> {
    SimDisk disk;
    {
      fs::File file =
          (co_await disk.fs().open("/f", fs::OpenOptions::create_or_open()))
              .value();
      (void)co_await file.write_all_at(0, text);
      if (sync) (void)co_await file.sync_all();
    }
    disk.crash();
    fs::IoResult<std::string> back = co_await disk.fs().read_file("/f");
    if (back) {
      seen->contents = back.value();
    } else {
      seen->error = back.error().message();
    }
  };
}

TEST(SimDisk, AnUnperturbedCrashKeepsEverything) {
  auto seen = std::make_shared<Seen>();
  FifoSource fifo;
  RunResult run =
      run_once(write_crash_read("hello", false, seen), SimOptions{}, fifo);
  ASSERT_FALSE(run.failure) << run.failure->message;
  EXPECT_EQ(seen->contents, "hello");
}

TEST(SimDisk, AFileWhoseFolderWasNotSyncedIsLostWithItsName) {
  auto seen = std::make_shared<Seen>();
  // The creation of /f (a change of the root folder, op 1) is lost.
  RunResult run =
      replay(write_crash_read("hello", true, seen), "*;disk-crash@1/2=1");
  ASSERT_FALSE(run.failure) << run.failure->message;
  EXPECT_FALSE(seen->contents);
  EXPECT_EQ(seen->error, "open /f: No such file or directory (ENOENT)");
}

TEST(SimDisk, AnUnsyncedWriteCanBeLostOrTornAtASectorBoundary) {
  const std::string text(1500, 'x');  // crosses the boundaries 512, 1024
  auto lost = std::make_shared<Seen>();
  ASSERT_FALSE(replay(write_crash_read(text, false, lost), "*;disk-crash@2/4=1")
                   .failure);
  EXPECT_EQ(lost->contents, "");  // the file's creation was kept

  auto torn = std::make_shared<Seen>();
  ASSERT_FALSE(replay(write_crash_read(text, false, torn), "*;disk-crash@2/4=3")
                   .failure);
  ASSERT_TRUE(torn->contents);
  // The first two sectors reached the disk, the third did not; the length
  // did.
  EXPECT_EQ(*torn->contents, std::string(1024, 'x') + std::string(476, '\0'));

  auto synced = std::make_shared<Seen>();
  RunResult run =
      replay(write_crash_read(text, true, synced), "*;disk-crash@2/4=1");
  ASSERT_FALSE(run.failure);
  EXPECT_EQ(synced->contents, text);
  // Synced, the write is not asked about at the crash (only the creation
  // of /f, whose folder was not synced, is).
  for (const Decision& d : run.decisions) {
    if (d.kind == DecisionKind::kDiskCrash) {
      EXPECT_EQ(d.label.first, 1u) << format_decision(d);
    }
  }
}

// A sync that fails drops what it should have written: a later sync
// succeeds, and the data is still lost at the next crash.
TEST(SimDisk, AFailedSyncDropsTheDataAndALaterSyncSucceeds) {
  auto seen = std::make_shared<Seen>();
  auto first = std::make_shared<std::string>();
  auto second = std::make_shared<bool>(false);
  auto readable = std::make_shared<std::string>();
  Scenario scenario = [seen, first, second, readable]() -> Async<void> {
    SimDisk disk;
    (void)co_await disk.fs().write_file("/f", "");  // op 1: the open
    (void)co_await disk.fs().sync_dir("/");         // op 2
    {
      fs::File file =
          (co_await disk.fs().open("/f", fs::OpenOptions::read_write()))
              .value();                                       // op 3
      (void)co_await file.write_all_at(0, "data");            // op 4
      fs::IoResult<void> failed = co_await file.sync_data();  // op 5
      if (!failed) *first = failed.error().message();
      *second = static_cast<bool>(co_await file.sync_data());  // op 6
      *readable = (co_await file.read_to_end()).value();
    }
    disk.crash();
    seen->contents = (co_await disk.fs().read_file("/f")).value();
  };
  RunResult run = replay(scenario, "*;disk-fault@5/2=1");
  ASSERT_FALSE(run.failure) << run.failure->message;
  EXPECT_EQ(*first,
            "sync_data /f (injected by the simulator): Input/output error "
            "(EIO)");
  EXPECT_TRUE(*second);
  EXPECT_EQ(*readable, "data");   // still in the page cache
  EXPECT_EQ(seen->contents, "");  // but never written
}

TEST(SimDisk, WriteFaultsAreEioEnospcOrAShortWrite) {
  SimOptions options;
  options.perturbations = Perturbations::none();
  options.perturbations.disk_fault_probability = 1.0;
  std::set<std::string> outcomes;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    auto outcome = std::make_shared<std::string>();
    Scenario scenario = [outcome]() -> Async<void> {
      SimDisk disk;
      fs::File file =
          (co_await disk.fs().open("/f", fs::OpenOptions::create_or_open()))
              .value();
      fs::IoResult<std::size_t> wrote =
          co_await file.write_at(0, bytes(std::string(100, 'w')));
      *outcome = wrote ? "wrote " + std::to_string(wrote.value())
                       : wrote.error().message();
    };
    RandomWalkSource source(seed);
    ASSERT_FALSE(run_once(scenario, options, source).failure);
    outcomes.insert(*outcome);
  }
  EXPECT_EQ(outcomes,
            (std::set<std::string>{
                "wrote 50",
                "write_at /f (injected by the simulator): Input/output "
                "error (EIO)",
                "write_at /f (injected by the simulator): No space left on "
                "device (ENOSPC)"}));
}

// Whatever the decisions, data synced under a synced name survives.
TEST(SimDisk, SyncedDataIsNeverLost) {
  SimOptions options;
  options.perturbations.disk_crash_loss_probability = 0.5;
  options.perturbations.disk_fault_probability = 0.2;
  options.perturbations.disk_delay_probability = 0.3;
  int acknowledged = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    auto acked = std::make_shared<std::string>();
    auto after = std::make_shared<std::optional<std::string>>();
    Scenario scenario = [acked, after]() -> Async<void> {
      SimDisk disk;
      if (!co_await disk.fs().create_dir("/d")) co_return;
      if (!co_await disk.fs().sync_dir("/")) co_return;
      auto file =
          co_await disk.fs().open("/d/f", fs::OpenOptions::create_or_open());
      if (!file) co_return;
      if (co_await file.value().write_all_at(0, "synced") &&
          co_await file.value().sync_all() &&
          co_await disk.fs().sync_dir("/d")) {
        *acked = "synced";
      }
      (void)co_await file.value().write_all_at(6, "-and-not");
      file.value().close();
      disk.crash();
      // A read may fail too (an injected EIO): a few tries.
      for (int i = 0; i < 10 && !after->has_value(); ++i) {
        auto back = co_await disk.fs().read_file("/d/f");
        if (back) *after = back.value();
      }
    };
    RandomWalkSource source(seed);
    RunResult run = run_once(scenario, options, source);
    ASSERT_FALSE(run.failure) << run.failure->message;
    if (acked->empty()) continue;
    ++acknowledged;
    ASSERT_TRUE(after->has_value()) << "seed " << seed;
    EXPECT_EQ(after->value().substr(0, 6), "synced") << "seed " << seed;
  }
  EXPECT_GT(acknowledged, 100);
}

TEST(SimDisk, ARenameIsDurableOnlyOnceItsFolderIsSynced) {
  for (bool sync_after_rename : {false, true}) {
    auto names = std::make_shared<std::vector<std::string>>();
    Scenario scenario = [names, sync_after_rename]() -> Async<void> {
      SimDisk disk;
      fs::FileSystem& fs = disk.fs();
      {
        fs::File tmp =
            (co_await fs.open("/state.tmp", fs::OpenOptions::create_truncate()))
                .value();
        (void)co_await tmp.write_all_at(0, "v2");
        (void)co_await tmp.sync_all();
      }
      (void)co_await fs.sync_dir("/");
      (void)co_await fs.rename("/state.tmp", "/state");
      if (sync_after_rename) (void)co_await fs.sync_dir("/");
      disk.crash();
      *names = (co_await fs.list_dir("/")).value();
    };
    SimOptions options;
    options.perturbations = Perturbations::none();
    options.perturbations.disk_crash_loss_probability = 1.0;
    RandomWalkSource source(1);
    ASSERT_FALSE(run_once(scenario, options, source).failure);
    EXPECT_EQ(*names, std::vector<std::string>{
                          sync_after_rename ? "state" : "state.tmp"});
  }
}

TEST(SimDisk, ErrorsNameTheOperationAndThePath) {
  auto messages = std::make_shared<std::vector<std::string>>();
  Scenario scenario = [messages]() -> Async<void> {
    SimDisk disk;
    fs::FileSystem& fs = disk.fs();
    const auto note = [&](const auto& result) {
      messages->push_back(result ? "ok" : result.error().message());
    };
    note(co_await fs.open("/nope", fs::OpenOptions::read_only()));
    note(co_await fs.open("/no/such", fs::OpenOptions::create_or_open()));
    note(co_await fs.create_dir("/d"));
    note(co_await fs.write_file("/d/x", "1"));
    note(co_await fs.remove_dir("/d"));
    note(co_await fs.create_dir("/d"));
    note(co_await fs.rename("/missing", "/d/y"));
    note(co_await fs.open("/d", fs::OpenOptions::read_only()));
  };
  FifoSource fifo;
  ASSERT_FALSE(run_once(scenario, SimOptions{}, fifo).failure);
  EXPECT_EQ(*messages,
            (std::vector<std::string>{
                "open /nope: No such file or directory (ENOENT)",
                "open /no/such (its folder does not exist): No such file or "
                "directory (ENOENT)",
                "ok",
                "ok",
                "remove_dir /d: Directory not empty (ENOTEMPTY)",
                "create_dir /d: File exists (EEXIST)",
                "rename /missing -> /d/y: No such file or directory (ENOENT)",
                "open /d: Is a directory (EISDIR)",
            }));
}

TEST(SimDisk, AFileUsedAfterItsDiskCrashedIsAMisuseNamingIt) {
  Scenario scenario = []() -> Async<void> {
    SimDisk disk;
    fs::File file =
        (co_await disk.fs().open("/wal", fs::OpenOptions::create_or_open()))
            .value();
    disk.crash();
    (void)co_await file.append("late");
  };
  FifoSource fifo;
  RunResult run = run_once(scenario, SimOptions{}, fifo);
  ASSERT_TRUE(run.failure);
  EXPECT_EQ(run.failure->checker, Checker::kProtocolMisuse);
  EXPECT_NE(run.failure->message.find(
                "fs::File /wal of disk 1 was used (append) after its disk "
                "crashed"),
            std::string::npos)
      << run.failure->message;
}

TEST(SimDisk, AFileKeptPastItsRunIsALeakNamingIt) {
  auto kept = std::make_shared<std::unique_ptr<fs::File>>();
  Scenario scenario = [kept]() -> Async<void> {
    SimDisk disk;
    auto file =
        co_await disk.fs().open("/kept", fs::OpenOptions::create_or_open());
    *kept = std::make_unique<fs::File>(std::move(file).value());
  };
  FifoSource fifo;
  RunResult run = run_once(scenario, SimOptions{}, fifo);
  ASSERT_TRUE(run.failure);
  EXPECT_EQ(run.failure->checker, Checker::kLeak);
  EXPECT_NE(run.failure->message.find("disk 1 is still alive after teardown, "
                                      "held by its open file: /kept"),
            std::string::npos)
      << run.failure->message;
  kept->reset();  // closed after its run: nothing of the run is touched
}

TEST(SimDisk, ADiskUsedAfterItsRunIsAMisuseNamingIt) {
  auto kept = std::make_shared<std::unique_ptr<fs::File>>();
  FifoSource fifo;
  ASSERT_TRUE(run_once(
                  [kept]() -> Async<void> {
                    SimDisk disk;
                    *kept = std::make_unique<fs::File>(
                        (co_await disk.fs().open(
                             "/late", fs::OpenOptions::create_or_open()))
                            .value());
                  },
                  SimOptions{}, fifo)
                  .failure);  // the leak
  FifoSource again;
  RunResult next =
      run_once([kept]() -> Async<void> { (void)co_await (*kept)->append("x"); },
               SimOptions{}, again);
  ASSERT_TRUE(next.failure);
  EXPECT_EQ(next.failure->checker, Checker::kProtocolMisuse);
  EXPECT_NE(next.failure->message.find("fs::File /late (append) of disk 1 of "
                                       "simulated run #"),
            std::string::npos)
      << next.failure->message;
  kept->reset();
}

TEST(SimDisk, ItsLimitsAreMisusesNamingThem) {
  SimOptions options;
  options.storage.bytes_max = 100;
  options.storage.files_max = 3;
  for (bool bytes : {true, false}) {
    FifoSource fifo;
    RunResult run = run_once(
        [bytes]() -> Async<void> {
          SimDisk disk;
          if (bytes) {
            (void)co_await disk.fs().write_file("/big", std::string(101, 'b'));
          } else {
            for (int i = 0; i < 4; ++i) {
              (void)co_await disk.fs().write_file("/f" + std::to_string(i), "");
            }
          }
        },
        options, fifo);
    ASSERT_TRUE(run.failure);
    EXPECT_EQ(run.failure->checker, Checker::kProtocolMisuse);
    EXPECT_NE(run.failure->message.find(
                  bytes ? "more than 100 bytes on disk 1 (storage.bytes_max)"
                        : "more than 3 files and folders on disk 1 "
                          "(storage.files_max"),
              std::string::npos)
        << run.failure->message;
  }
}

TEST(SimDisk, ACorruptedReadFlipsOneSectorWhenEnabled) {
  SimOptions options;
  options.perturbations = Perturbations::none();
  options.perturbations.disk_corrupt_probability = 1.0;
  std::set<std::string> seen;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    auto back = std::make_shared<std::string>();
    Scenario scenario = [back]() -> Async<void> {
      SimDisk disk;
      fs::File file =
          (co_await disk.fs().open("/f", fs::OpenOptions::create_or_open()))
              .value();
      (void)co_await file.write_all_at(0, std::string(1000, 'a'));
      std::vector<std::byte> buffer(1000);
      auto read = co_await file.read_at(0, buffer);
      *back = read ? std::string(reinterpret_cast<const char*>(buffer.data()),
                                 read.value())
                   : read.error().message();
    };
    RandomWalkSource source(seed);
    ASSERT_FALSE(run_once(scenario, options, source).failure);
    seen.insert(back->size() == 1000 && (*back)[0] != 'a' &&
                        (*back)[511] != 'a' && (*back)[512] == 'a'
                    ? "first sector flipped"
                    : *back);
  }
  EXPECT_EQ(seen,
            (std::set<std::string>{
                "first sector flipped",
                "read_at /f (injected by the simulator): Input/output error "
                "(EIO)"}));
}

TEST(SimDisk, AHostsDiskSurvivesItsCrashAndRestart) {
  auto seen = std::make_shared<std::vector<std::string>>();
  Scenario scenario = [seen]() -> Async<void> {
    SimNet net;
    SimHost& host = net.add_host("10.0.0.1");
    (void)co_await host.fs().write_file("/synced", "kept");
    {
      fs::File file =
          (co_await host.fs().open("/synced", fs::OpenOptions::read_write()))
              .value();
      (void)co_await file.sync_all();
    }
    (void)co_await host.fs().sync_dir("/");
    (void)co_await host.fs().write_file("/unsynced", "maybe");
    host.crash();
    host.restart();
    *seen = (co_await host.fs().list_dir("/")).value();
    seen->push_back((co_await host.fs().read_file("/synced")).value());
  };
  SimOptions options;
  options.perturbations = Perturbations::none();
  options.perturbations.disk_crash_loss_probability = 1.0;
  RandomWalkSource source(3);
  RunResult run = run_once(scenario, options, source);
  ASSERT_FALSE(run.failure) << run.failure->message;
  EXPECT_EQ(*seen, (std::vector<std::string>{"synced", "kept"}));
}

TEST(SimDisk, ARunReplaysExactlyFromItsDecisions) {
  SimOptions options;
  options.perturbations.disk_crash_loss_probability = 0.5;
  options.perturbations.disk_fault_probability = 0.3;
  options.perturbations.disk_delay_probability = 0.5;
  auto seen = std::make_shared<Seen>();
  Scenario scenario = write_crash_read(std::string(3000, 'r'), false, seen);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RandomWalkSource source(seed);
    RunResult first = run_once(scenario, options, source);
    const Seen first_seen = *seen;
    ReplaySource again(first.decisions);
    RunResult second = run_once(scenario, options, again);
    EXPECT_EQ(first.trace_hash, second.trace_hash) << "seed " << seed;
    EXPECT_EQ(first_seen.contents, seen->contents) << "seed " << seed;
  }
}

}  // namespace
}  // namespace weft::sim
