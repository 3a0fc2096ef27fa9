// mailbox_names.hpp — where the shared-memory pieces of one tree live: the
// inbox segment of each mailbox worker, the tree's names directory and the
// dead-letter files. Pure: every supervisor process of the tree computes the
// same names from the same facts.
//
//   MailboxNames names = mailbox_names(getuid(), "shop", ipc::ProcessIdentity::self(),
//                                      "/run/user/1000/grove/shop.sock");
//   names.inbox("api/cache");          // "grove.u1000.shop.p4242-889911.api%2Fcache"
//   names.directory();                 // "grove.u1000.shop.p4242-889911.%7Enames"
//   names.deadletter_file("api/cache");  // ".../grove/shop.deadletters/api%2Fcache.ndjson"
//   for (const MailboxWorker& w : mailbox_workers(spec.children)) ...   // any depth
//
// Contract: `root` is the identity of root groved (nested supervisors are
// forked from it and get a copy of these names, never their own identity),
// so a segment's name says which groved owns it and a later start can tell
// it is stale. Names that would be too long for /dev/shm format to "" (the
// ipc layer then refuses them, and groved reports it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grove/ipc/process_identity.hpp"
#include "policy/child_spec.hpp"

namespace grove::groved {

struct MailboxNames {
  std::uint32_t uid = 0;
  std::string tree;
  ipc::ProcessIdentity root;
  std::string deadletter_dir;  // "<dirname of the control socket>/<tree>.deadletters"

  std::string inbox(const std::string& path) const;
  std::string directory() const;
  std::string deadletter_file(const std::string& path) const;
};

MailboxNames mailbox_names(std::uint32_t uid, const std::string& tree, const ipc::ProcessIdentity& root,
                           const std::string& control_socket);

// "api/cache" -> "api%2Fcache": a child path as one file name.
std::string escape_child_path(const std::string& path);

// A worker with mailbox = true, anywhere in the tree.
struct MailboxWorker {
  std::string path;  // "api/cache"
  int max_redeliveries = 3;
};
std::vector<MailboxWorker> mailbox_workers(const std::vector<ChildSpec>& children,
                                           const std::string& parent = "");

}  // namespace grove::groved
