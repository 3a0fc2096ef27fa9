// task_supervisor.hpp — TaskSupervisor: owns tasks that are not linked to
// their caller (Elixir's Task.Supervisor).
//
//   auto sup = co_await grove::TaskSupervisor::start_link();
//   auto task = co_await sup->async_nolink([] { return risky(); });  // Result<Task<int>>
//   auto r = co_await task->await(1s);   // a crash is CallError exited, not our death
//   co_await sup->start_child([] { fire_and_forget(); });              // Result<Pid>
//
// Tasks are temporary children: never restarted; when the supervisor ends
// (its parent's exit, or a shutdown from its own supervisor) it kills the
// tasks still running.
//
// Contract: only inside a process. The task's function is moved into the
// new process; it may return a value, void or Async<T>.
#pragma once

#include <algorithm>
#include <vector>

#include "grove/gen_server.hpp"
#include "grove/task.hpp"

namespace grove {

namespace detail {

// A not-yet-started process body; destroyed unless a spawn takes it.
struct OwnedBody {
  std::coroutine_handle<> h;
  explicit OwnedBody(std::coroutine_handle<> body) : h(body) {}
  OwnedBody(OwnedBody&& o) noexcept : h(std::exchange(o.h, {})) {}
  ~OwnedBody() {
    if (h) h.destroy();
  }
};

struct StartTask {
  OwnedBody body;
};

struct TaskSupervisorServer {
  std::vector<Pid> children;

  void init() { trap_exit(true); }
  Pid handle_call(StartTask& req) {
    const Pid pid = spawn_body(std::exchange(req.body.h, {}), true, nullptr);
    children.push_back(pid);
    return pid;
  }
  void handle_info(Message& m) {
    if (const ExitSignal* e = m.get<ExitSignal>())
      children.erase(std::remove(children.begin(), children.end(), e->from), children.end());
  }
  void terminate(const ExitReason&) {
    for (Pid c : children) grove::exit(c, ExitReason::kill());
  }
};

}  // namespace detail

class TaskSupervisor {
 public:
  static Async<Result<TaskSupervisor>> start_link() {
    auto r = co_await grove::start_link<detail::TaskSupervisorServer>();
    if (!r) co_return r.error();
    co_return TaskSupervisor(*r);
  }

  template <class F>
  Async<Result<Task<detail::task_result_t<F>>>> async_nolink(F fn) const {
    const std::uint64_t ref = detail::new_ref();
    auto body = detail::make_body(&detail::task_body<F>, From(self(), ref, true), std::move(fn));
    // A named request: GCC 12 mishandles braced temporaries inside co_await.
    detail::StartTask req{detail::OwnedBody(body)};
    auto pid = co_await call(server_, std::move(req));
    if (!pid) co_return pid.error();
    co_return Task<detail::task_result_t<F>>(*pid, ref);
  }

  template <class F>
  Async<Result<Pid>> start_child(F fn) const {
    auto body = detail::make_body(&detail::task_body<F>, From(), std::move(fn));
    detail::StartTask req{detail::OwnedBody(body)};
    co_return co_await call(server_, std::move(req));
  }

  Pid pid() const { return server_.pid; }

 private:
  explicit TaskSupervisor(Server<detail::TaskSupervisorServer> s) : server_(s) {}
  Server<detail::TaskSupervisorServer> server_;
};

}  // namespace grove
