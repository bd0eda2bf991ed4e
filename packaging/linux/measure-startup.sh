#!/usr/bin/env bash
# Prints the median seconds from launching BINARY --demo to its "PTT Console" window being shown
# (mapped and viewable), on a private Xvfb. The app prints nothing on show, so it is timed from outside.
#   Usage: measure-startup.sh BINARY [RUNS]       (default 5 runs, after one warm-up run)
# Needs: xvfb, xdotool.
set -euo pipefail
binary=$1
runs=${2:-5}
TITLE="PTT Console"
TIMEOUT_MS=15000
fail() { echo "measure-startup: $*" >&2; exit 1; }
[ -x "$binary" ] || fail "$binary is not an executable"
command -v xdotool >/dev/null || fail "xdotool is not installed"

if [ -z "${PTT_MEASURE_IN_XVFB:-}" ]; then
  # Always a private screen, even under a desktop: the figure must not depend on a compositor.
  PTT_MEASURE_IN_XVFB=1 exec bash "$(dirname "$0")/run-in-xvfb.sh" bash "$0" "$@"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One launch: milliseconds until the window is viewable. Polled every 10 ms rather than with
# `xdotool search --sync`, which re-checks only every half second and would round the figure up.
measure_once() {
  local home start pid now elapsed=""
  home=$(mktemp -d)
  start=$(date +%s%N)
  HOME=$home PTT_APP_CONFIG_DIR=$home/config PTT_APP_DATA_DIR=$home/data XDG_CONFIG_HOME=$home/xdg \
    "$binary" --demo >/dev/null 2>"$log" &
  pid=$!
  while :; do
    now=$(date +%s%N)
    if xdotool search --onlyvisible --name "$TITLE" >/dev/null 2>&1; then
      elapsed=$(( (now - start) / 1000000 ))
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null || [ $(( (now - start) / 1000000 )) -gt "$TIMEOUT_MS" ]; then break; fi
    sleep 0.01
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$home"
  [ -n "$elapsed" ] || fail "no '$TITLE' window within $((TIMEOUT_MS / 1000)) s or the app exited: $(tail -n 3 "$log" | tr '\n' ' ')"
  echo "$elapsed"
}

# A warm page cache, as an operator's second and later launches have; the first launch after install
# reads ~125 MB from disk and is slower on a cold cache.
measure_once >/dev/null
times=()
for _ in $(seq 1 "$runs"); do times+=("$(measure_once)"); done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f\n", a[int((NR + 1) / 2)] / 1000 }'
