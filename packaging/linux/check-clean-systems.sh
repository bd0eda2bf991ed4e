#!/usr/bin/env bash
# CI check that the .deb installs and runs where nothing else was installed first: for each suite,
# mmdebstrap builds a minimal Debian system (apt and the essential packages only), the .deb is
# installed into it with apt, without Recommends, and clean-system-checks.sh runs inside it (links,
# fonts, the smoke test offscreen and under Xvfb as an ordinary user, the start-up time).
#   Usage (as root): check-clean-systems.sh [PATH.deb]        (default: the one dist/ptt-app_*.deb)
#   PTT_CLEAN_SUITES   suites to test (default "bookworm trixie": Debian 12 and 13)
#   PTT_CI_CACHE       cache folder (default /var/cache/ptt-app-ci), see below
# Needs: mmdebstrap (apt-get install mmdebstrap; this script installs it when missing), network
# access to the Debian archive, ~1.5 GB free in /tmp.
#
# Cached between runs, both safe to reuse: each suite's base system as a tarball named by suite and UTC
# day (rebuilt once a day, so it never lags the archive by more than a day), and the packages apt
# downloaded for each suite (apt checks every cached file against the suite's signed index before
# using it, and `apt-get autoclean` drops the versions the archive no longer has before it is saved).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SUITES=${PTT_CLEAN_SUITES:-bookworm trixie}
CACHE=${PTT_CI_CACHE:-/var/cache/ptt-app-ci}
fail() { echo "check-clean-systems: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (mmdebstrap --mode=root mounts /proc and /dev in the new systems)"
if ! command -v mmdebstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null \
    || fail "mmdebstrap is not installed and apt-get install mmdebstrap failed"
fi

if [ $# -ge 1 ]; then
  deb=$1
else
  shopt -s nullglob
  debs=(dist/ptt-app_*.deb)
  shopt -u nullglob
  [ ${#debs[@]} -eq 1 ] || fail "expected exactly one dist/ptt-app_*.deb, found ${#debs[@]} (run packaging/linux/build-deb.sh, or pass the .deb)"
  deb=${debs[0]}
fi
[ -f "$deb" ] || fail "$deb does not exist"
deb=$(realpath "$deb")
case "$deb" in *[[:space:]]*) fail "mmdebstrap's copy-in cannot take a path with spaces: $deb" ;; esac

mkdir -p "$CACHE"
today=$(date -u +%Y%m%d)
summary=()

# The base system of a suite for today, built when the cache has none.
base_system() {
  local suite=$1 base="$CACHE/base-$1-$today.tar" archives="$CACHE/apt-$1"
  if [ ! -s "$base" ]; then
    rm -rf "$CACHE/base-$suite-"*.tar "$base.part"
    mkdir -p "$archives"
    echo "== [$suite] base system (mmdebstrap --variant=apt), cached as $(basename "$base")" >&2
    timeout 900 mmdebstrap --quiet --mode=root --variant=apt --format=tar --skip=essential/unlink \
      --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
      --setup-hook="sync-in $archives /var/cache/apt/archives/" \
      --customize-hook="sync-out /var/cache/apt/archives $archives" \
      "$suite" "$base.part" >&2 || { rm -rf "$base.part"; fail "mmdebstrap could not build a $suite system"; }
    mv "$base.part" "$base"
  fi
  echo "$base"
}

# The base system unpacked, the .deb and the checks copied in, clean-system-checks.sh run inside; the
# system is thrown away afterwards (TARGET /dev/null).
check_suite() {
  local suite=$1 base archives="$CACHE/apt-$1" fresh="$CACHE/apt-$1.new"
  base=$(base_system "$suite")
  rm -rf "$fresh"
  mkdir -p "$archives" "$fresh"
  timeout 900 mmdebstrap --quiet --mode=root --variant=custom --skip=cleanup/reproducible \
    --setup-hook="mmtarfilter '--path-exclude=/dev/*' < '$base' | tar -C \"\$1\" -x" \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/ "$1"/tmp/ptt-checks' \
    --setup-hook="sync-in $archives /var/cache/apt/archives/" \
    --customize-hook="copy-in $deb $ROOT/packaging/linux/clean-system-checks.sh $ROOT/packaging/linux/run-in-xvfb.sh $ROOT/packaging/linux/measure-startup.sh /tmp/ptt-checks" \
    --customize-hook="chroot \"\$1\" bash /tmp/ptt-checks/clean-system-checks.sh /tmp/ptt-checks/$(basename "$deb")" \
    --customize-hook='chroot "$1" apt-get autoclean -qq' \
    --customize-hook="sync-out /var/cache/apt/archives $fresh" \
    '' /dev/null
  # Only a run that got this far replaces the package cache, with what this run's system held.
  rm -rf "$archives"
  mv "$fresh" "$archives"
}

for suite in $SUITES; do
  started=$(date +%s)
  log=$(mktemp)
  # Not `check_suite || ...`: bash ignores set -e inside anything run on the left of || or &&.
  set +e
  (set -e; check_suite "$suite") 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  elapsed=$(( $(date +%s) - started ))
  startup=$(sed -n 's/^start-up: \(.*\) s$/\1/p' "$log" | tail -1)
  rm -f "$log"
  [ "$status" -eq 0 ] || fail "the .deb failed in a clean $suite system (above)"
  summary+=("$(printf '%-10s passed in %4d s; installed start-up %s s' "$suite" "$elapsed" "${startup:-n/a}")")
done
echo "== clean systems"
printf '%s\n' "${summary[@]}"
