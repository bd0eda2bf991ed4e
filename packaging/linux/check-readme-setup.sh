#!/usr/bin/env bash
# CI check that the README's first command (set up and open the app) works on a fresh machine: for
# each suite, mmdebstrap builds a minimal Debian system (apt and the essential packages, plus xvfb and
# dbus to run it), the repository's tracked files are copied in, and the command is run as README.md
# has it, with one change: its last step, `.venv/bin/ptt-app`, runs as `--smoke-test` under xvfb-run, so
# the window opens on the demo, talks once and quits.
#   Usage (as root): check-readme-setup.sh
#   PTT_CLEAN_SUITES   suites to test (default "bookworm trixie": Debian 12 and 13)
# Needs: mmdebstrap, git, network access to the Debian archive and to PyPI.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUITES=${PTT_CLEAN_SUITES:-bookworm trixie}
fail() { echo "check-readme-setup: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (mmdebstrap --mode=root)"
command -v mmdebstrap >/dev/null || fail "mmdebstrap is not installed"

# The first shell block of README.md is the set-up command; it must end by opening the app.
setup=$(sed -n '/^```sh$/{n;p;q}' README.md)
case "$setup" in
  *" && .venv/bin/ptt-app") ;;
  *) fail "README.md's first command does not end with '&& .venv/bin/ptt-app': $setup" ;;
esac
smoke="${setup% .venv/bin/ptt-app} xvfb-run -a timeout 120 .venv/bin/ptt-app --smoke-test"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git ls-files -z | tar -cf "$work/src.tar" --null -T - --transform 's,^,src/,'
printf 'set -e\ncd /src\n%s\n' "$smoke" >"$work/setup.sh"
# Where this machine reaches PyPI through a proxy with its own certificate authority (PIP_CERT or
# SSL_CERT_FILE name its bundle), the new system trusts that bundle too; a real fresh machine needs none.
ca_bundle=${PIP_CERT:-${SSL_CERT_FILE:-}}
if [ -n "$ca_bundle" ] && [ -f "$ca_bundle" ]; then cp "$ca_bundle" "$work/ca.pem"; else : >"$work/ca.pem"; fi

for suite in $SUITES; do
  echo "== README set-up command in a fresh $suite"
  started=$SECONDS
  log="$work/$suite.log"
  if ! mmdebstrap --variant=apt --mode=root --include=xvfb,xauth,dbus "$suite" /dev/null \
      --customize-hook="tar -C \"\$1\" -xf $work/src.tar" \
      --customize-hook="cp $work/setup.sh $work/ca.pem \"\$1/tmp/\"" \
      --customize-hook='ca=""; [ -s "$1/tmp/ca.pem" ] && ca="PIP_CERT=/tmp/ca.pem SSL_CERT_FILE=/tmp/ca.pem";
        chroot "$1" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
          LANG=C.UTF-8 $ca sh /tmp/setup.sh' >"$log" 2>&1; then
    tail -40 "$log" >&2
    fail "the README's first command failed in a fresh $suite"
  fi
  grep -E '^(window:|StartListening|StopListening) ' "$log" || fail "no smoke-test output in $suite"
  [ "$(grep -cE '^(StartListening|StopListening) .*Code=0 ' "$log")" -eq 2 ] || fail "the smoke test did not talk in $suite"
  echo "$suite: README set-up command and the demo window passed in $((SECONDS - started)) s"
done
