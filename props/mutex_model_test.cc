// Mutex against a sequential model: lock requests from new tasks, unlocks,
// cancellations while waiting or while holding the lock, and try_lock from
// outside, each followed by settling the tasks under a generated schedule.
// The model: one holder at a time, waiters served in FIFO order.
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

enum class Phase { kWaiting, kHolding, kDone, kCancelled };

struct Model {
  std::vector<Phase> phases;
  std::deque<std::size_t> waiting;
  bool locked = false;
  int value = 0;

  void hand_on() {
    locked = false;
    if (waiting.empty()) return;
    phases[waiting.front()] = Phase::kHolding;
    waiting.pop_front();
    locked = true;
  }
};

struct Slot {
  JoinHandle<void> handle;
  Notify unlock;
  bool holding = false;
};

struct Sut {
  explicit Sut(const Schedule& schedule) : world(schedule) {}
  Mutex<int> mutex{0};
  std::vector<std::unique_ptr<Slot>> slots;
  World world;
};

// Takes the lock, adds one, holds it until told to unlock.
Async<void> locker(Mutex<int>* mutex, Slot* slot) {
  MutexGuard<int> guard = co_await mutex->lock();
  ++*guard;
  ScopedFlag holding(&slot->holding);
  co_await slot->unlock.notified();
}

void verify(const Model& model, Sut& sut) {
  RC_ASSERT(sut.mutex.is_locked() == model.locked);
  for (std::size_t i = 0; i < model.phases.size(); ++i) {
    const Slot& slot = *sut.slots[i];
    const bool holding = model.phases[i] == Phase::kHolding;
    const bool finished =
        model.phases[i] == Phase::kDone || model.phases[i] == Phase::kCancelled;
    RC_ASSERT(slot.holding == holding);
    RC_ASSERT(slot.handle.is_finished() == finished);
  }
}

using Command = rc::state::Command<Model, Sut>;

struct Lock : Command {
  void checkPreconditions(const Model& model) const override {
    RC_PRE(model.phases.size() < kTasksMax);
  }
  void apply(Model& model) const override {
    const std::size_t index = model.phases.size();
    if (!model.locked) {
      model.locked = true;
      model.phases.push_back(Phase::kHolding);
    } else {
      model.phases.push_back(Phase::kWaiting);
      model.waiting.push_back(index);
    }
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      auto slot = std::make_unique<Slot>();
      slot->handle =
          sut.world.simulator().spawn(locker(&sut.mutex, slot.get()));
      sut.slots.push_back(std::move(slot));
    });
  }
  void show(std::ostream& out) const override { out << "Lock"; }
};

struct Unlock : Command {
  std::size_t index;
  explicit Unlock(const Model& model)
      : index(pick_one(indices_where(
            model.phases, [](Phase p) { return p == Phase::kHolding; }))) {}
  void checkPreconditions(const Model& model) const override {
    const bool valid =
        index < model.phases.size() && model.phases[index] == Phase::kHolding;
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    model.phases[index] = Phase::kDone;
    model.hand_on();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.slots[index]->unlock.notify_one(); });
  }
  void show(std::ostream& out) const override {
    out << "Unlock(" << index << ")";
  }
};

struct Cancel : Command {
  std::size_t index;
  explicit Cancel(const Model& model)
      : index(pick_one(indices_where(model.phases, [](Phase p) {
          return p == Phase::kHolding || p == Phase::kWaiting;
        }))) {}
  void checkPreconditions(const Model& model) const override {
    const bool valid = index < model.phases.size() &&
                       (model.phases[index] == Phase::kHolding ||
                        model.phases[index] == Phase::kWaiting);
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    const bool was_holding = model.phases[index] == Phase::kHolding;
    model.phases[index] = Phase::kCancelled;
    if (was_holding) {
      model.hand_on();
    } else {
      std::erase(model.waiting, index);
    }
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.slots[index]->handle.abort(); });
  }
  void show(std::ostream& out) const override {
    out << "Cancel(" << index << ")";
  }
};

struct TryLock : Command {
  void apply(Model&) const override {}
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      auto guard = sut.mutex.try_lock();
      // Free and nobody waiting: try_lock must succeed; otherwise fail.
      RC_ASSERT(guard.has_value() == !model.locked);
    });
  }
  void show(std::ostream& out) const override { out << "TryLock"; }
};

RC_GTEST_PROP(MutexModel, MatchesTheSequentialModel, (Schedule schedule)) {
  Model model;
  Sut sut(schedule);
  rc::state::check(
      model, sut,
      rc::state::gen::execOneOfWithArgs<Lock, Unlock, Cancel, TryLock>());
  for (auto& slot : sut.slots) slot->handle.detach();  // or they would leak
  sut.world.finish();
}

}  // namespace
}  // namespace weft::props
