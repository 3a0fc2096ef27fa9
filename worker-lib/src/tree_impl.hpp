// tree_impl.hpp — the state behind grove::Tree (tree.hpp), shared by
// tree.cpp (serving, calling, casting, replying) and inbox_pump.cpp (the
// thread that reads our inbox).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "grove/ipc/inbox_reader.hpp"
#include "grove/ipc/inbox_writer.hpp"
#include "grove/ipc/tree_directory.hpp"
#include "grove/tree.hpp"
#include "tree_env.hpp"
#include "tree_frame.hpp"

namespace grove {

namespace detail {
class InboxPump;
struct HeartbeatState;

// One sending lane into another worker's inbox (an InboxWriter is one
// thread's at a time: the mutex makes it any scheduler thread's).
struct Outbox {
  explicit Outbox(ipc::InboxWriter w) : writer(std::move(w)) {}
  std::mutex mu;
  ipc::InboxWriter writer;
};

struct PendingCall {  // a call of ours waiting for its reply frame
  Pid caller;
  std::uint64_t ref;  // the caller's (unsalted) reference
  ReplyDecoder decode;
  std::chrono::steady_clock::time_point deadline;
};

struct ReplyRoute {  // a call we received: where its reply goes
  std::string path;
  std::uint64_t correlation;
};

// now + timeout, saturated: grove::infinity must not overflow into the past.
inline std::chrono::steady_clock::time_point deadline_after(std::chrono::nanoseconds timeout) {
  const auto now = std::chrono::steady_clock::now();
  const auto far = std::chrono::hours(24 * 365 * 100);
  return timeout >= far ? now + far : now + timeout;
}

// Tokens name an inbox record in a remote envelope's Node::aux: its lane and
// its position + 1 (never 0, so 0 means "a call from this program").
constexpr std::uint64_t pack_token(std::uint32_t lane, std::uint64_t start) {
  return (std::uint64_t{lane} << 56) | ((start + 1) & ((std::uint64_t{1} << 56) - 1));
}
constexpr std::uint32_t token_lane(std::uint64_t t) { return static_cast<std::uint32_t>(t >> 56); }
constexpr std::uint64_t token_start(std::uint64_t t) { return (t & ((std::uint64_t{1} << 56) - 1)) - 1; }
}  // namespace detail

struct Tree::Impl {
  Impl(Scheduler& s, detail::TreeEnv e);
  ~Impl();

  // The worker path's inbox segment name (our own name with its path swapped).
  std::string inbox_of(std::string_view path) const;
  std::optional<std::string> resolve(std::string_view name) const;
  std::shared_ptr<detail::Outbox> outbox(const std::string& path, ipc::Error& error);
  ipc::Status send_frame(const std::string& path, const detail::Frame& frame, std::uint32_t kind,
                         std::uint64_t correlation, std::chrono::nanoseconds timeout);
  // The handler of `kind` requests (calls or casts) for a name served here:
  // nullopt when nobody here serves the name, nullptr when not this kind.
  std::optional<detail::RequestDispatch> handler(std::string_view name, std::uint32_t kind, bool call);
  // `wait`: how long to wait for room (0 from the pump: serve() must not
  // block; a caller whose inbox stays full ends at its own timeout).
  void reply_error(const std::string& path, std::uint64_t correlation, const CallError& error,
                   std::chrono::nanoseconds wait = std::chrono::milliseconds(100));
  std::chrono::nanoseconds heartbeat_slice() const;  // how long a send blocks between beats

  Scheduler& sched;
  detail::TreeEnv env;
  bool attached = false;
  std::optional<ipc::InboxReader> reader;
  std::atomic<bool> corruption_seen{false};  // the reader quarantined a lane: recover() them
  std::optional<ipc::TreeDirectory> directory;
  std::unique_ptr<detail::InboxPump> pump;
  std::shared_ptr<detail::HeartbeatState> heartbeat;
  std::atomic<detail::HeartbeatState*> beating{nullptr};  // heartbeat, for other threads once set
  std::atomic<bool> is_ready{false};

  std::mutex served_mu;
  std::unordered_map<std::string, std::vector<detail::ServedRequest>> served;
  std::unordered_map<detail::TypeId, detail::ReplyEncoder> reply_codecs;

  std::mutex out_mu;
  std::unordered_map<std::string, std::shared_ptr<detail::Outbox>> outboxes;

  std::mutex calls_mu;
  std::unordered_map<std::uint64_t, detail::PendingCall> calls;  // by salted reference
  std::uint64_t call_salt = 0;  // random per incarnation (see tree_launch_call)
  std::uint64_t calls_since_prune = 0;

  std::mutex routes_mu;
  std::unordered_map<std::uint64_t, detail::ReplyRoute> routes;
  std::uint64_t next_route = 1;
};

namespace detail {
// The one Tree of this program (tree.hpp: one per program), for the free
// functions the templates call; nullptr before and after it lives.
extern std::atomic<Tree::Impl*> g_tree;
// Encodes a reply node for the caller in another worker (From's route).
void route_reply(std::uint64_t route, Node* reply);
}  // namespace detail

}  // namespace grove
