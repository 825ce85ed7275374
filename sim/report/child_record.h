// weft::sim::ChildRecord: what a child process that ran one candidate of a
// crash shrink (crash_shrink.h) tells its parent through a pipe: whether
// the run crashed and of what, or finished and how, with its perturbed
// decisions and its trace events. Written with write(2) from a signal
// handler, so it is plain fixed-layout records; parent and child are the
// same binary, so the layout is the same on both sides.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/decision/decision.h"
#include "sim/report/trace.h"

namespace weft::sim {

struct ChildRecordHeader {
  static constexpr std::uint32_t kMagic = 0x57434852;  // "WCHR"
  std::uint32_t magic = kMagic;
  std::uint8_t crashed = 0;  // 1: died of `cause`; 0: the run finished
  std::uint8_t failed = 0;   // finished with a checker failure
  std::uint8_t checker = 0;  // that checker
  char cause[128] = {};
  std::uint64_t decisions = 0;  // Decision records that follow
  std::uint64_t steps = 0;
  std::uint64_t events = 0;         // TraceEvent records after those
  std::uint64_t message_bytes = 0;  // then the failure's message, if any
};

struct ChildRecord {
  ChildRecordHeader header;
  DecisionList decisions;
  std::vector<TraceEvent> events;
  std::string message;  // of a checker failure the run had, if any
};

// Writes a record (async-signal-safe): the header, every decision the run
// made, and the trace events.
void write_child_record(int fd, ChildRecordHeader header,
                        const DecisionList& decisions,
                        const std::vector<TraceEvent>& events,
                        const std::string& message) noexcept;

// Reads one record from `fd` until end of file; nullopt if none was
// written (the child died before it could say anything) or it is damaged.
std::optional<ChildRecord> read_child_record(int fd);

}  // namespace weft::sim
