// The hunt's work: every component of the zoo under each strategy, its
// fixed twin under the perturbing ones, and the same buggy code stressed
// on the real thread pool; one Row per component.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "examples/stress_baseline.h"
#include "sim/zoo/whole_zoo.h"

namespace weft::hunt {

inline constexpr std::array<const char*, 6> kStrategies = {
    "fifo", "random", "pct:3", "exhaustive:2", "cancel-sweep:2", "coverage"};
inline constexpr std::size_t kFifo = 0;
inline constexpr std::size_t kRandom = 1;  // the default strategy's column
inline constexpr std::uint64_t kSeedBudget = 200;
inline constexpr std::uint64_t kExhaustiveRunsMax = 3000;
inline constexpr std::uint64_t kShrinkAttemptsMax = 2000;

struct HuntOptions {
  std::string trace_dir;  // "" = no trace files
  long stress_ms = 1000;
};

// One strategy on one buggy component.
struct Cell {
  bool found = false;
  std::string checker;
  std::uint64_t runs = 0;
  double seconds = 0;
  std::uint64_t shrunk_decisions = 0;
  std::size_t shrunk_perturbations = 0;
  std::string shrunk_list;
  std::string trace_path;
};

struct Row {
  const zoo::Component* component = nullptr;
  std::array<Cell, kStrategies.size()> cells;
  bool fixed_clean = true;
  std::string fixed_problem;
  std::string fixed_marks;  // marks the fixed twin reached under random
  StressResult stress;
};

Row hunt_component(const zoo::Component& component, const HuntOptions& options);

// What makes the hunt fail: a fixed twin that is not clean, or a bug the
// default strategy does not find with the checker that should report it.
std::vector<std::string> problems_of(const std::vector<Row>& rows);

}  // namespace weft::hunt
