// A settings file replaced atomically: the new contents go to
// /settings.tmp, which is synced and renamed over /settings. The bug: the
// rename is acknowledged without syncing the folder, so after a crash the
// old settings can come back although the new ones were reported saved.
// The fixed twin syncs "/" after the rename.
//
// FIFO keeps every change at a crash; one disk-crash@O decision (the
// rename lost) finds it.
#pragma once

#include <string>

#include "runtime/fs/fs.h"
#include "runtime/future/async.h"
#include "runtime/seam/assert.h"
#include "sim/storage/sim_disk.h"

namespace weft::zoo {

template <bool kFixed>
Async<bool> save_settings(fs::FileSystem& fs, const std::string& text) {
  {
    auto tmp =
        co_await fs.open("/settings.tmp", fs::OpenOptions::create_truncate());
    if (!tmp || !co_await tmp.value().write_all_at(0, text) ||
        !co_await tmp.value().sync_all()) {
      co_return false;
    }
  }
  if (!co_await fs.rename("/settings.tmp", "/settings")) co_return false;
  // The bug: the new name is not durable until its folder is synced.
  if (kFixed && !co_await fs.sync_dir("/")) co_return false;
  co_return true;
}

template <bool kFixed>
Async<void> unsynced_rename_scenario() {
  sim::SimDisk disk;
  std::string saved;
  for (const char* text : {"volume=3", "volume=7"}) {
    if (co_await save_settings<kFixed>(disk.fs(), text)) saved = text;
  }
  if (saved.empty()) co_return;
  disk.crash();
  auto contents = co_await disk.fs().read_file("/settings");
  if (!contents && contents.code() == EIO) co_return;  // injected
  WEFT_ASSERT(contents.ok() && contents.value() == saved,
              "the settings last reported saved survive a crash");
}

}  // namespace weft::zoo
