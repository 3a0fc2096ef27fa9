# runit: runsvdir over a service directory, one runsv per probe, ./run a
# symlink to the probe (no shell).
peer_check() {
  command -v runsvdir >/dev/null && command -v runsv >/dev/null && return 0
  echo "runsvdir not installed (Debian package: runit)"
  return 1
}

peer_setup() {
  local dir=$1 count=$2 probe=$3 socket=$4 i
  for ((i = 0; i < count; i++)); do
    mkdir -p "$dir/service/p$i"
    ln -s "$probe" "$dir/service/p$i/run"
  done
  export PROBE_SOCKET=$socket
  PEER_CMD=(runsvdir "$dir/service")
}
