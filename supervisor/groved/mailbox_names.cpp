#include "groved/mailbox_names.hpp"

#include "grove/ipc/segment_name.hpp"

namespace grove::groved {

namespace {

// Not a child name: names use letters, digits, '_', '.' and '-' only.
constexpr const char* kDirectoryInbox = "~names";

void collect(const std::vector<ChildSpec>& children, const std::string& parent,
             std::vector<MailboxWorker>& out) {
  for (const ChildSpec& c : children) {
    const std::string path = parent.empty() ? c.name : parent + "/" + c.name;
    if (c.type == ChildType::supervisor) collect(c.children, path, out);
    else if (c.process.mailbox) out.push_back({path, c.policy.max_redeliveries});
  }
}

}  // namespace

std::string MailboxNames::inbox(const std::string& path) const {
  return ipc::format(ipc::SegmentName{uid, tree, root, path});
}

std::string MailboxNames::directory() const {
  return ipc::format(ipc::SegmentName{uid, tree, root, kDirectoryInbox});
}

std::string MailboxNames::deadletter_file(const std::string& path) const {
  return deadletter_dir + "/" + escape_child_path(path) + ".ndjson";
}

MailboxNames mailbox_names(std::uint32_t uid, const std::string& tree, const ipc::ProcessIdentity& root,
                           const std::string& control_socket) {
  const std::size_t slash = control_socket.rfind('/');
  std::string dir = slash == std::string::npos ? "." : control_socket.substr(0, slash);
  if (dir.empty()) dir = "/";
  return MailboxNames{uid, tree, root, (dir == "/" ? "" : dir) + "/" + tree + ".deadletters"};
}

std::string escape_child_path(const std::string& path) {
  std::string out;
  for (char ch : path) out += ch == '/' ? std::string("%2F") : std::string(1, ch);
  return out;
}

std::vector<MailboxWorker> mailbox_workers(const std::vector<ChildSpec>& children, const std::string& parent) {
  std::vector<MailboxWorker> out;
  collect(children, parent, out);
  return out;
}

}  // namespace grove::groved
