// weft::sim::SimDisk: a simulated disk, the weft::fs::FileSystem that code
// under test writes to in a simulated run. Each simulated host has one
// (SimHost::fs(), kept across the host's crashes); a test without a
// network makes its own:
//
//   SimDisk disk;                                // inside a simulated run
//   co_await store.put(disk.fs(), "k", "v");     // code under test
//   disk.crash();                                // what was not synced...
//   auto value = co_await store.get(disk.fs(), "k");   // ...may be gone
//
// The model, and where each rule comes from:
//   - A write goes to the page cache: reads see it at once, a crash may
//     lose it until sync_data() or sync_all() on its file returns ok
//     (POSIX fsync; both make the size durable too, as fdatasync does for
//     a size that grew).
//   - A file's name (its creation, a rename, a removal) and a folder's
//     creation are durable once their folder is synced (sync_dir); syncing
//     the file does not make its name durable (the ext4 and XFS behaviour
//     that the studies of crash consistency in applications, Pillai et al.,
//     OSDI 2014, found applications relying on wrongly).
//   - At a crash each change not yet synced is kept, lost or, for a write
//     crossing a sector boundary (storage.sector_size), torn: its first
//     sectors reach the disk, the rest do not, though the file's new length
//     does (so the tail reads as what was there before, zeros past the old
//     end). Changes are decided one by one, so writes to different files,
//     or to different pages of one file, survive out of order, as a page
//     cache writes them back. Each is a disk-crash@O decision: 0 keeps it,
//     so an unperturbed run loses nothing. A rename is atomic: kept or lost
//     whole.
//   - Faults, each a disk-fault@O decision: EIO on a read, a write or a
//     sync; ENOSPC or a short write on a write. A sync that fails drops
//     the file's unsynced changes: they stay readable until a crash, but
//     no later sync writes them and a later sync succeeds (Linux marks the
//     pages clean after a writeback error; "fsyncgate", the PostgreSQL
//     fsync bug of 2018). Off by default, a read may return one sector
//     corrupted (perturbations.disk_corrupt_probability).
//   - A host's disk (SimHost::fs()) whose host declared on_restart: the
//     host may crash as any storage operation of its own tasks begins
//     (disk-halt@O; the operation never completes), then restart.
//   - Latency: an operation may take 1..storage.delay_steps_max delay
//     steps of virtual time (disk-delay@O), so concurrent operations
//     interleave. A dropped pending operation does nothing at all.
//
// Storage operations are numbered across the run's disks (the O of the
// labels); reports say each decision in words ("disk of host 2 crashed:
// write of 512 bytes at offset 4096 to /wal.log was lost (not synced)").
// A SimDisk belongs to one run: files or the disk used after it are a
// misuse naming them, as is more than storage.bytes_max bytes or
// storage.files_max names on one disk.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/fs/fs.h"

namespace weft::sim {

class SimHost;
namespace storage_detail {
class DiskCore;
}

class SimDisk {
 public:
  // Inside a simulated run only (a misuse elsewhere). `name` is what
  // reports call it ("disk 1" by default).
  SimDisk();
  explicit SimDisk(std::string name);
  ~SimDisk();
  SimDisk(const SimDisk&) = delete;
  SimDisk& operator=(const SimDisk&) = delete;

  fs::FileSystem& fs() noexcept { return *fs_; }
  // The machine crashed: each change not yet synced is kept, lost or torn
  // by decision, and files opened before are closed (using one is a
  // misuse). The disk and what survived stay, for the restart.
  void crash();
  // What a crash now could not take from `path`: its synced contents
  // under a synced name; nullopt if no crash-proof name leads to a file.
  std::optional<std::string> durable_contents(std::string_view path) const;
  // Storage operations begun on this disk.
  std::uint64_t operations() const noexcept;
  const std::string& name() const noexcept;

 private:
  friend class SimHost;
  // A host's disk: asked as each operation begins whether the host
  // crashes now (disk-halt@O); true stops the operation for good.
  void set_halt(std::function<bool(std::uint64_t op)> halt);

  std::shared_ptr<storage_detail::DiskCore> core_;
  std::unique_ptr<fs::FileSystem> fs_;
};

}  // namespace weft::sim
