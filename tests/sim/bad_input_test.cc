// The bad-input matrix: every knob and every file weft reads, given empty,
// negative, overflowing, non-numeric, unicode, truncated, out-of-range,
// conflicting, huge and special-file values. Each must be refused with a
// message that names the input, never accepted, never crash or hang, and
// never make an allocation over 64 MiB. (The hunt's flags and the fuzz
// driver's files have the same matrix in their own tests.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <new>
#include <string>

#include "sim/decision/decision_io.h"
#include "sim/sweep/knobs.h"

namespace {

// The largest single allocation this binary made (counted in plain builds;
// sanitizers keep operator new for themselves).
std::atomic<std::size_t> largest_allocation{0};

}  // namespace

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
void* operator new(std::size_t size) {
  std::size_t seen = largest_allocation.load(std::memory_order_relaxed);
  while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}
void operator delete(void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
#endif

namespace weft::sim {
namespace {

constexpr std::size_t kAllocationMax = 64u << 20;

std::string temporary(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  return std::string(base != nullptr ? base : "/tmp") + "/" + name;
}

std::string write_file(const std::string& name, const std::string& contents) {
  const std::string path = temporary(name);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

std::string big_file(const std::string& name, std::size_t bytes) {
  const std::string path = temporary(name);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::ftruncate(fd, static_cast<off_t>(bytes)), 0);
  ::close(fd);
  return path;
}

std::string fifo(const std::string& name) {
  const std::string path = temporary(name);
  ::unlink(path.c_str());
  EXPECT_EQ(::mkfifo(path.c_str(), 0644), 0);
  return path;
}

struct Case {
  std::map<std::string, std::string> environment;
  std::string must_name;  // a word the error must contain
};

std::string error_of(const Case& c) {
  std::vector<std::string> weft;
  for (const auto& [name, value] : c.environment) {
    if (::strncasecmp(name.c_str(), "WEFT_", 5) == 0) weft.push_back(name);
  }
  auto result = sweep_config_from(
      SweepConfig{},
      [&c](const char* name) -> const char* {
        auto found = c.environment.find(name);
        return found == c.environment.end() ? nullptr : found->second.c_str();
      },
      weft);
  if (auto* error = std::get_if<std::string>(&result)) return *error;
  return {};
}

std::vector<Case> knob_cases() {
  const std::string huge(2u << 20, '7');
  const std::string truncated_file = write_file(
      "truncated.decisions", "weft-decisions 1\ncount 3\npick 2 1\npick 2 0\n");
  const std::string many_file =
      write_file("many.decisions", "weft-decisions 1\ncount 2000000\n");
  const std::string garbage_file =
      write_file("garbage.decisions", std::string("\x00\xff\x10weft", 7));
  const std::string unicode_file =
      write_file("unicode.decisions", "weft-decisions 1\ncount 1\nпик 2 1\n");
  const std::string empty_file = write_file("empty.decisions", "");
  const std::string directory = temporary("a-directory");
  ::mkdir(directory.c_str(), 0755);
  const std::string regular = write_file("not-a-folder", "x");
  const std::string resume_zero = "0|SIGSEGV|/dev/zero|random|1|1";
  return {
      // Names: a knob in lower case, another tool's name.
      {{{"weft_seed", "3"}},
       "weft_seed is set, but weft reads only upper-case"},
      {{{"Weft_Strategy", "pct:3"}}, "WEFT_STRATEGY"},
      {{{"WEFT_FUZZ_SCENARIO", "x"}}, "unknown variable WEFT_FUZZ_SCENARIO"},
      // Seeds.
      {{{"WEFT_SEED", ""}}, "WEFT_SEED"},
      {{{"WEFT_SEED", "-1"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", "abc"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", "18446744073709551616"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", "0x"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", "1e3"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", "\u0663"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", " 7"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", huge}}, "WEFT_SEED"},
      // Iterations.
      {{{"WEFT_ITERATIONS", "0"}}, "WEFT_ITERATIONS"},
      {{{"WEFT_ITERATIONS", "-5"}}, "WEFT_ITERATIONS"},
      {{{"WEFT_ITERATIONS", "100000001"}}, "WEFT_ITERATIONS"},
      {{{"WEFT_ITERATIONS", "99999999999999999999999"}}, "WEFT_ITERATIONS"},
      {{{"WEFT_ITERATIONS", "ten"}}, "WEFT_ITERATIONS"},
      {{{"WEFT_ITERATIONS", ""}}, "WEFT_ITERATIONS"},
      // Strategies.
      {{{"WEFT_STRATEGY", ""}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "PCT:3"}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "pct:"}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "pct:0"}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "pct:17"}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "exhaustive:9"}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "exhaustive:-1"}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "random:3"}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "fifo "}}, "WEFT_STRATEGY"},
      {{{"WEFT_STRATEGY", "\u0440\u0430\u043d\u0434"}}, "WEFT_STRATEGY"},
      // Sparse lists.
      {{{"WEFT_DECISIONS", ""}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "x"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;pick@1/2=2"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;pick@1/1=0"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;warp@1/3=1"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;hold@1/5=1"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;pick@1.2/3=1"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;pick@1/3=1;pick@1/3=2"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "100000000000"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;" + huge}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;pick@99999999999999999999999/3=1"}},
       "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;pick@1/3="}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "3;pick@\uff11/3=1"}}, "WEFT_DECISIONS"},
      {{{"WEFT_DECISIONS", "-3"}}, "WEFT_DECISIONS"},
      // Decision files.
      {{{"WEFT_REPLAY", ""}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", "/nonexistent/list.decisions"}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", "/dev/zero"}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", fifo("a-fifo")}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", directory}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", empty_file}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", truncated_file}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", big_file("huge.decisions", 20u << 20)}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", many_file}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", garbage_file}}, "WEFT_REPLAY"},
      {{{"WEFT_REPLAY", unicode_file}}, "WEFT_REPLAY"},
      // Switches and folders.
      {{{"WEFT_DETERMINISM", "2"}}, "WEFT_DETERMINISM"},
      {{{"WEFT_DETERMINISM", "true"}}, "WEFT_DETERMINISM"},
      {{{"WEFT_SHRINK", "yes"}}, "WEFT_SHRINK"},
      {{{"WEFT_SHRINK_ATTEMPTS", "0"}}, "WEFT_SHRINK_ATTEMPTS"},
      {{{"WEFT_SHRINK_ATTEMPTS", "-1"}}, "WEFT_SHRINK_ATTEMPTS"},
      {{{"WEFT_TRACE_DIR", "/nonexistent/folder"}}, "WEFT_TRACE_DIR"},
      {{{"WEFT_JOBS", "-1"}}, "WEFT_JOBS"},
      {{{"WEFT_JOBS", "257"}}, "WEFT_JOBS"},
      {{{"WEFT_JOBS", "two"}}, "WEFT_JOBS"},
      {{{"WEFT_JOBS", "99999999999999999999999"}}, "WEFT_JOBS"},
      {{{"WEFT_JOBS", ""}}, "WEFT_JOBS"},
      {{{"WEFT_TRACE_DIR", regular}}, "WEFT_TRACE_DIR"},
      {{{"WEFT_TRACE_DIR", ""}}, "WEFT_TRACE_DIR"},
      // Conflicts and ignored knobs.
      {{{"WEFT_SEED", "3"}, {"WEFT_STRATEGY", "fifo"}}, "WEFT_SEED"},
      {{{"WEFT_SEED", "3"}, {"WEFT_STRATEGY", "exhaustive:1"}}, "WEFT_SEED"},
      {{{"WEFT_DECISIONS", "*"}, {"WEFT_REPLAY", empty_file}}, "WEFT_REPLAY"},
      {{{"WEFT_DECISIONS", "*"}, {"WEFT_STRATEGY", "pct:2"}}, "WEFT_STRATEGY"},
      {{{"WEFT_DECISIONS", "*"}, {"WEFT_ITERATIONS", "5"}}, "WEFT_ITERATIONS"},
      {{{"WEFT_ITERATIONS", "5"}, {"WEFT_SEED", "2"}}, "WEFT_ITERATIONS"},
      {{{"WEFT_SHRINK", "0"}, {"WEFT_SHRINK_ATTEMPTS", "5"}},
       "WEFT_SHRINK_ATTEMPTS"},
      {{{"WEFT_SEEDS", "3"}}, "WEFT_SEEDS"},
      // Bazel's shard variables.
      {{{"TEST_TOTAL_SHARDS", "0"}, {"TEST_SHARD_INDEX", "0"}},
       "TEST_TOTAL_SHARDS"},
      {{{"TEST_TOTAL_SHARDS", "abc"}, {"TEST_SHARD_INDEX", "0"}},
       "TEST_TOTAL_SHARDS"},
      {{{"TEST_TOTAL_SHARDS", "4"}}, "TEST_SHARD_INDEX"},
      {{{"TEST_TOTAL_SHARDS", "4"}, {"TEST_SHARD_INDEX", "4"}},
       "TEST_SHARD_INDEX"},
      {{{"TEST_TOTAL_SHARDS", "4294967297"}, {"TEST_SHARD_INDEX", "1"}},
       "TEST_TOTAL_SHARDS"},
      {{{"TEST_TOTAL_SHARDS", "300"}, {"TEST_SHARD_INDEX", "1"}}, "shards"},
      // What weft itself sets when it restarts a test.
      {{{"WEFT_CRASH_RESUME", "garbage"}}, "WEFT_CRASH_RESUME"},
      {{{"WEFT_CRASH_RESUME", resume_zero}}, "WEFT_CRASH_RESUME"},
  };
}

TEST(BadInput, EveryKnobRefusesBadValuesByName) {
  const std::vector<Case> cases = knob_cases();
  EXPECT_GE(cases.size(), 50u);
  for (const Case& c : cases) {
    std::string shown;
    for (const auto& [name, value] : c.environment) {
      shown += name + "='" + value.substr(0, 40) + "' ";
    }
    SCOPED_TRACE(shown);
    const std::string error = error_of(c);
    ASSERT_FALSE(error.empty()) << "accepted";
    EXPECT_NE(error.find(c.must_name), std::string::npos) << error;
    EXPECT_LT(error.size(), 2000u) << "an error must stay readable";
  }
  EXPECT_LT(largest_allocation.load(), kAllocationMax);
}

TEST(BadInput, ParsersNeverAllocatePastTheirLimits) {
  // A count that once made a 1.2 GB list, and a file that claims a huge
  // count: refused or kept sparse, never materialised.
  auto sparse = parse_sparse_decisions("100000000;pick@1/3=1", "x");
  ASSERT_TRUE(std::holds_alternative<SparseDecisions>(sparse));
  EXPECT_EQ(std::get<SparseDecisions>(sparse).perturbed.size(), 1u);
  auto file = parse_decision_file("weft-decisions 1\ncount 999999\n", "x");
  EXPECT_TRUE(std::holds_alternative<std::string>(file));
  EXPECT_LT(largest_allocation.load(), kAllocationMax);
}

TEST(BadInput, SpecialFilesAreRefusedWithoutReading) {
  for (const std::string& path :
       {std::string("/dev/zero"), std::string("/dev/urandom"), fifo("f2"),
        temporary("")}) {
    FileContents read = read_bounded_file(path, 1024);
    EXPECT_NE(read.error.find("not a regular file"), std::string::npos)
        << path << ": " << read.error;
  }
  FileContents too_big = read_bounded_file(big_file("b", 4096), 1024);
  EXPECT_NE(too_big.error.find("above the limit of 1024"), std::string::npos)
      << too_big.error;
}

}  // namespace
}  // namespace weft::sim
