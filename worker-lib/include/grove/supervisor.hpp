// supervisor.hpp — the in-worker Supervisor: OTP's supervisor for
// lightweight processes, driven by the same pure policy engine as groved
// (policy/supervision.hpp), so strategies, restart types, intensity/period,
// ordered start and stop, backoff and significant children mean exactly
// what they mean in grove.toml.
//
//   grove::SupervisorSpec spec{
//       {.strategy = grove::Strategy::one_for_one, .intensity = 3, .period = 5s},
//       {grove::worker<Cache>("cache"),
//        grove::worker<Web>("web", 8080).restart(grove::RestartType::transient),
//        grove::process_child("ticker", ticker)}};
//   auto sup = co_await grove::Supervisor::start_link(std::move(spec));
//   auto rows = co_await sup->which_children();
//   co_await sup->restart_child("web");
//
// How the engine's actions map onto processes: spawn = run the child's
// start (a GenServer's start_link: returns once its init did; that is the
// child's readiness), signal = exit(child, shutdown), kill = exit(child,
// kill), ready = the supervisor's own start_link returns, exit = the
// supervisor ends (reason shutdown when it gave up, like OTP). The engine's
// deadlines (shutdown timeouts, restart delays) become send_after timers on
// the scheduler's clock. A child's exit reaches the supervisor as an exit
// signal (it traps exits); its reason maps onto ExitKind (normal,
// shutdown, anything else abnormal).
//
// Contract: only inside a process. Children are started from the
// supervisor's process and must be linked to it (the helpers do that). The
// supervisor's parent ending makes it stop its children in reverse order,
// then exit with the parent's reason.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grove/gen_server.hpp"
#include "policy/child_spec.hpp"
#include "policy/supervision.hpp"

namespace grove {

// One child of an in-worker supervisor.
struct Child {
  std::string name;
  // Runs in the supervisor's process; returns the started child's pid, linked.
  std::function<Async<Result<Pid>>()> start;
  ChildType type = ChildType::worker;
  ChildPolicy policy;

  Child&& restart(RestartType r) && {
    policy.restart = r;
    return std::move(*this);
  }
  Child&& shutdown(Shutdown s) && {
    policy.shutdown = s;
    return std::move(*this);
  }
  Child&& with(ChildPolicy p) && {
    policy = std::move(p);
    return std::move(*this);
  }
};

struct SupervisorSpec {
  SupervisorPolicy policy;
  std::vector<Child> children;
};

struct ChildInfo {
  std::string name;
  Pid pid;  // none unless running
  ChildState state = ChildState::stopped;
  int restarts = 0;
};

namespace detail {

template <class S, class... A>
Async<Result<Pid>> start_server_child(A... args) {
  auto r = co_await grove::start_link<S>(std::move(args)...);
  if (!r) co_return r.error();
  co_return r->pid;
}

struct WhichChildren {};
struct ChildOp {
  std::string name;
  Event::Kind kind;  // stop | start | restart
};
struct SupervisorTick {
  std::uint64_t generation;
};

class SupervisorServer {
 public:
  explicit SupervisorServer(SupervisorSpec spec);
  Async<InitResult> init();
  std::vector<ChildInfo> handle_call(const WhichChildren&);
  Async<CallResult<bool>> handle_call(const ChildOp& op);
  Async<CastResult> handle_info(Message& m);
  Async<void> terminate(const ExitReason& reason);

 private:
  Async<void> run(std::vector<Action> actions);
  void rearm();
  std::optional<std::size_t> index_of(Pid pid) const;
  std::optional<ExitReason> end() const;

  SupervisorSpec spec_;
  Supervision engine_;
  std::vector<Pid> pids_;
  TimerId timer_;
  std::optional<SteadyTime> armed_for_;
  std::uint64_t generation_ = 0;
  std::optional<ExitReason> exit_;
};

}  // namespace detail

// A GenServer child: start_link<S>(args...) on every (re)start.
template <class S, class... A>
Child worker(std::string name, A... args) {
  Child c;
  c.name = std::move(name);
  c.start = [args...]() { return detail::start_server_child<S>(args...); };
  c.policy.shutdown = default_shutdown(ChildType::worker);
  return c;
}

// A bare process child: spawn_link(f, args...), ready as soon as spawned.
template <class F, class... A>
Child process_child(std::string name, F f, A... args) {
  Child c;
  c.name = std::move(name);
  c.start = [f, args...]() -> Async<Result<Pid>> { co_return spawn_link(f, args...); };
  c.policy.shutdown = default_shutdown(ChildType::worker);
  return c;
}

class Supervisor {
 public:
  static Async<Result<Supervisor>> start_link(SupervisorSpec spec);
  // A reference to a supervisor known by pid (e.g. a nested one).
  static Supervisor at(Pid pid) { return Supervisor(Server<detail::SupervisorServer>{pid}); }

  auto which_children(std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::WhichChildren{}, timeout);
  }
  // Operator requests (not counted against intensity); Result<bool> is
  // false when no child has that name.
  auto terminate_child(std::string name, std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::ChildOp{std::move(name), Event::Kind::stop}, timeout);
  }
  auto restart_child(std::string name, std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::ChildOp{std::move(name), Event::Kind::restart}, timeout);
  }
  auto start_child(std::string name, std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::ChildOp{std::move(name), Event::Kind::start}, timeout);
  }
  Pid pid() const { return server_.pid; }

 private:
  explicit Supervisor(Server<detail::SupervisorServer> s) : server_(s) {}
  Server<detail::SupervisorServer> server_;
};

// A nested supervisor as a child (shutdown infinity by default, like OTP).
Child supervisor_child(std::string name, SupervisorSpec spec);

}  // namespace grove
