#include "groved/tree_mailboxes.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "groved/event_log.hpp"

namespace grove::groved {

namespace {

void collect_paths(const std::vector<ChildSpec>& children, const std::string& parent,
                   std::vector<std::string>& out) {
  for (const ChildSpec& c : children) {
    const std::string path = parent.empty() ? c.name : parent + "/" + c.name;
    out.push_back(path);
    collect_paths(c.children, path, out);
  }
}

std::string errno_text(const std::string& what, int err) { return what + ": " + std::strerror(err); }

// mkdir -m 0700 (an existing one of ours is kept, made 0700), then its *.ndjson files go: they
// belong to an earlier run, whose inboxes are gone.
std::string prepare_deadletter_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST)
    return errno_text("unable to create directory " + dir, errno);
  struct stat st{};
  if (::lstat(dir.c_str(), &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
    return "unable to use " + dir + ": not a directory of ours";
  // Dead letters hold message payloads: ours alone, whatever made the directory.
  if ((st.st_mode & 07777) != 0700 && ::chmod(dir.c_str(), 0700) < 0)
    return errno_text("unable to chmod 0700 " + dir, errno);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return errno_text("unable to open directory " + dir, errno);
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.size() > 7 && name.ends_with(".ndjson")) ::unlinkat(::dirfd(d), e->d_name, 0);
  }
  ::closedir(d);
  return "";
}

}  // namespace

launch::Result<std::unique_ptr<TreeMailboxes>, std::string> TreeMailboxes::create(
    MailboxNames names, const std::vector<ChildSpec>& children) {
  std::unique_ptr<TreeMailboxes> boxes(new TreeMailboxes(std::move(names)));
  std::string error = boxes->sync(children);
  if (!error.empty()) return error;  // the destructor unlinks what was made
  return boxes;
}

std::string TreeMailboxes::sync(const std::vector<ChildSpec>& children) {
  const std::vector<MailboxWorker> wanted = mailbox_workers(children);
  if (!wanted.empty() && !directory_) {
    if (std::string e = open_directory(); !e.empty()) return e;
  }
  for (const MailboxWorker& w : wanted) {
    auto it = boxes_.find(w.path);
    if (it != boxes_.end()) {
      it->second.active = true;
      continue;
    }
    if (std::string e = add(w.path); !e.empty()) return e;
  }
  for (auto& [path, box] : boxes_) {
    const bool still = std::any_of(wanted.begin(), wanted.end(),
                                   [&](const MailboxWorker& w) { return w.path == path; });
    if (still || !box.active) continue;
    box.active = false;
    const std::size_t dropped = directory_->drop_path(path);
    // Messages still queued are not handled by anyone now: say how many
    // (they stay readable in the inbox until groved exits).
    LogLine("mailbox_retired").kv("tree", names_.tree).kv("path", path)
        .kv("names", static_cast<std::int64_t>(dropped))
        .kv("pending", static_cast<std::int64_t>(box.inbox.stats().pending));
  }
  paths_.clear();
  collect_paths(children, "", paths_);
  return "";
}

std::string TreeMailboxes::open_directory() {
  auto dir = ipc::TreeDirectory::create(names_.directory());
  if (!dir) return "unable to create the names directory " + names_.directory() + ": " + ipc::describe(dir.error());
  directory_.emplace(std::move(dir.value()));
  return prepare_deadletter_dir(names_.deadletter_dir);
}

std::string TreeMailboxes::add(const std::string& path) {
  const std::string name = names_.inbox(path);
  auto inbox = ipc::Inbox::create(name, kInboxOptions);
  if (!inbox) return "unable to create the inbox of " + path + ": " + ipc::describe(inbox.error());
  auto [it, added] = boxes_.emplace(path, Box(std::move(inbox.value())));
  it->second.samples.push_back({std::chrono::steady_clock::now(), 0});
  LogLine("mailbox_created").kv("tree", names_.tree).kv("path", path).kv("inbox", name);
  return "";
}

bool TreeMailboxes::active(const std::string& path) const {
  auto it = boxes_.find(path);
  return it != boxes_.end() && it->second.active;
}

void TreeMailboxes::fill_status(control::StatusNode& node) {
  const SteadyTime now = std::chrono::steady_clock::now();
  if (node.type == "worker") {
    auto it = boxes_.find(node.path);
    if (it != boxes_.end() && it->second.active) node.mailbox = status_of(it->second, now);
    // The count is the worker's last report: with no process, there are none.
    if (node.mailbox && node.pid == 0) node.mailbox->processes = 0;
  }
  for (control::StatusNode& child : node.children) fill_status(child);
}

// The rate is measured against the newest sample at least a second old (or
// the oldest there is): groved keeps no timer for it, status requests sample.
control::MailboxStatus TreeMailboxes::status_of(Box& box, SteadyTime now) {
  const ipc::InboxStats s = box.inbox.stats();
  control::MailboxStatus m{s.pending, s.handled, 0.0, s.dead_letters, s.processes};
  auto& samples = box.samples;
  samples.push_back({now, s.handled});
  const auto window = std::chrono::seconds(1);
  while (samples.size() > 2 && (samples[1].at <= now - window || samples.size() > 256)) samples.pop_front();
  const Sample& base = samples.front();
  const double dt = std::chrono::duration<double>(now - base.at).count();
  if (dt > 0 && s.handled >= base.handled) m.handled_per_s = static_cast<double>(s.handled - base.handled) / dt;
  return m;
}

launch::Result<TreeMailboxes::DeadLetters, std::string> TreeMailboxes::dead_letters(
    const std::string& path) const {
  if (!active(path)) {
    if (std::find(paths_.begin(), paths_.end(), path) == paths_.end()) return "unknown path '" + path + "'";
    return path + " is not a mailbox worker (set mailbox = true)";
  }
  DeadLetters out;
  out.file = names_.deadletter_file(path);
  // None yet: the worker creates the file with its first dead letter.
  if (::access(out.file.c_str(), F_OK) < 0 && errno == ENOENT) return out;
  std::ifstream in(out.file);
  if (!in) return errno_text("unable to read " + out.file, errno);
  std::deque<std::string> kept;
  std::size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    bytes += line.size();
    kept.push_back(std::move(line));
    while (bytes > kMaxDeadLetterBytes && !kept.empty()) {
      bytes -= kept.front().size();
      kept.pop_front();
      ++out.left_out;
    }
  }
  out.lines.assign(kept.begin(), kept.end());
  return out;
}

}  // namespace grove::groved
