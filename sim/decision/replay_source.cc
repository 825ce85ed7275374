#include "sim/decision/replay_source.h"

#include <algorithm>

#include "sim/decision/decision_io.h"

namespace weft::sim {
namespace {

bool entry_less(DecisionKind kind_a, const DecisionLabel& label_a,
                DecisionKind kind_b, const DecisionLabel& label_b) {
  if (kind_a != kind_b) return kind_a < kind_b;
  return label_a < label_b;
}

}  // namespace

std::uint32_t ReplaySource::choose(DecisionKind kind, std::uint32_t bound,
                                   const DecisionContext&) {
  if (!mismatch_.empty()) return 0;
  if (position_ >= decisions_.size()) return 0;
  const Decision& recorded = decisions_[position_];
  if (mode_ == ReplayMode::kLenient) {
    ++position_;
    return std::min(recorded.value, bound - 1);
  }
  if (recorded.kind != kind || recorded.bound != bound ||
      recorded.value >= bound) {
    mismatch_ =
        "decision #" + std::to_string(position_) + ": the program asks " +
        std::string(to_string(kind)) + "/" + std::to_string(bound) +
        " but the list holds " + std::string(to_string(recorded.kind)) + "/" +
        std::to_string(recorded.bound) + "=" + std::to_string(recorded.value) +
        " (the code or the options changed since it was recorded)";
    return 0;
  }
  ++position_;
  return recorded.value;
}

void ReplaySource::run_ended(std::uint64_t decisions_made) {
  if (mode_ == ReplayMode::kLenient) return;
  if (!mismatch_.empty() || position_ >= decisions_.size()) return;
  const Decision& first = decisions_[position_];
  mismatch_ = "the run ended after " + std::to_string(decisions_made) +
              " decisions but the list holds " +
              std::to_string(decisions_.size()) + "; decision #" +
              std::to_string(position_) + " (" +
              std::string(to_string(first.kind)) + "/" +
              std::to_string(first.bound) + "=" + std::to_string(first.value) +
              ") was never reached (the code or the options changed since "
              "it was recorded)";
}

LabelledReplaySource::LabelledReplaySource(
    const std::vector<Decision>& perturbed,
    std::optional<std::uint64_t> expected_count, Mode mode)
    : expected_count_(expected_count), mode_(mode) {
  entries_.reserve(perturbed.size());
  for (std::size_t i = 0; i < perturbed.size(); ++i) {
    entries_.push_back(Entry{perturbed[i], i, false});
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) {
              return entry_less(a.decision.kind, a.decision.label,
                                b.decision.kind, b.decision.label);
            });
}

std::uint32_t LabelledReplaySource::choose(DecisionKind kind,
                                           std::uint32_t bound,
                                           const DecisionContext& context) {
  if (!mismatch_.empty()) return 0;
  auto found =
      std::lower_bound(entries_.begin(), entries_.end(), context.label,
                       [kind](const Entry& entry, const DecisionLabel& label) {
                         return entry_less(entry.decision.kind,
                                           entry.decision.label, kind, label);
                       });
  if (found == entries_.end() || found->decision.kind != kind ||
      found->decision.label != context.label) {
    return 0;
  }
  found->used = true;
  if (found->decision.bound == bound) return found->decision.value;
  if (mode_ == Mode::kLenient) {
    return std::min(found->decision.value, bound - 1);
  }
  mismatch_ = "the entry " + format_decision(found->decision) +
              " meets a question with " + std::to_string(bound) +
              " options, not " + std::to_string(found->decision.bound) +
              " (the code or the options changed since it was recorded)";
  return 0;
}

void LabelledReplaySource::run_ended(std::uint64_t decisions_made) {
  if (mode_ == Mode::kLenient || !mismatch_.empty()) return;
  const Entry* first_unused = nullptr;
  for (const Entry& entry : entries_) {
    if (!entry.used && (first_unused == nullptr ||
                        entry.written_at < first_unused->written_at)) {
      first_unused = &entry;
    }
  }
  if (first_unused != nullptr) {
    mismatch_ = "the entry " + format_decision(first_unused->decision) +
                " was never reached: the run made " +
                std::to_string(decisions_made) +
                " decisions and never asked that question (the code or the "
                "options changed since the list was recorded)";
    return;
  }
  if (expected_count_ && *expected_count_ != decisions_made) {
    mismatch_ = "the list was recorded from a run of " +
                std::to_string(*expected_count_) +
                " decisions, but this run made " +
                std::to_string(decisions_made) +
                " (the code or the options changed since it was recorded; "
                "'*' as the count accepts any)";
  }
}

std::uint32_t ByteSource::choose(DecisionKind, std::uint32_t bound,
                                 const DecisionContext&) {
  if (position_ >= size_) return 0;
  std::uint32_t raw = data_[position_++];
  if (bound > 256 && position_ < size_) raw = (raw << 8) | data_[position_++];
  return raw % bound;
}

}  // namespace weft::sim
