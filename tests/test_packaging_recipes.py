"""Desktop integration files, icons and installer recipes (no PyInstaller build needed; ~1 s)."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.ptt_app.PttApp"
ICONS = ("ptt-app.svg", "tray-idle.svg", "tray-listening.svg", "tray-error.svg")


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    return path


def load(relative: str):
    spec = importlib.util.spec_from_file_location(Path(relative).stem, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_desktop_entry_validates() -> None:
    done = subprocess.run([require("desktop-file-validate"), str(ROOT / f"resources/{APP_ID}.desktop")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout


def test_appstream_metainfo_validates() -> None:
    done = subprocess.run(
        [require("appstreamcli"), "validate", "--no-net", "--pedantic", str(ROOT / f"resources/{APP_ID}.metainfo.xml")],
        capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_desktop_file_name_matches_what_the_app_announces() -> None:
    # Wayland compositors and GNOME match the running window to its .desktop file (and so to its icon)
    # by this name; a mismatch shows a generic icon in the dock.
    app_source = (ROOT / "ptt_app/gui/app.py").read_text()
    assert f'setDesktopFileName("{APP_ID}")' in app_source
    assert f"Icon={APP_ID}" in (ROOT / f"resources/{APP_ID}.desktop").read_text()
    assert f"<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>" in (
        ROOT / f"resources/{APP_ID}.metainfo.xml").read_text()


def test_every_recipe_takes_the_version_from_pyproject() -> None:
    for recipe in ("packaging/ptt-app.spec", "packaging/linux/build-deb.sh", "packaging/windows/build.ps1",
                   "packaging/macos/build-dmg.sh"):
        assert "pyproject.toml" in (ROOT / recipe).read_text(), recipe


@pytest.mark.parametrize("name", ICONS)
def test_icon_renders_with_qt_at_16_px(name: str, qapp) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    text = (ROOT / "resources" / name).read_text()
    # Text would depend on the fonts of the machine drawing it (and is illegible at 16 px).
    assert "<text" not in text
    renderer = QSvgRenderer(str(ROOT / "resources" / name))
    assert renderer.isValid()
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    opaque = sum(1 for y in range(16) for x in range(16) if image.pixelColor(x, y).alpha() > 200)
    assert opaque >= 30, f"{name} draws almost nothing at 16 px ({opaque} opaque pixels)"


def test_make_icons_writes_ico_and_icns_windows_and_macos_accept(tmp_path: Path, qapp) -> None:
    make_icons = load("packaging/make_icons.py")
    assert make_icons.main([str(ROOT / "resources/ptt-app.svg"), str(tmp_path), "--png", "256"]) == 0

    ico = (tmp_path / "ptt-app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    for index, size in enumerate(make_icons.ICO_SIZES):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * index)
        assert (width or 256, height or 256, planes, bits) == (size, size, 1, 32)
        data = ico[offset:offset + length]
        assert len(data) == length
        if size >= 256:
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
        else:  # BITMAPINFOHEADER, height doubled for the mask, then pixels and a 1-bit mask
            assert struct.unpack_from("<IiiHH", data) == (40, size, 2 * size, 1, 32)
            assert length == 40 + size * size * 4 + (size + 31) // 32 * 4 * size

    icns = (tmp_path / "ptt-app.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack_from(">I", icns, 4)[0] == len(icns)
    found, at = [], 8
    while at < len(icns):
        kind, length = icns[at:at + 4].decode(), struct.unpack_from(">I", icns, at + 4)[0]
        assert icns[at + 8:at + 16] == b"\x89PNG\r\n\x1a\n"
        found.append(kind)
        at += length
    assert at == len(icns)
    assert {"ic07", "ic08", "ic09", "ic10"} <= set(found)  # 128, 256, 512 and 512@2x, which Finder uses

    # The same input gives the same bytes: the .deb's reproducibility depends on it.
    first = (tmp_path / "ptt-app-256.png").read_bytes()
    make_icons.main([str(ROOT / "resources/ptt-app.svg"), str(tmp_path / "again"), "--png", "256"])
    assert (tmp_path / "again" / "ptt-app-256.png").read_bytes() == first


OBJDUMP_P = """
Dynamic Section:
  NEEDED               libEGL.so.1
  NEEDED               libQt6Core.so.6
  NEEDED               libc.so.6
  RUNPATH              $ORIGIN

Version References:
  required from libc.so.6:
    0x06969196 0x00 31 GLIBC_2.16
    0x069691b4 0x00 16 GLIBC_2.34
  required from libQt6Core.so.6:
    0x058a2810 0x00 05 Qt_6
"""


def test_deb_depends_reads_needed_libraries_and_symbol_versions() -> None:
    deb_depends = load("packaging/linux/deb_depends.py")
    assert deb_depends.parse_needed(OBJDUMP_P) == ["libEGL.so.1", "libQt6Core.so.6", "libc.so.6"]
    assert deb_depends.parse_version_refs(OBJDUMP_P) == {
        "libc.so.6": {"GLIBC_2.16", "GLIBC_2.34"}, "libQt6Core.so.6": {"Qt_6"}}
    ldd = ("\tlinux-vdso.so.1 (0x00007ffd)\n"
           "\tlibEGL.so.1 => /lib/x86_64-linux-gnu/libEGL.so.1 (0x00007f01)\n"
           "\tlibfoo.so.3 => not found\n"
           "\t/lib64/ld-linux-x86-64.so.2 (0x00007f02)\n")
    assert deb_depends.parse_ldd(ldd) == {
        "libEGL.so.1": "/lib/x86_64-linux-gnu/libEGL.so.1", "libfoo.so.3": None,
        "ld-linux-x86-64.so.2": "/lib64/ld-linux-x86-64.so.2"}


def test_deb_depends_takes_the_version_that_introduced_the_newest_tag() -> None:
    require("dpkg")
    deb_depends = load("packaging/linux/deb_depends.py")
    symbols = ("libc.so.6 libc6 #MINVER#\n"
               " GLIBC_2.16@GLIBC_2.16 2.16\n"
               " GLIBC_2.34@GLIBC_2.34 2.34\n"
               " GLIBC_2.36@GLIBC_2.36 2.36\n"
               " memcpy@GLIBC_2.14 2.14\n"
               " strlcpy@GLIBC_2.38 2.38~pre1\n")
    assert deb_depends.min_version_for_tags(symbols, {"GLIBC_2.16", "GLIBC_2.34"}) == "2.34"
    assert deb_depends.min_version_for_tags(symbols, {"GLIBC_2.14"}) == "2.14"  # no TAG@TAG line
    assert deb_depends.min_version_for_tags(symbols, {"GLIBC_2.38", "GLIBC_2.36"}) == "2.38~pre1"
    assert deb_depends.min_version_for_tags(symbols, {"Qt_6"}) is None


def test_spec_keeps_the_svg_plugins_and_drops_the_unused_qt_modules() -> None:
    spec = (ROOT / "packaging/ptt-app.spec").read_text()
    # The icons are SVG: without these two plugins every icon is blank in the bundle.
    assert 'KEEP_IMAGEFORMATS = ("qsvg",)' in spec
    for module in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtNetwork", "PySide6.QtPdf", "tkinter"):
        assert f'"{module}"' in spec, module
