#include "sim/replay_source.h"

namespace weft::sim {

std::uint32_t ReplaySource::choose(DecisionKind kind, std::uint32_t bound,
                                   const DecisionContext&) {
  if (!mismatch_.empty()) return 0;
  if (position_ >= decisions_.size()) return 0;
  const Decision& recorded = decisions_[position_];
  if (recorded.bound == 0) {
    // A wildcard from a sparse list: any question, unperturbed answer.
    ++position_;
    return 0;
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

std::uint32_t ByteSource::choose(DecisionKind, std::uint32_t bound,
                                 const DecisionContext&) {
  if (position_ >= size_) return 0;
  std::uint32_t raw = data_[position_++];
  if (bound > 256 && position_ < size_) raw = (raw << 8) | data_[position_++];
  return raw % bound;
}

}  // namespace weft::sim
