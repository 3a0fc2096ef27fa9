# s6: s6-svscan over a scan directory, one s6-supervise per probe, ./run a
# symlink to the probe (no shell), readiness through a notification-fd file
# (the probe writes a newline to fd 3 before announcing itself).
peer_check() {
  command -v s6-svscan >/dev/null && command -v s6-supervise >/dev/null && return 0
  echo "s6-svscan not installed (Debian package: s6)"
  return 1
}

peer_setup() {
  local dir=$1 count=$2 probe=$3 socket=$4 i
  for ((i = 0; i < count; i++)); do
    mkdir -p "$dir/scan/p$i"
    ln -s "$probe" "$dir/scan/p$i/run"
    echo 3 >"$dir/scan/p$i/notification-fd"
  done
  export PROBE_SOCKET=$socket PROBE_READY_FD=3
  # -c: s6-svscan supervises at most 500 services unless told otherwise.
  PEER_CMD=(s6-svscan -c "$((count + 16))" "$dir/scan")
}
