// credentials.hpp — a child's `user` / `group` keys as the ids to switch to.
//
//   auto creds = resolve_credentials("nobody", "");      // or "65534", "www-data"
//   if (!creds) report(creds.error().describe());         // "unknown user nobdy"
//   request.credentials = creds.value();                   // spawn switches
//
// Rules (those of su/runuser and systemd's User=/Group=):
// - user given: uid and primary gid from the passwd entry; supplementary
//   groups from getgrouplist(name, gid). A numeric user without a passwd
//   entry is allowed when a group is given too (groups = {gid}).
// - group given: overrides the primary gid; by name (group database) or
//   numeric. Group alone (no user) switches only the gid and sets the
//   supplementary groups to {gid}.
// - neither: do not call; the child keeps groved's ids.
// Contract: NSS lookups may block (LDAP, sssd): call it while preparing a
// spawn, never between fork and exec. Switching needs root; a non-root
// groved gets EPERM from the child's "set user" stage.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "result.hpp"

namespace grove::launch {

struct Credentials {
  bool switch_user = false;  // false: only the gid (and groups) change
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, for setgroups
};

struct CredentialsError {
  enum class Code { unknown_user, unknown_group, lookup_failed, user_needs_group };
  Code code;
  int err = 0;          // errno of the failed lookup (lookup_failed)
  std::string name;     // the user or group as written
  std::string describe() const;  // e.g. "unknown user nobdy"
};

Result<Credentials, CredentialsError> resolve_credentials(std::string_view user,
                                                          std::string_view group);

}  // namespace grove::launch
