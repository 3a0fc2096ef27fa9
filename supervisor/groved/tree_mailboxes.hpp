// tree_mailboxes.hpp — root groved's shared-memory inboxes, one per mailbox
// worker of the tree (any depth), the tree's names directory, and the
// dead-letter files the workers append to.
//
//   auto boxes = TreeMailboxes::create(names, spec.children);   // before any child starts
//   if (!boxes) fatal(boxes.error());
//   tree.mailboxes = boxes.value().get();        // root's TreeContext only
//   ...
//   boxes.value()->sync(new_spec.children);     // reload: before the changes apply
//   boxes.value()->fill_status(reply.status);    // after the whole tree answered
//   auto lines = boxes.value()->dead_letters("api/cache");
//
// Why root owns them: an inbox must outlive its worker (messages sent while
// it is down go to its next incarnation) and its nested supervisor (which
// may be restarted too); only root groved lives as long as the tree.
//
// Contract:
// - create() makes nothing when no worker has mailbox = true. Otherwise it
//   creates the names directory, then one inbox per mailbox worker
//   (kInboxOptions), then the dead-letter directory (mode 0700), whose
//   *.ndjson files of an earlier run it removes. A failure undoes it all.
// - The segments are unlinked when this object is destroyed (every exit of
//   groved's main); after a SIGKILL, the next start's sweep removes them.
// - sync(): a worker that gained a mailbox gets its inbox (kept from an
//   earlier run of the same path if there was one); one that lost it, or
//   was removed, has its names withdrawn from the directory. Its inbox is
//   kept until groved exits: its last incarnation may still be draining it.
// - Single-threaded, root groved's event loop only. Never used in a forked
//   nested supervisor (which never runs destructors: it leaves by _exit).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control/control_message.hpp"
#include "grove/ipc/inbox.hpp"
#include "grove/ipc/tree_directory.hpp"
#include "groved/mailbox_names.hpp"
#include "launch/result.hpp"

namespace grove::groved {

class TreeMailboxes {
 public:
  static constexpr ipc::InboxOptions kInboxOptions{32, 64 * 1024};

  static launch::Result<std::unique_ptr<TreeMailboxes>, std::string> create(
      MailboxNames names, const std::vector<ChildSpec>& children);
  TreeMailboxes(const TreeMailboxes&) = delete;
  TreeMailboxes& operator=(const TreeMailboxes&) = delete;

  // The reloaded tree's mailbox workers; "" or why an inbox could not be made.
  std::string sync(const std::vector<ChildSpec>& children);

  // Sets StatusNode::mailbox on every node (any depth) that is a mailbox worker.
  void fill_status(control::StatusNode& node);

  // The dead-letter lines of a mailbox worker, oldest first: the newest that
  // fit in one control reply (kMaxDeadLetterBytes), `left_out` says how many
  // older ones did not. Errors say why in words for grovectl.
  struct DeadLetters {
    std::vector<std::string> lines;
    std::size_t left_out = 0;
    std::string file;
  };
  static constexpr std::size_t kMaxDeadLetterBytes = 384 * 1024;  // replies stay under 1 MiB
  launch::Result<DeadLetters, std::string> dead_letters(const std::string& path) const;

  const MailboxNames& names() const { return names_; }
  bool active(const std::string& path) const;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Sample {
    SteadyTime at;
    std::uint64_t handled;
  };
  struct Box {
    explicit Box(ipc::Inbox in) : inbox(std::move(in)) {}
    ipc::Inbox inbox;
    bool active = true;           // in the current config
    std::deque<Sample> samples;   // `handled` at past status requests, for the rate
  };

  explicit TreeMailboxes(MailboxNames names) : names_(std::move(names)) {}
  std::string open_directory();
  std::string add(const std::string& path);
  control::MailboxStatus status_of(Box& box, SteadyTime now);

  MailboxNames names_;
  std::optional<ipc::TreeDirectory> directory_;
  std::map<std::string, Box> boxes_;
  std::vector<std::string> paths_;  // every child path of the config, for messages
};

}  // namespace grove::groved
