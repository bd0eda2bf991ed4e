"""A logout, `kill` or Ctrl+C quits the window the way its Quit menu does: the held talk is released and its
StopListening answered before the process ends (the real `run_window`, on the embedded demo, offscreen)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from ptt_app.store.journal import JournalReader
from ptt_app.store.paths import journal_path

# Runs the window as `ptt-app --demo` does; a timer holds the talk (as the global hotkey would) and says when the
# server confirmed Listening.
_HOLD_THEN_WAIT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ptt_app.gui.app import run_window
from ptt_app.gui.main_window import MainWindow
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.talk.intents import TalkState

app = QApplication(sys.argv[:1])
held = []

def hold() -> None:
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    if not windows or windows[0].talk.controller is None or not windows[0].talk_button.isEnabled():
        return
    window = windows[0]
    if not held:
        held.append("pressed")
        window.press("hotkey")
    elif len(held) == 1 and window.talk.controller.state is TalkState.LISTENING:
        held.append("listening")
        print("listening", flush=True)

timer = QTimer()
timer.timeout.connect(hold)
timer.start(20)
sys.exit(run_window(ConsoleOptions(demo=True)))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda n: signal.Signals(n).name)
def test_a_quit_signal_while_talking_stops_the_agent_before_the_process_ends(number) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([sys.executable, "-c", _HOLD_THEN_WAIT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "listening", process.stderr.read() if process.stderr else ""
        process.send_signal(number)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    with JournalReader(journal_path()) as reader:
        rows = [row for row in reversed(reader.recent(10)) if row.action.endswith("Listening")]
    assert [(row.action, row.outcome) for row in rows] == [("StartListening", "ok"), ("StopListening", "ok")]
