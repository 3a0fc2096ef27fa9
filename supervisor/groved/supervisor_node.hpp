// supervisor_node.hpp — one OS-level supervisor: the policy engine, driven.
//
// A SupervisorNode owns the children of one supervisor (the root in groved,
// or a nested supervisor in its own forked process). It feeds their OS
// events (exec result, readiness, exit) to its Supervision engine and carries
// out the engine's actions with real processes: fork/exec, signals to whole
// process groups, readiness probes, output routing.
//
//   EventLoop loop;
//   SupervisorNode node(loop, tree, "api", spec.supervisor, spec.children);
//   node.on_ready = [] { /* ordered start complete */ };
//   node.start();
//   while (!node.finished()) loop.run_once();   // SIGCHLD -> node.on_reaped()
//
// Contract: one node per OS process, single-threaded, on one EventLoop. The
// process running it must be a subreaper and reap with waitpid(-1) (see
// supervisor_process.hpp), handing each pid to on_reaped. Children are
// session leaders: a signal for a child goes to its whole process group.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "groved/child_process.hpp"
#include "groved/event_loop.hpp"
#include "groved/mailbox_names.hpp"
#include "groved/tree_guardian.hpp"
#include "launch/notify_socket.hpp"
#include "policy/supervision.hpp"

namespace grove::groved {

class TreeMailboxes;

// What every supervisor process of one tree shares (copied into nested ones).
struct TreeContext {
  std::string config_file;            // re-read by reload
  std::string name;                   // GROVE_TREE
  std::string control;                // GROVE_SOCKET
  std::string log_dir;
  std::uint64_t log_max_bytes = 0;
  int log_backups = 0;
  std::vector<std::string> base_env;  // groved's environment at start
  TreeGuardian guardian;
  MailboxNames mailbox_names;         // GROVE_INBOX & co. of mailbox workers
  TreeMailboxes* mailboxes = nullptr; // root groved only: the inboxes it owns
};

class SupervisorNode {
 public:
  SupervisorNode(EventLoop& loop, const TreeContext& tree, std::string path,
                 const SupervisorPolicy& policy, std::vector<ChildSpec> children);
  SupervisorNode(const SupervisorNode&) = delete;
  SupervisorNode& operator=(const SupervisorNode&) = delete;

  void start();
  void shutdown();
  // A pid reaped by the process's waitpid(-1) loop; false if not a child here.
  bool on_reaped(pid_t pid, int wait_status);
  // Is `pid` the current process of one of this node's workers?
  bool is_worker(pid_t pid) const;
  void reopen_logs();
  // A control request whose path is in this supervisor's subtree (paths are
  // absolute: "api/web"). `respond` may be called later (restart answers
  // once the new incarnation is ready) and more than once (logs -f).
  void handle_request(const control::Request& request, Respond respond);

  bool finished() const { return finished_; }
  std::optional<EndReason> end_reason() const { return engine_.end_reason(); }
  const std::string& path() const { return path_; }
  const std::string& tree_name() const { return tree_.name; }

  std::function<void()> on_ready;  // the ordered start is complete (once)

 private:
  // engine glue (supervisor_node.cpp)
  void feed(const Event& event);
  void drain();
  void apply(const Action& action);
  void rearm_deadline();
  void on_deadline();
  void signal_group(std::size_t i, int signal);  // logs it as a stop or kill
  void send_signal(std::size_t i, int signal);   // to the child's process group
  void log_spawn(std::size_t i);
  // launching (child_launch.cpp)
  void spawn_child(std::size_t i);
  bool spawn_worker(std::size_t i);
  bool spawn_supervisor(std::size_t i);
  std::string notify_address();
  // readiness (child_readiness.cpp)
  void watch_readiness(std::size_t i);
  void on_exec_status(std::size_t i);
  void on_ready_pipe(std::size_t i);
  void start_probe(std::size_t i);
  void on_probe(std::size_t i);
  void on_notify();
  void report_ready(std::size_t i);
  // the heartbeat of mailbox workers (mailbox_watchdog.cpp)
  void watch_heartbeat(std::size_t i);
  void check_heartbeat(std::size_t i, TimePoint now);
  // root groved only: its inboxes answer for the whole tree (node_control.cpp)
  bool handle_mailbox_request(const control::Request& r, Respond& respond);
  // output (child_output.cpp)
  enum class Stream { out, err };
  OutputStream& stream(std::size_t i, Stream which);
  void watch_output(std::size_t i, Stream which);
  bool pump_output(std::size_t i, OutputStream& stream, bool final);
  void close_fds(std::size_t i);
  // control (node_control.cpp)
  struct Waiter {
    std::size_t child;
    bool want_ready;            // else: want stopped
    std::uint64_t incarnation;  // the incarnation that must be reached
    std::uint64_t id;
    Respond respond;
  };
  struct Pending {              // a request forwarded to a nested supervisor
    std::size_t child;
    std::uint64_t client_id;
    Respond respond;
    std::optional<TimePoint> deadline;  // status & co: a stuck supervisor must not
  };                                     // hold the whole tree's answer
  std::optional<std::size_t> child_named(const std::string& name) const;
  void handle_child_request(std::size_t i, const control::Request& r, Respond respond);
  void status_of_subtree(std::uint64_t id, Respond respond);
  control::StatusNode status_row(std::size_t i) const;
  void operate(std::size_t i, const control::Request& r, Respond respond);
  void forward(std::size_t i, control::Request r, Respond respond);
  void on_channel(std::size_t i);
  void fail_pending(std::size_t i, const std::string& why);
  void expire_pending(TimePoint now);
  void check_waiters();
  void feed_followers(std::size_t i);
  // reload (node_reload.cpp)
  void reload(const control::Request& r, Respond respond);
  void apply_reload(const SupervisorPolicy& policy, const std::vector<ChildSpec>& children,
                    const control::Request& r, std::vector<std::string>& changes,
                    const std::function<void(std::size_t, control::Request)>& forward_subtree);

  EventLoop& loop_;
  const TreeContext& tree_;
  std::string path_;  // "" for the root
  std::vector<ChildProcess> children_;
  Supervision engine_;
  std::deque<Action> pending_;
  bool draining_ = false;
  bool finished_ = false;
  std::optional<launch::NotifySocket> notify_;
  std::vector<Waiter> waiters_;
  std::map<std::uint64_t, Pending> pending_requests_;
  std::uint64_t next_id_ = 1;
};

// What the policy engine knows of a child spec (used at start and reload).
ChildEntry engine_entry(const ChildSpec& spec);

// "api/web" for child "web" of supervisor "api"; "web" under the root.
std::string child_path(const std::string& parent, const std::string& name);

}  // namespace grove::groved
