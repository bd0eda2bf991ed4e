"""AppId and ServerSecret of each profile, kept only in the operating system's keyring."""

from __future__ import annotations

import os
import re
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.util import platform_ as keyring_platform

from ptt_app.api.types import Credentials
from ptt_app.translatable import QT_TR_NOOP

KEYRING_SERVICE = "ptt-app (ZEGOCLOUD AI Agent console)"
SERVER_SECRET_LENGTH = 32
MAX_APP_ID = 2**32 - 1
_SECRET_CHARS = re.compile(r"[0-9A-Za-z]+")


class CredentialError(Exception):
    """A credential problem an operator can fix; `hint` says how."""

    hint = ""

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class KeyringUnavailable(CredentialError):
    """No secure keyring backend: the secret is not stored anywhere else instead."""

    hint = (
        "start a Secret Service keyring (gnome-keyring or KWallet) in your desktop session, "
        "or use --demo to try the app without credentials; the secret is never stored in a plain file"
    )


class KeyringMisconfigured(KeyringUnavailable):
    """keyring is told to use a backend (PYTHON_KEYRING_BACKEND or keyringrc.cfg) that cannot be loaded."""

    hint = (
        "correct or remove that setting so that the desktop's Secret Service keyring is used, "
        "or use --demo to try the app without credentials; the secret is never stored in a plain file"
    )


class KeyringLocked(CredentialError):
    """The keyring exists but is locked and was not unlocked."""

    hint = "unlock your login keyring (for example by logging in to the desktop session again) and retry"


class CredentialsMissing(CredentialError):
    """No AppId or ServerSecret saved for this profile."""

    hint = "save them in Settings, or run: ptt-app credentials set --app-id APPID (the secret is read from stdin)"


class InvalidCredential(CredentialError):
    """A credential field has a bad value; `field` names it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def parse_app_id(text: Any) -> int:
    """An AppId as given by an operator: a decimal uint32 above 0."""
    raw = str(text).strip() if text is not None else ""
    if not raw:
        raise InvalidCredential("AppId", QT_TR_NOOP("is empty"))
    if not raw.isdigit():
        # What was typed is never repeated: pasted into the wrong field, it may be the ServerSecret.
        if len(raw) == SERVER_SECRET_LENGTH and _SECRET_CHARS.fullmatch(raw):
            problem = QT_TR_NOOP("must be a whole number from 1 to {limit}; what was given looks like a ServerSecret "
                                 "(32 letters and digits): put that in the ServerSecret field")
        else:
            problem = QT_TR_NOOP("must be a whole number from 1 to {limit}; what was given has other characters "
                                 "than digits (not shown, as it may be a secret)")
        raise InvalidCredential("AppId", problem.format(limit=MAX_APP_ID))
    value = int(raw)
    if not 1 <= value <= MAX_APP_ID:
        problem = QT_TR_NOOP("must be from 1 to {limit} (an unsigned 32-bit number)")
        raise InvalidCredential("AppId", problem.format(limit=MAX_APP_ID))
    return value


def check_server_secret(secret: str) -> str:
    """The ServerSecret unchanged if it has the console's shape; the message never echoes it."""
    if not secret:
        raise InvalidCredential("ServerSecret", QT_TR_NOOP("is empty"))
    if any(ch.isspace() for ch in secret):
        raise InvalidCredential("ServerSecret", QT_TR_NOOP("contains whitespace (copy it again from the ZEGOCLOUD console)"))
    if len(secret) != SERVER_SECRET_LENGTH:
        raise InvalidCredential(
            "ServerSecret", QT_TR_NOOP("must be {length} characters, got {count}").format(
                length=SERVER_SECRET_LENGTH, count=len(secret)
            )
        )
    if not _SECRET_CHARS.fullmatch(secret):
        raise InvalidCredential("ServerSecret", QT_TR_NOOP("must contain only letters and digits"))
    return secret


def secure_backend(backend: KeyringBackend | None = None) -> KeyringBackend:
    """The keyring backend to use, refusing the fail/null backends and plain-text file keyrings."""
    chosen = backend if backend is not None else _configured_backend()
    writer = _writing_backend(chosen)
    if writer is None:
        raise KeyringUnavailable(QT_TR_NOOP("no system keyring is available"))
    name = f"{type(writer).__module__}.{type(writer).__name__}"
    if type(writer).__module__.startswith(("keyring.backends.fail", "keyring.backends.null")):
        raise KeyringUnavailable(QT_TR_NOOP("no system keyring is available"))
    if _is_insecure(writer):
        problem = QT_TR_NOOP("the keyring backend {name} would keep the secret in plain text or nowhere")
        raise KeyringUnavailable(problem.format(name=name))
    return chosen


def _configured_backend() -> KeyringBackend:
    """keyring's own choice, which honours PYTHON_KEYRING_BACKEND and keyringrc.cfg."""
    try:
        return keyring.get_keyring()
    except Exception as error:
        # keyring imports and instantiates the configured class itself, so a typo, a missing module or a
        # backend failing in its constructor surfaces here as any exception type at all.
        raise KeyringMisconfigured(
            QT_TR_NOOP("{setting} names a keyring backend that cannot be loaded ({error})").format(
                setting=_backend_setting(), error=type(error).__name__
            )
        ) from None


def _backend_setting() -> str:
    """Where keyring was told which backend to use, for the operator to fix: the variable or the file."""
    named = os.environ.get("PYTHON_KEYRING_BACKEND")
    if named is not None:
        return f"PYTHON_KEYRING_BACKEND={named!r}"
    return QT_TR_NOOP("the keyring configuration {path}").format(path=keyring_platform.config_root() / "keyringrc.cfg")


def _writing_backend(backend: KeyringBackend) -> KeyringBackend | None:
    # The chainer writes to its first backend that accepts, in priority order.
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        chained = list(backend.backends)
        return chained[0] if chained else None
    return backend


def _is_insecure(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    name = type(backend).__name__.lower()
    return (
        module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt"))
        or "plaintext" in name
        or "null" in name
    )


class KeyringCredentialStore:
    """One AppId entry and one ServerSecret entry per profile, under KEYRING_SERVICE."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._explicit_backend = backend

    def load(self, profile: str) -> Credentials:
        """The profile's credentials, or a typed CredentialError saying what to do."""
        backend = self._backend()
        app_id_text = self._get(backend, _app_id_entry(profile))
        secret = self._get(backend, _secret_entry(profile))
        if not app_id_text or not secret:
            missing = QT_TR_NOOP("AppId and ServerSecret") if not (app_id_text or secret) else (
                "AppId" if not app_id_text else "ServerSecret"
            )
            raise CredentialsMissing(
                QT_TR_NOOP("no {missing} saved in the keyring for profile {profile}").format(
                    missing=missing, profile=repr(profile)
                )
            )
        return Credentials(parse_app_id(app_id_text), secret)

    def exists(self, profile: str) -> bool:
        """True when both entries are saved for the profile."""
        try:
            self.load(profile)
        except CredentialsMissing:
            return False
        return True

    def save(self, profile: str, credentials: Credentials) -> None:
        """Validate, then write both entries; on a failed write the previous entries are restored."""
        parse_app_id(credentials.app_id)
        check_server_secret(credentials.server_secret)
        backend = self._backend()
        previous = {
            entry: self._get(backend, entry) for entry in (_app_id_entry(profile), _secret_entry(profile))
        }
        try:
            self._set(backend, _secret_entry(profile), credentials.server_secret)
            self._set(backend, _app_id_entry(profile), str(credentials.app_id))
        except CredentialError:
            self._restore(backend, previous)
            raise

    def clear(self, profile: str) -> bool:
        """Delete the profile's entries; False when there was nothing to delete."""
        backend = self._backend()
        removed = False
        for entry in (_secret_entry(profile), _app_id_entry(profile)):
            if self._get(backend, entry) is None:
                continue
            try:
                backend.delete_password(KEYRING_SERVICE, entry)
                removed = True
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as error:
                raise _translate(error) from None
        return removed

    def backend_name(self) -> str:
        """The keyring backend in use, for the settings dialog and `credentials check`."""
        backend = _writing_backend(self._backend())
        # keyring names every backend class "Keyring"; its module says which one it is.
        return type(backend).__module__.rsplit(".", 1)[-1] if backend else "none"

    def _backend(self) -> KeyringBackend:
        try:
            return secure_backend(self._explicit_backend)
        except keyring.errors.KeyringError as error:
            raise _translate(error) from None

    @staticmethod
    def _get(backend: KeyringBackend, entry: str) -> str | None:
        try:
            return backend.get_password(KEYRING_SERVICE, entry)
        except keyring.errors.KeyringError as error:
            raise _translate(error) from None
        except Exception as error:  # D-Bus and backend libraries raise their own types
            problem = QT_TR_NOOP("the keyring could not be read: {error}")
            raise KeyringUnavailable(problem.format(error=type(error).__name__)) from None

    @staticmethod
    def _set(backend: KeyringBackend, entry: str, value: str) -> None:
        try:
            backend.set_password(KEYRING_SERVICE, entry, value)
        except keyring.errors.KeyringError as error:
            raise _translate(error) from None
        except Exception as error:
            problem = QT_TR_NOOP("the keyring could not be written: {error}")
            raise KeyringUnavailable(problem.format(error=type(error).__name__)) from None

    def _restore(self, backend: KeyringBackend, previous: dict[str, str | None]) -> None:
        for entry, value in previous.items():
            try:
                if value is None:
                    backend.delete_password(KEYRING_SERVICE, entry)
                else:
                    backend.set_password(KEYRING_SERVICE, entry, value)
            except Exception:  # best effort: the original error is what the operator must see
                pass


def _translate(error: keyring.errors.KeyringError) -> CredentialError:
    # Never include str(error) blindly: some backends echo the value they failed to store.
    if isinstance(error, keyring.errors.KeyringLocked):
        return KeyringLocked(QT_TR_NOOP("the keyring is locked"))
    if isinstance(error, keyring.errors.NoKeyringError):
        return KeyringUnavailable(QT_TR_NOOP("no system keyring is available"))
    if isinstance(error, keyring.errors.InitError):
        return KeyringUnavailable(QT_TR_NOOP("the keyring could not be opened"))
    return KeyringUnavailable(QT_TR_NOOP("the keyring failed: {error}").format(error=type(error).__name__))


def _app_id_entry(profile: str) -> str:
    return f"{profile}/AppId"


def _secret_entry(profile: str) -> str:
    return f"{profile}/ServerSecret"
