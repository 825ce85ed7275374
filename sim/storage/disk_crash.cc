// A simulated disk's crash: every change not yet synced (a file's write or
// set_len, a folder's create, remove or rename) gets a disk-crash@O
// decision, taken in the order the changes were made: kept (0), lost (1),
// or, for a write that crosses a sector boundary, torn after the k-th
// boundary (2 + k). Each is decided on its own, so changes to different
// files (and to one file's different pages) survive out of order, as a
// page cache writes them back. What survives becomes what reads see.
#include <algorithm>

#include "sim/core/simulator.h"
#include "sim/report/run_detail.h"
#include "sim/report/trace.h"
#include "sim/storage/disk_core.h"

namespace weft::sim::storage_detail {
namespace {

// At most this many places to tear one write, spread over its boundaries.
constexpr std::uint64_t kTearChoicesMax = 8;

std::string bytes_words(std::uint64_t n) {
  return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

// The sector boundaries strictly inside [offset, offset + length), at most
// kTearChoicesMax of them, spread evenly: where a write may be torn.
std::vector<std::uint64_t> tear_points(const PendingWrite& write,
                                       std::uint64_t sector) {
  std::vector<std::uint64_t> points;
  if (write.set_len || write.length < 2) return points;
  const std::uint64_t first = (write.offset / sector + 1) * sector;
  const std::uint64_t end = write.offset + write.length;
  if (first >= end) return points;
  const std::uint64_t count = (end - 1 - first) / sector + 1;
  const std::uint64_t taken = std::min(count, kTearChoicesMax);
  for (std::uint64_t i = 0; i < taken; ++i) {
    const std::uint64_t index = taken == count ? i : i * count / taken;
    points.push_back(first + index * sector - write.offset);
  }
  return points;
}

}  // namespace

std::string DiskCore::change_in_words(const PendingWrite& write,
                                      const Inode& inode) const {
  if (write.set_len) {
    return "set_len(" + std::to_string(write.length) + ") of " + inode.name;
  }
  return "write of " + bytes_words(write.length) + " at offset " +
         std::to_string(write.offset) + " to " + inode.name;
}

std::string DiskCore::change_in_words(const NameChange& change) const {
  switch (change.kind) {
    case NameChange::Kind::kCreate:
      return "the creation of " + change.path;
    case NameChange::Kind::kRemove:
      return "the removal of " + change.path;
    case NameChange::Kind::kRename:
      return "the rename of " + change.path + " to " + change.to;
    case NameChange::Kind::kMkdir:
      return "the creation of folder " + change.path;
    case NameChange::Kind::kRmdir:
      return "the removal of folder " + change.path;
  }
  return "a change of names";
}

void DiskCore::crash() {
  // Every change not yet synced, in the order made.
  struct Change {
    std::uint64_t op;
    std::uint64_t inode;  // 0: a name change
    std::size_t index;    // into the inode's pending list or name_changes_
  };
  std::vector<Change> changes;
  for (auto& [number, inode] : inodes_) {
    for (std::size_t i = 0; i < inode.pending.size(); ++i) {
      changes.push_back({inode.pending[i].op, number, i});
    }
  }
  for (std::size_t i = 0; i < name_changes_.size(); ++i) {
    changes.push_back({name_changes_[i].op, 0, i});
  }
  std::sort(changes.begin(), changes.end(),
            [](const Change& a, const Change& b) { return a.op < b.op; });

  std::uint64_t damaged = 0;
  for (const Change& change : changes) {
    RunDetail* detail = simulator_.detail();
    if (change.inode == 0) {
      const NameChange& name_change = name_changes_[change.index];
      const std::uint32_t fate = simulator_.decide(
          DecisionKind::kDiskCrash, 2, crash_loss_chance_, {change.op, 0});
      if (fate == 0) {
        apply_to_durable(name_change);
        continue;
      }
      ++damaged;
      if (detail != nullptr && !detail->decision_events.empty()) {
        RunDetail::slot(detail->decision_words,
                        detail->decision_events.size()) =
            name_ + " crashed: " + change_in_words(name_change) +
            " was lost (its folder was not synced)";
      }
      continue;
    }
    Inode& inode = inodes_.at(change.inode);
    const PendingWrite& write = inode.pending[change.index];
    const std::vector<std::uint64_t> tears =
        tear_points(write, shape_.sector_size);
    const auto bound = static_cast<std::uint32_t>(2 + tears.size());
    const std::uint32_t fate = simulator_.decide(
        DecisionKind::kDiskCrash, bound, crash_loss_chance_, {change.op, 0});
    if (fate == 0) {
      apply_write(inode.durable, write, write.length);
      continue;
    }
    ++damaged;
    std::string words;
    if (fate == 1) {
      words = " was lost (not synced)";
    } else {
      const std::uint64_t kept = tears[fate - 2];
      apply_write(inode.durable, write, kept);
      words = " was torn: its first " + bytes_words(kept) +
              " reached the disk, the other " +
              bytes_words(write.length - kept) +
              " did not (the file's length did)";
    }
    if (detail != nullptr && !detail->decision_events.empty()) {
      RunDetail::slot(detail->decision_words, detail->decision_events.size()) =
          name_ + " crashed: " + change_in_words(write, inode) + words;
    }
  }
  name_changes_.clear();

  // What survives is what reads see: names in folders that survived, and
  // the files they name (the others are gone).
  names_.clear();
  dirs_.clear();
  for (const std::string& dir : durable_dirs_) {
    if (durable_dir_exists(parent_of(dir))) dirs_.insert(dir);
  }
  durable_dirs_ = dirs_;
  std::set<std::uint64_t> reachable;
  for (const auto& [path, number] : durable_names_) {
    if (!dir_exists(parent_of(path))) continue;
    names_[path] = number;
    reachable.insert(number);
  }
  durable_names_ = names_;
  bytes_ = 0;
  for (auto it = inodes_.begin(); it != inodes_.end();) {
    if (reachable.count(it->first) == 0) {
      it = inodes_.erase(it);
      continue;
    }
    Inode& inode = it->second;
    inode.current = inode.durable;
    inode.pending.clear();
    bytes_ += inode.current.size();
    ++it;
  }
  for (const auto& [path, number] : names_) inodes_.at(number).name = path;
  ++incarnation_;
  simulator_.record_event(EventKind::kDiskCrash, number_, damaged);
}

}  // namespace weft::sim::storage_detail
