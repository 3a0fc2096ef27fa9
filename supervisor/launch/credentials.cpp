#include "credentials.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

namespace grove::launch {
namespace {

std::optional<std::uint32_t> parse_id(std::string_view s) {
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Calls getpwnam_r/getpwuid_r/getgrnam_r/getgrgid_r with a growing buffer.
// Returns 0 and sets *found (nullptr when there is no such entry), or an errno.
template <class Entry, class Call>
int lookup(Entry& entry, std::vector<char>& buf, Entry** found, Call call) {
  buf.resize(1024);
  for (;;) {
    int rc = call(&entry, buf.data(), buf.size(), found);
    if (rc == ERANGE && buf.size() < (1u << 20)) {
      buf.resize(buf.size() * 2);
      continue;
    }
    // "Not found" is reported as 0 with *found == nullptr, or as one of these.
    if (rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM) {
      *found = nullptr;
      return 0;
    }
    return rc;
  }
}

struct UserEntry {
  std::string name;
  uid_t uid;
  gid_t gid;
};

Result<std::optional<UserEntry>, CredentialsError> find_user(std::string_view user) {
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf;
  std::string key(user);
  std::optional<std::uint32_t> id = parse_id(user);
  int rc = id ? lookup(pw, buf, &found, [&](passwd* e, char* b, size_t n, passwd** f) {
                  return getpwuid_r(*id, e, b, n, f);
                })
              : lookup(pw, buf, &found, [&](passwd* e, char* b, size_t n, passwd** f) {
                  return getpwnam_r(key.c_str(), e, b, n, f);
                });
  if (rc != 0) return CredentialsError{CredentialsError::Code::lookup_failed, rc, key};
  if (found) return std::optional<UserEntry>{UserEntry{pw.pw_name, pw.pw_uid, pw.pw_gid}};
  if (id) return std::optional<UserEntry>{};  // numeric, no passwd entry
  return CredentialsError{CredentialsError::Code::unknown_user, 0, key};
}

Result<gid_t, CredentialsError> find_group(std::string_view group) {
  std::string key(group);
  if (std::optional<std::uint32_t> id = parse_id(group)) return gid_t{*id};
  struct group gr{};
  struct group* found = nullptr;
  std::vector<char> buf;
  int rc = lookup(gr, buf, &found, [&](struct group* e, char* b, size_t n, struct group** f) {
    return getgrnam_r(key.c_str(), e, b, n, f);
  });
  if (rc != 0) return CredentialsError{CredentialsError::Code::lookup_failed, rc, key};
  if (!found) return CredentialsError{CredentialsError::Code::unknown_group, 0, key};
  return gr.gr_gid;
}

std::vector<gid_t> group_list(const std::string& user, gid_t gid) {
  int n = 32;
  std::vector<gid_t> groups(static_cast<std::size_t>(n));
  while (getgrouplist(user.c_str(), gid, groups.data(), &n) < 0) {
    groups.resize(static_cast<std::size_t>(n) + 1);  // n now holds the count needed
  }
  groups.resize(static_cast<std::size_t>(n));
  return groups;
}

}  // namespace

Result<Credentials, CredentialsError> resolve_credentials(std::string_view user,
                                                          std::string_view group) {
  Credentials creds;
  std::optional<gid_t> gid;
  if (!group.empty()) {
    auto g = find_group(group);
    if (!g) return g.error();
    gid = g.value();
  }
  if (user.empty()) {
    creds.gid = gid.value_or(getgid());
    creds.groups = {creds.gid};
    return creds;
  }
  auto u = find_user(user);
  if (!u) return u.error();
  creds.switch_user = true;
  if (!u.value()) {  // numeric uid without a passwd entry
    if (!gid) return CredentialsError{CredentialsError::Code::user_needs_group, 0, std::string(user)};
    creds.uid = static_cast<uid_t>(*parse_id(user));
    creds.gid = *gid;
    creds.groups = {*gid};
    return creds;
  }
  const UserEntry& entry = *u.value();
  creds.uid = entry.uid;
  creds.gid = gid.value_or(entry.gid);
  creds.groups = group_list(entry.name, creds.gid);
  return creds;
}

std::string CredentialsError::describe() const {
  switch (code) {
    case Code::unknown_user: return "unknown user " + name;
    case Code::unknown_group: return "unknown group " + name;
    case Code::user_needs_group:
      return "user " + name + " has no passwd entry: set group too";
    case Code::lookup_failed: return "unable to look up " + name + ": " + std::strerror(err);
  }
  return "credentials error";
}

}  // namespace grove::launch
