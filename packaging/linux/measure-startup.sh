#!/usr/bin/env bash
# Median seconds from launching BINARY --demo to its window being shown, on a private Xvfb.
# Usage: measure-startup.sh BINARY [RUNS]
set -euo pipefail
binary=$1
runs=${2:-5}
measure_once() {
  local home start pid elapsed
  home=$(mktemp -d)
  start=$(date +%s.%N)
  PTT_APP_CONFIG_DIR=$home/config PTT_APP_DATA_DIR=$home/data XDG_CONFIG_HOME=$home/xdg "$binary" --demo >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 1000); do
    if xdotool search --onlyvisible --name "PTT Console" >/dev/null 2>&1; then
      elapsed=$(echo "$(date +%s.%N) - $start" | bc)
      break
    fi
    sleep 0.01
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$home"
  echo "${elapsed:-99}"
}
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
measure_once >/dev/null  # warm the page cache, as a second launch of an installed app would be
for _ in $(seq 1 "$runs"); do measure_once; done | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]}'
