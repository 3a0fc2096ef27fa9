// groved — supervises the tree a grove.toml describes, in the foreground.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <system_error>

#include "config/config_loader.hpp"
#include "config/tree_printer.hpp"
#include "groved/control_server.hpp"
#include "groved/event_log.hpp"
#include "groved/groved_exit.hpp"
#include "grove/ipc/segment.hpp"
#include "groved/supervisor_process.hpp"
#include "groved/own_output.hpp"
#include "groved/tree_guardian.hpp"
#include "groved/tree_mailboxes.hpp"
#include "launch/child_env.hpp"

using grove::groved::GrovedExit;

namespace {

struct Args {
  bool check = false;
  std::string config;
};

constexpr const char* kUsage =
    "usage: groved [--check] [--config FILE] [FILE]\n"
    "  FILE, --config FILE  the tree's grove.toml\n"
    "  --check              validate FILE, print the tree, and exit (0 valid, 1 errors)\n";

int exit_code(GrovedExit e) { return static_cast<int>(e); }

// Returns the exit code to leave with when the command line is not a run.
std::optional<int> parse_args(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return exit_code(GrovedExit::clean);
    }
    if (a == "--check") {
      args.check = true;
    } else if (a == "--config" && i + 1 < argc && args.config.empty()) {
      args.config = argv[++i];
    } else if (a.rfind("--config=", 0) == 0 && args.config.empty()) {
      args.config = a.substr(9);
    } else if (!a.empty() && a[0] != '-' && args.config.empty()) {
      args.config = a;
    } else {
      std::cerr << "groved: unexpected argument '" << a << "'\n" << kUsage;
      return exit_code(GrovedExit::usage);
    }
  }
  if (args.config.empty()) {
    std::cerr << "groved: no config file given\n" << kUsage;
    return exit_code(GrovedExit::usage);
  }
  return std::nullopt;
}

// After setup_own_output(): through its queue (fd 2 may not take it now),
// then a bounded drain, so the fatal line and what came before are not lost.
int fatal(const std::string& why, GrovedExit code) {
  grove::groved::write_own_output(2, "groved: fatal: " + why + "\n");
  grove::groved::drain_own_output(std::chrono::seconds(1));
  return exit_code(code);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (auto done = parse_args(argc, argv, args)) return *done;

  const auto loaded =
      grove::config::load_config_file(args.config, grove::config::load_options_from_environment());
  if (!loaded.ok()) {
    std::cerr << grove::config::format_diagnostics(loaded.errors);
    return exit_code(GrovedExit::config_error);
  }
  const grove::TreeSpec& spec = *loaded.tree;
  if (args.check) {
    std::cout << grove::config::print_tree(spec);
    return exit_code(GrovedExit::clean);
  }

  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout must not kill the supervisor
  grove::groved::setup_own_output(spec.name);  // a stalled reader must not stop it either
  auto server = grove::groved::ControlServer::listen(spec.control);
  if (!server) {
    return fatal(server.error(), GrovedExit::config_error);
  }
  grove::groved::TreeContext tree;
  tree.config_file = args.config;
  tree.name = spec.name;
  tree.control = spec.control;
  tree.log_dir = spec.log_dir;
  tree.log_max_bytes = spec.log_max_bytes;
  tree.log_backups = spec.log_backups;
  tree.base_env = grove::launch::current_environment();
  grove::groved::LogLine("groved_started").kv("tree", spec.name).kv("pid", ::getpid())
      .kv("config", args.config);  // the first line: what follows is this run's
  // Before any child: what a SIGKILLed earlier run of this tree left in
  // /dev/shm goes, then this run's inboxes are made (they outlive children).
  const auto uid = static_cast<std::uint32_t>(::geteuid());
  if (const auto swept = grove::ipc::sweep_stale_segments(uid, spec.name); swept && swept.value() > 0)
    grove::groved::LogLine("segments_swept").kv("tree", spec.name)
        .kv("count", static_cast<std::int64_t>(swept.value()));
  tree.mailbox_names = grove::groved::mailbox_names(uid, spec.name, grove::ipc::ProcessIdentity::self(),
                                                    spec.control);
  auto mailboxes = grove::groved::TreeMailboxes::create(tree.mailbox_names, spec.children);
  if (!mailboxes) {
    grove::groved::LogLine("groved_exit").kv("tree", spec.name).kv("code", exit_code(GrovedExit::fatal));
    return fatal(mailboxes.error(), GrovedExit::fatal);
  }
  tree.mailboxes = mailboxes.value().get();
  tree.guardian = grove::groved::TreeGuardian::start();
  if (tree.guardian.pid() < 0)
    grove::groved::LogLine("guardian_unavailable").kv("tree", spec.name)
        .kv("error", std::strerror(errno));  // runs on: only groved's SIGKILL is less safe

  int code = exit_code(GrovedExit::fatal);
  try {
    code = grove::groved::run_supervisor_process(tree, "", spec.root, spec.children, {},
                                                 server.value().get());
  } catch (const std::system_error& e) {  // the event loop could not be set up
    grove::groved::write_own_output(2, std::string("groved: fatal: unable to set up ") + e.what() + "\n");
  }
  server.value().reset();  // unlinks the socket before groved says it exited
  mailboxes.value().reset();  // unlinks the inboxes and the names directory
  tree.guardian.stop();
  grove::groved::LogLine("groved_exit").kv("tree", spec.name).kv("code", code);
  grove::groved::drain_own_output(std::chrono::seconds(1));  // a reader still slow: what it missed is lost
  return code;
}
