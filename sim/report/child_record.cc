#include "sim/report/child_record.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/report/signal_safe_writer.h"

namespace weft::sim {
namespace {

// Limits on what a parent believes of a record.
constexpr std::uint64_t kRecordDecisionsMax = 10'000'000;
constexpr std::uint64_t kRecordEventsMax = 50'000'000;
constexpr std::uint64_t kRecordMessageBytesMax = 1u << 20;

bool read_exactly(int fd, void* into, std::size_t size) {
  auto* bytes = static_cast<char*>(into);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, bytes + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

void write_child_record(int fd, ChildRecordHeader header,
                        const DecisionList& decisions,
                        const std::vector<TraceEvent>& events,
                        const std::string& message) noexcept {
  header.magic = ChildRecordHeader::kMagic;
  header.decisions = decisions.size();
  header.events = events.size();
  header.message_bytes = message.size();
  SignalSafeWriter out(fd);
  out.bytes(&header, sizeof header);
  if (!decisions.empty()) {
    out.bytes(decisions.data(), decisions.size() * sizeof(Decision));
  }
  if (!events.empty()) {
    out.bytes(events.data(), events.size() * sizeof(TraceEvent));
  }
  out.bytes(message.data(), message.size());
}

std::optional<ChildRecord> read_child_record(int fd) {
  ChildRecord record;
  if (!read_exactly(fd, &record.header, sizeof record.header)) {
    return std::nullopt;
  }
  const ChildRecordHeader& header = record.header;
  if (header.magic != ChildRecordHeader::kMagic ||
      header.decisions > kRecordDecisionsMax ||
      header.events > kRecordEventsMax ||
      header.message_bytes > kRecordMessageBytesMax) {
    return std::nullopt;
  }
  record.header.cause[sizeof header.cause - 1] = '\0';
  record.decisions.resize(header.decisions);
  if (header.decisions > 0 &&
      !read_exactly(fd, record.decisions.data(),
                    header.decisions * sizeof(Decision))) {
    return std::nullopt;
  }
  record.events.resize(header.events);
  if (header.events > 0 && !read_exactly(fd, record.events.data(),
                                         header.events * sizeof(TraceEvent))) {
    return std::nullopt;
  }
  record.message.resize(header.message_bytes);
  if (header.message_bytes > 0 &&
      !read_exactly(fd, record.message.data(), header.message_bytes)) {
    return std::nullopt;
  }
  return record;
}

}  // namespace weft::sim
