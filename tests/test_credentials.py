"""Credentials live only in a secure system keyring; every problem is a typed error with a hint."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import keyring.errors
import pytest
from keyring.backends import fail

from ptt_app.api.types import Credentials
from ptt_app.store.credentials import (
    CredentialsMissing,
    InvalidCredential,
    KeyringCredentialStore,
    KeyringLocked,
    KeyringUnavailable,
    check_server_secret,
    parse_app_id,
)


@pytest.fixture
def profile(real_keyring) -> str:
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    KeyringCredentialStore().clear(name)


def test_credentials_round_trip_through_the_system_keyring(profile, credentials) -> None:
    store = KeyringCredentialStore()
    store.save(profile, credentials)
    assert store.load(profile) == credentials


def test_clear_removes_both_entries(profile, credentials) -> None:
    store = KeyringCredentialStore()
    store.save(profile, credentials)
    assert store.clear(profile) is True
    assert not store.exists(profile)


def test_missing_profile_raises_credentials_missing_with_a_hint(profile) -> None:
    with pytest.raises(CredentialsMissing) as raised:
        KeyringCredentialStore().load(profile)
    assert "credentials set" in str(raised.value)


def test_invalid_secret_is_refused_and_the_saved_one_kept(profile, credentials) -> None:
    store = KeyringCredentialStore()
    store.save(profile, credentials)
    with pytest.raises(InvalidCredential):
        store.save(profile, Credentials(credentials.app_id, "short"))
    assert store.load(profile) == credentials


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("-5", "whole number"),
        ("abc", "whole number"),
        ("0", "from 1"),
        ("4294967296", "from 1"),
        ("12.5", "whole number"),
    ],
)
def test_bad_app_id_is_named_and_explained(text, words) -> None:
    with pytest.raises(InvalidCredential) as raised:
        parse_app_id(text)
    assert raised.value.field == "AppId" and words in str(raised.value)


@pytest.mark.parametrize("pasted", ["Ab3dEf7hIj1lMn5pQr9tUv2xYz4bCd6f", "Ab3dEf7hIj1lMn5pQr9tUv2x", "ab3def7h-1"])
def test_an_app_id_that_may_be_a_secret_is_never_repeated_even_in_part(pasted) -> None:
    with pytest.raises(InvalidCredential) as raised:
        parse_app_id(pasted)
    message = str(raised.value)
    assert not any(pasted[start:start + 4] in message for start in range(len(pasted) - 3)), message
    assert ("ServerSecret field" in message) == (len(pasted) == 32)


def test_app_id_accepts_the_whole_uint32_range() -> None:
    assert parse_app_id(" 4294967295 ") == 2**32 - 1


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("", "empty"),
        ("abc123", "32 characters"),
        ("0123456789abcdef 123456789abcdef", "whitespace"),
        ("0123456789abcdef0123456789abcde!", "letters and digits"),
    ],
)
def test_bad_secret_is_named_without_echoing_it(secret, words) -> None:
    with pytest.raises(InvalidCredential) as raised:
        check_server_secret(secret)
    assert raised.value.field == "ServerSecret" and words in str(raised.value)
    if secret:
        assert secret not in str(raised.value)


def test_no_keyring_backend_is_a_clear_error_not_a_plain_text_fallback(credentials) -> None:
    store = KeyringCredentialStore(backend=fail.Keyring())
    with pytest.raises(KeyringUnavailable) as raised:
        store.save("p", credentials)
    assert "plain file" in str(raised.value)


# The stand-in backends below are plain classes on purpose: subclassing KeyringBackend would register
# them with keyring's own backend discovery and change what every other test gets.


class PlaintextKeyring:
    """Stands in for keyrings.alt's file keyring: storing here would write the secret in clear."""

    stored: dict = {}

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        self.stored.pop((service, username), None)


def test_plain_text_keyring_backend_is_refused(credentials) -> None:
    with pytest.raises(KeyringUnavailable):
        KeyringCredentialStore(backend=PlaintextKeyring()).save("p", credentials)
    assert PlaintextKeyring.stored == {}


class LockedKeyring:
    """A Secret Service collection that stays locked (the operator dismissed the unlock prompt)."""

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service, username, password):
        raise keyring.errors.KeyringLocked("locked")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringLocked("locked")


def test_locked_keyring_is_a_clear_error_telling_to_unlock() -> None:
    with pytest.raises(KeyringLocked) as raised:
        KeyringCredentialStore(backend=LockedKeyring()).load("p")
    assert "unlock" in str(raised.value)


class EmptyKeyring(LockedKeyring):
    """A keyring that answers but holds nothing for us."""

    def get_password(self, service, username):
        return None


def test_keyring_returning_nothing_is_credentials_missing() -> None:
    with pytest.raises(CredentialsMissing):
        KeyringCredentialStore(backend=EmptyKeyring()).load("p")


# keyring loads whatever backend PYTHON_KEYRING_BACKEND or keyringrc.cfg names. A name that cannot be
# loaded must end like a missing keyring (exit 3 and a sentence), never with a traceback.

BACKEND_FAILING_AT_INIT = '''
from keyring.backend import KeyringBackend


class Keyring(KeyringBackend):
    priority = 1

    def __init__(self):
        raise OSError("the wallet daemon is not running")

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass
'''


def run_credentials_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    return subprocess.run([sys.executable, "-m", "ptt_app", "credentials", "check"], capture_output=True, text=True,
                          timeout=60, env={**base, **env})


@pytest.fixture
def broken_backend_dir(tmp_path: Path) -> Path:
    """A folder holding `broken_backend.Keyring`, a backend whose constructor raises."""
    folder = tmp_path / "backends"
    folder.mkdir()
    (folder / "broken_backend.py").write_text(BACKEND_FAILING_AT_INIT)
    return folder


def assert_keyring_unavailable_message(done: subprocess.CompletedProcess, setting: str) -> None:
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("ptt-app: ") and done.stderr.count("\n") == 1, done.stderr
    assert setting in done.stderr and "cannot be loaded" in done.stderr and "--demo" in done.stderr


@pytest.mark.parametrize(
    ("backend", "error"),
    [
        ("ptt_no_such_module.Keyring", "ModuleNotFoundError"),
        ("keyring.backends.fail.NoSuchClass", "AttributeError"),
        ("broken_backend.Keyring", "OSError"),
    ],
    ids=["missing module", "bad class", "raises at init"],
)
def test_unloadable_backend_in_the_environment_is_exit_3_with_a_message(backend, error, broken_backend_dir) -> None:
    done = run_credentials_check({"PYTHON_KEYRING_BACKEND": backend, "PYTHONPATH": str(broken_backend_dir)})
    assert_keyring_unavailable_message(done, f"PYTHON_KEYRING_BACKEND={backend!r}")
    assert f"({error})" in done.stderr


@pytest.mark.parametrize(
    ("backend", "error"),
    [("ptt_no_such_module.Keyring", "ModuleNotFoundError"), ("broken_backend.Keyring", "OSError")],
    ids=["missing module", "raises at init"],
)
def test_unloadable_backend_in_keyringrc_cfg_is_exit_3_naming_the_file(backend, error, tmp_path, broken_backend_dir) -> None:
    config_home = tmp_path / "xdg-config"
    (config_home / "python_keyring").mkdir(parents=True)
    rc = config_home / "python_keyring" / "keyringrc.cfg"
    rc.write_text(f"[backend]\ndefault-keyring = {backend}\nkeyring-path = {broken_backend_dir}\n")
    done = run_credentials_check({"XDG_CONFIG_HOME": str(config_home)})
    assert_keyring_unavailable_message(done, str(rc))
    assert f"({error})" in done.stderr


def test_first_window_start_with_an_unloadable_backend_runs_the_demo(qtbot, monkeypatch) -> None:
    import keyring.core

    from ptt_app.gui.main_window import MainWindow
    from ptt_app.session.runtime import ConsoleOptions

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "ptt_no_such_module.Keyring")
    # keyring keeps the backend it found first for the whole process; make it look again.
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    window = MainWindow(ConsoleOptions(), credential_store=KeyringCredentialStore())
    window.show()
    try:
        qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
        assert window.windowTitle() == "PTT Console — built-in demo"
        qtbot.waitUntil(lambda: "PYTHON_KEYRING_BACKEND" in window.message_label.text())
    finally:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)
