"""Credentials live only in a secure system keyring; every problem is a typed error with a hint."""

from __future__ import annotations

import uuid

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
