# grove: groved over COUNT permanent probes, brutal_kill, an intensity no
# benchmark reaches. Needs groved in BENCH_BUILD (bin/groved, where the
# build puts it, or supervisor/groved).
groved_binary() {
  local candidate
  for candidate in "$BENCH_BUILD/bin/groved" "$BENCH_BUILD/supervisor/groved"; do
    [ -f "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

peer_check() {
  groved_binary >/dev/null && return 0
  echo "groved not built yet (looked for $BENCH_BUILD/bin/groved)"
  return 1
}

peer_setup() {
  local dir=$1 count=$2 probe=$3 socket=$4 i
  {
    echo 'name = "bench"'
    echo "control = \"$dir/bench.sock\""
    echo '[supervisor]'
    echo 'strategy = "one_for_one"'
    echo 'intensity = 1000000'
    echo 'period = "1s"'
    for ((i = 0; i < count; i++)); do
      echo '[[children]]'
      echo "name = \"p$i\""
      echo "command = [\"$probe\", \"$socket\", \"p$i\"]"
      echo 'restart = "permanent"'
      echo 'shutdown = "brutal_kill"'
    done
  } >"$dir/grove.toml"
  PEER_CMD=("$(groved_binary)" "$dir/grove.toml")
}
