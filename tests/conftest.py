"""Test setup: offscreen Qt, private per-test folders, and the real simulator on loopback."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt: no display is needed, and Qt would abort without one.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# QSettings (window geometry) must never touch the developer's real ~/.config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="ptt-test-xdg-config-")
atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], True)
# Sound cues are on by default: windows opened by tests must not play them on a developer's desktop (the cue
# tests start their own sound server).
os.environ.setdefault("PULSE_SERVER", "unix:/nonexistent/ptt-test")

import keyring
import pytest

from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import Credentials
from ptt_app.sim import AgentApiSimulator, SimConfig
from ptt_app.store.credentials import KeyringUnavailable, secure_backend
from support.fake_credentials import FixedCredentialStore

TEST_APP_ID = 987654321


@pytest.fixture(autouse=True)
def private_app_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config and data folders: settings and journal never leak between tests."""
    monkeypatch.setenv("PTT_APP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PTT_APP_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def server_secret() -> str:
    """A fresh 32-character ServerSecret, so any leak is traceable to one test."""
    return secrets.token_hex(16)


@pytest.fixture
def credentials(server_secret: str) -> Credentials:
    """Credentials the simulator accepts."""
    return Credentials(TEST_APP_ID, server_secret)


@pytest.fixture
def simulator(credentials: Credentials) -> Iterator[AgentApiSimulator]:
    """The local AI Agent API simulator on a free loopback port."""
    sim = AgentApiSimulator(SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret))
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def instance_id(simulator: AgentApiSimulator) -> str:
    """A walkie-talkie agent instance that exists on the simulator."""
    return simulator.create_instance(agent_id="test-agent", user_id="test-user")


@pytest.fixture
def client(simulator: AgentApiSimulator, credentials: Credentials) -> Iterator[AgentApiClient]:
    """A client signed for the simulator, with short timeouts."""
    api = AgentApiClient(credentials, simulator.base_url, connect_timeout_s=1.0, read_timeout_s=1.0)
    try:
        yield api
    finally:
        api.close()


def save_profile(**fields):
    """Save the default profile with these fields changed from the defaults."""
    import dataclasses

    from ptt_app.store.paths import settings_path
    from ptt_app.store.settings import AppSettings, ProfileSettings, SettingsStore

    profile = dataclasses.replace(ProfileSettings(), **fields)
    SettingsStore(settings_path()).save(AppSettings(active_profile="default", profiles={"default": profile}))
    return profile


@pytest.fixture
def open_window(qtbot, simulator, credentials, instance_id):
    """Opens operator windows on the test simulator's instance; closes (and drains) them afterwards."""
    from ptt_app.gui.main_window import MainWindow
    from ptt_app.session.runtime import ConsoleOptions

    windows: list = []

    def open_(creds: Credentials | None = None, wait_ready: bool = True, **profile_fields):
        fields = dict(endpoint=simulator.base_url, agent_instance_id=instance_id, user_id="test-user",
                      read_timeout_s=6.0, connect_timeout_s=1.0)
        fields.update(profile_fields)
        save_profile(**fields)
        window = MainWindow(ConsoleOptions(), credential_store=FixedCredentialStore(creds or credentials))
        windows.append(window)
        window.show()
        window.activateWindow()
        if wait_ready:
            qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
        return window

    yield open_
    for window in windows:
        if not window._drained:
            window.close()
            qtbot.waitUntil(lambda window=window: window._drained, timeout=15000)


def real_keyring_or_skip() -> None:
    """Skip unless a secure system keyring works; with PTT_REQUIRE_KEYRING=1 (CI) its absence fails."""
    try:
        secure_backend()
        keyring.get_password("ptt-app-test-probe", "probe")
    except (KeyringUnavailable, keyring.errors.KeyringError) as error:
        if os.environ.get("PTT_REQUIRE_KEYRING") == "1":
            pytest.fail(f"PTT_REQUIRE_KEYRING=1 but no usable keyring: {error}")
        pytest.skip(f"no usable Secret Service keyring here ({error}); the README test command provides one")


@pytest.fixture
def real_keyring() -> None:
    """Tests that must talk to a real Secret Service keyring."""
    real_keyring_or_skip()


@pytest.fixture
def themes(qapp) -> Iterator[ThemeWatcher]:  # noqa: F821 (Qt is imported only by the tests that use it)
    """The app's theme watcher for one test; the palette and style sheet are put back afterwards."""
    from ptt_app.gui.theme import ThemeWatcher

    palette, sheet = qapp.palette(), qapp.styleSheet()
    watcher = ThemeWatcher(qapp)
    yield watcher
    watcher.deleteLater()
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
