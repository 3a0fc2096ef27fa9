# supervisord: one [program:pI] per probe, startsecs=0, autorestart=true,
# everything else at its defaults (stdout/stderr captured to childlogdir,
# loglevel info), run in the foreground with -n; silent=true only stops the
# echo of its log on the console (the log file is written as usual).
peer_check() {
  command -v supervisord >/dev/null && return 0
  echo "supervisord not installed (Debian package: supervisor)"
  return 1
}

peer_setup() {
  local dir=$1 count=$2 probe=$3 socket=$4 i
  # Each program holds a few pipes; supervisord refuses to start when it
  # cannot raise the fd limit to minfds, so ask for what the hard limit allows.
  local hard minfds=$((count * 8 + 1024))
  hard=$(ulimit -Hn)
  [ "$hard" != unlimited ] && [ "$minfds" -gt "$hard" ] && minfds=$hard
  mkdir -p "$dir/logs"
  {
    echo '[supervisord]'
    echo 'nodaemon=true'
    echo 'silent=true'
    echo "logfile=$dir/supervisord.log"
    echo "pidfile=$dir/supervisord.pid"
    echo "childlogdir=$dir/logs"
    echo "minfds=$minfds"
    echo "minprocs=$((count * 2 + 200))"
    for ((i = 0; i < count; i++)); do
      echo "[program:p$i]"
      echo "command=$probe $socket p$i"
      echo 'startsecs=0'
      echo 'autorestart=true'
      echo 'stopsignal=KILL'
    done
  } >"$dir/supervisord.conf"
  PEER_CMD=(supervisord -n -c "$dir/supervisord.conf")
}
