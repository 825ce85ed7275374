// weft::sim::ReplaySource: answers from a recorded decision list, checking
// that the run asks the same questions it asked when recorded. When the
// list runs out, every further answer is 0 (unperturbed), which is what a
// shrunk or truncated list means.
//
// An entry with bound 0 is a wildcard (any question, answer 0); sparse
// lists that name only the perturbed decisions use them for the rest.
//
// If the program asks a different question than the list holds at that
// position (the code changed since the recording), mismatch() says where
// and what, and the simulator stops the run: a replay never silently turns
// into a different run.
#pragma once

#include <string>

#include "sim/decision_source.h"

namespace weft::sim {

class ReplaySource final : public DecisionSource {
 public:
  explicit ReplaySource(const DecisionList& decisions)
      : decisions_(decisions) {}
  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext& context) override;
  const char* mismatch() const noexcept override {
    return mismatch_.empty() ? nullptr : mismatch_.c_str();
  }
  std::size_t position() const noexcept { return position_; }

 private:
  const DecisionList& decisions_;
  std::size_t position_ = 0;
  std::string mismatch_;
};

// Answers from raw bytes, the way a fuzzer drives a run: each decision
// takes one byte (two when bound > 256) and uses it modulo the bound;
// past the end, every answer is 0. Any byte string is a valid run.
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
