// weft::net::Reactor: the real network, an edge-triggered epoll reactor.
// It is a Network (it opens TCP and UDP sockets on the OS) and an IoDriver:
//
//   Reactor reactor;                          // one per executor
//   LocalExecutor executor(reactor);          // parks on epoll when idle
//   executor.block_on(serve(reactor, *SocketAddr::parse("127.0.0.1:0")));
//
// or, for a ThreadPoolExecutor, a ReactorThread runs the reactor's loop on
// a thread of its own and wakes the pool's tasks from there.
//
// How a socket waits: each registered descriptor has a slot holding a read
// and a write waker and a count of the events seen for each. An operation
// notes the count, tries the system call, and on EAGAIN stores its waker
// unless the count moved meanwhile (then it tries again), so an event
// between the attempt and the store is never lost. Slots are found by
// index and generation (epoll's data), so an event for a socket closed
// meanwhile is ignored. Every socket must be closed before its Reactor is
// destroyed.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "runtime/executors/io_driver.h"
#include "runtime/net/net.h"

namespace weft::net {

class Reactor final : public Network, public IoDriver {
 public:
  // Throws std::system_error if epoll or its eventfd cannot be made.
  Reactor();
  ~Reactor() override;
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // IoDriver
  bool has_waiters() const override;
  void park(std::optional<Instant> deadline, const Clock& clock) override;
  // Makes a park() in progress on another thread return.
  void unpark() noexcept override;

  Instant now() const override;

  // The socket side (reactor_sockets.cc).
  enum class Interest : std::uint8_t { kRead, kWrite };
  struct Registration {
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
  };
  // Registers `fd` for both directions, edge-triggered.
  IoResult<Registration> add(int fd);
  // Deregisters and drops both wakers; before the descriptor is closed.
  void remove(Registration registration) noexcept;
  std::uint64_t events_seen(Registration registration, Interest interest) const;
  // Stores `waker` for the next event, unless one arrived since the count
  // was `seen` (then returns false: try the operation again).
  bool wait(Registration registration, Interest interest, std::uint64_t seen,
            const Waker& waker);
  // Drops the stored waker (its future was dropped).
  void forget(Registration registration, Interest interest) noexcept;

 protected:
  IoResult<std::unique_ptr<ListenerIo>> open_listener(
      const SocketAddr& at) override;
  IoResult<std::unique_ptr<DatagramIo>> open_datagram(
      const SocketAddr& at) override;
  std::unique_ptr<ConnectIo> open_connect(const SocketAddr& to) override;

 private:
  struct Slot {
    int fd = -1;
    std::uint32_t generation = 0;
    bool in_use = false;
    std::uint64_t events[2] = {0, 0};
    Waker wakers[2];
  };
  Slot* find(Registration registration) const noexcept;  // under mutex_

  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd: unpark() writes it
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Slot>> slots_;  // stable addresses
  std::vector<std::uint32_t> free_slots_;
  std::size_t stored_wakers_ = 0;
  std::size_t registered_ = 0;
};

// Runs a Reactor's loop on a thread of its own until destroyed; for
// executors that do not park on a driver (ThreadPoolExecutor). The reactor
// must not also drive a LocalExecutor.
class ReactorThread {
 public:
  explicit ReactorThread(Reactor& reactor);
  ~ReactorThread();
  ReactorThread(const ReactorThread&) = delete;
  ReactorThread& operator=(const ReactorThread&) = delete;

 private:
  Reactor& reactor_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace weft::net
