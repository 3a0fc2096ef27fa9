// grove.hpp — the whole public API of worker-lib (library grove::grove).
//
//   #include <grove/grove.hpp>
//
//   grove::Process hello() { std::puts("Hello OTP"); co_return; }
//   int main() {
//     grove::Scheduler sched;
//     sched.run_until_exit(sched.spawn(hello));
//   }
//
// See grove(3) and worker-lib/README.md for the tour.
#pragma once

#include "grove/exit_reason.hpp"
#include "grove/links.hpp"
#include "grove/message.hpp"
#include "grove/pid.hpp"
#include "grove/process.hpp"
#include "grove/receive.hpp"
#include "grove/result.hpp"
#include "grove/scheduler.hpp"
#include "grove/scheduler_clock.hpp"
#include "grove/async.hpp"
#include "grove/call.hpp"
#include "grove/gen_server.hpp"
#include "grove/agent.hpp"
#include "grove/supervisor.hpp"
#include "grove/task.hpp"
#include "grove/task_supervisor.hpp"
