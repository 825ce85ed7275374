// The simulator's schedule coverage (see coverage.h): counted after each
// poll, cancellation and mark, at each switch of simulated threads and
// for what each atomic load read, and only when
// SimOptions::record_coverage asked for it. Hashing only, no allocation.
#include "sim/core/coverage.h"
#include "sim/core/simulator.h"

namespace weft::sim {
namespace {

// Distinguish the kinds of feature, so a site pair cannot alias a mark.
constexpr std::uint64_t kPollEnd = 1;
constexpr std::uint64_t kResumedAfter = 2;
constexpr std::uint64_t kCancelledAt = 3;
constexpr std::uint64_t kMarkReached = 4;
constexpr std::uint64_t kThreadSwitch = 5;
constexpr std::uint64_t kReadsFrom = 6;

}  // namespace

std::uint64_t Simulator::parked_site(const SimTask& record) const noexcept {
  return site_hash(record.task->await_trace().innermost());
}

void Simulator::count_poll_coverage(std::uint64_t parked_at,
                                    const SimTask& record,
                                    TaskPollResult result) noexcept {
  // Where the poll ended: the await it parks at, or how it finished.
  const std::uint64_t ended_at =
      result == TaskPollResult::kRetire
          ? feature_of(kPollEnd, static_cast<std::uint64_t>(result))
          : parked_site(record);
  count_feature(coverage_,
                feature_of(feature_of(kPollEnd, parked_at), ended_at));
  // The interleaving: this task resumed right after another parked.
  count_feature(
      coverage_,
      feature_of(feature_of(kResumedAfter, last_parked_at_), parked_at));
  last_parked_at_ = ended_at;
}

void Simulator::count_cancel_coverage(const SimTask& record) noexcept {
  count_feature(coverage_, feature_of(kCancelledAt, parked_site(record)));
}

void Simulator::thread_switch_coverage(SourceLocation stopped,
                                       SourceLocation resumes) noexcept {
  count_feature(coverage_,
                feature_of(feature_of(kThreadSwitch, site_hash(stopped)),
                           site_hash(resumes)));
}

void Simulator::reads_from_coverage(SourceLocation load, SourceLocation store,
                                    std::uint64_t age) noexcept {
  count_feature(coverage_, feature_of(feature_of(feature_of(kReadsFrom, age),
                                                 site_hash(load)),
                                      site_hash(store)));
}

void Simulator::count_mark_coverage(std::string_view name) noexcept {
  count_feature(coverage_, feature_of(kMarkReached, text_hash(name)));
}

}  // namespace weft::sim
