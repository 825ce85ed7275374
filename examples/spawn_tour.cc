// A short tour of the runtime core: spawn tasks on a LocalExecutor, await
// one task from another, abort one, let one throw, and print what happened.
//
//   bazel run //examples:spawn_tour

#include <cstdio>
#include <stdexcept>
#include <string>

#include "runtime/weft.h"

namespace {

// A future that stays pending until its gate is opened, like a socket that
// has no data yet.
struct Gate {
  bool open = false;
  weft::Waker waiter;

  struct Wait {
    using Output = void;
    Gate* gate;
    weft::Poll<void> poll(weft::Context& cx) {
      if (gate->open) return weft::ready();
      weft::store_waker(gate->waiter, cx.waker());
      return weft::kPending;
    }
  };
  Wait wait() { return Wait{this}; }
  void open_now() {
    open = true;
    std::move(waiter).wake();
  }
};

weft::Async<int> produce(Gate* gate, int value) {
  std::printf("  producer: waiting for the gate\n");
  co_await gate->wait();
  std::printf("  producer: gate open, producing %d\n", value);
  co_return value;
}

weft::Async<std::string> consume(weft::JoinHandle<int> producer) {
  int value = co_await std::move(producer);
  co_return "consumed " + std::to_string(value);
}

weft::Async<void> fail_later() {
  throw std::runtime_error("the disk is full");
  co_return;
}

weft::Async<void> main_task(Gate* gate, Gate* never) {
  auto producer = weft::spawn(produce(gate, 42));
  auto consumer = weft::spawn(consume(std::move(producer)));
  auto forgotten = weft::spawn(produce(never, 0));
  auto failing = weft::spawn(fail_later());

  gate->open_now();
  std::printf("main: %s\n", (co_await std::move(consumer)).c_str());

  forgotten.abort();
  try {
    co_await std::move(forgotten);
  } catch (const weft::TaskCancelled& cancelled) {
    std::printf("main: %s\n", cancelled.what());
  }
  try {
    co_await std::move(failing);
  } catch (const std::exception& error) {
    std::printf("main: a task threw: %s\n", error.what());
  }
}

}  // namespace

int main() {
  weft::LocalExecutor executor;
  Gate gate;
  Gate never;
  executor.block_on(main_task(&gate, &never));
  std::printf("main: done; %zu unfinished tasks\n", executor.task_count());
  return 0;
}
