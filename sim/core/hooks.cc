// The simulator as the runtime's hooks (runtime/seam/hooks.h): misuse and
// invariant reports become checker failures, buggify() call sites become
// decisions, task and frame memory goes through the quarantine.
#include <string>
#include <utility>

#include "sim/core/coverage.h"
#include "sim/core/simulator.h"
#include "sim/decision/prng.h"
#include "sim/report/fatal_handlers.h"
#include "sim/report/fatal_report.h"
#include "sim/report/sanitizers.h"
#include "sim/report/signal_safe_writer.h"
#include "sim/report/site_text.h"

namespace weft::sim {

bool Simulator::on_misuse(std::string_view what, SourceLocation where) {
  fail(Checker::kProtocolMisuse,
       "misuse: " + std::string(what) +
           (where.known() ? " (at " + std::string(short_path(where.file)) +
                                ":" + std::to_string(where.line) + ")"
                          : std::string()),
       where);
  if (may_unwind()) abort_run();
  return true;  // recorded; the run stops at the next poll boundary
}

void Simulator::abort_run() {
  if (threads_ != nullptr && threads_->running() == 0 &&
      !threads_->unwinding() && threads_->others_unfinished()) {
    threads_->abort_running_thread();
  }
  throw RunAborted{};
}

bool Simulator::on_invariant_failure(std::string_view condition,
                                     std::string_view message,
                                     SourceLocation where) {
  fail(Checker::kInvariant,
       "WEFT_ASSERT(" + std::string(condition) +
           ") failed: " + std::string(message) + " (at " +
           std::string(short_path(where.file)) + ":" +
           std::to_string(where.line) + ")",
       where);
  if (may_unwind()) abort_run();
  return true;
}

void Simulator::on_empty_wake(SourceLocation site) noexcept {
  if (tearing_down_) return;
  const std::uint64_t thread = threads_ != nullptr ? threads_->running() : 0;
  try {
    trace_.record(EventKind::kEmptyWake, step_, polling_, thread, site);
  } catch (...) {
    // Out of memory while recording: the event is lost, the run goes on.
  }
}

bool Simulator::should_inject(double probability, SourceLocation site) {
  auto key = std::make_pair(std::string(site.file), site.line);
  auto found = buggify_sites_.find(key);
  if (found == buggify_sites_.end()) {
    BuggifySite state;
    // A label that does not depend on the order sites are met in.
    state.hash = site_hash(key.first.c_str(), key.second);
    const std::uint32_t site_chance = Prng::probability_to_chance(
        options_.perturbations.buggify_site_probability);
    state.enabled =
        site_chance > 0 && decide(DecisionKind::kBuggifySite, 2, site_chance,
                                  {state.hash, 0}) == 1;
    found = buggify_sites_.emplace(std::move(key), state).first;
  }
  BuggifySite& state = found->second;
  if (!state.enabled) return false;
  const bool fire = decide(DecisionKind::kBuggifyFire, 2,
                           Prng::probability_to_chance(probability),
                           {state.hash, ++state.calls}) == 1;
  if (fire) {
    trace_.record(EventKind::kBuggify, step_, polling_, site.line, site);
  }
  return fire;
}

void Simulator::on_mark(std::string_view name, bool reached, bool sometimes,
                        SourceLocation) {
  if (reached && !coverage_.empty()) count_mark_coverage(name);
  for (MarkResult& mark : marks_) {
    if (mark.name == name) {
      mark.reached |= reached;
      return;
    }
  }
  marks_.push_back(MarkResult{std::string(name), sometimes, reached});
}

void* Simulator::allocate(std::size_t size, MemoryKind kind) {
  return quarantine_.allocate(size, kind);
}

void Simulator::deallocate(void* block, std::size_t size,
                           MemoryKind kind) noexcept {
  if (kind == MemoryKind::kTaskCell) {
    auto found = record_by_cell_.find(block);
    if (found != record_by_cell_.end()) {
      found->second->cell_freed = true;
      const DropContext saved = quarantine_.context();
      DropContext context = saved;
      context.task = found->second->id;
      quarantine_.set_context(context);
      record_by_cell_.erase(found);
      quarantine_.deallocate(block, size, kind);
      quarantine_.set_context(saved);
      return;
    }
  }
  quarantine_.deallocate(block, size, kind);
}

void Simulator::describe_fatal(int fd, const char* cause) noexcept {
#if defined(WEFT_HAS_ASAN)
  // A bad access to quarantined memory: say what the memory was.
  if (__asan_report_present()) {
    SignalSafeWriter out(fd);
    out.text("weft: use-after-drop: the bad access hit the memory of ");
    if (quarantine_.write_address_description(out,
                                              __asan_get_report_address())) {
      out.text(" (quarantined by the simulator)\n");
    } else {
      out.text("nothing the simulator quarantined\n");
    }
  }
#endif
  if (fatal_reporter_ != nullptr) {
    RunInFlight run{decisions_, step_, trace_.events(), failure_};
    if (polling_ != 0 && polling_ <= records_.size()) {
      run.polled_task = polling_;
      run.polled_spawned_at = records_[polling_ - 1]->spawned_at;
    }
    if (threads_ != nullptr && threads_->running() != 0) {
      run.running_thread = threads_->running();
      run.thread_site = threads_->running_site();
    }
    fatal_reporter_->report(fd, cause, run);
    return;
  }
  // A run outside any sweep (a test driving a Simulator itself): say at
  // least where it was.
  SignalSafeWriter out(fd);
  out.text("\nweft: the process is dying of ").text(cause);
  out.text(" in the middle of a simulated run, at step ").number(step_);
  out.text(" after ").number(decisions_.size()).text(" decisions\n");
  if (failure_) {
    out.text("  the run had already failed: ")
        .text(to_string(failure_->checker))
        .text(": ")
        .text(failure_->message.c_str())
        .text("\n");
  }
}

Simulator::RunScope::RunScope(Simulator& simulator)
    : previous_hooks_(install_thread_hooks(&simulator)),
      previous_sync_(
          std::exchange(this_thread_runtime().sync, simulator.threads_.get())) {
  ensure_alternate_signal_stack();
}

Simulator::RunScope::~RunScope() {
  this_thread_runtime().sync = previous_sync_;
  install_thread_hooks(previous_hooks_);
}

}  // namespace weft::sim
