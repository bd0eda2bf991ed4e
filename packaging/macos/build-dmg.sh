#!/usr/bin/env bash
# Builds "dist/PTT Console.app" (the spec's BUNDLE) and dist/ptt-app-<version>-<arch>.dmg on macOS: the
# app for the architecture of the Python that runs PyInstaller (arm64 or x86_64; universal2 only from a
# universal2 Python with universal2 wheels), for macOS 13 or newer (what the pinned Qt 6.11 needs).
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
# pyproject.toml's version, checked against the AppStream <release> the other installers ship.
VERSION=$("$PY" packaging/release_version.py) || fail "no consistent release version (Python 3.11+ needed; above)"
APP="dist/PTT Console.app"
MIN_MACOS=13.0

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q -e '.[packaging]' || fail "pip install failed"
rm -rf "$APP" dist/ptt-app build/ptt-app
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/ptt-app.spec \
  || fail "PyInstaller failed"
[ -d "$APP" ] || fail "PyInstaller did not produce $APP"
PLIST="$APP/Contents/Info.plist"
plutil -lint "$PLIST" >/dev/null || fail "Info.plist of $APP is invalid"
bundle_id=$(plutil -extract CFBundleIdentifier raw "$PLIST")
[[ "$bundle_id" =~ ^[A-Za-z0-9.-]+$ ]] || fail "bundle identifier '$bundle_id' has characters Apple does not allow (only A-Z a-z 0-9 - .)"
[ "$(plutil -extract LSMinimumSystemVersion raw "$PLIST")" = "$MIN_MACOS" ] || fail "LSMinimumSystemVersion is not $MIN_MACOS"
# Which machines it runs on: the architectures of the main program (and so of the bundled Python).
archs=$(lipo -archs "$APP/Contents/MacOS/ptt-app") || fail "lipo cannot read $APP/Contents/MacOS/ptt-app"
case "$archs" in
  "arm64") ARCH=arm64 ;;
  "x86_64") ARCH=x86_64 ;;
  *arm64*x86_64*|*x86_64*arm64*) ARCH=universal2 ;;
  *) fail "unexpected architectures '$archs'" ;;
esac
echo "built $APP for $ARCH ($archs), macOS $MIN_MACOS or newer, bundle id $bundle_id"
DMG="dist/ptt-app-$VERSION-$ARCH.dmg"

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

# The disk image shows the app beside a link to /Applications, so that operators install it by dragging
# one onto the other rather than running it from the image.
STAGE=build/dmg
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
ditto "$APP" "$STAGE/PTT Console.app"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "PTT Console $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG" \
  || fail "hdiutil create failed"

# Notarise the signed .dmg and staple the ticket so it opens offline:
#   codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
#   xcrun notarytool submit "$DMG" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
#   xcrun stapler staple "$DMG"
#   spctl --assess --type open --context context:primary-signature --verbose "$DMG"
echo "built $DMG ($(du -h "$DMG" | cut -f1)) for $ARCH, macOS $MIN_MACOS or newer"
