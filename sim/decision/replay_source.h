// Decision sources that replay something recorded (see decision.h):
//
//   ReplaySource          a whole list, by position; past the end of a
//                         shorter list every answer is 0.
//   LabelledReplaySource  a sparse list, by label: a question gets the
//                         value recorded for its label, else 0.
//   ByteSource            raw bytes, the way a fuzzer drives a run.
//
// What happens when the list and the program disagree is one of three
// explicit policies, the same wherever it applies:
//   kStrict   (a replay a person asked for) a question of another kind or
//             bound, an entry the run never reached, or a different number
//             of decisions is a mismatch;
//   kLenient  (shrinking candidates) a value too big for the question is
//             clamped to the largest allowed, and nothing else is checked;
//   modulo    (raw input: bytes, generated choices) any number is taken
//             modulo the bound, so every input is a valid run.
//
// A strict replay never silently turns into a different run: mismatch()
// says where the program and the list parted, and the simulator stops the
// run with a replay-mismatch failure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/decision/decision_source.h"

namespace weft::sim {

enum class ReplayMode : std::uint8_t { kStrict, kLenient };

class ReplaySource final : public DecisionSource {
 public:
  explicit ReplaySource(const DecisionList& decisions,
                        ReplayMode mode = ReplayMode::kStrict)
      : decisions_(decisions), mode_(mode) {}
  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext& context) override;
  void run_ended(std::uint64_t decisions_made) override;
  const char* mismatch() const noexcept override {
    return mismatch_.empty() ? nullptr : mismatch_.c_str();
  }
  std::size_t position() const noexcept { return position_; }

 private:
  const DecisionList& decisions_;
  ReplayMode mode_;
  std::size_t position_ = 0;
  std::string mismatch_;
};

class LabelledReplaySource final : public DecisionSource {
 public:
  using Mode = ReplayMode;

  // `expected_count` (strict mode): the number of decisions the recorded
  // run made; nullopt accepts any.
  LabelledReplaySource(const std::vector<Decision>& perturbed,
                       std::optional<std::uint64_t> expected_count, Mode mode);
  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext& context) override;
  void run_ended(std::uint64_t decisions_made) override;
  const char* mismatch() const noexcept override {
    return mismatch_.empty() ? nullptr : mismatch_.c_str();
  }

 private:
  struct Entry {
    Decision decision;
    std::size_t written_at;  // position in the list as given
    bool used = false;
  };
  std::vector<Entry> entries_;  // sorted by (kind, label)
  std::optional<std::uint64_t> expected_count_;
  Mode mode_;
  std::string mismatch_;
};

// Answers from raw bytes: each decision takes one byte (two when bound >
// 256) and uses it modulo the bound; past the end, every answer is 0. Any
// byte string is a valid run.
class ByteSource final : public DecisionSource {
 public:
  ByteSource(const std::uint8_t* data, std::size_t size)
      : data_(data), size_(size) {}
  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext& context) override;
  std::size_t consumed() const noexcept { return position_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

}  // namespace weft::sim
