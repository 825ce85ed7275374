// A bounded mpsc channel (capacity 2) against a sequential model: sends
// from new tasks, receives (one at a time, as there is one consumer),
// cancellation of waiting sends and receives, and close, each followed by
// settling under a generated schedule. The model: a FIFO buffer, waiting
// senders served in order as room appears, nothing delivered twice or lost.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "props/model_support.h"
#include "props/world.h"
#include "runtime/weft.h"

namespace weft::props {
namespace {

constexpr std::size_t kCapacity = 2;
constexpr std::size_t kTasksMax = 12;

enum class SendPhase { kWaiting, kDelivered, kRejected, kCancelled };
enum class RecvPhase { kWaiting, kGot, kGotNothing, kCancelled };

struct Model {
  std::deque<int> buffer;
  bool closed = false;
  std::vector<int> values;
  std::vector<SendPhase> sends;
  std::deque<std::size_t> waiting_sends;
  std::vector<RecvPhase> recvs;
  std::vector<int> received;  // per receive, when kGot
  int next_value = 100;

  std::optional<std::size_t> waiting_recv() const {
    for (std::size_t i = 0; i < recvs.size(); ++i) {
      if (recvs[i] == RecvPhase::kWaiting) return i;
    }
    return std::nullopt;
  }
  // Lets what can happen happen: a waiting receive takes the oldest
  // message (or nothing, once closed and empty); room goes to the oldest
  // waiting send.
  void settle() {
    bool progress = true;
    while (progress) {
      progress = false;
      if (auto r = waiting_recv()) {
        if (!buffer.empty()) {
          recvs[*r] = RecvPhase::kGot;
          received[*r] = buffer.front();
          buffer.pop_front();
          progress = true;
        } else if (closed) {
          recvs[*r] = RecvPhase::kGotNothing;
          progress = true;
        }
      }
      if (!closed && !waiting_sends.empty() && buffer.size() < kCapacity) {
        const std::size_t s = waiting_sends.front();
        waiting_sends.pop_front();
        buffer.push_back(values[s]);
        sends[s] = SendPhase::kDelivered;
        progress = true;
      }
    }
  }
};

struct SendSlot {
  JoinHandle<void> handle;
  std::optional<bool> delivered;
  std::optional<int> rejected_value;
};

struct RecvSlot {
  JoinHandle<void> handle;
  bool done = false;
  std::optional<int> value;
};

struct Sut {
  explicit Sut(const Schedule& schedule)
      : channel(mpsc::bounded<int>(kCapacity)), world(schedule) {}
  std::pair<mpsc::Sender<int>, mpsc::Receiver<int>> channel;
  std::vector<std::unique_ptr<SendSlot>> sends;
  std::vector<std::unique_ptr<RecvSlot>> recvs;
  World world;
};

Async<void> send_task(mpsc::Sender<int> tx, int value, SendSlot* slot) {
  SendResult<int> result = co_await tx.send(value);
  slot->delivered = result.ok();
  if (!result.ok()) slot->rejected_value = result.take_rejected();
}

Async<void> recv_task(mpsc::Receiver<int>* rx, RecvSlot* slot) {
  slot->value = co_await rx->recv();
  slot->done = true;
}

void verify(const Model& model, Sut& sut) {
  RC_ASSERT(sut.channel.second.buffered() == model.buffer.size());
  for (std::size_t i = 0; i < model.sends.size(); ++i) {
    const SendSlot& slot = *sut.sends[i];
    switch (model.sends[i]) {
      case SendPhase::kWaiting:
        RC_ASSERT(!slot.handle.is_finished());
        break;
      case SendPhase::kDelivered:
        RC_ASSERT(slot.delivered == std::optional<bool>(true));
        break;
      case SendPhase::kRejected:
        RC_ASSERT(slot.delivered == std::optional<bool>(false));
        RC_ASSERT(slot.rejected_value == std::optional<int>(model.values[i]));
        break;
      case SendPhase::kCancelled:
        RC_ASSERT(slot.handle.is_finished() && !slot.delivered.has_value());
        break;
    }
  }
  for (std::size_t i = 0; i < model.recvs.size(); ++i) {
    const RecvSlot& slot = *sut.recvs[i];
    switch (model.recvs[i]) {
      case RecvPhase::kWaiting:
        RC_ASSERT(!slot.handle.is_finished());
        break;
      case RecvPhase::kGot:
        RC_ASSERT(slot.done &&
                  slot.value == std::optional<int>(model.received[i]));
        break;
      case RecvPhase::kGotNothing:
        RC_ASSERT(slot.done && !slot.value.has_value());
        break;
      case RecvPhase::kCancelled:
        RC_ASSERT(slot.handle.is_finished() && !slot.done);
        break;
    }
  }
}

using Command = rc::state::Command<Model, Sut>;

struct Send : Command {
  void checkPreconditions(const Model& model) const override {
    RC_PRE(model.sends.size() < kTasksMax);
  }
  void apply(Model& model) const override {
    const std::size_t index = model.sends.size();
    model.values.push_back(model.next_value++);
    if (model.closed) {
      model.sends.push_back(SendPhase::kRejected);
    } else if (model.waiting_sends.empty() && model.buffer.size() < kCapacity) {
      model.buffer.push_back(model.values[index]);
      model.sends.push_back(SendPhase::kDelivered);
    } else {
      model.sends.push_back(SendPhase::kWaiting);
      model.waiting_sends.push_back(index);
    }
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      auto slot = std::make_unique<SendSlot>();
      slot->handle = sut.world.simulator().spawn(
          send_task(sut.channel.first, model.next_value, slot.get()));
      sut.sends.push_back(std::move(slot));
    });
  }
  void show(std::ostream& out) const override { out << "Send"; }
};

struct Recv : Command {
  void checkPreconditions(const Model& model) const override {
    const bool one_consumer_at_a_time = !model.waiting_recv().has_value();
    RC_PRE(one_consumer_at_a_time && model.recvs.size() < kTasksMax);
  }
  void apply(Model& model) const override {
    model.recvs.push_back(RecvPhase::kWaiting);
    model.received.push_back(0);
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      auto slot = std::make_unique<RecvSlot>();
      slot->handle = sut.world.simulator().spawn(
          recv_task(&sut.channel.second, slot.get()));
      sut.recvs.push_back(std::move(slot));
    });
  }
  void show(std::ostream& out) const override { out << "Recv"; }
};

struct CancelSend : Command {
  std::size_t index;
  explicit CancelSend(const Model& model)
      : index(pick_one(indices_where(model.sends, [](SendPhase p) {
          return p == SendPhase::kWaiting;
        }))) {}
  void checkPreconditions(const Model& model) const override {
    const bool valid =
        index < model.sends.size() && model.sends[index] == SendPhase::kWaiting;
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    model.sends[index] = SendPhase::kCancelled;
    std::erase(model.waiting_sends, index);
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.sends[index]->handle.abort(); });
  }
  void show(std::ostream& out) const override {
    out << "CancelSend(" << index << ")";
  }
};

struct CancelRecv : Command {
  std::size_t index;
  explicit CancelRecv(const Model& model) {
    const auto waiting = model.waiting_recv();
    RC_PRE(waiting.has_value());
    index = *waiting;
  }
  void checkPreconditions(const Model& model) const override {
    const bool valid =
        index < model.recvs.size() && model.recvs[index] == RecvPhase::kWaiting;
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    model.recvs[index] = RecvPhase::kCancelled;
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut,
                    [&] { sut.recvs[index]->handle.abort(); });
  }
  void show(std::ostream& out) const override {
    out << "CancelRecv(" << index << ")";
  }
};

struct Close : Command {
  void checkPreconditions(const Model& model) const override {
    RC_PRE(!model.closed);
  }
  void apply(Model& model) const override {
    model.closed = true;
    for (std::size_t index : model.waiting_sends) {
      model.sends[index] = SendPhase::kRejected;
    }
    model.waiting_sends.clear();
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] { sut.channel.second.close(); });
  }
  void show(std::ostream& out) const override { out << "Close"; }
};

RC_GTEST_PROP(MpscModel, MatchesTheSequentialModel, (Schedule schedule)) {
  Model model;
  Sut sut(schedule);
  rc::state::check(model, sut,
                   rc::state::gen::execOneOfWithArgs<Send, Recv, CancelSend,
                                                     CancelRecv, Close>());
  for (auto& slot : sut.sends) slot->handle.detach();  // or they would leak
  for (auto& slot : sut.recvs) slot->handle.detach();
  sut.world.finish();
}

}  // namespace
}  // namespace weft::props
