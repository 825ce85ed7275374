// weft::check::check_linearizable: whether a history of operations
// (history.h) is linearizable with respect to a sequential model
// (models.h): whether some order of the operations, consistent with the
// order of each one's return before another's call, gives every output the
// model allows, with operations that never returned taking effect or not.
//
//   CheckResult result = check_linearizable(history, RegisterModel{});
//   WEFT_ASSERT(result, result.explanation);
//
// A model with key() is checked key by key (P-compositionality: a history
// is linearizable iff each key's sub-history is), which keeps large
// histories fast. A failing history is shrunk to the smallest failing part
// (operations removed one at a time while it still fails) and shown as a
// per-client timeline. The search has a limit: past it the result is
// inconclusive, never a pass.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "check/history.h"
#include "check/wgl.h"

namespace weft::check {

enum class Verdict : std::uint8_t {
  kLinearizable,
  kNotLinearizable,
  kInconclusive,
};

struct CheckLimits {
  // Search steps per key (each is a step of the WGL walk).
  std::uint64_t steps_max = 10'000'000;
  // Checks spent shrinking a failing key's history.
  std::size_t shrink_checks_max = 400;
};

struct CheckResult {
  Verdict verdict = Verdict::kLinearizable;
  // Not linearizable: the smallest failing part as a per-client timeline.
  // Inconclusive: which key and limit.
  std::string explanation;
  std::size_t operations = 0;
  std::size_t partitions = 0;
  std::uint64_t steps = 0;

  explicit operator bool() const noexcept {
    return verdict == Verdict::kLinearizable;
  }
};

namespace detail {

template <typename Model>
concept Partitioned = requires(const Model& model,
                               const typename Model::Input& input) {
  { model.key(input) } -> std::convertible_to<std::string>;
};

inline std::string time_text(Instant at) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f ms",
                static_cast<double>(at.nanoseconds()) / 1e6);
  return text;
}

template <typename Model>
std::string timeline(
    const Model& model,
    const std::vector<
        const Operation<typename Model::Input, typename Model::Output>*>& ops) {
  auto sorted = ops;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->called < b->called; });
  std::string out;
  for (const auto* op : sorted) {
    const typename Model::Output* output =
        op->completed() ? &*op->output : nullptr;
    char prefix[48];
    std::snprintf(prefix, sizeof prefix, "  client %-3u ", op->client);
    out += prefix;
    std::string words = model.describe(op->input, output);
    if (words.size() < 28) words.resize(28, ' ');
    out += words + "  called " + time_text(op->called_at) +
           (op->completed() ? ", returned " + time_text(op->returned_at)
                            : std::string(", never returned")) +
           "\n";
  }
  return out;
}

template <typename Model>
SearchResult search_ops(
    const Model& model,
    const std::vector<
        const Operation<typename Model::Input, typename Model::Output>*>& ops,
    const CheckLimits& limits) {
  Search<Model> search(model, ops);
  return search.run(limits.steps_max);
}

// Whether some order of `ops` gives their outputs when their times are
// ignored (every call before every return): a failure that this passes is
// one of real-time order, which is what a shrunk history should keep.
template <typename Model>
bool consistent_ignoring_time(
    const Model& model,
    const std::vector<
        const Operation<typename Model::Input, typename Model::Output>*>& ops,
    const CheckLimits& limits) {
  using Op = Operation<typename Model::Input, typename Model::Output>;
  std::vector<Op> concurrent;
  concurrent.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    Op op = *ops[i];
    op.called = i + 1;
    op.returned = ops.size() + i + 1;
    concurrent.push_back(std::move(op));
  }
  std::vector<const Op*> pointers;
  for (const Op& op : concurrent) pointers.push_back(&op);
  // Everything concurrent is the hardest case for the search: a smaller
  // limit, and a search that gives up counts as "not shown consistent".
  CheckLimits quick = limits;
  quick.steps_max = std::min<std::uint64_t>(limits.steps_max, 20'000);
  return search_ops(model, pointers, quick).verdict ==
         SearchVerdict::kLinearizable;
}

}  // namespace detail

template <typename Model>
CheckResult check_linearizable(const History<Model>& history,
                               const Model& model = Model{},
                               CheckLimits limits = {}) {
  using Op = typename History<Model>::Op;
  CheckResult result;
  result.operations = history.size();
  std::map<std::string, std::vector<const Op*>> partitions;
  for (const Op& op : history.operations()) {
    if constexpr (detail::Partitioned<Model>) {
      partitions[model.key(op.input)].push_back(&op);
    } else {
      partitions[""].push_back(&op);
    }
  }
  result.partitions = partitions.size();
  std::string inconclusive;
  for (const auto& [key, ops] : partitions) {
    const detail::SearchResult found = detail::search_ops(model, ops, limits);
    result.steps += found.steps;
    if (found.verdict == detail::SearchVerdict::kInconclusive) {
      if (inconclusive.empty()) {
        inconclusive =
            "the search gave up after " + std::to_string(limits.steps_max) +
            " steps (CheckLimits::steps_max) on " +
            (key.empty() ? std::string("the history") : "key \"" + key + "\"") +
            " (" + std::to_string(ops.size()) +
            " operations): it is neither shown linearizable nor not";
      }
      continue;
    }
    if (found.verdict != detail::SearchVerdict::kNotLinearizable) continue;
    // Shrink: drop operations one at a time while the rest still fails the
    // same way. When the failure is one of real-time order (the outputs
    // are possible if times are ignored), the rest must stay so: otherwise
    // removing a write would leave a read of a value nobody wrote, which
    // fails too but says nothing.
    std::vector<const Op*> failing = ops;
    std::size_t checks = 1;
    const bool timing = detail::consistent_ignoring_time(model, ops, limits);
    auto still_fails = [&](const std::vector<const Op*>& fewer) {
      if (detail::search_ops(model, fewer, limits).verdict !=
          detail::SearchVerdict::kNotLinearizable) {
        return false;
      }
      return !timing || detail::consistent_ignoring_time(model, fewer, limits);
    };
    // Chunks first, halving (delta debugging, Zeller and Hildebrandt), so
    // a failing key with hundreds of operations shrinks in few checks; then
    // single operations until none can go.
    for (std::size_t chunk = std::max<std::size_t>(failing.size() / 2, 1);;) {
      bool removed = false;
      for (std::size_t start = 0;
           start < failing.size() && checks < limits.shrink_checks_max;) {
        const std::size_t end = std::min(failing.size(), start + chunk);
        std::vector<const Op*> fewer;
        fewer.reserve(failing.size() - (end - start));
        fewer.insert(fewer.end(), failing.begin(),
                     failing.begin() + static_cast<std::ptrdiff_t>(start));
        fewer.insert(fewer.end(),
                     failing.begin() + static_cast<std::ptrdiff_t>(end),
                     failing.end());
        ++checks;
        if (!fewer.empty() && still_fails(fewer)) {
          failing = std::move(fewer);
          removed = true;
        } else {
          start = end;
        }
      }
      if (checks >= limits.shrink_checks_max) break;
      if (chunk == 1 && !removed) break;
      if (chunk > 1) chunk = std::max<std::size_t>(chunk / 2, 1);
    }
    result.verdict = Verdict::kNotLinearizable;
    result.explanation =
        "the history is not linearizable" +
        (key.empty() ? std::string() : " (key \"" + key + "\")") +
        ": no order of these " + std::to_string(failing.size()) +
        " operations, each taking effect between its call and its return, "
        "gives the outputs they returned" +
        (timing ? std::string(" (an order ignoring when they ran would: "
                              "what fails is real-time order)")
                : std::string(" (not even ignoring when they ran: an output "
                              "no operation could produce)")) +
        (checks >= limits.shrink_checks_max ? "; shrinking stopped at its limit"
                                            : "; no smaller part fails so") +
        "\n" + detail::timeline(model, failing);
    return result;
  }
  if (!inconclusive.empty()) {
    result.verdict = Verdict::kInconclusive;
    result.explanation = inconclusive;
  }
  return result;
}

}  // namespace weft::check
