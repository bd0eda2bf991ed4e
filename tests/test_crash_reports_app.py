"""The real `ptt-app` window ending badly: the next start names what happened, with the stack when there is one."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Runs the real launcher (the window on the demo, offscreen) and does one bad thing once the session is up.
# Only this driver misbehaves: the app's own code, crash handling included, is what ships.
DRIVER = """
import ctypes, os, sys
from PySide6.QtCore import QObject, QTimer, Slot
from ptt_app import launcher
from ptt_app.gui import main_window

how = sys.argv[1]


class Driver(QObject):
    \"\"\"Lives on the GUI thread beside the window; acts once the session is up.\"\"\"

    @Slot(object)
    def ready(self, info):
        print("ready", flush=True)
        window = self.parent()
        if how == "slot":
            QTimer.singleShot(300, window.close)
            raise RuntimeError("a slot failed on purpose")
        if how == "segfault":
            QTimer.singleShot(100, lambda: ctypes.string_at(0))
        if how == "abort":
            QTimer.singleShot(100, os.abort)
        if how == "quit":
            QTimer.singleShot(300, window.close)


original_init = main_window.MainWindow.__init__

def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    self.driver = Driver(self)
    self.worker.session_ready.connect(self.driver.ready)

main_window.MainWindow.__init__ = init
sys.exit(launcher.main(["--demo"]))
"""


def run_driver(how: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", DRIVER, how], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def next_start_notice() -> str:
    """What the next start of ptt-app says on stderr about the run before it."""
    done = subprocess.run([sys.executable, "-m", "ptt_app", "log", "--last", "1"], capture_output=True, text=True,
                          timeout=60)
    return done.stderr


def named_report(notice: str) -> Path:
    match = re.search(r"report: (\S+)", notice)
    assert match, notice
    return Path(match.group(1))


def test_an_exception_in_a_slot_is_reported_and_the_next_start_names_the_report() -> None:
    done = run_driver("slot")
    assert done.returncode == 0, done.stderr
    assert "internal error in thread MainThread" in done.stderr
    notice = next_start_notice()
    assert "The last session had an internal error; report: " in notice
    report = named_report(notice).read_text()
    assert "RuntimeError: a slot failed on purpose" in report and "in ready" in report
    assert "The last session" not in next_start_notice(), "a report is named once"


@pytest.mark.parametrize(("how", "signal_name"), [("segfault", "Segmentation fault"), ("abort", "Aborted")])
def test_a_fatal_signal_leaves_a_report_with_the_stack(how: str, signal_name: str) -> None:
    done = run_driver(how)
    assert done.returncode < 0, done.stderr
    notice = next_start_notice()
    assert "The last session ended unexpectedly; report: " in notice
    report = named_report(notice).read_text()
    assert signal_name in report and "File " in report, report[:2000]


def test_a_window_killed_with_sigkill_is_noticed_as_an_unclean_end() -> None:
    window = subprocess.Popen([sys.executable, "-c", DRIVER, "wait"], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert window.stdout.readline().strip() == "ready"
        os.kill(window.pid, signal.SIGKILL)
        window.wait(10)
    finally:
        window.stdout.close()
        if window.poll() is None:
            window.kill()
    assert "The last session ended unexpectedly (it was killed or the machine stopped" in next_start_notice()


def test_a_window_that_quits_normally_leaves_nothing_to_say() -> None:
    started = time.monotonic()
    assert run_driver("quit").returncode == 0
    assert "The last session" not in next_start_notice()
    assert time.monotonic() - started < 60
