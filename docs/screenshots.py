"""Takes the README's talk-state screenshots: every state, the mini window, and the hotkey settings.

Run under a private X server, from the repository root:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots.py docs

It drives the real window (style sheet and all) against the local simulator with private settings folders,
holds each state with a simulator fault (a delayed answer, a 502), and grabs each window with ImageMagick's
`import`. It then writes states-colour-check.png: the state shots as seen with deuteranopia, protanopia and
in greyscale (Viénot/Brettel-style colour matrices), to check the states stay apart without colour.
Needs: xvfb, imagemagick (import, convert, montage).
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
PRIVATE = Path(tempfile.mkdtemp(prefix="ptt-screenshots-"))
os.environ.update(PTT_APP_CONFIG_DIR=str(PRIVATE / "config"), PTT_APP_DATA_DIR=str(PRIVATE / "data"),
                  XDG_CONFIG_HOME=str(PRIVATE / "xdg"), QT_QPA_PLATFORM="xcb")

from PySide6.QtCore import QPoint  # noqa: E402
from window_pump import pump_until, settle  # noqa: E402

from ptt_app.api.types import Credentials  # noqa: E402
from ptt_app.gui.app import make_application  # noqa: E402
from ptt_app.gui.main_window import MainWindow  # noqa: E402
from ptt_app.gui.settings_dialog import SettingsDialog  # noqa: E402
from ptt_app.gui.talk_look import LookKind  # noqa: E402
from ptt_app.session.runtime import ConsoleOptions  # noqa: E402
from ptt_app.sim import AgentApiSimulator, Fault, FaultKind, SimConfig  # noqa: E402
from ptt_app.store.paths import settings_path  # noqa: E402
from ptt_app.store.settings import AppSettings, ProfileSettings, SettingsStore  # noqa: E402
from ptt_app.talk.gesture import GestureSettings  # noqa: E402
from ptt_app.talk.status_poller import AgentStatus  # noqa: E402
from support.fake_credentials import FixedCredentialStore  # noqa: E402
from support.pulse_server import missing_pulseaudio, running_pulseaudio  # noqa: E402

START, STOP = "StartListening", "StopListening"
# Colour-blindness simulations as sRGB colour matrices (a common approximation, good enough to compare states).
SIMULATIONS = {
    "deuteranopia": "0.625 0.375 0 0.7 0.3 0 0 0.3 0.7",
    "protanopia": "0.567 0.433 0 0.558 0.442 0 0 0.242 0.758",
}
STATE_SHOTS = ("idle", "starting", "listening", "locked", "stopping", "error")


def grab(widget, path: Path, after_s: float = 0.4) -> None:
    settle(after_s)
    subprocess.run(["import", "-window", str(int(widget.winId())), str(path)], check=True)
    print(f"wrote {path}")


def talk_area(window: MainWindow) -> str:
    """The crop geometry of the talk area and the agent light's row, below the menu bar."""
    controls = window.agent.controls
    top = window.menuBar().height()
    bottom = controls.mapTo(window, QPoint(0, controls.height())).y() + 4
    return f"{window.width()}x{bottom - top}+0+{top}"


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(16)
    credentials = Credentials(987654321, secret)
    simulator = AgentApiSimulator(SimConfig(app_id=credentials.app_id, server_secret=secret))
    simulator.start()
    instance = simulator.create_instance(agent_id="demo-agent", user_id="operator-1")
    profile = ProfileSettings(endpoint=simulator.base_url, agent_instance_id=instance, user_id="operator-1",
                              hold_key="F13", hotkey_scope="global")
    SettingsStore(settings_path()).save(AppSettings(profiles={"default": profile}))
    make_application()
    window = MainWindow(ConsoleOptions(), credential_store=FixedCredentialStore(credentials))
    window.remember_geometry = False
    window.resize(1060, 700)  # the size the window first opens at
    window.move(0, 0)
    window.show()
    talk = window.talk
    pump_until(lambda: window.talk_button.isEnabled() and talk.hotkey.status.active)
    shown = lambda kind: lambda: talk.look.kind is kind  # noqa: E731
    crop = talk_area(window)

    grab(window, out / "states-idle.png")
    simulator.add_fault(Fault(FaultKind.DELAY, action=START, seconds=2.0, times=1))
    talk.press("button")
    pump_until(shown(LookKind.STARTING))
    grab(window, out / "states-starting.png")
    pump_until(shown(LookKind.LISTENING))
    grab(window, out / "states-listening.png")
    # Answered before the engine would resend it (0.5 s), so no outdated answer of the first Stop comes in later.
    simulator.add_fault(Fault(FaultKind.DELAY, action=STOP, seconds=0.45, times=1))
    talk.release("button")
    pump_until(shown(LookKind.STOPPING))
    grab(window, out / "states-stopping.png", after_s=0.1)
    pump_until(shown(LookKind.IDLE))

    talk.gesture.configure(GestureSettings(latch_enabled=True))
    for _ in range(2):
        talk.press("hotkey")
        talk.release("hotkey")
    pump_until(shown(LookKind.LOCKED))
    grab(window, out / "states-locked.png")
    talk.mini_window_action.setChecked(True)
    talk.mini_window.move(640, 720)  # below the main window, fully on the 1280x800 screen
    grab(talk.mini_window, out / "mini-window.png")
    talk.press("hotkey")
    talk.release("hotkey")
    pump_until(shown(LookKind.IDLE))

    simulator.add_fault(Fault(FaultKind.HTTP_502_HTML, action=START, times=5))
    talk.press("button")
    pump_until(shown(LookKind.ERROR))
    # The Stop before this press was confirmed: wait for the agent light to show it thinking, not listening.
    pump_until(lambda: window.agent.light.status is not AgentStatus.LISTENING)
    grab(window, out / "states-error.png")
    talk.release("button")
    pump_until(lambda: talk.look.kind in (LookKind.IDLE, LookKind.ERROR) and not talk.is_held())
    simulator.clear_faults()

    dialog = SettingsDialog(AppSettings(profiles={"default": dataclasses.replace(profile)}), "default", True, window)
    dialog.tabs.setCurrentIndex(dialog._tab_of["hold_key"])
    dialog.move(40, 40)
    dialog.show()
    dialog.key_field.setFocus()
    grab(dialog, out / "settings-hotkey.png")
    dialog.close()

    window.close()
    pump_until(lambda: window._drained, 15)
    simulator.stop()
    colour_check(out, crop)


def colour_check(out: Path, crop_box: str) -> None:
    """One picture: the state shots in a row, as seen normally, with deuteranopia, protanopia, in greyscale."""
    work = Path(tempfile.mkdtemp(prefix="ptt-colour-check-"))
    crops = []
    for name in STATE_SHOTS:
        # The talk area only: the request log below it is the same in every state.
        crop = work / f"{name}.png"
        subprocess.run(["convert", str(out / f"states-{name}.png"), "-crop", crop_box, "+repage",
                        "-resize", "40%", str(crop)], check=True)
        crops.append(str(crop))
    row = work / "row.png"
    subprocess.run(["montage", *crops, "-tile", f"{len(crops)}x1", "-geometry", "+4+4", str(row)], check=True)
    seen = []
    for label, transform in (("normal", []), *((name, ["-color-matrix", matrix]) for name, matrix in SIMULATIONS.items()),
                             ("greyscale", ["-colorspace", "Gray", "-colorspace", "sRGB"])):
        shown = work / f"{label}.png"
        subprocess.run(["convert", str(row), *transform, "-gravity", "west", "-splice", "110x0",
                        "-font", "DejaVu-Sans", "-pointsize", "16", "-annotate", "+6+0", label, str(shown)], check=True)
        seen.append(str(shown))
    subprocess.run(["convert", *seen, "-append", str(out / "states-colour-check.png")], check=True)
    print(f"wrote {out / 'states-colour-check.png'}")


def with_sound_server(out: Path) -> None:
    """Run main() with a private sound server when pulseaudio is installed, so the cues are live as on a desktop."""
    if missing_pulseaudio():
        main(out)
        return
    with running_pulseaudio() as pulse:
        os.environ["PULSE_SERVER"] = pulse.address
        main(out)


if __name__ == "__main__":
    with_sound_server(Path(sys.argv[1] if len(sys.argv) > 1 else "docs").resolve())
