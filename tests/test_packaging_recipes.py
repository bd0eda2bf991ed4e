"""Desktop integration files and installer recipes agree with the app (no build needed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.ptt_app.PttApp"


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    return path


def test_desktop_entry_validates() -> None:
    done = subprocess.run([require("desktop-file-validate"), str(ROOT / f"resources/{APP_ID}.desktop")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout


def test_appstream_metainfo_validates() -> None:
    done = subprocess.run([require("appstreamcli"), "validate", "--no-net", str(ROOT / f"resources/{APP_ID}.metainfo.xml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_desktop_file_name_matches_what_the_app_announces() -> None:
    app_source = (ROOT / "ptt_app/gui/app.py").read_text()
    assert f'setDesktopFileName("{APP_ID}")' in app_source
    assert f"Icon={APP_ID}" in (ROOT / f"resources/{APP_ID}.desktop").read_text()


def test_every_recipe_takes_the_version_from_pyproject() -> None:
    for recipe in ("packaging/ptt-app.spec", "packaging/linux/build-deb.sh", "packaging/windows/build.ps1",
                   "packaging/macos/build-dmg.sh"):
        assert "pyproject.toml" in (ROOT / recipe).read_text(), recipe
