# runit: runsvdir over a service directory, one runsv per probe, ./run a
# symlink to the probe (no shell).
peer_check() {
  command -v runsvdir >/dev/null && command -v runsv >/dev/null && return 0
  echo "runsvdir not installed (Debian package: runit)"
  return 1
}

. "$(dirname "${BASH_SOURCE[0]}")/service_dir.sh"

peer_setup() {
  make_service_dir "$@"
  PEER_CMD=(runsvdir "$1/service")
}
