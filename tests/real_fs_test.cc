// weft::fs on real files (RealFileSystem), in a temporary folder, on each
// backend (io_uring, a pool of blocking threads, inline): every operation, the
// errors naming their path, and cancellation that leaves nothing
// half-done and never touches a dropped caller's buffer.
#include "runtime/fs/real_fs.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "runtime/executors/local_executor.h"
#include "runtime/future/test_wakers.h"

namespace weft::fs {
namespace {

std::string temporary_folder() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern =
      std::string(base != nullptr ? base : "/tmp") + "/weft-fs-XXXXXX";
  EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
  return pattern;
}

class RealFs : public ::testing::TestWithParam<RealFsOptions::Backend> {
 protected:
  RealFs() : fs_(RealFsOptions{GetParam(), 2}) {
    if (GetParam() == RealFsOptions::Backend::kAuto &&
        fs_.backend() != RealFsOptions::Backend::kIoUring) {
      std::printf("io_uring not used: %s\n", fs_.why_not_io_uring().c_str());
    }
    // Waits for a pool thread are wakes from another thread: a slow
    // disk must not be taken for a stall.
    executor_.set_stall_timeout(std::chrono::seconds(60));
  }
  template <typename F>
  auto run(F future) {
    return executor_.block_on(std::move(future));
  }
  std::string folder_ = temporary_folder();
  RealFileSystem fs_;
  LocalExecutor executor_;
};

TEST_P(RealFs, EveryOperation) {
  const std::string dir = folder_ + "/d";
  ASSERT_TRUE(run(fs_.create_dir(dir)));
  File file = run(fs_.open(dir + "/f", OpenOptions::create_or_open())).value();
  ASSERT_TRUE(run(file.write_all_at(0, "hello")));
  EXPECT_EQ(run(file.append(" world")).value(), 5u);
  EXPECT_EQ(run(file.size()).value(), 11u);
  std::vector<std::byte> four(4);
  EXPECT_EQ(run(file.read_at(6, four)).value(), 4u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(four.data()), 4), "worl");
  EXPECT_EQ(run(file.read_at(100, four)).value(), 0u);
  ASSERT_TRUE(run(file.sync_data()));
  ASSERT_TRUE(run(file.set_len(5)));
  ASSERT_TRUE(run(file.sync_all()));
  EXPECT_EQ(run(file.read_to_end()).value(), "hello");
  file.close();
  ASSERT_TRUE(run(fs_.write_file(dir + "/a", "A")));
  ASSERT_TRUE(run(fs_.rename(dir + "/f", dir + "/g")));
  ASSERT_TRUE(run(fs_.sync_dir(dir)));
  EXPECT_EQ(run(fs_.list_dir(dir)).value(),
            (std::vector<std::string>{"a", "g"}));
  EXPECT_EQ(run(fs_.read_file(dir + "/g")).value(), "hello");
  EXPECT_TRUE(run(fs_.exists(dir + "/g")).value());
  EXPECT_FALSE(run(fs_.exists(dir + "/f")).value());
  ASSERT_TRUE(run(fs_.remove_file(dir + "/a")));
  ASSERT_TRUE(run(fs_.remove_file(dir + "/g")));
  ASSERT_TRUE(run(fs_.remove_dir(dir)));
  EXPECT_FALSE(run(fs_.exists(dir)).value());
}

TEST_P(RealFs, ErrorsNameTheOperationAndThePath) {
  const std::string missing = folder_ + "/missing";
  EXPECT_EQ(run(fs_.open(missing, OpenOptions::read_only())).error().message(),
            "open " + missing + ": No such file or directory (ENOENT)");
  EXPECT_EQ(run(fs_.remove_dir(missing)).error().message(),
            "remove_dir " + missing + ": No such file or directory (ENOENT)");
  EXPECT_EQ(run(fs_.rename(missing, folder_ + "/x")).code(), ENOENT);
  EXPECT_EQ(
      run(fs_.open(folder_ + "/y", OpenOptions{true, false, true})).code(),
      EINVAL);
  File read_only =
      run(fs_.open(folder_, OpenOptions::read_only())).value();  // a folder
  std::vector<std::byte> buffer(8);
  EXPECT_EQ(run(read_only.read_at(0, buffer)).error().message(),
            "read_at " + folder_ + ": Is a directory (EISDIR)");
}

// A pending operation dropped: the call finishes on its own into buffers of
// its own (ASan would see a write into the dropped caller's buffer), and a
// write happens whole or not at all.
TEST_P(RealFs, DroppedOperationsLeaveNothingHalfDone) {
  File file =
      run(fs_.open(folder_ + "/c", OpenOptions::create_truncate())).value();
  const std::string big(1 << 20, 'z');
  for (int i = 0; i < 20; ++i) {
    {
      auto buffer = std::make_unique<std::vector<std::byte>>(1 << 20);
      Waker waker = noop_waker();
      Context cx(waker);
      auto read = file.read_at(0, *buffer);
      (void)read.poll(cx);
      auto write = file.write_all_at(0, big);
      (void)write.poll(cx);
    }  // both futures and the read's buffer are gone, calls maybe running
  }
  // Each dropped write still happens, whole: the file ends up holding it.
  std::string contents;
  for (int tries = 0; tries < 500 && contents != big; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    contents = run(file.read_to_end()).value();
  }
  EXPECT_EQ(contents.size(), big.size());
  EXPECT_TRUE(contents == big);
}

INSTANTIATE_TEST_SUITE_P(Backends, RealFs,
                         // kAuto: io_uring where the kernel allows it.
                         ::testing::Values(RealFsOptions::Backend::kAuto,
                                           RealFsOptions::Backend::kThreadPool,
                                           RealFsOptions::Backend::kInline),
                         [](const auto& info) {
                           switch (info.param) {
                             case RealFsOptions::Backend::kAuto:
                               return std::string("IoUringWhereAllowed");
                             case RealFsOptions::Backend::kThreadPool:
                               return std::string("ThreadPool");
                             default:
                               return std::string("Inline");
                           }
                         });

TEST(RealFsOptions, AutoUsesIoUringWhereTheKernelAllowsIt) {
  RealFileSystem fs({RealFsOptions::Backend::kAuto, 2});
  if (fs.backend() == RealFsOptions::Backend::kIoUring) {
    EXPECT_EQ(fs.why_not_io_uring(), "");
  } else {
    EXPECT_EQ(fs.backend(), RealFsOptions::Backend::kThreadPool);
    EXPECT_NE(fs.why_not_io_uring(), "");
    std::printf("io_uring not used here: %s\n", fs.why_not_io_uring().c_str());
  }
}

TEST(RealFsOptions, ABadThreadCountIsAMisuseNamingIt) {
  EXPECT_DEATH(
      RealFileSystem(RealFsOptions{RealFsOptions::Backend::kThreadPool, 0}),
      "RealFsOptions::threads is 0; accepted: 1..256");
}

}  // namespace
}  // namespace weft::fs
