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
ICONS = ("ptt-app.svg", *(f"state-{state}.svg" for state in ("idle", "starting", "listening", "locked", "stopping", "error")))


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


OBJDUMP_T = """
DYNAMIC SYMBOL TABLE:
0000000000000000      DF *UND*\t0000000000000000              FcInit
0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.2.5) free
0000000000000000  w   D  *UND*\t0000000000000000              __gmon_start__
0000000000012340 g    DF .text\t0000000000000042  Base        qt_exported
"""


def test_deb_depends_reads_the_unversioned_symbols_an_elf_imports() -> None:
    deb_depends = load("packaging/linux/deb_depends.py")
    assert deb_depends.parse_unversioned_imports(OBJDUMP_T) == {"FcInit", "__gmon_start__"}


def test_deb_depends_takes_the_version_that_introduced_the_newest_unversioned_symbol() -> None:
    require("dpkg")
    deb_depends = load("packaging/linux/deb_depends.py")
    symbols = ("libfontconfig.so.1 libfontconfig1 #MINVER#\n"
               " FcInit@Base 2.12.6\n"
               " FcWeightFromOpenTypeDouble@Base 2.13.0\n"
               " (optional)FcCacheCreateTagFile@Base 2.9.0\n"
               " FcAnything@Base 0\n")
    assert deb_depends.min_version_for_symbols(symbols, {"FcInit", "FcWeightFromOpenTypeDouble"}) == "2.13.0"
    assert deb_depends.min_version_for_symbols(symbols, {"FcCacheCreateTagFile"}) == "2.9.0"
    # Version 0 means "any version"; symbols of another library are not this package's business.
    assert deb_depends.min_version_for_symbols(symbols, {"FcAnything", "FT_Init_FreeType"}) is None
    assert deb_depends.newest("2.35", None, "2.36~rc1", "2.4") == "2.36~rc1"


def spec_tuple(name: str) -> tuple[str, ...]:
    """The strings of a tuple assigned to NAME at the top level of the PyInstaller spec."""
    import ast

    for node in ast.parse((ROOT / "packaging/ptt-app.spec").read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == name for target in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise AssertionError(f"{name} is not assigned in packaging/ptt-app.spec")


def test_spec_keeps_compose_and_ibus_input_methods_and_drops_only_the_virtual_keyboard() -> None:
    dropped = [part for part in spec_tuple("UNUSED_QT") if "platforminputcontexts" in part]
    assert dropped == ["platforminputcontexts/libqtvirtualkeyboardplugin"]


def test_spec_takes_the_font_stack_expat_and_cxx_runtime_from_the_system() -> None:
    assert set(spec_tuple("SYSTEM_LIBS")) == {"libstdc++.so", "libgcc_s.so", "libfontconfig.so", "libfreetype.so",
                                              "libexpat.so"}


def test_spec_leaves_out_the_keyring_backends_the_bundle_cannot_load() -> None:
    spec = (ROOT / "packaging/ptt-app.spec").read_text()
    assert set(spec_tuple("UNUSABLE_KEYRING_BACKENDS")) == {"keyring.backends.kwallet", "keyring.backends.libsecret"}
    assert '"keyring.backends.kwallet"' not in spec.split("UNUSABLE_KEYRING_BACKENDS =")[0]


def build_deb_value(name: str) -> str:
    """A NAME="..." assignment of build-deb.sh."""
    import re

    match = re.search(rf'^{name}="([^"]*)"$', (ROOT / "packaging/linux/build-deb.sh").read_text(), re.MULTILINE)
    assert match, f"{name} is not set in build-deb.sh"
    return match.group(1)


def test_deb_recommends_secret_service_providers_not_the_kwallet_gui() -> None:
    providers = [choice.strip() for choice in build_deb_value("RECOMMENDS").split("|")]
    assert providers[0] == "gnome-keyring" and "keepassxc" in providers
    assert "kwalletmanager" not in providers


def test_deb_depends_on_fontconfig_a_latin_font_a_cjk_font_and_the_compose_tables() -> None:
    depends = [item.strip() for item in build_deb_value("DATA_DEPENDS").split(",")]
    assert depends == ["fontconfig", "fonts-dejavu-core", "fonts-wqy-microhei | fonts-noto-cjk", "libx11-data"]


def test_recorded_depends_floor_lists_glibc_and_the_data_packages() -> None:
    recorded = [line for line in (ROOT / "packaging/linux/deb-depends.txt").read_text().splitlines()
                if line and not line.startswith("#")]
    assert recorded[0].startswith("libc6 (>= 2.3")
    assert not any(line.startswith(("libexpat1 (>= 2.5", "libc6 (>= 2.36")) for line in recorded)
    assert recorded[-len(build_deb_value("DATA_DEPENDS").split(",")):] == [
        item.strip() for item in build_deb_value("DATA_DEPENDS").split(",")]


def test_deb_installs_the_icon_theme_sizes_from_48_px() -> None:
    script = (ROOT / "packaging/linux/build-deb.sh").read_text()
    assert "ICON_SIZES=(48 64 128 256)" in script
    assert 'install -m 644 resources/ptt-app.svg "$ICONS/scalable/apps/$APP_ID.svg"' in script


def test_ci_writes_its_screenshot_outside_the_tracked_docs() -> None:
    for script in ("packaging/linux/check-installed.sh", "packaging/linux/check-clean-systems.sh", ".ci/run"):
        assert "docs/installed-window.png" not in (ROOT / script).read_text(), script
    assert "build/ci-artifacts" in (ROOT / "packaging/linux/check-installed.sh").read_text()


def test_ci_runs_the_readmes_first_command_as_written_on_fresh_systems() -> None:
    readme = (ROOT / "README.md").read_text()
    first_command = readme.split("```sh\n", 1)[1].split("\n", 1)[0]
    # check-readme-setup.sh takes this line from README.md and swaps only its last step for --smoke-test.
    assert first_command.endswith(" && .venv/bin/ptt-app"), first_command
    assert "bash packaging/linux/check-readme-setup.sh" in (ROOT / ".ci/run").read_text()


def test_lock_file_pins_every_declared_dependency_with_hashes() -> None:
    import tomllib
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = (ROOT / "packaging/requirements-lock.txt").read_text()
    pins: dict[str, str] = {}
    # One requirement per logical line: "name==version ; marker \\" then "--hash=sha256:..." lines.
    for line in lock.replace("\\\n", " ").splitlines():
        if not line or line.lstrip().startswith("#"):
            continue
        requirement, *hashes = line.split("--hash=")
        name, _, version = requirement.split(";")[0].strip().partition("==")
        assert version and hashes, f"not pinned with a hash: {line[:80]}"
        assert all(h.strip().startswith("sha256:") for h in hashes)
        pins[canonicalize_name(name)] = version.strip()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["packaging"]
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is declared in pyproject.toml but not locked (regenerate the lock)"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} violates {text}"


INNO = ROOT / "packaging/windows/ptt-app.iss"


def inno_section(name: str) -> list[str]:
    """The non-comment lines of one [Section] of the Inno Setup script."""
    lines, inside = [], False
    for line in INNO.read_text().splitlines():
        if line.startswith("["):
            inside = line.strip() == f"[{name}]"
        elif inside and line.strip() and not line.lstrip().startswith(";"):
            lines.append(line.strip())
    return lines


def test_windows_setup_refuses_windows_older_than_10_1809() -> None:
    assert "MinVersion=10.0.17763" in inno_section("Setup")


def test_windows_upgrade_removes_the_previous_bundle_first() -> None:
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in inno_section("InstallDelete")


def test_windows_setup_and_uninstaller_are_signed_by_iscc_when_signing() -> None:
    setup = inno_section("Setup")
    start = setup.index("#ifdef Sign")
    assert setup[start:start + 4] == ["#ifdef Sign", "SignTool=signtool", "SignedUninstaller=yes", "#endif"]


def test_windows_build_signs_the_programs_before_compiling_and_verifies_setup_after() -> None:
    script = (ROOT / "packaging/windows/build.ps1").read_text()
    sign_programs = script.index('Invoke-Checked "signtool sign $program"')
    compile_signed = script.index('Invoke-Checked "ISCC (signed)"')
    verify_setup = script.index('Invoke-Checked "signtool verify $setup"')
    assert sign_programs < compile_signed < verify_setup
    assert '"/Ssigntool=' in script and '"/DSign=1"' in script


def test_macos_app_declares_the_macos_13_the_pinned_qt_needs() -> None:
    spec = (ROOT / "packaging/ptt-app.spec").read_text()
    assert '"LSMinimumSystemVersion": "13.0"' in spec
    assert "MIN_MACOS=13.0" in (ROOT / "packaging/macos/build-dmg.sh").read_text()


def test_macos_bundle_identifier_uses_only_characters_apple_allows() -> None:
    import re

    spec = (ROOT / "packaging/ptt-app.spec").read_text()
    bundle_id = re.search(r'^MACOS_BUNDLE_ID = "([^"]+)"$', spec, re.MULTILINE).group(1)
    assert re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", bundle_id)
    assert "bundle_identifier=MACOS_BUNDLE_ID" in spec


def test_macos_disk_image_holds_the_app_beside_an_applications_link() -> None:
    script = (ROOT / "packaging/macos/build-dmg.sh").read_text()
    assert 'ln -s /Applications "$STAGE/Applications"' in script
    assert '-srcfolder "$STAGE"' in script and '-srcfolder "$APP"' not in script


def test_macos_build_says_which_architecture_it_built() -> None:
    script = (ROOT / "packaging/macos/build-dmg.sh").read_text()
    assert 'lipo -archs "$APP/Contents/MacOS/ptt-app"' in script
    assert 'DMG="dist/ptt-app-$VERSION-$ARCH.dmg"' in script
