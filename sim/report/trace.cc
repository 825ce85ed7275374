#include "sim/report/trace.h"

#include <algorithm>
#include <cstdio>

#include "sim/report/event_text.h"

namespace weft::sim {
namespace {

// An event at a time: its three words are spread by independent
// multiplies (which the CPU overlaps), then one multiply and shift chain
// the event into the hash. FNV's eight dependent multiplies per word made
// hashing a third of a simulated run's cost; it is computed for every run.
void mix(std::uint64_t& hash, const TraceEvent& event) {
  const std::uint64_t tagged = static_cast<std::uint64_t>(event.task) |
                               (static_cast<std::uint64_t>(event.kind) << 32);
  const std::uint64_t spread = event.step * 0xff51afd7ed558ccdULL ^
                               event.arg * 0xc4ceb9fe1a85ec53ULL ^
                               tagged * 0x9e3779b97f4a7c15ULL;
  hash = (hash ^ spread) * 0x2127599bf4325c37ULL;
  hash ^= hash >> 29;
}

// One spare event buffer per thread: a run's trace takes it and gives it
// back, so consecutive runs reuse memory already mapped instead of
// faulting in fresh pages every run. Buffers larger than this are freed.
constexpr std::size_t kSpareEventsMax = (16u << 20) / sizeof(TraceEvent);
thread_local std::vector<TraceEvent> spare_events;

}  // namespace

Trace::Trace() {
  events_.swap(spare_events);
  events_.clear();
  if (events_.capacity() < (1u << 12)) events_.reserve(1u << 12);
}

Trace::~Trace() {
  if (events_.capacity() <= kSpareEventsMax &&
      events_.capacity() > spare_events.capacity()) {
    events_.swap(spare_events);
  }
}

std::uint64_t Trace::hash() const noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const TraceEvent& event : events_) {
    mix(hash, event);
  }
  return hash;
}

void Trace::note_sites(SourceLocation site, SourceLocation other) {
  const std::size_t index = events_.size() - 1;
  detail_->last_event = index;
  if (site.known()) {
    if (detail_->sites.size() <= index) detail_->sites.resize(index + 1);
    detail_->sites[index] = site;
  }
  if (other.known()) {
    if (detail_->other_sites.size() <= index) {
      detail_->other_sites.resize(index + 1);
    }
    detail_->other_sites[index] = other;
  }
}

std::string Trace::timeline(std::size_t count) const {
  std::string out;
  const std::size_t first = events_.size() > count ? events_.size() - count : 0;
  if (first > 0) {
    out += "  ... " + std::to_string(first) + " earlier events\n";
  }
  char prefix[32];
  for (std::size_t i = first; i < events_.size(); ++i) {
    std::snprintf(prefix, sizeof prefix, "  step %5llu  ",
                  static_cast<unsigned long long>(events_[i].step));
    out += prefix;
    out += describe(events_[i]);
    out += '\n';
  }
  return out;
}

long first_divergence(const Trace& a, const Trace& b) {
  const auto& x = a.events();
  const auto& y = b.events();
  const std::size_t common = std::min(x.size(), y.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (x[i].step != y[i].step || x[i].arg != y[i].arg ||
        x[i].task != y[i].task || x[i].kind != y[i].kind) {
      return static_cast<long>(i);
    }
  }
  if (x.size() != y.size()) return static_cast<long>(common);
  return -1;
}

}  // namespace weft::sim
