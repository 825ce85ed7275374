// Writes the failure reports of three zoo bugs, one of each kind, into a
// folder: a lost wakeup between tasks (lost_wakeup), a register race
// between simulated threads (register_race) and an acknowledged write
// lost with a crashed primary (backup_ack). Each report is what a user
// gets: the text on stdout, and its trace file and HTML page in the
// folder. scripts/report_pages.sh opens the pages in headless Chromium.
//
//   bazel run //examples:report_pages -- <folder>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/gtest/gtest_sim.h"
#include "sim/zoo/whole_zoo.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: report_pages <folder>\n");
    return 2;
  }
  const std::string folder = argv[1];
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    std::fprintf(stderr, "report_pages: cannot create %s: %s\n", folder.c_str(),
                 error.message().c_str());
    return 2;
  }
  const std::vector<std::string> wanted = {"lost_wakeup", "register_race",
                                           "backup_ack"};
  int written = 0;
  for (const std::string& name : wanted) {
    for (const weft::zoo::Component& component : weft::zoo::whole_zoo()) {
      if (component.name != name) continue;
      weft::sim::SweepConfig config;
      config.strategy =
          weft::sim::StrategySpec{weft::sim::StrategySpec::Kind::kRandom, 0};
      config.iterations = 500;
      config.output_dir = folder;
      config.artifact_name = name;
      config.test_name = "report_pages." + name;
      // Its replay line goes through the hunt, which replays any zoo bug.
      weft::sim::ReplayCommand replay;
      replay.env_suffix = " ";
      replay.tail = "bazel run //examples:hunt -- --replay=" + name;
      config.replay_command = replay;
      weft::sim::SweepOutcome outcome =
          weft::sim::find_failure(component.buggy, {}, config);
      if (!outcome.failure) {
        std::fprintf(stderr, "report_pages: %s was not found\n", name.c_str());
        return 1;
      }
      std::printf("=== %s\n%s\n", name.c_str(),
                  outcome.failure->to_string().c_str());
      if (outcome.failure->page_path.empty()) {
        std::fprintf(stderr, "report_pages: no page was written for %s\n",
                     name.c_str());
        return 1;
      }
      ++written;
    }
  }
  return written == static_cast<int>(wanted.size()) ? 0 : 1;
}
