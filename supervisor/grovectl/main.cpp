// grovectl — operate a running grove tree: status, restart, stop, start,
// reload, logs, deadletters, pid, signal, shutdown. A thin client of groved's control
// socket; CLI11 stays in this one translation unit.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "config/load_options.hpp"
#include "config/signal_name.hpp"
#include "control/control_client.hpp"
#include "control/dead_letter_table.hpp"
#include "control/status_table.hpp"

namespace {

using grove::control::ControlClient;
using grove::control::Reply;
using grove::control::Request;
using grove::control::Verb;

// grovectl(1) EXIT STATUS.
enum class Exit : int { done = 0, refused = 1, usage = 2, no_daemon = 3 };
int code(Exit e) { return static_cast<int>(e); }

struct Options {
  std::string socket;
  std::string name;
  std::string path;
  std::string signal;
  bool json = false;
  bool follow = false;
  int lines = 20;
};

// --socket, else --name, else $GROVE_SOCKET (inside a child), else the only
// tree whose socket is in the default directory.
std::optional<std::string> resolve_socket(const Options& o, std::string& why, bool& ambiguous) {
  if (!o.socket.empty()) return o.socket;
  const auto opts = grove::config::load_options_from_environment();
  if (!o.name.empty()) return grove::config::default_control_path(o.name, opts);
  if (const char* env = std::getenv("GROVE_SOCKET"); env && *env) return std::string(env);
  const std::filesystem::path dir =
      std::filesystem::path(grove::config::default_control_path("x", opts)).parent_path();
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".sock") found.push_back(entry.path().string());
  if (found.size() == 1) return found.front();
  ambiguous = found.size() > 1;
  why = found.empty() ? "no running tree found in " + dir.string() +
                            ": give --name NAME or --socket PATH"
                      : "several trees run (" + std::to_string(found.size()) + " in " +
                            dir.string() + "): give --name NAME or --socket PATH";
  return std::nullopt;
}

// Verbs that wait for real work (a restart waits for readiness) have no
// deadline of their own: groved answers when it is done, or why not.
std::optional<std::chrono::milliseconds> timeout_for(Verb v) {
  switch (v) {
    case Verb::restart:
    case Verb::stop:
    case Verb::start:
    case Verb::reload:
    case Verb::shutdown: return std::nullopt;
    default: return std::chrono::seconds(30);
  }
}

std::string verbs_list() {
  std::string out;
  for (std::string_view v : grove::control::verb_names()) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

int print_failure(const Reply& r) {
  std::cerr << "grovectl: " << r.error << "\n";
  return code(Exit::refused);
}

// The verbs without a deadline say, every 10 s, that they still wait (a long
// shutdown timeout, or a nested supervisor that does not answer: SIGSTOP).
void say_while_waiting(const Request& req, ControlClient& client) {
  if (timeout_for(req.verb)) return;
  const std::string what = std::string(grove::control::verb_name(req.verb)) + (req.path.empty() ? "" : " " + req.path);
  client.on_slow_reply(std::chrono::seconds(10), [what](std::chrono::milliseconds waited) {
    std::cerr << "grovectl: " << what << ": still waiting for groved after "
              << std::chrono::duration_cast<std::chrono::seconds>(waited).count()
              << " s (Ctrl-C stops waiting; groved carries on)\n";
  });
}

int show(const Request& req, const Options& o, ControlClient& client) {
  say_while_waiting(req, client);
  auto reply = client.call(req, timeout_for(req.verb));
  if (!reply) return std::cerr << "grovectl: " << reply.error().message << "\n", code(Exit::refused);
  if (!reply.value().ok) return print_failure(reply.value());
  const Reply& r = reply.value();
  switch (req.verb) {
    case Verb::status: {
      grove::control::StatusNode tree = *r.status;
      if (!req.path.empty()) {  // one node: it and its subtree
        if (o.json) return std::cout << grove::control::node_status_json(tree) << "\n", code(Exit::done);
        grove::control::StatusNode wrapper;
        wrapper.children.push_back(tree);
        tree = wrapper;
      }
      if (o.json) std::cout << grove::control::status_json(tree) << "\n";
      else std::cout << grove::control::render_status_table(tree, ::isatty(1) != 0);
      return code(Exit::done);
    }
    case Verb::shutdown: {
      // groved closes every connection as it exits: wait for that, so the
      // command returns once the whole tree is down.
      client.wait_closed();
      return code(Exit::done);
    }
    case Verb::pid: std::cout << r.pid.value_or(0) << "\n"; return code(Exit::done);
    case Verb::deadletters: {
      if (!r.note.empty()) std::cerr << "grovectl: " << r.note << "\n";
      if (o.json) {
        for (const std::string& line : r.lines) std::cout << line << "\n";
      } else if (r.lines.empty()) {
        std::cout << req.path << " has no dead letters\n";
      } else {
        std::cout << grove::control::render_dead_letters(r.lines);
      }
      return code(Exit::done);
    }
    default:
      for (const std::string& line : r.lines) std::cout << line << "\n";
      return code(Exit::done);
  }
}

int logs(const Request& req, ControlClient& client) {
  auto print = [](const Reply& r) {
    for (const std::string& line : r.lines) std::cout << line << "\n";
    std::cout.flush();
    return true;
  };
  bool streaming = false;
  auto reply = client.stream(req, [&](const Reply& r) { streaming = true; return print(r); });
  // Following until groved shut down is a normal end of `logs -f`.
  if (!reply && streaming) return code(Exit::done);
  if (!reply) return std::cerr << "grovectl: " << reply.error().message << "\n", code(Exit::refused);
  if (!reply.value().ok) return print_failure(reply.value());
  print(reply.value());
  return code(Exit::done);
}

// `grovectl __complete`: every path of the running tree, for bash completion.
void print_paths(const grove::control::StatusNode& n) {
  for (const auto& c : n.children) {
    std::cout << c.path << "\n";
    print_paths(c);
  }
}

int run(Verb verb, const Options& o, bool complete) {
  std::string why;
  bool ambiguous = false;
  const auto socket = resolve_socket(o, why, ambiguous);
  if (!socket) {
    if (!complete) std::cerr << "grovectl: " << why << "\n";
    return code(ambiguous ? Exit::usage : Exit::no_daemon);
  }
  auto client = ControlClient::connect(*socket);
  if (!client) {
    if (!complete) std::cerr << "grovectl: " << client.error().message << "\n";
    return code(client.error().no_daemon ? Exit::no_daemon : Exit::refused);
  }
  Request req;
  req.verb = verb;
  req.path = o.path;
  req.signal = o.signal;
  req.lines = o.lines;
  req.follow = o.follow;
  if (complete) {
    auto reply = client.value().call(req, std::chrono::seconds(2));
    if (reply && reply.value().status) print_paths(*reply.value().status);
    return code(Exit::done);
  }
  if (verb == Verb::logs) return logs(req, client.value());
  return show(req, o, client.value());
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"grovectl: operate a running grove tree"};
  app.require_subcommand(1);
  Options o;
  auto* socket_opt = app.add_option("--socket", o.socket, "groved's control socket");
  app.add_option("--name", o.name, "the tree's name (finds its socket)")->excludes(socket_opt);

  struct VerbSpec {
    Verb verb;
    const char* help;
    bool path;  // takes a PATH
  };
  const std::vector<VerbSpec> verbs{
      {Verb::status, "show the tree: state, pid, uptime, restarts, last exit", false},
      {Verb::restart, "restart PATH; returns once the new incarnation is ready", true},
      {Verb::stop, "stop PATH and keep it stopped", true},
      {Verb::start, "start PATH; returns once it is ready", true},
      {Verb::reload, "re-read the config and apply what changed", false},
      {Verb::logs, "show the last lines PATH wrote", true},
      {Verb::deadletters, "show the messages mailbox worker PATH set aside", true},
      {Verb::pid, "print PATH's pid", true},
      {Verb::signal, "send a signal to PATH's process group", true},
      {Verb::shutdown, "stop the whole tree in order; groved exits", false},
  };
  std::vector<std::pair<CLI::App*, Verb>> subs;
  for (const VerbSpec& v : verbs) {
    CLI::App* sub = app.add_subcommand(std::string(grove::control::verb_name(v.verb)), v.help);
    if (v.verb == Verb::signal) sub->add_option("SIG", o.signal, "e.g. HUP, SIGUSR1, 10")->required();
    if (v.path) sub->add_option("PATH", o.path, "a child's path, e.g. api/web")->required();
    if (v.verb == Verb::status) {
      sub->add_option("PATH", o.path, "only this node and its subtree");
      sub->add_flag("--json", o.json, "one JSON object");
    }
    if (v.verb == Verb::deadletters) sub->add_flag("--json", o.json, "the dead letters' JSON lines as they are");
    if (v.verb == Verb::logs) {
      sub->add_flag("-f,--follow", o.follow, "then print new lines as they come");
      sub->add_option("-n,--lines", o.lines, "how many past lines (default 20)")->check(CLI::Range(0, 1000000));
    }
    subs.push_back({sub, v.verb});
  }
  CLI::App* complete = app.add_subcommand("__complete", "")->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    // CLI11 says "A subcommand is required" also for an unknown verb.
    if (app.get_subcommands().empty()) {
      std::string verb;
      for (int i = 1; i < argc && verb.empty(); ++i) {
        const std::string a = argv[i];
        if (a == "--socket" || a == "--name") ++i;  // skip the option's value
        else if (a[0] != '-') verb = a;
      }
      if (verb.empty()) std::cerr << "grovectl: a command is required: " << verbs_list() << "\n";
      else std::cerr << "grovectl: unknown command '" << verb << "'; try: " << verbs_list() << " (grovectl --help)\n";
      return code(Exit::usage);
    }
    std::cerr << "grovectl: " << e.what() << "\n";
    return code(Exit::usage);
  } catch (const CLI::ParseError& e) {
    std::cerr << "grovectl: " << e.what() << " (grovectl --help)\n";
    return code(Exit::usage);
  }
  if (!o.signal.empty() && !grove::config::parse_signal(o.signal)) {
    std::cerr << "grovectl: unknown signal '" << o.signal << "' (a name such as HUP or SIGUSR1, or a number)\n";
    return code(Exit::usage);
  }
  if (complete->parsed()) return run(Verb::status, o, true);
  for (const auto& [sub, verb] : subs)
    if (sub->parsed()) return run(verb, o, false);
  return code(Exit::usage);
}
