// The simulated disk's files and folders: what each operation changes now,
// and what it leaves pending until a sync makes it durable.
#include "sim/storage/disk_core.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/seam/misuse.h"
#include "sim/core/simulator.h"

namespace weft::sim::storage_detail {

std::string normalize(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  while (out.size() >= 2 && out[0] == '.' && out[1] == '/') out.erase(0, 2);
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out == ".") out.clear();  // the root, as a relative path names it
  return out;
}

std::string parent_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

namespace {

bool is_root(const std::string& path) { return path.empty() || path == "/"; }

fs::IoError error(int code, const char* operation, const std::string& path,
                  const char* why = nullptr) {
  return fs::IoError{code, operation,
                     why == nullptr ? path : path + " (" + why + ")"};
}

}  // namespace

DiskCore::DiskCore(Simulator& simulator, std::string name)
    : simulator_(simulator),
      name_(std::move(name)),
      number_(simulator.number_disk()),
      shape_(simulator.options().storage),
      crash_loss_chance_(Simulator::chance_of(
          simulator.options().perturbations.disk_crash_loss_probability)),
      delay_chance_(
          shape_.delay_steps_max > 0
              ? Simulator::chance_of(
                    simulator.options().perturbations.disk_delay_probability)
              : 0),
      fault_chance_(Simulator::chance_of(
          simulator.options().perturbations.disk_fault_probability)),
      corrupt_chance_(Simulator::chance_of(
          simulator.options().perturbations.disk_corrupt_probability)),
      run_id_(simulator.run_id()) {
  if (name_.empty()) name_ = "disk " + std::to_string(number_);
  simulator_.add_leak_source(this);
}

DiskCore::~DiskCore() {
  // Outliving its run (a leaked file), the simulator may be gone.
  if (in_own_run()) simulator_.remove_leak_source(this);
}

void DiskCore::file_closed(const std::string& path) {
  auto found = open_files_.find(path);
  if (found != open_files_.end() && --found->second == 0) {
    open_files_.erase(found);
  }
}

std::string DiskCore::describe_leak() const {
  std::string text = "  " + name_ + " is still alive after teardown";
  if (open_files_.empty()) {
    return text + " (the SimDisk itself was kept past its run)\n";
  }
  text += ", held by its open file";
  text += open_files_.size() == 1 ? ": " : "s: ";
  bool first = true;
  for (const auto& [path, count] : open_files_) {
    if (!first) text += ", ";
    first = false;
    text += path;
    if (count > 1) text += " (" + std::to_string(count) + " times)";
  }
  return text +
         " (an fs::File kept past the run: in a static, or in memory "
         "never freed)\n";
}

bool DiskCore::in_own_run() const {
  const Simulator* current = Simulator::current();
  return current != nullptr && current->run_id() == run_id_;
}

void DiskCore::report_used_after_run(const std::string& what) const {
  const Simulator* current = Simulator::current();
  report_misuse(
      what + " of " + name_ + " of simulated run #" + std::to_string(run_id_) +
      " was used " +
      (current != nullptr ? "in run #" + std::to_string(current->run_id())
                          : std::string("outside any simulated run")) +
      ", after its run ended: a simulated disk and its files belong to the "
      "run that made them");
}

bool DiskCore::dir_exists(const std::string& path) const {
  return is_root(path) || dirs_.count(path) > 0;
}

bool DiskCore::durable_dir_exists(const std::string& path) const {
  return is_root(path) || durable_dirs_.count(path) > 0;
}

fs::IoResult<void> DiskCore::check_parent(const std::string& path,
                                          const char* operation) const {
  if (is_root(path)) return error(EEXIST, operation, path, "the root");
  const std::string parent = parent_of(path);
  if (dir_exists(parent)) return {};
  if (names_.count(parent) > 0) {
    return error(ENOTDIR, operation, path, "its parent is a file");
  }
  return error(ENOENT, operation, path, "its folder does not exist");
}

void DiskCore::count_entries() const {
  if (names_.size() + dirs_.size() <= shape_.files_max) return;
  report_misuse("more than " + std::to_string(shape_.files_max) +
                " files and folders on " + name_ +
                " (storage.files_max; accepted: at least 1)");
}

void DiskCore::grow(std::uint64_t inode, std::uint64_t new_size) {
  Inode& file = inodes_.at(inode);
  bytes_ = bytes_ - file.current.size() + new_size;
  if (bytes_ > shape_.bytes_max) {
    report_misuse("more than " + std::to_string(shape_.bytes_max) +
                  " bytes on " + name_ +
                  " (storage.bytes_max) after a write "
                  "to " +
                  file.name);
  }
  file.current.resize(new_size, '\0');
}

fs::IoResult<std::uint64_t> DiskCore::open(const std::string& path,
                                           const fs::OpenOptions& options,
                                           std::uint64_t op) {
  if ((options.create || options.create_new || options.truncate) &&
      !options.write) {
    return error(EINVAL, "open", path, "create and truncate need write access");
  }
  if (dir_exists(path)) return error(EISDIR, "open", path);
  auto found = names_.find(path);
  if (found != names_.end()) {
    if (options.create_new) return error(EEXIST, "open", path);
    if (options.truncate) set_len(found->second, 0, op);
    return found->second;
  }
  if (!options.create && !options.create_new) {
    return error(ENOENT, "open", path);
  }
  if (fs::IoResult<void> parent = check_parent(path, "open"); !parent) {
    return parent.error();
  }
  const std::uint64_t number = next_inode_++;
  inodes_[number].name = path;
  names_[path] = number;
  count_entries();
  name_changes_.push_back({op, NameChange::Kind::kCreate, path, {}, number});
  return number;
}

std::size_t DiskCore::read(std::uint64_t inode, std::uint64_t offset,
                           std::span<std::byte> into) const {
  const std::string& data = inodes_.at(inode).current;
  if (offset >= data.size()) return 0;
  const std::size_t n =
      std::min<std::size_t>(into.size(), data.size() - offset);
  std::memcpy(into.data(), data.data() + offset, n);
  return n;
}

void DiskCore::write(std::uint64_t inode, std::uint64_t offset,
                     std::span<const std::byte> from, std::uint64_t op) {
  Inode& file = inodes_.at(inode);
  const std::uint64_t end = offset + from.size();
  if (end > file.current.size()) grow(inode, end);
  std::memcpy(file.current.data() + offset, from.data(), from.size());
  file.pending.push_back(
      {op, false, offset, from.size(),
       std::string(reinterpret_cast<const char*>(from.data()), from.size())});
}

void DiskCore::set_len(std::uint64_t inode, std::uint64_t length,
                       std::uint64_t op) {
  grow(inode, length);
  inodes_.at(inode).pending.push_back({op, true, 0, length, {}});
}

std::uint64_t DiskCore::size(std::uint64_t inode) const {
  return inodes_.at(inode).current.size();
}

void DiskCore::apply_write(std::string& image, const PendingWrite& write,
                           std::uint64_t keep_bytes) {
  if (write.set_len) {
    image.resize(write.length, '\0');
    return;
  }
  // A torn write still extends the file to its whole length: the size
  // reached the disk, the sectors after the tear did not (they read as
  // what was there before, zeros past the old end).
  const std::uint64_t end = write.offset + write.length;
  if (image.size() < end) image.resize(end, '\0');
  std::memcpy(image.data() + write.offset, write.bytes.data(), keep_bytes);
}

void DiskCore::sync(std::uint64_t inode, bool failed) {
  Inode& file = inodes_.at(inode);
  if (!failed) {
    for (const PendingWrite& write : file.pending) {
      apply_write(file.durable, write, write.length);
    }
  }
  file.pending.clear();
}

fs::IoResult<void> DiskCore::create_dir(const std::string& path,
                                        std::uint64_t op) {
  if (dir_exists(path) || names_.count(path) > 0) {
    return error(EEXIST, "create_dir", path);
  }
  if (fs::IoResult<void> parent = check_parent(path, "create_dir"); !parent) {
    return parent;
  }
  dirs_.insert(path);
  count_entries();
  name_changes_.push_back({op, NameChange::Kind::kMkdir, path, {}, 0});
  return {};
}

fs::IoResult<void> DiskCore::remove_file(const std::string& path,
                                         std::uint64_t op) {
  if (dir_exists(path)) return error(EISDIR, "remove_file", path);
  auto found = names_.find(path);
  if (found == names_.end()) return error(ENOENT, "remove_file", path);
  name_changes_.push_back(
      {op, NameChange::Kind::kRemove, path, {}, found->second});
  names_.erase(found);
  return {};
}

fs::IoResult<void> DiskCore::remove_dir(const std::string& path,
                                        std::uint64_t op) {
  if (is_root(path)) return error(EBUSY, "remove_dir", path, "the root");
  if (names_.count(path) > 0) return error(ENOTDIR, "remove_dir", path);
  if (dirs_.count(path) == 0) return error(ENOENT, "remove_dir", path);
  const std::string prefix = path + "/";
  const auto has_child = [&prefix](const auto& entries) {
    auto next = entries.lower_bound(prefix);
    return next != entries.end() &&
           next->first.compare(0, prefix.size(), prefix) == 0;
  };
  auto next_dir = dirs_.lower_bound(prefix);
  if (has_child(names_) || (next_dir != dirs_.end() &&
                            next_dir->compare(0, prefix.size(), prefix) == 0)) {
    return error(ENOTEMPTY, "remove_dir", path);
  }
  dirs_.erase(path);
  name_changes_.push_back({op, NameChange::Kind::kRmdir, path, {}, 0});
  return {};
}

fs::IoResult<void> DiskCore::rename(const std::string& from,
                                    const std::string& to, std::uint64_t op) {
  const std::string both = from + " -> " + to;
  if (dir_exists(from)) {
    return error(EISDIR, "rename", both, "renaming folders is not simulated");
  }
  auto found = names_.find(from);
  if (found == names_.end()) return error(ENOENT, "rename", both);
  if (dir_exists(to)) return error(EISDIR, "rename", both);
  if (fs::IoResult<void> parent = check_parent(to, "rename"); !parent) {
    return error(parent.code(), "rename", both, "the new name's folder");
  }
  if (from == to) return {};
  const std::uint64_t number = found->second;
  names_.erase(found);
  names_[to] = number;
  inodes_.at(number).name = to;
  name_changes_.push_back({op, NameChange::Kind::kRename, from, to, number});
  return {};
}

fs::IoResult<std::vector<std::string>> DiskCore::list_dir(
    const std::string& path) const {
  if (names_.count(path) > 0) return error(ENOTDIR, "list_dir", path);
  if (!dir_exists(path)) return error(ENOENT, "list_dir", path);
  std::vector<std::string> names;
  const auto take = [&](const std::string& entry) {
    if (!is_root(entry) && parent_of(entry) == (path.empty() ? "" : path)) {
      names.push_back(entry.substr(entry.rfind('/') + 1));
    }
  };
  for (const auto& [entry, inode] : names_) take(entry);
  for (const std::string& entry : dirs_) take(entry);
  std::sort(names.begin(), names.end());
  return names;
}

void DiskCore::apply_to_durable(const NameChange& change) {
  switch (change.kind) {
    case NameChange::Kind::kCreate:
      durable_names_[change.path] = change.inode;
      return;
    case NameChange::Kind::kRemove:
      durable_names_.erase(change.path);
      return;
    case NameChange::Kind::kRename:
      if (auto found = durable_names_.find(change.path);
          found != durable_names_.end() && found->second == change.inode) {
        durable_names_.erase(found);
      }
      durable_names_[change.to] = change.inode;
      return;
    case NameChange::Kind::kMkdir:
      durable_dirs_.insert(change.path);
      return;
    case NameChange::Kind::kRmdir:
      durable_dirs_.erase(change.path);
      return;
  }
}

fs::IoResult<void> DiskCore::sync_dir(const std::string& path) {
  if (names_.count(path) > 0) return error(ENOTDIR, "sync_dir", path);
  if (!dir_exists(path)) return error(ENOENT, "sync_dir", path);
  const std::string self = is_root(path) ? std::string() : path;
  const auto in_this_dir = [&self](const std::string& entry) {
    const std::string parent = parent_of(entry);
    return parent == self || (self.empty() && parent == "/");
  };
  std::vector<NameChange> kept;
  for (NameChange& change : name_changes_) {
    if (in_this_dir(change.path) ||
        (change.kind == NameChange::Kind::kRename && in_this_dir(change.to))) {
      apply_to_durable(change);
    } else {
      kept.push_back(std::move(change));
    }
  }
  name_changes_ = std::move(kept);
  return {};
}

bool DiskCore::exists(const std::string& path) const {
  return dir_exists(path) || names_.count(path) > 0;
}

std::optional<std::string> DiskCore::durable_file(
    const std::string& path) const {
  auto found = durable_names_.find(path);
  if (found == durable_names_.end()) return std::nullopt;
  return inodes_.at(found->second).durable;
}

}  // namespace weft::sim::storage_detail
