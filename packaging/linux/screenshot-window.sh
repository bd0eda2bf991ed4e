#!/usr/bin/env bash
# Screenshots the "PTT Console" window of BINARY --demo on a private Xvfb, with private settings and
# journal folders, and checks that it drew something (more than 16 colours).
#   Usage: screenshot-window.sh BINARY OUT.png
# CI writes build/ci-artifacts/installed-window.png with it (check-installed.sh). The README's picture
# is a deliberate step, never a side effect of CI:
#   bash packaging/linux/screenshot-window.sh /usr/bin/ptt-app docs/installed-window.png
# Needs: xvfb, xdotool, imagemagick (import, identify).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: screenshot-window.sh BINARY OUT.png" >&2; exit 2; }
binary=$1
shot=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "screenshot-window: $*" >&2; exit 1; }
for tool in Xvfb xdotool import identify; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install xvfb xdotool imagemagick)"
done
[ -x "$binary" ] || fail "$binary is not an executable"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$shot")" "$work/home"
rm -f "$shot"
# The window is looked for by its title, as an operator's desktop would show it; the pause after it
# maps lets the first paint and the demo session's first log rows land before the screenshot.
env HOME="$work/home" PTT_APP_CONFIG_DIR="$work/config" PTT_APP_DATA_DIR="$work/data" \
    XDG_CONFIG_HOME="$work/xdg-config" XDG_CACHE_HOME="$work/xdg-cache" \
  bash "$here/run-in-xvfb.sh" bash -c '
    "$1" --demo >"$3" 2>&1 &
    pid=$!
    shown=0
    for _ in $(seq 1 300); do
      if xdotool search --onlyvisible --name "PTT Console" >/dev/null 2>&1; then shown=1; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    [ "$shown" -eq 1 ] && sleep 1.5 && import -window root "$2"
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    [ "$shown" -eq 1 ]' _ "$binary" "$shot" "$work/window.log" \
  || { tail -5 "$work/window.log" >&2; fail "$binary --demo showed no 'PTT Console' window within 15 s"; }
[ -s "$shot" ] || fail "no screenshot was written to $shot"
colours=$(identify -format %k "$shot")
[ "$colours" -gt 16 ] || fail "screenshot $shot has $colours colours: the window did not draw"
echo "screenshot $shot: $(identify -format '%wx%h' "$shot"), $colours colours"
