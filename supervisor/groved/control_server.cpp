#include "groved/control_server.hpp"

#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>

#include "groved/event_log.hpp"
#include "launch/make_dirs.hpp"

namespace grove::groved {

namespace {

using control::Reply;

std::string errno_text(const std::string& what, int err) { return what + ": " + strerror(err); }

// Someone answers on `addr`: another groved owns this tree.
bool in_use(const sockaddr_un& addr) {
  launch::UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

launch::Result<std::unique_ptr<ControlServer>, std::string> ControlServer::listen(
    const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return "control socket path too long: " + path;
  path.copy(addr.sun_path, path.size());
  const std::size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0)
    if (auto failed = launch::make_dirs(path.substr(0, slash), 0700))
      return errno_text("unable to create directory " + failed->path + " for " + path, failed->err);
  if (in_use(addr)) return "another groved already serves " + path;
  ::unlink(path.c_str());  // a stale socket of a groved that died
  launch::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return errno_text("unable to create control socket", errno);
  const mode_t old = ::umask(0177);  // born 0600: no window where others may connect
  const int bound = ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (bound < 0) return errno_text("unable to bind " + path, errno);
  if (::listen(fd.get(), 128) < 0) return errno_text("unable to listen on " + path, errno);
  return std::unique_ptr<ControlServer>(new ControlServer(std::move(fd), path));
}

ControlServer::~ControlServer() {
  if (fd_) ::unlink(path_.c_str());
}

void ControlServer::attach(EventLoop& loop, SupervisorNode& node) {
  loop_ = &loop;
  node_ = &node;
  loop.watch(fd_.get(), EPOLLIN, [this](std::uint32_t) { on_accept(); });
}

void ControlServer::on_accept() {
  for (int budget = 0; budget < 64; ++budget) {
    launch::UniqueFd fd(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
        (cred.uid != 0 && cred.uid != ::geteuid())) {
      const std::string refusal =
          control::encode(Reply::failure(0, "permission denied: uid " + std::to_string(cred.uid) +
                                                " may not control this tree")) + "\n";
      (void)!::send(fd.get(), refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      LogLine("control_refused").kv("tree", node_->tree_name()).kv("uid", static_cast<std::int64_t>(cred.uid)).kv("pid", cred.pid);
      continue;
    }
    if (clients_.size() >= kMaxClients) evict_idle();
    const std::uint64_t id = next_client_++;
    clients_[id] = Client{std::make_unique<control::LineChannel>(std::move(fd)), ++clock_, 0};
    rewatch(id);
  }
}

// The longest idle client goes, preferring one that waits for no answer.
void ControlServer::evict_idle() {
  auto victim = clients_.end();
  auto better = [&](const auto& it) {
    if (victim == clients_.end()) return true;
    if ((it->second.busy == 0) != (victim->second.busy == 0)) return it->second.busy == 0;
    return it->second.last_active < victim->second.last_active;
  };
  for (auto it = clients_.begin(); it != clients_.end(); ++it)
    if (better(it)) victim = it;
  if (victim != clients_.end()) drop(victim->first);
}

void ControlServer::rewatch(std::uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  const auto events = it->second.channel->wants_write() ? EPOLLIN | EPOLLOUT : EPOLLIN;
  loop_->watch(it->second.channel->fd(), events, [this, id](std::uint32_t) { on_client(id); });
}

void ControlServer::on_client(std::uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  std::vector<std::string> lines;
  const auto got = it->second.channel->read_lines(lines);
  it->second.last_active = ++clock_;
  for (const std::string& line : lines) {
    handle_line(id, line);
    if (!clients_.count(id)) return;
  }
  it = clients_.find(id);
  if (it == clients_.end()) return;
  if (got != control::LineChannel::Read::ok || !it->second.channel->flush()) return drop(id);
  rewatch(id);
}

void ControlServer::handle_line(std::uint64_t id, const std::string& line) {
  std::string error;
  const auto request = control::decode_request(line, error);
  if (!request) {
    send(id, Reply::failure(0, error));
    return;
  }
  if (request->verb == control::Verb::shutdown) {
    LogLine("operator").kv("tree", node_->tree_name()).kv("verb", "shutdown").kv("path", "/");
    Reply done;
    done.id = request->id;
    send(id, done);
    node_->shutdown();
    return;
  }
  clients_[id].busy++;
  node_->handle_request(*request, [this, id](const Reply& reply) { return send(id, reply); });
}

// False once the client is gone, so followers and waiters let go of it.
bool ControlServer::send(std::uint64_t id, const Reply& reply) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return false;
  if (!reply.more && it->second.busy > 0) it->second.busy--;
  it->second.channel->send(control::encode(reply));
  if (!it->second.channel->flush()) {
    drop(id);
    return false;
  }
  rewatch(id);
  return true;
}

void ControlServer::drop(std::uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  loop_->unwatch(it->second.channel->fd());
  clients_.erase(it);
}

}  // namespace grove::groved
