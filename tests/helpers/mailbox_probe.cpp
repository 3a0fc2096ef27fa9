// mailbox_probe — a stand-in for a worker-lib program, for groved's tests:
// it does with its inbox exactly what the tree contract asks of a mailbox
// worker, and nothing else (links grove_ipc only).
//
//   mailbox_probe [env] [deadletter] [echo | beat [N]] [exit]
//
// At start it attaches an InboxReader to $GROVE_INBOX (exit 3 if it cannot)
// and sends READY=1 to $NOTIFY_SOCKET, then runs its steps in order:
//   env         prints "env NAME=VALUE" for each of the four mailbox variables
//   deadletter  appends one dead-letter line to $GROVE_DEADLETTERS, counts it
//   echo        forever: prints "got PAYLOAD" per message, releases it, counts it
//   beat [N]    bumps the heartbeat every WATCHDOG_USEC/4, N times (forever
//               without N), then hangs: alive, silent, no longer beating
//   exit        exits 0
// and then waits forever. Output lines are flushed one by one.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "grove/ipc/inbox_reader.hpp"

namespace {

using namespace std::chrono_literals;

const char* env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool notify(const std::string& message) {
  const std::string path = env_or_empty("NOTIFY_SOCKET");
  sockaddr_un sun{};
  if (path.empty() || path.size() >= sizeof sun.sun_path) return false;
  sun.sun_family = AF_UNIX;
  std::memcpy(sun.sun_path, path.data(), path.size());
  auto len = static_cast<socklen_t>(sizeof sun);
  if (path[0] == '@') {
    sun.sun_path[0] = '\0';
    len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
  }
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool ok = ::sendto(fd, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&sun), len) >= 0;
  ::close(fd);
  return ok;
}

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

void print_env() {
  for (const char* name : {"GROVE_INBOX", "GROVE_DIRECTORY", "GROVE_MAX_REDELIVERIES", "GROVE_DEADLETTERS"})
    say(std::string("env ") + name + "=" + env_or_empty(name));
}

void dead_letter(grove::ipc::InboxReader& reader) {
  FILE* f = std::fopen(env_or_empty("GROVE_DEADLETTERS"), "a");
  if (f == nullptr) return say("deadletter failed");
  std::fputs(R"({"time":"2026-11-24T20:31:05Z","target":"cache","type":"kv.put","kind":123,)"
             R"("correlation":0,"sender":4242,"deliveries":4,"reason":"redeliveries","bytes":3,)"
             R"("payload_hex":"6b3d76","text":"k=v"})"
             "\n",
             f);
  std::fclose(f);
  reader.vitals().add_dead_letter();
  say("deadletter written");
}

[[noreturn]] void echo(grove::ipc::InboxReader& reader) {
  std::array<grove::ipc::Message, 32> batch;
  for (;;) {
    auto n = reader.receive(batch, grove::ipc::Clock::now() + 1s);
    if (!n) continue;
    for (std::size_t i = 0; i < *n; ++i) {
      const auto& p = batch[i].payload;
      say("got " + std::string(reinterpret_cast<const char*>(p.data()), p.size()));
    }
    reader.release_all();
    reader.vitals().add_handled(*n);
  }
}

void beat(grove::ipc::InboxReader& reader, long beats) {
  const long usec = std::strtol(env_or_empty("WATCHDOG_USEC"), nullptr, 10);
  const auto every = std::chrono::microseconds(usec > 0 ? usec / 4 : 250000);
  for (long i = 0; beats < 0 || i < beats; ++i) {
    reader.vitals().beat();
    std::this_thread::sleep_for(every);
  }
  say("beats stopped");
}

}  // namespace

int main(int argc, char** argv) {
  auto reader = grove::ipc::InboxReader::open(env_or_empty("GROVE_INBOX"));
  if (!reader) {
    std::fprintf(stderr, "mailbox_probe: %s\n", grove::ipc::describe(reader.error()).c_str());
    return 3;
  }
  notify("READY=1");
  for (int i = 1; i < argc; ++i) {
    const std::string step = argv[i];
    if (step == "env") print_env();
    if (step == "deadletter") dead_letter(*reader);
    if (step == "echo") echo(*reader);
    if (step == "exit") return 0;
    if (step == "beat") {
      const bool counted = i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9';
      beat(*reader, counted ? std::strtol(argv[++i], nullptr, 10) : -1);
    }
  }
  for (;;) ::pause();
}
