// kvstore — the kv example's store: a GenServer served to the tree as "kv",
// keeping every client's numbered stream of writes in an append-only log
// (argv[1], default kv.log) that it replays at start.
//
// Durability: a write is appended (write(2), one line) before its handler
// returns, and groved's inbox acknowledges it only then; a SIGKILL between
// the two makes the next incarnation see the write again and skip it (seq
// below next). A write that was never applied is redelivered. See README.md.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "grove/grove.hpp"
#include "grove/tree.hpp"
#include "kv_messages.hpp"

class Store {
 public:
  explicit Store(std::string log_path) : log_path_(std::move(log_path)) {}
  ~Store() {
    if (fd_ >= 0) ::close(fd_);
  }

  grove::InitResult init() {
    replay();
    fd_ = ::open(log_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return grove::stop(grove::ExitReason::error("cannot open " + log_path_));
    return grove::ok();
  }

  void handle_cast(const Put& p) {
    ClientState& c = clients_[std::string(p.client.view())];
    if (p.seq < c.next) {
      ++c.duplicates;
      return;
    }
    if (p.seq > c.next) ++c.gaps;  // never expected: it would be a lost write
    const std::string line =
        std::string(p.client.view()) + " " + std::to_string(p.seq) + " " + std::to_string(p.value) + "\n";
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      throw std::runtime_error("kvstore: log write failed");
    c.next = p.seq + 1;
    c.sum += p.value;
  }

  ClientState handle_call(const Progress& p) { return clients_[std::string(p.client.view())]; }

 private:
  void replay() {
    std::ifstream in(log_path_);
    std::string client;
    std::uint64_t seq = 0, value = 0;
    while (in >> client >> seq >> value) {
      ClientState& c = clients_[client];
      if (seq != c.next) continue;  // a torn last line: not applied
      c.next = seq + 1;
      c.sum += value;
    }
  }

  std::string log_path_;
  int fd_ = -1;
  std::map<std::string, ClientState> clients_;
};

int main(int argc, char** argv) {
  const std::string log = argc > 1 ? argv[1] : "kv.log";
  grove::Scheduler sched;
  grove::Tree tree(sched);
  const grove::Pid root = sched.spawn([&]() -> grove::Process {
    auto store = co_await grove::start_link<Store>(log);  // a crash of the store ends this worker
    if (!store) {
      std::fprintf(stderr, "kvstore: %s\n", describe(store.error()).c_str());
      co_return;
    }
    (void)grove::register_name("kv", store->pid);
    if (auto served = grove::serve<Store, Put, Progress>("kv"); !served) {
      std::fprintf(stderr, "kvstore: serve kv: %s\n", std::string(describe(served.error())).c_str());
      co_return;
    }
    tree.ready();
    std::fprintf(stderr, "kvstore: serving \"kv\" from %s\n", tree.attached() ? tree.path().c_str() : "(standalone)");
    for (;;) (void)co_await grove::receive();  // the store runs until the worker is stopped
  });
  return sched.run_until_exit(root).is_normal() ? 0 : 1;
}
