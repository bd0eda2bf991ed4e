#!/usr/bin/env bash
# Makes DIR a virtual environment holding exactly the locked packages of packaging/requirements-lock.txt
# (versions and sha256 hashes, wheels only), which is what a release bundle is built from:
#   bash packaging/linux/release-venv.sh build/release-venv
#   PYTHON=build/release-venv/bin/python bash packaging/linux/build-deb.sh
# The bundle also carries the Python that runs this (CPython 3.11; CI: the machine's python3) and the
# build machine's libraries (Debian 12), which the lock cannot pin: packaging/README.md says which.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: release-venv.sh DIR" >&2; exit 2; }
cd "$(dirname "$0")/../.."
PY=${PYTHON3:-python3}
rm -rf "$1"
"$PY" -m venv "$1"
"$1/bin/python" -m pip install -qq --disable-pip-version-check --require-hashes --only-binary :all: \
  -r packaging/requirements-lock.txt
# The lock must hold every dependency pyproject.toml declares, in a version it accepts: pip check says
# what is missing or out of range once the app itself is installed beside the locked packages.
"$1/bin/python" -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation .
if ! "$1/bin/python" -m pip check --disable-pip-version-check >&2; then
  echo "release-venv: packaging/requirements-lock.txt does not satisfy pyproject.toml (above); regenerate it" \
       "(packaging/README.md, 'Lock file')" >&2
  exit 1
fi
echo "release-venv: $1 holds the locked packages for $("$1/bin/python" -c 'import platform; print("CPython", platform.python_version())')"
