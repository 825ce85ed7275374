// Notify against a sequential model: waits from new tasks, notify_one,
// notify_waiters and cancellations of waiting tasks, each followed by
// settling under a generated schedule. The model: at most one stored
// permit; notify_one wakes the oldest waiter; notify_waiters wakes all.
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

constexpr std::size_t kTasksMax = 12;

enum class Phase { kWaiting, kNotified, kCancelled };

struct Model {
  bool permit = false;
  std::vector<Phase> phases;
  std::deque<std::size_t> waiting;
};

struct Slot {
  JoinHandle<void> handle;
  bool notified = false;
};

struct Sut {
  explicit Sut(const Schedule& schedule) : world(schedule) {}
  Notify notify;
  std::vector<std::unique_ptr<Slot>> slots;
  World world;
};

Async<void> waiter(Notify* notify, Slot* slot) {
  co_await notify->notified();
  slot->notified = true;
}

void verify(const Model& model, Sut& sut) {
  RC_ASSERT(sut.notify.has_permit() == model.permit);
  RC_ASSERT(sut.notify.waiter_count() == model.waiting.size());
  for (std::size_t i = 0; i < model.phases.size(); ++i) {
    const Slot& slot = *sut.slots[i];
    RC_ASSERT(slot.notified == (model.phases[i] == Phase::kNotified));
    RC_ASSERT(slot.handle.is_finished() ==
              (model.phases[i] != Phase::kWaiting));
  }
}

using Command = rc::state::Command<Model, Sut>;

struct Wait : Command {
  void checkPreconditions(const Model& model) const override {
    RC_PRE(model.phases.size() < kTasksMax);
  }
  void apply(Model& model) const override {
    if (model.permit) {
      model.permit = false;
      model.phases.push_back(Phase::kNotified);
    } else {
      model.waiting.push_back(model.phases.size());
      model.phases.push_back(Phase::kWaiting);
    }
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      auto slot = std::make_unique<Slot>();
      slot->handle =
          sut.world.simulator().spawn(waiter(&sut.notify, slot.get()));
      sut.slots.push_back(std::move(slot));
    });
  }
  void show(std::ostream& out) const override { out << "Wait"; }
};

struct NotifyOne : Command {
  void apply(Model& model) const override {
    if (model.waiting.empty()) {
      model.permit = true;
      return;
    }
    model.phases[model.waiting.front()] = Phase::kNotified;
    model.waiting.pop_front();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] { sut.notify.notify_one(); });
  }
  void show(std::ostream& out) const override { out << "NotifyOne"; }
};

struct NotifyWaiters : Command {
  void apply(Model& model) const override {
    for (std::size_t index : model.waiting)
      model.phases[index] = Phase::kNotified;
    model.waiting.clear();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] { sut.notify.notify_waiters(); });
  }
  void show(std::ostream& out) const override { out << "NotifyWaiters"; }
};

struct Cancel : Command {
  std::size_t index;
  explicit Cancel(const Model& model)
      : index(pick_one(indices_where(
            model.phases, [](Phase p) { return p == Phase::kWaiting; }))) {}
  void checkPreconditions(const Model& model) const override {
    const bool valid =
        index < model.phases.size() && model.phases[index] == Phase::kWaiting;
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    model.phases[index] = Phase::kCancelled;
    std::erase(model.waiting, index);
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.slots[index]->handle.abort(); });
  }
  void show(std::ostream& out) const override {
    out << "Cancel(" << index << ")";
  }
};

// A notify_one immediately followed by the cancellation of the waiter it
// chose, before that waiter ran: the notification must pass on.
struct NotifyOneThenCancelTheChosen : Command {
  explicit NotifyOneThenCancelTheChosen(const Model& model) {
    RC_PRE(!model.waiting.empty());
  }
  void checkPreconditions(const Model& model) const override {
    RC_PRE(!model.waiting.empty());
  }
  void apply(Model& model) const override {
    const std::size_t chosen = model.waiting.front();
    model.waiting.pop_front();
    model.phases[chosen] = Phase::kCancelled;
    NotifyOne().apply(model);  // handed on as if notify_one came again
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      sut.notify.notify_one();
      sut.slots[model.waiting.front()]->handle.abort();
    });
  }
  void show(std::ostream& out) const override {
    out << "NotifyOneThenCancelTheChosen";
  }
};

RC_GTEST_PROP(NotifyModel, MatchesTheSequentialModel, (Schedule schedule)) {
  Model model;
  Sut sut(schedule);
  rc::state::check(
      model, sut,
      rc::state::gen::execOneOfWithArgs<Wait, NotifyOne, NotifyWaiters, Cancel,
                                        NotifyOneThenCancelTheChosen>());
  for (auto& slot : sut.slots) slot->handle.detach();  // or they would leak
  sut.world.finish();
}

}  // namespace
}  // namespace weft::props
