"""Takes the README's language and theme screenshots: the window in Simplified Chinese, on a dark palette and on
a high-contrast one, talking to the local simulator (the agent listening, the request log with its rows).

Run under a private X server, from the repository root, once per shot (the language is chosen at start):

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/looks_screenshots.py zh_CN light docs/window-zh_CN.png
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/looks_screenshots.py en dark docs/window-dark.png
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/looks_screenshots.py en high-contrast \\
        docs/window-high-contrast.png

Needs: xvfb, imagemagick (import), a CJK font (fonts-wqy-microhei or fonts-noto-cjk) for zh_CN.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
PRIVATE = Path(tempfile.mkdtemp(prefix="ptt-looks-"))
os.environ.update(PTT_APP_CONFIG_DIR=str(PRIVATE / "config"), PTT_APP_DATA_DIR=str(PRIVATE / "data"),
                  XDG_CONFIG_HOME=str(PRIVATE / "xdg"), QT_QPA_PLATFORM="xcb", PULSE_SERVER="unix:/nonexistent")

from window_pump import pump_until, settle  # noqa: E402

from ptt_app.api.types import Credentials  # noqa: E402
from ptt_app.gui.app import make_application  # noqa: E402
from ptt_app.gui.theme import Theme, ThemeWatcher  # noqa: E402
from ptt_app.sim import AgentApiSimulator, SimConfig  # noqa: E402
from ptt_app.store.paths import settings_path  # noqa: E402
from ptt_app.store.settings import AppSettings, ProfileSettings, SettingsStore  # noqa: E402
from support.fake_credentials import FixedCredentialStore  # noqa: E402


def main(language: str, theme: str, out: Path) -> None:
    credentials = Credentials(987654321, secrets.token_hex(16))
    simulator = AgentApiSimulator(SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret))
    simulator.start()
    try:
        instance = simulator.create_instance(agent_id="support-desk", user_id="operator-7")
        profile = ProfileSettings(endpoint=simulator.base_url, agent_instance_id=instance, user_id="operator-7",
                                  agent_id="support-desk", rtc_room_id="room-1", agent_stream_id="agent-stream",
                                  agent_user_id="agent-1", user_stream_id="user-stream")
        SettingsStore(settings_path()).save(AppSettings(active_profile="default", profiles={"default": profile},
                                                        language=language))
        app = make_application()
        watcher = ThemeWatcher(app)
        watcher.apply(Theme(theme))
        from ptt_app.gui.main_window import MainWindow
        from ptt_app.session.runtime import ConsoleOptions

        window = MainWindow(ConsoleOptions(), credential_store=FixedCredentialStore(credentials))
        window.remember_geometry = False
        window.resize(1060, 700)
        window.show()
        window.instance_dock.show()
        pump_until(window.talk_button.isEnabled)
        for _ in range(2):
            window.press("screenshot")
            pump_until(lambda: window.talk.look.style_state == "Listening")
            window.release("screenshot")
            pump_until(lambda: window.talk.look.style_state == "Idle")
        window.press("screenshot")
        pump_until(lambda: window.talk.look.style_state == "Listening")
        settle()
        subprocess.run(["import", "-window", str(int(window.winId())), str(out)], check=True)
        print(f"wrote {out}")
        window.release("screenshot")
        window.close()
        pump_until(lambda: window._drained, timeout=15)
    finally:
        simulator.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
