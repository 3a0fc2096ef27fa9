// agent.hpp — Agent<S>: state behind a process, read and changed by
// functions (Elixir's Agent).
//
//   auto counter = co_await grove::Agent<int>::start_link([] { return 0; });
//   counter->cast([](int& n) { ++n; });                           // async
//   co_await counter->update([](int& n) { n += 10; });            // Result<void>
//   auto v = co_await counter->get([](const int& n) { return n; });  // Result<int>
//   auto old = co_await counter->get_and_update([](int& n) { return std::exchange(n, 0); });
//
// Contract: the functions run inside the agent's process, one at a time, in
// arrival order; get/update/get_and_update are calls (timeout, default 5 s,
// with CallError like any call); an exception in a function crashes the
// agent (its callers get exited). Only inside a process.
#pragma once

#include <chrono>
#include <type_traits>
#include <utility>

#include "grove/gen_server.hpp"

namespace grove {

namespace detail {

template <class F>
struct AgentGet {
  F fn;
};
template <class F>
struct AgentUpdate {
  F fn;
};
template <class F>
struct AgentGetAndUpdate {
  F fn;
};
template <class F>
struct AgentCast {
  F fn;
};

template <class S>
struct AgentServer {
  S state;
  template <class Init>
  explicit AgentServer(Init init) : state(init()) {}

  template <class F>
  auto handle_call(AgentGet<F>& req) {
    return reply(req.fn(std::as_const(state)));
  }
  template <class F>
  auto handle_call(AgentUpdate<F>& req) {
    req.fn(state);
    return reply();
  }
  template <class F>
  auto handle_call(AgentGetAndUpdate<F>& req) {
    return reply(req.fn(state));
  }
  template <class F>
  void handle_cast(AgentCast<F>& req) {
    req.fn(state);
  }
};

}  // namespace detail

template <class S>
class Agent {
 public:
  using ServerType = detail::AgentServer<S>;

  template <class Init>
  static Async<Result<Agent>> start_link(Init init) {
    auto r = co_await grove::start_link<ServerType>(std::move(init));
    if (!r) co_return r.error();
    co_return Agent(*r);
  }
  template <class Init>
  static Async<Result<Agent>> start(Init init) {
    auto r = co_await grove::start<ServerType>(std::move(init));
    if (!r) co_return r.error();
    co_return Agent(*r);
  }

  template <class F>
  auto get(F fn, std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::AgentGet<F>{std::move(fn)}, timeout);
  }
  template <class F>
  auto update(F fn, std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::AgentUpdate<F>{std::move(fn)}, timeout);
  }
  template <class F>
  auto get_and_update(F fn, std::chrono::nanoseconds timeout = kDefaultCallTimeout) const {
    return call(server_, detail::AgentGetAndUpdate<F>{std::move(fn)}, timeout);
  }
  template <class F>
  bool cast(F fn) const {
    return grove::cast(server_, detail::AgentCast<F>{std::move(fn)});
  }

  Pid pid() const { return server_.pid; }
  Server<ServerType> server() const { return server_; }

 private:
  explicit Agent(Server<ServerType> s) : server_(s) {}
  Server<ServerType> server_;
};

}  // namespace grove
