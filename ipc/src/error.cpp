#include "grove/ipc/error.hpp"

#include <array>
#include <cerrno>
#include <cstring>

namespace grove::ipc {

namespace {
constexpr std::array<std::string_view, 15> kNames{
    "invalid_argument", "already_exists",   "not_found",    "permission_denied",
    "bad_magic",        "version_mismatch", "bad_geometry", "receiver_busy",
    "no_free_lane",     "full",             "timed_out",    "message_too_large",
    "lane_revoked",     "corrupt",          "system",
};
}  // namespace

std::string_view name_of(IpcError e) {
  const auto i = static_cast<std::size_t>(e);
  return i < kNames.size() ? kNames[i] : "unknown";
}

IpcError from_errno(int err) {
  switch (err) {
    case EEXIST: return IpcError::already_exists;
    case ENOENT: return IpcError::not_found;
    case EACCES:
    case EPERM: return IpcError::permission_denied;
    case EINVAL:
    case ENAMETOOLONG: return IpcError::invalid_argument;
    case ETIMEDOUT: return IpcError::timed_out;
    default: return IpcError::system;
  }
}

std::string describe(const Error& e) {
  std::string s = "unable to ";
  s += e.context;
  s += ": ";
  s += name_of(e.code);
  if (e.sys_errno != 0) {
    s += " (";
    s += std::strerror(e.sys_errno);
    s += ")";
  }
  return s;
}

}  // namespace grove::ipc
