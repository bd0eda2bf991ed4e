"""One version, pyproject.toml's: the package, the command line and the AppStream release all say it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import tomllib

import ptt_app

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / "packaging" / "release_version.py"
METAINFO = "resources/io.github.ptt_app.PttApp.metainfo.xml"


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_package_version_comes_from_the_installed_metadata_of_pyproject() -> None:
    # A mismatch here means the environment was installed from an older pyproject: pip install -e . again.
    assert ptt_app.__version__ == pyproject_version()


def test_version_option_prints_the_pyproject_version() -> None:
    done = subprocess.run([sys.executable, "-m", "ptt_app", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ptt-app {pyproject_version()}"


def test_release_checker_prints_the_version_when_appstream_agrees() -> None:
    done = subprocess.run([sys.executable, str(CHECKER)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == pyproject_version()


def copy_of_version_sources(tmp_path: Path) -> Path:
    (tmp_path / "resources").mkdir()
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(ROOT / METAINFO, tmp_path / METAINFO)
    return tmp_path


def test_release_checker_refuses_a_version_bump_without_an_appstream_release(tmp_path: Path) -> None:
    root = copy_of_version_sources(tmp_path)
    pyproject = root / "pyproject.toml"
    current = pyproject_version()
    pyproject.write_text(pyproject.read_text().replace(f'version = "{current}"', 'version = "99.1.0"', 1))
    done = subprocess.run([sys.executable, str(CHECKER), str(root)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert "99.1.0" in done.stderr and f"names {current} as the newest <release>" in done.stderr


def test_every_installer_recipe_reads_the_version_through_the_checker() -> None:
    for recipe in ("packaging/linux/build-deb.sh", "packaging/windows/build.ps1", "packaging/macos/build-dmg.sh"):
        assert "packaging/release_version.py" in (ROOT / recipe).read_text().replace("\\", "/"), recipe
    # The bundle gets the package metadata that __version__ is read from.
    assert 'copy_metadata("ptt-app")' in (ROOT / "packaging/ptt-app.spec").read_text()
