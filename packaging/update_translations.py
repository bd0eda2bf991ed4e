"""Refresh the window's translations: pyside6-lupdate extracts every marked text into
resources/translations/ptt_app_<language>.ts (translations already there are kept), then pyside6-lrelease
compiles it to the .qm the app loads. Both files are committed: the package is built without a Qt tool step.

    .venv/bin/python packaging/update_translations.py          # after changing texts; then translate the new
                                                                # entries (pyside6-linguist, or an editor) and run again
    .venv/bin/python packaging/update_translations.py --check  # exit 1 if the .ts or the .qm is out of date

Only the Python sources are scanned; line numbers are not recorded, so moving code does not change the .ts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ptt_app"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)
# Where the window's texts are: all of gui/, and the Qt-free modules whose texts the window shows.
SOURCES = (
    "gui",
    "api/codes.py",
    "api/types.py",
    "talk/advice.py",
    "talk/engine.py",
    "store/credentials.py",
    "session/console.py",
    "store/journal.py",
    "store/settings.py",
    "diagnostics/crash_reports.py",
    "hotkeys",
    "cues",
)


def tool(name: str) -> str:
    """A Qt tool shipped with PySide6 (pyside6-lupdate, pyside6-lrelease), next to this Python first."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials in this environment")
    return found


def source_files() -> list[str]:
    """The Python files pyside6-lupdate reads, sorted so the .ts does not depend on the file system's order."""
    files: list[Path] = []
    for entry in SOURCES:
        path = PACKAGE / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [str(file) for file in files]


def catalogue(folder: Path, language: str, suffix: str) -> Path:
    """ptt_app_<language>.ts or .qm in a folder."""
    return folder / f"ptt_app_{language}.{suffix}"


def extract(ts_file: Path) -> None:
    """Update a .ts with every marked text (new ones unfinished, vanished ones dropped)."""
    subprocess.run([tool("pyside6-lupdate"), "-silent", "-locations", "none", "-no-obsolete", *source_files(),
                    "-ts", str(ts_file)], check=True)


def compile_catalogue(ts_file: Path, qm_file: Path) -> None:
    """Compile a .ts to the .qm the app loads."""
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)], check=True)


def unfinished(ts_file: Path) -> list[str]:
    """Source texts of a .ts that have no finished translation."""
    root = ElementTree.parse(ts_file).getroot()
    missing = []
    for message in root.iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") == "unfinished" or not (translation.text or "").strip():
            missing.append(message.findtext("source") or "")
    return missing


def update() -> int:
    """Refresh and compile every language; the number of texts still to translate."""
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    to_translate = 0
    for language in LANGUAGES:
        ts_file = catalogue(TRANSLATIONS, language, "ts")
        extract(ts_file)
        compile_catalogue(ts_file, catalogue(TRANSLATIONS, language, "qm"))
        missing = unfinished(ts_file)
        to_translate += len(missing)
        for text in missing:
            print(f"{language}: not translated yet: {text!r}")
    return to_translate


def check() -> list[str]:
    """What is out of date: a .ts that lacks or keeps texts, a .qm not compiled from its .ts, or untranslated texts."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="ptt-translations-") as scratch:
        for language in LANGUAGES:
            committed_ts = catalogue(TRANSLATIONS, language, "ts")
            fresh_ts = catalogue(Path(scratch), language, "ts")
            shutil.copyfile(committed_ts, fresh_ts)
            extract(fresh_ts)
            if fresh_ts.read_bytes() != committed_ts.read_bytes():
                problems.append(f"{committed_ts.name} is out of date with the sources: run {Path(__file__).name}")
            fresh_qm = catalogue(Path(scratch), language, "qm")
            compile_catalogue(committed_ts, fresh_qm)
            committed_qm = catalogue(TRANSLATIONS, language, "qm")
            if not committed_qm.exists() or fresh_qm.read_bytes() != committed_qm.read_bytes():
                problems.append(f"{committed_qm.name} is not compiled from {committed_ts.name}: run {Path(__file__).name}")
            problems += [f"{language}: not translated: {text!r}" for text in unfinished(fresh_ts)]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the .ts and .qm files are up to date")
    if parser.parse_args().check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    return 1 if update() else 0


if __name__ == "__main__":
    sys.exit(main())
