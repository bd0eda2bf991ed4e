#!/usr/bin/env bash
# Builds "dist/PTT Console.app" (the spec's BUNDLE) and dist/ptt-app-<version>.dmg on macOS.
# NOT RUNNABLE ON THE PROJECT'S LINUX MACHINES, and so never run by CI: it needs a Mac with Python 3.11+
# and the Xcode command-line tools (hdiutil; codesign, notarytool and stapler for a signed release).
# The .icns is made by the spec itself (packaging/make_icons.py, Qt's SVG renderer), so neither
# iconutil nor ImageMagick is needed. To look at it on a Mac: iconutil -c iconset build/icons/ptt-app.icns
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "build-dmg: $*" >&2; exit 1; }
[ "$(uname -s)" = Darwin ] || fail "this builds the macOS .dmg and runs only on macOS"
command -v hdiutil >/dev/null || fail "hdiutil not found (Xcode command-line tools: xcode-select --install)"

PY=${PYTHON:-python3}
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])') \
  || fail "cannot read the version from pyproject.toml (Python 3.11+ needed)"
APP="dist/PTT Console.app"
DMG="dist/ptt-app-$VERSION.dmg"

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q -e '.[packaging]' || fail "pip install failed"
rm -rf "$APP" dist/ptt-app build/ptt-app
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/ptt-app.spec \
  || fail "PyInstaller failed"
[ -d "$APP" ] || fail "PyInstaller did not produce $APP"
plutil -lint "$APP/Contents/Info.plist" >/dev/null || fail "Info.plist of $APP is invalid"

# Signing and notarisation (a Developer ID is needed to run on other Macs without a Gatekeeper
# warning). The identity and the notary profile come from the environment, never from this file:
#   export MACOS_SIGN_IDENTITY="Developer ID Application: Example Ltd (TEAMID)"
#   export MACOS_NOTARY_PROFILE=ptt-app-notary   # made once: xcrun notarytool store-credentials
# Sign inside-out with the hardened runtime (PyInstaller's bundle has no nested .app, so --deep
# reaches every Mach-O in Contents/), then verify:
#   codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$APP"
#   codesign --verify --strict --deep --verbose=2 "$APP"
# If the keychain backend or cryptography fails under the hardened runtime, add an entitlements
# file with com.apple.security.cs.allow-unsigned-executable-memory and pass --entitlements FILE.

rm -f "$DMG"
hdiutil create -volname "PTT Console $VERSION" -srcfolder "$APP" -ov -format UDZO "$DMG" \
  || fail "hdiutil create failed"

# Notarise the signed .dmg and staple the ticket so it opens offline:
#   codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
#   xcrun notarytool submit "$DMG" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
#   xcrun stapler staple "$DMG"
#   spctl --assess --type open --context context:primary-signature --verbose "$DMG"
echo "built $DMG ($(du -h "$DMG" | cut -f1))"
