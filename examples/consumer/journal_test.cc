// A component that keeps state on disk, tested from outside weft: a
// journal that appends a line, syncs it and only then says it is saved,
// written against weft::fs::FileSystem and run on a simulated host's disk
// that the host's crash crashes (every unsynced write may be lost or torn,
// every sync and write may fail, by decision).
#include <string>
#include <vector>

#include "sim/weft_sim.h"

namespace {

// Appends `line` to /journal; true once it is durable.
weft::Async<bool> save(weft::fs::FileSystem& fs, const std::string& line) {
  auto file =
      co_await fs.open("/journal", weft::fs::OpenOptions::create_or_open());
  if (!file) co_return false;
  auto end = co_await file.value().size();
  if (!end || !co_await file.value().write_all_at(end.value(), line + "\n")) {
    co_return false;
  }
  // The journal's name must be durable too: sync the folder once.
  co_return co_await file.value().sync_data() && co_await fs.sync_dir("/");
}

WEFT_SIM_TEST(Journal, WhatWasSavedSurvivesTheHostsCrash) {
  weft::sim::SimNet net;
  weft::sim::SimHost& host = net.add_host("10.0.0.1");
  std::vector<std::string> saved;
  for (const char* line : {"one", "two", "three"}) {
    if (!co_await save(host.fs(), line)) break;  // a failure ends the run
    saved.push_back(line);
  }
  host.crash();
  host.restart();
  auto contents = co_await host.fs().read_file("/journal");
  if (!contents) co_return;  // an injected read error
  for (const std::string& line : saved) {
    WEFT_ASSERT(contents.value().find(line + "\n") != std::string::npos,
                "a saved line survives a crash");
  }
}

}  // namespace
