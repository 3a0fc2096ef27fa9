// sd_notify.hpp — one datagram to the supervisor's NOTIFY_SOCKET (the
// systemd protocol groved speaks): "READY=1" after a worker's init.
//
//   sd_notify_send(env.notify, "READY=1");   // false: no socket, or not sent
//
// A path starting with '@' names an abstract socket. No libsystemd needed.
#pragma once

#include <string_view>

namespace grove::detail {

bool sd_notify_send(std::string_view socket_path, std::string_view state);

}  // namespace grove::detail
