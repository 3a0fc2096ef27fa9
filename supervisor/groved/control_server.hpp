// control_server.hpp — groved's control socket, where grovectl connects.
//
// A UNIX stream socket (mode 0600, in a 0700 directory) speaking the NDJSON
// protocol of control_message.hpp. Each request goes to the root
// SupervisorNode, which routes it down the tree.
//
//   auto server = ControlServer::listen(tree.control);
//   if (!server) fatal(server.error());           // e.g. another groved runs
//   server.value()->attach(loop, node);
//
// Contract:
// - Only groved's own uid and root may connect (SO_PEERCRED); others get one
//   error line and are closed.
// - A hostile client cannot block or crash groved: everything is
//   nonblocking; a line over 1 MiB, or output a client stopped reading,
//   drops that client; at most kMaxClients are held, the longest idle one
//   is dropped to make room.
// - A stale socket file (no groved answers on it) is replaced; a live one
//   is an error. The destructor unlinks the socket.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "control/line_channel.hpp"
#include "groved/event_loop.hpp"
#include "groved/supervisor_node.hpp"
#include "launch/result.hpp"

namespace grove::groved {

class ControlServer {
 public:
  static constexpr std::size_t kMaxClients = 256;

  static launch::Result<std::unique_ptr<ControlServer>, std::string> listen(const std::string& path);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  void attach(EventLoop& loop, SupervisorNode& node);

 private:
  struct Client {
    std::unique_ptr<control::LineChannel> channel;
    std::uint64_t last_active = 0;  // a counter, not a clock: for eviction
    int busy = 0;                   // requests not answered yet
  };
  ControlServer(launch::UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  void on_accept();
  void on_client(std::uint64_t id);
  void handle_line(std::uint64_t id, const std::string& line);
  bool send(std::uint64_t id, const control::Reply& reply);
  void drop(std::uint64_t id);
  void evict_idle();
  void rewatch(std::uint64_t id);

  launch::UniqueFd fd_;
  std::string path_;
  EventLoop* loop_ = nullptr;
  SupervisorNode* node_ = nullptr;
  std::map<std::uint64_t, Client> clients_;
  std::uint64_t next_client_ = 1;
  std::uint64_t clock_ = 0;
};

}  // namespace grove::groved
