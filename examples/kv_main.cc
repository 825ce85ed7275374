// The key-value store of examples/kv on the machine's own disk:
//
//   bazel run //examples:kv_store -- [folder]
//
// opens (or creates) the store in `folder` (a new temporary folder if none
// is given), puts a few keys, compacts, reopens and prints what it reads
// back and what is on disk. Run it twice on one folder: the second run
// starts from what the first left.
#include <stdlib.h>

#include <cstdio>
#include <string>

#include "examples/kv/kv_store.h"
#include "runtime/executors/local_executor.h"
#include "runtime/fs/real_fs.h"

namespace {

weft::Async<int> tour(weft::fs::FileSystem& fs, std::string dir) {
  auto opened = co_await kv::KvStore::open(fs, dir);
  if (!opened) {
    std::fprintf(stderr, "kv: %s\n", opened.error().message().c_str());
    co_return 1;
  }
  kv::KvStore store = std::move(opened).value();
  std::printf("kv: opened %s: %zu keys\n", dir.c_str(), store.size());
  const std::string runs = store.get("runs").value_or("0");
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{
            "runs", std::to_string(std::stoi(runs) + 1)},
        {"greeting", "hello"},
        {"answer", "42"}}) {
    if (auto put = co_await store.put(key, value); !put) {
      std::fprintf(stderr, "kv: %s\n", put.error().message().c_str());
      co_return 1;
    }
  }
  std::printf("kv: 3 puts, each synced: the log holds %llu bytes\n",
              static_cast<unsigned long long>(store.log_bytes()));
  if (auto compacted = co_await store.compact(); !compacted) {
    std::fprintf(stderr, "kv: %s\n", compacted.error().message().c_str());
    co_return 1;
  }
  std::printf("kv: compacted into %s/snapshot; the log is empty\n",
              dir.c_str());
  auto again = co_await kv::KvStore::open(fs, dir);
  if (!again) {
    std::fprintf(stderr, "kv: %s\n", again.error().message().c_str());
    co_return 1;
  }
  for (const char* key : {"runs", "greeting", "answer"}) {
    std::printf("kv: reopened: %s = %s\n", key,
                again.value().get(key).value_or("(missing)").c_str());
  }
  auto names = co_await fs.list_dir(dir);
  if (names) {
    std::printf("kv: files:");
    for (const std::string& name : names.value()) {
      std::printf(" %s", name.c_str());
    }
    std::printf("\n");
  }
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  if (argc > 1) {
    dir = argv[1];
  } else {
    std::string pattern = "/tmp/weft-kv-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("kv: mkdtemp");
      return 1;
    }
    dir = pattern + "/store";
  }
  weft::fs::RealFileSystem fs;
  weft::LocalExecutor executor;
  // A sync on a slow disk is a wake from a pool thread after a while.
  executor.set_stall_timeout(std::chrono::seconds(60));
  return executor.block_on(tour(fs, dir));
}
