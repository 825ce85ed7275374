// Sensors report readings over a bounded channel to a collector running on
// the thread pool. The collector waits for each reading with select against
// a heartbeat deadline, so a silent sensor is noticed; an Interval prints a
// progress line; every sensor finishes within a timeout or is cut off.
//
//   bazel run //examples:sensor_pipeline

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "runtime/weft.h"

namespace {

using namespace std::chrono_literals;

struct Reading {
  int sensor;
  int value;
};

struct Summary {
  std::map<int, int> readings_per_sensor;
  int heartbeat_misses = 0;
  int progress_ticks = 0;
  int sensors_cut_off = 0;
};

// A sensor reports `count` readings, `period` apart.
weft::Async<void> sensor(int id, int count, weft::Duration period,
                         weft::mpsc::Sender<Reading> out) {
  for (int i = 0; i < count; ++i) {
    co_await weft::sleep_for(period);
    weft::SendResult<Reading> sent = co_await out.send(Reading{id, i});
    if (!sent.ok()) co_return;  // the collector is gone
  }
}

weft::Async<Summary> collect(weft::mpsc::Receiver<Reading> readings) {
  Summary summary;
  weft::Interval progress(20ms);
  co_await progress.tick();  // the first tick is immediate
  while (true) {
    auto next = co_await weft::select(readings.recv(),
                                      weft::sleep_for(15ms),  // heartbeat
                                      progress.tick());
    if (next.index() == 0) {
      std::optional<Reading> reading = std::get<0>(std::move(next));
      if (!reading) break;  // every sensor is done
      ++summary.readings_per_sensor[reading->sensor];
    } else if (next.index() == 1) {
      ++summary.heartbeat_misses;
      std::printf("  collector: no reading for 15 ms\n");
    } else {
      ++summary.progress_ticks;
      std::printf("  collector: progress tick %d\n", summary.progress_ticks);
    }
  }
  co_return summary;
}

weft::Async<Summary> run_pipeline() {
  auto [to_collector, readings] = weft::mpsc::bounded<Reading>(4);
  auto collector = weft::spawn(collect(std::move(readings)));
  weft::JoinSet<weft::TimeoutResult<void>> sensors;
  // Sensor 3 is slow: 30 ms between readings trips the heartbeat, and its
  // 100 ms budget cuts it off before its tenth reading.
  const weft::Duration periods[] = {2ms, 5ms, 30ms};
  for (int id = 1; id <= 3; ++id) {
    sensors.spawn(
        weft::timeout(100ms, sensor(id, 10, periods[id - 1], to_collector)));
  }
  { auto last_sender = std::move(to_collector); }
  int cut_off = 0;
  while (auto finished = co_await sensors.join_next()) {
    if (finished->timed_out()) ++cut_off;
  }
  Summary summary = co_await std::move(collector);
  summary.sensors_cut_off = cut_off;
  co_return summary;
}

}  // namespace

int main() {
  weft::ThreadPoolExecutor pool(2);
  std::printf("sensor pipeline on a %zu-worker thread pool\n",
              pool.worker_count());
  const Summary summary = pool.block_on(run_pipeline());
  std::printf("\nsummary\n");
  for (const auto& [sensor, count] : summary.readings_per_sensor) {
    std::printf("  sensor %d: %d readings\n", sensor, count);
  }
  std::printf("  heartbeat misses: %d\n", summary.heartbeat_misses);
  std::printf("  progress ticks:   %d\n", summary.progress_ticks);
  std::printf("  sensors cut off:  %d\n", summary.sensors_cut_off);
  return 0;
}
