#include "sim/report/html_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "sim/decision/decision_io.h"
#include "sim/report/event_text.h"
#include "sim/report/site_text.h"

namespace weft::sim {
namespace {

// Columns drawn at most: past this, the earliest shown events go first
// (the decisive ones are kept).
constexpr std::size_t kColumnsMax = 600;
constexpr int kColumn = 16;               // pixels per event
constexpr int kLane = 28;                 // pixels per lane
constexpr int kLabels = 260;              // the lane names' column
constexpr int kTop = 34;                  // the axis above the lanes
constexpr int kGap = 12;                  // an elided stretch
constexpr std::size_t kLaneNameMax = 36;  // characters; the rest on hover

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

enum class LaneKind : std::uint8_t { kDecisions, kTask, kThread, kHost };

struct LaneKey {
  LaneKind kind;
  std::uint64_t id;
  friend auto operator<=>(const LaneKey&, const LaneKey&) = default;
};

const char* kind_name(LaneKind kind) {
  switch (kind) {
    case LaneKind::kDecisions:
      return "decisions";
    case LaneKind::kTask:
      return "task";
    case LaneKind::kThread:
      return "thread";
    case LaneKind::kHost:
      return "host";
  }
  return "task";
}

std::uint64_t low_id(std::uint64_t arg) { return arg & 0xffffffffu; }

// The lane an event is drawn on.
LaneKey lane_of(const TraceEvent& e) {
  switch (e.kind) {
    case EventKind::kThreadSpawn:
    case EventKind::kThreadSwitch:
    case EventKind::kThreadBlock:
    case EventKind::kThreadFinish:
    case EventKind::kThreadOp:
      return {LaneKind::kThread, e.task};
    case EventKind::kNetSend:
    case EventKind::kNetDeliver:
    case EventKind::kNetDrop:
    case EventKind::kNetCut:
    case EventKind::kHostCrash:
      return {LaneKind::kHost, e.task};
    case EventKind::kDecision:
    case EventKind::kFailure:
    case EventKind::kTimeAdvanced:
      return {LaneKind::kDecisions, 0};
    case EventKind::kEmptyWake:
      if (e.task == 0) return {LaneKind::kThread, e.arg};
      return {LaneKind::kTask, e.task};
    default:
      return {LaneKind::kTask, e.task};
  }
}

class Page {
 public:
  Page(const FailureReport& report, const Trace& trace,
       const DecisionList& decisions, const Explanation& explanation)
      : report_(report),
        trace_(trace),
        decisions_(decisions),
        explanation_(explanation),
        events_(trace.events()) {}

  std::string write() {
    choose_columns();
    place_lanes();
    std::string out = head();
    out += summary();
    out += picture();
    out += tail();
    return out;
  }

 private:
  bool perturbed_decision(std::size_t i) const {
    return events_[i].kind == EventKind::kDecision &&
           events_[i].arg < decisions_.size() &&
           decisions_[events_[i].arg].perturbed();
  }

  // The events drawn: the ones the text timeline shows, plus the send of
  // each message shown arriving and the start of each poll shown ending.
  void choose_columns() {
    std::vector<bool> drawn = explanation_.shown;
    drawn.resize(events_.size(), false);
    std::set<std::uint64_t> messages;
    std::set<std::uint64_t> polls_ending;
    for (std::size_t i = 0; i < events_.size(); ++i) {
      if (!drawn[i]) continue;
      const TraceEvent& e = events_[i];
      if (e.kind == EventKind::kNetDeliver) messages.insert(e.arg);
      if (e.kind == EventKind::kNetDrop) {
        messages.insert(e.arg & ((1ULL << 56) - 1));
      }
      if (e.kind == EventKind::kPollEnd) polls_ending.insert(i);
    }
    for (std::size_t i = 0; i < events_.size(); ++i) {
      const TraceEvent& e = events_[i];
      if (e.kind == EventKind::kNetSend && messages.count(e.arg) > 0) {
        drawn[i] = true;
      }
    }
    for (std::size_t end : polls_ending) {
      for (std::size_t i = end; i-- > 0;) {
        if (events_[i].kind == EventKind::kPollStart &&
            events_[i].task == events_[end].task) {
          drawn[i] = true;
          break;
        }
      }
    }
    for (std::size_t i = 0; i < events_.size(); ++i) {
      if (drawn[i]) columns_.push_back(i);
    }
    if (columns_.size() > kColumnsMax) {
      // Keep the decisive events and the latest ones.
      std::vector<std::size_t> kept;
      const std::size_t cut = columns_.size() - kColumnsMax;
      for (std::size_t k = 0; k < columns_.size(); ++k) {
        if (k >= cut || perturbed_decision(columns_[k])) {
          kept.push_back(columns_[k]);
        }
      }
      columns_ = std::move(kept);
    }
    // x of each column, with a gap wherever events were left out.
    int x = kLabels + 8;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (k == 0 ? columns_[0] > 0 : columns_[k] > columns_[k - 1] + 1) {
        gaps_.push_back(
            {x, k == 0 ? columns_[0] : columns_[k] - columns_[k - 1] - 1});
        x += kGap;
      }
      x_of_[columns_[k]] = x + kColumn / 2;
      x += kColumn;
    }
    width_ = x + 40;
  }

  void place_lanes() {
    std::set<LaneKey> keys;
    keys.insert({LaneKind::kDecisions, 0});
    for (std::size_t i : columns_) {
      const TraceEvent& e = events_[i];
      keys.insert(lane_of(e));
      if (e.kind == EventKind::kThreadSwitch) {
        keys.insert({LaneKind::kThread, switch_before(e.arg)});
      }
      if (e.kind == EventKind::kWake && (e.arg & kWakeByThread) != 0) {
        keys.insert({LaneKind::kThread, low_id(e.arg)});
      }
    }
    int y = kTop;
    for (const LaneKey& key : keys) {
      lane_y_[key] = y + kLane / 2;
      lanes_.push_back(key);
      y += kLane;
    }
    height_ = y + 12;
  }

  std::string lane_name(const LaneKey& key) const {
    const RunDetail* detail = trace_.detail();
    switch (key.kind) {
      case LaneKind::kDecisions:
        return "decisions and the failure";
      case LaneKind::kTask:
        return key.id == 0 ? "outside any task" : task_in_words(detail, key.id);
      case LaneKind::kThread:
        return key.id == 0 ? "thread 0 (the executor)"
                           : "thread " + std::to_string(key.id);
      case LaneKind::kHost:
        if (detail != nullptr && key.id >= 1 &&
            key.id <= detail->hosts.size() &&
            !detail->hosts[key.id - 1].name.empty()) {
          return detail->hosts[key.id - 1].name;
        }
        return "host " + std::to_string(key.id);
    }
    return "";
  }

  std::string head() const {
    std::string title =
        "weft: " + std::string(to_string(report_.failure.checker)) +
        " checker fired";
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
           "charset=\"utf-8\">\n<title>" +
           escaped(title) + "</title>\n<style>\n" + style() +
           "</style>\n</head>\n<body>\n<h1>" + escaped(title) + "</h1>\n";
  }

  static std::string style() {
    return "body{font:14px/1.45 system-ui,sans-serif;margin:20px;color:#222}"
           "h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:18px 0 "
           "6px}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap;"
           "margin:4px 0}code{background:#f0f0f0;padding:1px 4px}"
           ".why li{margin:3px 0}.label{font:12px monospace;fill:#333}"
           ".lane-bg{fill:#fafafa}.lane-bg.odd{fill:#f1f1f1}"
           ".poll{fill:#7aa6d6}.run{fill:#9bc995}"
           ".mark{fill:#555}.mark:hover,.decision:hover{stroke:#000;"
           "stroke-width:2}.perturbed .band{fill:#ffd34d;opacity:.45}"
           ".perturbed .mark{fill:#d9480f}.effect{fill:#e8590c}"
           ".culprit{fill:#c92a2a}.failure{fill:#c92a2a}"
           ".arrow{stroke-width:1.5}.arrow.message{stroke:#1c7ed6}"
           ".arrow.message.dropped{stroke:#c92a2a;stroke-dasharray:5 3}"
           ".tick{font:10px monospace;fill:#666}"
           ".arrow.wake{stroke:#868e96;stroke-dasharray:3 2}"
           ".gap{fill:#ddd}#detail{position:sticky;top:0;background:#fff8db;"
           "border:1px solid #e6c200;padding:6px 10px;min-height:1.4em;"
           "margin:10px 0}svg{border:1px solid #ddd}"
           ".scroll{overflow-x:auto}\n";
  }

  std::string summary() const {
    std::string out = "<pre class=\"message\">" +
                      escaped(report_.failure.message) + "</pre>\n";
    out += "<p>replay: <code id=\"replay\">" + escaped(report_.replay_command) +
           "</code></p>\n";
    out += "<h2>Why: the perturbed decisions</h2>\n<ul class=\"why\">\n";
    if (report_.decisive.empty()) {
      out += "<li>none: the run fails in FIFO order</li>\n";
    }
    for (const std::string& line : report_.decisive) {
      out += "<li class=\"decisive\">" + escaped(line) + "</li>\n";
    }
    out += "</ul>\n";
    if (!report_.culprits.empty()) {
      out += "<h2>What left it stuck</h2>\n<ul class=\"why\">\n";
      for (const std::string& line : report_.culprits) {
        out += "<li class=\"culprit-line\">" + escaped(line) + "</li>\n";
      }
      out += "</ul>\n";
    }
    out +=
        "<h2>The run</h2>\n<p>Lanes: tasks, simulated threads and "
        "hosts; one column per event shown (grey bars: events left out). "
        "Hover a mark for its event and source site; click it to keep it "
        "below.</p>\n<div id=\"detail\">click an event</div>\n";
    return out;
  }

  // An event's words and site, for its tooltip and the side panel.
  std::string words_of(std::size_t i) const {
    std::string words = "step " + std::to_string(events_[i].step) + ": " +
                        event_in_words(trace_, i, decisions_);
    if (const RunDetail* detail = trace_.detail()) {
      const SourceLocation& site = detail->site_of(i);
      if (site.known() && words.find(site_text(site)) == std::string::npos) {
        words += " [" + site_text(site) + "]";
      }
    }
    return words;
  }

  std::string mark(std::size_t i, int x, int y, const char* css) const {
    const std::string words = escaped(words_of(i));
    char shape[200];
    std::snprintf(shape, sizeof shape,
                  "<circle class=\"mark %s\" cx=\"%d\" cy=\"%d\" r=\"5\" "
                  "data-event=\"%zu\" data-words=\"",
                  css, x, y, i);
    return std::string(shape) + words + "\"><title>" + words +
           "</title></circle>\n";
  }

  std::string bar(int x1, int x2, int y, const char* css,
                  const std::string& title) const {
    char shape[200];
    std::snprintf(shape, sizeof shape,
                  "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" "
                  "height=\"10\" rx=\"3\">",
                  css, x1, y - 5, std::max(4, x2 - x1));
    return std::string(shape) + "<title>" + escaped(title) +
           "</title></rect>\n";
  }

  std::string arrow(int x1, int y1, int x2, int y2, const char* css,
                    const std::string& title, std::uint64_t id) const {
    char shape[240];
    std::snprintf(shape, sizeof shape,
                  "<line class=\"arrow %s\" data-id=\"%llu\" x1=\"%d\" "
                  "y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#head)\">",
                  css, static_cast<unsigned long long>(id), x1, y1, x2, y2);
    return std::string(shape) + "<title>" + escaped(title) +
           "</title></line>\n";
  }

  std::string picture() const {
    std::string out =
        "<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/"
        "2000/svg\" width=\"" +
        std::to_string(width_) + "\" height=\"" + std::to_string(height_) +
        "\">\n<defs><marker id=\"head\" viewBox=\"0 0 8 8\" "
        "refX=\"7\" refY=\"4\" markerWidth=\"7\" "
        "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 "
        "L8,4 L0,8 z\" fill=\"#1c7ed6\"/></marker></defs>\n";
    // Lanes.
    for (std::size_t k = 0; k < lanes_.size(); ++k) {
      const LaneKey& key = lanes_[k];
      const int y = lane_y_.at(key);
      out += "<g class=\"lane\" data-kind=\"" +
             std::string(kind_name(key.kind)) + "\" data-id=\"" +
             std::to_string(key.id) + "\"><rect class=\"lane-bg" +
             (k % 2 == 1 ? " odd" : "") + "\" x=\"0\" y=\"" +
             std::to_string(y - kLane / 2) + "\" width=\"" +
             std::to_string(width_) + "\" height=\"" + std::to_string(kLane) +
             "\"/><text class=\"label\" x=\"6\" y=\"" + std::to_string(y + 4) +
             "\">" + escaped(short_name(lane_name(key))) + "<title>" +
             escaped(lane_name(key)) + "</title></text></g>\n";
    }
    for (const auto& [x, count] : gaps_) {
      out += "<g class=\"elided\"><rect class=\"gap\" x=\"" +
             std::to_string(x + 3) + "\" y=\"" + std::to_string(kTop) +
             "\" width=\"" + std::to_string(kGap - 6) + "\" height=\"" +
             std::to_string(height_ - kTop - 12) + "\"><title>" +
             std::to_string(count) + " event(s) left out</title></rect></g>\n";
    }
    out += axis();
    out += bars();
    out += arrows();
    out += marks();
    out += "</svg></div>\n";
    return out;
  }

  static std::string short_name(const std::string& name) {
    if (name.size() <= kLaneNameMax) return name;
    return name.substr(0, kLaneNameMax - 3) + "...";
  }

  // Step and virtual time above the lanes, where a new step begins (at
  // most one label per 64 pixels).
  std::string axis() const {
    std::string out = "<g class=\"axis\">";
    const std::vector<std::int64_t> times = event_times(trace_);
    int last_x = -1000;
    std::uint64_t last_step = ~std::uint64_t{0};
    for (std::size_t i : columns_) {
      const int x = x_of_.at(i);
      if (events_[i].step == last_step || x - last_x < 64) continue;
      last_step = events_[i].step;
      last_x = x;
      out += "<text class=\"tick\" x=\"" + std::to_string(x - 4) +
             "\" y=\"12\">step " + std::to_string(events_[i].step) + " " +
             escaped(duration_text(times[i])) + "</text>";
    }
    return out + "</g>\n";
  }

  std::string bars() const {
    std::string out;
    std::map<std::uint64_t, std::size_t> poll_start;
    std::size_t run_start = columns_.empty() ? 0 : columns_.front();
    for (std::size_t i : columns_) {
      const TraceEvent& e = events_[i];
      if (e.kind == EventKind::kPollStart) poll_start[e.task] = i;
      if (e.kind == EventKind::kPollEnd) {
        auto found = poll_start.find(e.task);
        if (found != poll_start.end()) {
          out += bar(x_of_.at(found->second), x_of_.at(i),
                     lane_y_.at({LaneKind::kTask, e.task}), "poll",
                     "task " + std::to_string(e.task) + " polled");
          poll_start.erase(found);
        }
      }
      if (e.kind == EventKind::kThreadSwitch) {
        const LaneKey before{LaneKind::kThread, switch_before(e.arg)};
        out += bar(x_of_.at(run_start), x_of_.at(i), lane_y_.at(before), "run",
                   lane_name(before) + " runs");
        run_start = i;
      }
    }
    return out;
  }

  std::string arrows() const {
    std::string out;
    std::map<std::uint64_t, std::size_t> sends;
    for (std::size_t i : columns_) {
      const TraceEvent& e = events_[i];
      if (e.kind == EventKind::kNetSend) sends[e.arg] = i;
      if (e.kind == EventKind::kNetDeliver) {
        auto found = sends.find(e.arg);
        if (found == sends.end()) continue;
        const TraceEvent& send = events_[found->second];
        out += arrow(x_of_.at(found->second),
                     lane_y_.at({LaneKind::kHost, send.task}), x_of_.at(i),
                     lane_y_.at({LaneKind::kHost, e.task}), "message",
                     message_in_words(trace_.detail(), e.arg), e.arg);
      }
      if (e.kind == EventKind::kNetDrop) {
        const std::uint64_t message = e.arg & ((1ULL << 56) - 1);
        auto found = sends.find(message);
        if (found == sends.end()) continue;
        const TraceEvent& send = events_[found->second];
        out += arrow(x_of_.at(found->second),
                     lane_y_.at({LaneKind::kHost, send.task}), x_of_.at(i),
                     lane_y_.at({LaneKind::kHost, e.task}), "message dropped",
                     event_in_words(trace_, i, decisions_), message);
      }
      if (e.kind == EventKind::kWake && (e.arg & kWakeByMessage) == 0 &&
          (e.arg & ~kWakeByTaskEnd) != 0) {
        const LaneKey from = (e.arg & kWakeByThread) != 0
                                 ? LaneKey{LaneKind::kThread, low_id(e.arg)}
                                 : LaneKey{LaneKind::kTask, low_id(e.arg)};
        const auto from_y = lane_y_.find(from);
        if (from_y == lane_y_.end()) continue;
        const int x = x_of_.at(i);
        out += arrow(x - kColumn / 2, from_y->second, x,
                     lane_y_.at({LaneKind::kTask, e.task}), "wake",
                     event_in_words(trace_, i, decisions_), i);
      }
    }
    return out;
  }

  std::string marks() const {
    std::string out;
    for (std::size_t i : columns_) {
      const TraceEvent& e = events_[i];
      const int x = x_of_.at(i);
      const int y = lane_y_.at(lane_of(e));
      if (perturbed_decision(i)) {
        const std::string label = format_decision(decisions_[e.arg]);
        const std::string words = escaped(words_of(i));
        out += "<g class=\"decision perturbed\" data-label=\"" +
               escaped(label.substr(0, label.find('/'))) + "\">";
        out += "<rect class=\"band\" x=\"" + std::to_string(x - kColumn / 2) +
               "\" y=\"" + std::to_string(kTop - 20) + "\" width=\"" +
               std::to_string(kColumn) + "\" height=\"" +
               std::to_string(height_ - kTop + 8) + "\"/>";
        out += "<text class=\"label\" x=\"" + std::to_string(x + 4) +
               "\" y=\"" + std::to_string(kTop - 8) + "\">" + escaped(label) +
               "</text>";
        out += mark(i, x, y, "");
        out += "</g>\n";
        continue;
      }
      const char* css = "";
      const EventRole role = i < explanation_.roles.size()
                                 ? explanation_.roles[i]
                                 : EventRole::kContext;
      if (role == EventRole::kEffect) css = "effect";
      if (role == EventRole::kCulprit) css = "culprit";
      if (e.kind == EventKind::kFailure) css = "failure";
      out += mark(i, x, y, css);
    }
    return out;
  }

  std::string tail() const {
    return "<pre class=\"report\">" + escaped(report_.to_string()) +
           "</pre>\n<script>\n"
           "// Says the page's script ran (checked by "
           "scripts/report_pages.sh).\n"
           "document.body.setAttribute('data-lanes',\n"
           "    String(document.querySelectorAll('g.lane').length));\n"
           "document.addEventListener('click', function (event) {\n"
           "  var target = event.target.closest('[data-words]');\n"
           "  if (!target) return;\n"
           "  document.getElementById('detail').textContent =\n"
           "      target.getAttribute('data-words');\n"
           "});\n</script>\n</body>\n</html>\n";
  }

  const FailureReport& report_;
  const Trace& trace_;
  const DecisionList& decisions_;
  const Explanation& explanation_;
  const std::vector<TraceEvent>& events_;
  std::vector<std::size_t> columns_;
  std::map<std::size_t, int> x_of_;
  std::vector<std::pair<int, std::size_t>> gaps_;
  std::vector<LaneKey> lanes_;
  std::map<LaneKey, int> lane_y_;
  int width_ = 0;
  int height_ = 0;
};

}  // namespace

std::string html_report(const FailureReport& report, const Trace& trace,
                        const DecisionList& decisions,
                        const Explanation& explanation) {
  return Page(report, trace, decisions, explanation).write();
}

}  // namespace weft::sim
