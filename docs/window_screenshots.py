"""Takes the README's window screenshots: the agent status light in each state, the transcript, the window at its
minimum, default and large sizes, the request log with the 410001046 banner and a row's context menu, and About.

Run under a private X server large enough for the 1600×1000 shot, from the repository root:

    xvfb-run -a -s "-screen 0 1920x1200x24" .venv/bin/python docs/window_screenshots.py docs

It drives the real window (style sheet and all) against the local simulator with private settings folders. The
simulated agent thinks for THINKING_S and speaks for SPEAKING_S after each Stop, so the light is grabbed well
inside each phase; the simulated user stops publishing (the simulator's user state "silent") to get the
410001046 banner. Each window is grabbed with ImageMagick's `import`; the context menu, a window of its own, is
grabbed from the screen. Writes: status-{listening,thinking,speaking,idle}.png, transcript.png,
window-{default,minimum,large}.png, log-default.png, log-context-menu.png, about.png.
Needs: xvfb, imagemagick (import).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
PRIVATE = Path(tempfile.mkdtemp(prefix="ptt-window-screenshots-"))
os.environ.update(PTT_APP_CONFIG_DIR=str(PRIVATE / "config"), PTT_APP_DATA_DIR=str(PRIVATE / "data"),
                  XDG_CONFIG_HOME=str(PRIVATE / "xdg"), QT_QPA_PLATFORM="xcb", PULSE_SERVER="unix:/nonexistent")

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from window_pump import pump_until, settle  # noqa: E402

from ptt_app.api.codes import USER_NOT_PUBLISHING  # noqa: E402
from ptt_app.api.types import Credentials  # noqa: E402
from ptt_app.gui.app import make_application  # noqa: E402
from ptt_app.gui.main_window import MainWindow  # noqa: E402
from ptt_app.gui.talk_look import LookKind  # noqa: E402
from ptt_app.session.runtime import ConsoleOptions  # noqa: E402
from ptt_app.sim import AgentApiSimulator, SimConfig  # noqa: E402
from ptt_app.store.paths import settings_path  # noqa: E402
from ptt_app.store.settings import AppSettings, ProfileSettings, SettingsStore  # noqa: E402
from ptt_app.talk.status_poller import AgentStatus  # noqa: E402
from support.fake_credentials import FixedCredentialStore  # noqa: E402

# Long enough that a light polled about once a second is grabbed well inside each phase.
THINKING_S = 3.0
SPEAKING_S = 4.0
PROFILE = "dispatch"
USER, ROOM, AGENT = "operator-7", "dispatch-room", "support-desk"
RTC = {"RoomId": ROOM, "AgentStreamId": "support-desk-stream", "AgentUserId": "support-desk-agent",
       "UserStreamId": "operator-7-stream"}
SAID = "The shuttle to the airport leaves at nine from gate B."
TYPED = "Please repeat the gate number."
DEFAULT_SIZE, MINIMUM_SIZE, LARGE_SIZE = (1060, 700), (720, 520), (1600, 1000)


def grab(widget: QWidget, path: Path, height: int | None = None, after_s: float = 0.4) -> None:
    """The widget's X window, or its top `height` pixels."""
    settle(after_s)
    crop = ["-crop", f"{widget.width()}x{height}+0+0", "+repage"] if height else []
    subprocess.run(["import", "-window", str(int(widget.winId())), *crop, str(path)], check=True)
    print(f"wrote {path}")


def grab_screen_over(widget: QWidget, path: Path, after_s: float = 0.4) -> None:
    """The screen where the widget is, popups over it included (a menu is an X window of its own)."""
    settle(after_s)
    corner = widget.mapToGlobal(QPoint(0, 0))
    box = f"{widget.width()}x{widget.height()}+{corner.x()}+{corner.y()}"
    subprocess.run(["import", "-window", "root", "-crop", box, "+repage", str(path)], check=True)
    print(f"wrote {path}")


def clear_focus() -> None:
    """No focus frame in the shot (the tab bar keeps the focus after the Transcript tab was shown)."""
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()


def resize(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    pump_until(lambda: (window.width(), window.height()) == size)


def light_is(window: MainWindow, status: AgentStatus) -> Callable[[], bool]:
    return lambda: window.agent.light.status is status


def shown(window: MainWindow, kind: LookKind) -> Callable[[], bool]:
    return lambda: window.talk.look.kind is kind


def status_light_shots(window: MainWindow, out: Path) -> None:
    """One turn: the light Listening while the button is held, then Thinking, Speaking and Idle (Round 1)."""
    controls = window.agent.controls
    height = controls.mapTo(window, QPoint(0, controls.height())).y() + 4  # the talk area and the light's row
    window.press("screenshot")
    pump_until(light_is(window, AgentStatus.LISTENING))
    grab(window, out / "status-listening.png", height)
    window.release("screenshot")
    for status in (AgentStatus.THINKING, AgentStatus.SPEAKING, AgentStatus.IDLE):
        pump_until(light_is(window, status), timeout=THINKING_S + SPEAKING_S + 5)
        grab(window, out / f"status-{status.value.lower()}.png", height, after_s=0.2)


def transcript_shot(window: MainWindow, out: Path) -> None:
    """The Transcript tab after a said sentence and another turn, with a sentence typed in the Say box."""
    pane = window.agent.transcript
    pane.say_field.setText(SAID)
    pane.say_button.click()
    pump_until(lambda: SAID in pane.view.toPlainText(), timeout=SPEAKING_S + 5)
    pump_until(light_is(window, AgentStatus.IDLE), timeout=SPEAKING_S + 5)
    talk_turn(window)
    pump_until(lambda: len(pane.messages) == 5, timeout=THINKING_S + SPEAKING_S + 5)
    pump_until(light_is(window, AgentStatus.IDLE), timeout=SPEAKING_S + 5)
    window.tabs.setCurrentWidget(pane)
    pane.say_field.setText(TYPED)
    pane.say_field.setFocus()
    grab(window, out / "transcript.png")
    pane.say_field.clear()
    window.tabs.setCurrentIndex(0)
    clear_focus()


def talk_turn(window: MainWindow, hold_s: float = 0.6) -> None:
    window.press("screenshot")
    pump_until(shown(window, LookKind.LISTENING))
    settle(hold_s)
    window.release("screenshot")
    pump_until(shown(window, LookKind.IDLE))


def size_shots(window: MainWindow, out: Path) -> None:
    """The idle window at its minimum, default and large sizes."""
    for name, size in (("minimum", MINIMUM_SIZE), ("large", LARGE_SIZE), ("default", DEFAULT_SIZE)):
        resize(window, size)
        grab(window, out / f"window-{name}.png")


def banner_and_log_shots(window: MainWindow, simulator: AgentApiSimulator, instance: str, out: Path) -> None:
    """The user stops publishing: a press gets 410001046, the banner and a failed row; then that row's menu."""
    simulator.set_user_state("silent", instance)
    window.press("screenshot")
    pump_until(window.agent.banner.isVisible)
    window.release("screenshot")
    pump_until(lambda: window.talk.look.kind in (LookKind.IDLE, LookKind.ERROR) and not window.talk.is_held())
    grab(window, out / "log-default.png")
    model = window.log_model
    failed = next(row for row in range(model.rowCount()) if model.entry_at(row).code == USER_NOT_PUBLISHING)
    menu = window.log_view.show_context_menu_at(failed)
    pump_until(menu.isVisible)
    grab_screen_over(window, out / "log-context-menu.png")
    menu.close()


def about_shot(window: MainWindow, out: Path) -> None:
    box = window.help.show_about()
    pump_until(box.isVisible)
    grab(box, out / "about.png")
    box.close()


def open_window(simulator: AgentApiSimulator, credentials: Credentials) -> tuple[MainWindow, str]:
    """The real window on a walkie-talkie instance of the simulator, with the default talk key settings."""
    instance = simulator.create_instance(agent_id=AGENT, user_id=USER, rtc=RTC)
    profile = ProfileSettings(endpoint=simulator.base_url, agent_instance_id=instance, user_id=USER, agent_id=AGENT,
                              rtc_room_id=ROOM, agent_stream_id=RTC["AgentStreamId"],
                              agent_user_id=RTC["AgentUserId"], user_stream_id=RTC["UserStreamId"])
    SettingsStore(settings_path()).save(AppSettings(active_profile=PROFILE, profiles={PROFILE: profile}))
    make_application()
    window = MainWindow(ConsoleOptions(), credential_store=FixedCredentialStore(credentials))
    window.remember_geometry = False
    window.resize(*DEFAULT_SIZE)
    window.move(0, 0)
    window.show()
    window.activateWindow()
    pump_until(lambda: window.talk_button.isEnabled() and window.agent.light.status is AgentStatus.IDLE)
    return window, instance


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    credentials = Credentials(987654321, secrets.token_hex(16))
    simulator = AgentApiSimulator(SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret,
                                            thinking_s=THINKING_S, speaking_s=SPEAKING_S))
    simulator.start()
    try:
        window, instance = open_window(simulator, credentials)
        status_light_shots(window, out)
        transcript_shot(window, out)
        size_shots(window, out)
        banner_and_log_shots(window, simulator, instance, out)
        about_shot(window, out)
        window.close()
        pump_until(lambda: window._drained)
    finally:
        simulator.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs").resolve())
