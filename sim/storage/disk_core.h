// The simulated disk's state (private to sim/storage): files as inodes with
// a durable image and the changes not yet synced, names and folders as
// they are now and as they would be found after a crash, and the crash
// itself (disk_crash.cc), where each change not yet synced is kept, lost or
// torn by decision. The model and where each rule comes from:
// sim/storage/sim_disk.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fs/fs.h"
#include "sim/core/options.h"
#include "sim/core/simulator.h"

namespace weft::sim {
class Simulator;
}

namespace weft::sim::storage_detail {

// "/a//b/" -> "/a/b"; "./x" -> "x". Empty and "/" are the root.
std::string normalize(std::string_view path);
// "/a/b" -> "/a"; "/a" -> "/"; "a" -> "".
std::string parent_of(std::string_view path);

// A change to a file's contents since its last successful sync.
struct PendingWrite {
  std::uint64_t op = 0;  // the storage operation that made it
  bool set_len = false;  // a set_len (length) or a write (offset, bytes)
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string bytes;
};

struct Inode {
  std::string current;  // what reads see
  std::string durable;  // what a crash would leave (before pending changes)
  std::vector<PendingWrite> pending;
  std::string name;  // its latest path, for reports
};

// A change to a folder's entries since that folder was last synced.
struct NameChange {
  enum class Kind : std::uint8_t { kCreate, kRemove, kRename, kMkdir, kRmdir };
  std::uint64_t op = 0;
  Kind kind = Kind::kCreate;
  std::string path;
  std::string to;  // kRename
  std::uint64_t inode = 0;
};

class DiskCore final : public LeakSource {
 public:
  DiskCore(Simulator& simulator, std::string name);
  ~DiskCore();
  DiskCore(const DiskCore&) = delete;
  DiskCore& operator=(const DiskCore&) = delete;

  // Files open on this disk, by path (a leak report names them).
  void file_opened(const std::string& path) { ++open_files_[path]; }
  void file_closed(const std::string& path);
  // Alive after teardown: a file (or the disk itself) was kept past the
  // run.
  std::string describe_leak() const override;

  Simulator& simulator() noexcept { return simulator_; }
  const std::string& name() const noexcept { return name_; }
  std::uint32_t number() const noexcept { return number_; }
  const StorageShape& shape() const noexcept { return shape_; }
  std::uint32_t incarnation() const noexcept { return incarnation_; }
  bool in_own_run() const;
  // `what` of this disk was used outside its run: a misuse naming both.
  [[noreturn]] void report_used_after_run(const std::string& what) const;

  // The operations, as the model applies them (after latency and faults).
  fs::IoResult<std::uint64_t> open(const std::string& path,
                                   const fs::OpenOptions& options,
                                   std::uint64_t op);
  std::size_t read(std::uint64_t inode, std::uint64_t offset,
                   std::span<std::byte> into) const;
  void write(std::uint64_t inode, std::uint64_t offset,
             std::span<const std::byte> from, std::uint64_t op);
  void set_len(std::uint64_t inode, std::uint64_t length, std::uint64_t op);
  std::uint64_t size(std::uint64_t inode) const;
  // A successful sync makes the file's changes durable; a failed one
  // (`failed`) drops them: they stay readable until a crash, but no later
  // sync writes them (Linux marks the pages clean after a writeback error).
  void sync(std::uint64_t inode, bool failed);
  fs::IoResult<void> create_dir(const std::string& path, std::uint64_t op);
  fs::IoResult<void> remove_file(const std::string& path, std::uint64_t op);
  fs::IoResult<void> remove_dir(const std::string& path, std::uint64_t op);
  fs::IoResult<void> rename(const std::string& from, const std::string& to,
                            std::uint64_t op);
  fs::IoResult<std::vector<std::string>> list_dir(
      const std::string& path) const;
  fs::IoResult<void> sync_dir(const std::string& path);
  bool exists(const std::string& path) const;

  // The OS crashed: each change not yet synced is kept, lost or torn by
  // decision (disk-crash@O), what survives becomes what reads see, and
  // every open file is closed (disk_crash.cc).
  void crash();
  // What a crash could not take from `path` (its durable name and data).
  std::optional<std::string> durable_file(const std::string& path) const;

  // Asked as each operation begins (a host's disk: may the host crash
  // now?); true: it crashed, and the operation must never complete.
  void set_halt(std::function<bool(std::uint64_t op)> halt) {
    halt_ = std::move(halt);
  }
  bool halts_at(std::uint64_t op) const { return halt_ && halt_(op); }

  // The perturbations' chances (Simulator::chance_of) for one operation.
  std::uint32_t delay_chance() const noexcept { return delay_chance_; }
  std::uint32_t fault_chance() const noexcept { return fault_chance_; }
  std::uint32_t corrupt_chance() const noexcept { return corrupt_chance_; }

  const Inode& inode(std::uint64_t number) const { return inodes_.at(number); }
  std::uint64_t operations() const noexcept { return operations_; }
  void count_operation() noexcept { ++operations_; }

 private:
  bool dir_exists(const std::string& path) const;
  bool durable_dir_exists(const std::string& path) const;
  fs::IoResult<void> check_parent(const std::string& path,
                                  const char* operation) const;
  void count_entries() const;
  void grow(std::uint64_t inode, std::uint64_t new_size);
  void apply_to_durable(const NameChange& change);
  static void apply_write(std::string& image, const PendingWrite& write,
                          std::uint64_t keep_bytes);
  std::string change_in_words(const PendingWrite& write,
                              const Inode& inode) const;
  std::string change_in_words(const NameChange& change) const;

  Simulator& simulator_;
  std::string name_;
  std::uint32_t number_;
  StorageShape shape_;
  std::uint32_t crash_loss_chance_;
  std::uint32_t delay_chance_;
  std::uint32_t fault_chance_;
  std::uint32_t corrupt_chance_;
  std::uint64_t run_id_;
  std::uint32_t incarnation_ = 1;
  std::uint64_t next_inode_ = 1;
  std::uint64_t bytes_ = 0;  // current contents, all files
  std::uint64_t operations_ = 0;
  std::map<std::uint64_t, Inode> inodes_;
  std::map<std::string, std::uint64_t> names_;          // now
  std::map<std::string, std::uint64_t> durable_names_;  // after a crash
  std::set<std::string> dirs_;
  std::set<std::string> durable_dirs_;
  std::vector<NameChange> name_changes_;  // not yet synced, in op order
  std::map<std::string, std::uint32_t> open_files_;
  std::function<bool(std::uint64_t)> halt_;
};

}  // namespace weft::sim::storage_detail
