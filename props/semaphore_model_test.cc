// Semaphore against a sequential model: random acquires (of 1 to 3
// permits), releases, cancellations (while queued or while holding),
// added permits and close, each followed by letting every task run under
// a generated schedule, then comparing every task and the free permits
// with the model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <deque>
#include <memory>
#include <vector>

#include "props/model_support.h"
#include "props/world.h"
#include "runtime/weft.h"

namespace weft::props {
namespace {

constexpr std::size_t kTasksMax = 10;

enum class Phase { kQueued, kHolding, kReleased, kCancelled, kRefused };

struct Model {
  std::size_t permits = 2;
  bool closed = false;
  std::vector<std::size_t> counts;
  std::vector<Phase> phases;
  std::deque<std::size_t> queue;

  void grant() {
    while (!queue.empty() && counts[queue.front()] <= permits) {
      permits -= counts[queue.front()];
      phases[queue.front()] = Phase::kHolding;
      queue.pop_front();
    }
  }
  std::vector<std::size_t> in(Phase phase) const {
    return indices_where(phases, [phase](Phase p) { return p == phase; });
  }
};

struct Slot {
  JoinHandle<void> handle;
  Notify release;
  bool holding = false;
  bool refused = false;
};

struct Sut {
  explicit Sut(const Schedule& schedule) : world(schedule) {}
  // Declared before the world, so that the world (and the tasks that use
  // them) goes first.
  Semaphore semaphore{2};
  std::vector<std::unique_ptr<Slot>> slots;
  World world;
};

Async<void> holder(Semaphore* semaphore, std::size_t count, Slot* slot) {
  std::optional<SemaphorePermit> permit = co_await semaphore->acquire(count);
  if (!permit) {
    slot->refused = true;
    co_return;
  }
  // Holding while this lives: a cancelled holder stops holding too.
  ScopedFlag holding(&slot->holding);
  co_await slot->release.notified();
}

void verify(const Model& model, Sut& sut) {
  RC_ASSERT(sut.semaphore.available_permits() == model.permits);
  RC_ASSERT(sut.semaphore.waiter_count() == model.queue.size());
  for (std::size_t i = 0; i < model.phases.size(); ++i) {
    const Slot& slot = *sut.slots[i];
    switch (model.phases[i]) {
      case Phase::kQueued:
        RC_ASSERT(!slot.holding && !slot.handle.is_finished());
        break;
      case Phase::kHolding:
        RC_ASSERT(slot.holding);
        break;
      case Phase::kReleased:
      case Phase::kCancelled:
        RC_ASSERT(slot.handle.is_finished() && !slot.holding && !slot.refused);
        break;
      case Phase::kRefused:
        RC_ASSERT(slot.refused && slot.handle.is_finished());
        break;
    }
  }
}

using Command = rc::state::Command<Model, Sut>;

struct Acquire : Command {
  std::size_t count = *rc::gen::inRange<std::size_t>(1, 4);
  void checkPreconditions(const Model& model) const override {
    RC_PRE(model.phases.size() < kTasksMax);
  }
  void apply(Model& model) const override {
    const std::size_t index = model.phases.size();
    model.counts.push_back(count);
    if (model.closed) {
      model.phases.push_back(Phase::kRefused);
    } else if (model.queue.empty() && model.permits >= count) {
      model.permits -= count;
      model.phases.push_back(Phase::kHolding);
    } else {
      model.phases.push_back(Phase::kQueued);
      model.queue.push_back(index);
    }
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      auto slot = std::make_unique<Slot>();
      slot->handle = sut.world.simulator().spawn(
          holder(&sut.semaphore, count, slot.get()));
      sut.slots.push_back(std::move(slot));
    });
  }
  void show(std::ostream& out) const override {
    out << "Acquire(" << count << ")";
  }
};

struct Release : Command {
  std::size_t index;
  explicit Release(const Model& model) {
    index = pick_one(model.in(Phase::kHolding));
  }
  void checkPreconditions(const Model& model) const override {
    // RC_PRE decomposes its expression, so && would not short-circuit.
    const bool valid =
        index < model.phases.size() && model.phases[index] == Phase::kHolding;
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    model.phases[index] = Phase::kReleased;
    model.permits += model.counts[index];
    model.grant();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.slots[index]->release.notify_one(); });
  }
  void show(std::ostream& out) const override {
    out << "Release(" << index << ")";
  }
};

struct Cancel : Command {
  std::size_t index;
  explicit Cancel(const Model& model) {
    auto live = model.in(Phase::kHolding);
    const auto queued = model.in(Phase::kQueued);
    live.insert(live.end(), queued.begin(), queued.end());
    index = pick_one(live);
  }
  void checkPreconditions(const Model& model) const override {
    const bool valid = index < model.phases.size() &&
                       (model.phases[index] == Phase::kHolding ||
                        model.phases[index] == Phase::kQueued);
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    if (model.phases[index] == Phase::kHolding) {
      model.permits += model.counts[index];
    } else {
      std::erase(model.queue, index);
    }
    model.phases[index] = Phase::kCancelled;
    model.grant();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.slots[index]->handle.abort(); });
  }
  void show(std::ostream& out) const override {
    out << "Cancel(" << index << ")";
  }
};

struct AddPermits : Command {
  std::size_t count = *rc::gen::inRange<std::size_t>(1, 3);
  void apply(Model& model) const override {
    model.permits += count;
    model.grant();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.semaphore.add_permits(count); });
  }
  void show(std::ostream& out) const override {
    out << "AddPermits(" << count << ")";
  }
};

struct Close : Command {
  void checkPreconditions(const Model& model) const override {
    RC_PRE(!model.closed);
  }
  void apply(Model& model) const override {
    model.closed = true;
    for (std::size_t index : model.queue) model.phases[index] = Phase::kRefused;
    model.queue.clear();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] { sut.semaphore.close(); });
  }
  void show(std::ostream& out) const override { out << "Close"; }
};

RC_GTEST_PROP(SemaphoreModel, MatchesTheSequentialModel, (Schedule schedule)) {
  Model model;
  Sut sut(schedule);
  rc::state::check(model, sut,
                   rc::state::gen::execOneOfWithArgs<Acquire, Release, Cancel,
                                                     AddPermits, Close>());
  for (auto& slot : sut.slots) slot->handle.detach();  // or they would leak
  sut.world.finish();
}

}  // namespace
}  // namespace weft::props
