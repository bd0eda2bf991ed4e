"""Non-secret settings per profile, validated on load and on save; a bad file is kept aside, never lost."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ptt_app.paths import ensure_private_dir

FILE_VERSION = 1
DEFAULT_ENDPOINT = "https://aigc-aiagent-api.zegotech.cn"
PROFILE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,32}")
HOLD_KEYS = frozenset(
    [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    + [str(d) for d in range(10)]
    + [f"F{n}" for n in range(1, 25)]
    + ["Space", "Return", "Enter", "Tab", "Backspace", "Insert", "Home", "End", "PgUp", "PgDown", "Pause",
       "ScrollLock", "CapsLock"]
)


@dataclass(frozen=True)
class ProfileSettings:
    """Everything about a profile except its credentials."""

    endpoint: str = DEFAULT_ENDPOINT
    agent_instance_id: str = ""
    user_id: str = ""
    agent_id: str = ""
    rtc_room_id: str = ""
    agent_stream_id: str = ""
    user_stream_id: str = ""
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 5.0
    hold_key: str = "Space"
    max_hold_s: float = 60.0
    # The numeric CommunicationMode of walkie-talkie is unconfirmed: a setting, not a literal.
    walkie_talkie_mode: int = 2
    interrupt_mode: int = 1
    max_in_flight: int = 3


@dataclass(frozen=True)
class AppSettings:
    """All profiles and which one is active."""

    active_profile: str = "default"
    profiles: dict[str, ProfileSettings] = field(default_factory=lambda: {"default": ProfileSettings()})

    def profile(self, name: str | None = None) -> ProfileSettings:
        """A profile's settings (defaults for a profile not saved yet)."""
        return self.profiles.get(name or self.active_profile, ProfileSettings())

    def with_profile(self, name: str, profile: ProfileSettings) -> "AppSettings":
        """A copy with one profile added or replaced."""
        return dataclasses.replace(self, profiles={**self.profiles, name: profile})


@dataclass(frozen=True)
class FieldProblem:
    """One invalid setting and what is wrong with it."""

    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}"


class InvalidSettings(ValueError):
    """Settings refused; `problems` names every bad field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedSettings:
    """What load() found, with warnings for the operator (a broken file moved aside, say)."""

    settings: AppSettings
    warnings: list[str]


def validate_profile(profile: ProfileSettings) -> list[FieldProblem]:
    """Every problem of a profile, each naming its field; empty when valid."""
    problems: list[FieldProblem] = []
    problems += _check_endpoint(profile.endpoint)
    problems += _check_identifier("agent_instance_id", profile.agent_instance_id, 128)
    problems += _check_identifier("user_id", profile.user_id, 64)
    for name in ("agent_id", "rtc_room_id", "agent_stream_id", "user_stream_id"):
        problems += _check_identifier(name, getattr(profile, name), 128)
    problems += _check_number("connect_timeout_s", profile.connect_timeout_s, 0.1, 120)
    problems += _check_number("read_timeout_s", profile.read_timeout_s, 0.1, 120)
    problems += _check_number("max_hold_s", profile.max_hold_s, 1, 600)
    problems += _check_number("walkie_talkie_mode", profile.walkie_talkie_mode, 0, 9, integer=True)
    problems += _check_number("interrupt_mode", profile.interrupt_mode, 0, 9, integer=True)
    problems += _check_number("max_in_flight", profile.max_in_flight, 1, 8, integer=True)
    if profile.hold_key not in HOLD_KEYS:
        problems.append(FieldProblem("hold_key", f"must be one key without modifiers (A-Z, 0-9, F1-F24, Space, …), got {profile.hold_key!r}"))
    return problems


def validate_settings(settings: AppSettings) -> list[FieldProblem]:
    """Problems of every profile (field names prefixed with the profile when there are several)."""
    problems: list[FieldProblem] = []
    if not PROFILE_NAME.fullmatch(settings.active_profile):
        problems.append(FieldProblem("active_profile", "must be 1-32 letters, digits, '_', '.' or '-'"))
    for name, profile in settings.profiles.items():
        if not PROFILE_NAME.fullmatch(name):
            problems.append(FieldProblem("profile", f"name {name[:40]!r} must be 1-32 letters, digits, '_', '.' or '-'"))
        problems += validate_profile(profile)
    return problems


def _check_endpoint(endpoint: Any) -> list[FieldProblem]:
    if not isinstance(endpoint, str) or not endpoint.strip():
        return [FieldProblem("endpoint", "is empty")]
    parts = urlsplit(endpoint)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return [FieldProblem("endpoint", f"must be a URL like {DEFAULT_ENDPOINT}, got {endpoint[:80]!r}")]
    if parts.query or parts.fragment:
        return [FieldProblem("endpoint", "must not have a query or fragment: the app adds the parameters")]
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return [FieldProblem("endpoint", "must start with https:// (http:// is allowed only for loopback hosts)")]
    try:
        parts.port
    except ValueError:
        return [FieldProblem("endpoint", "has an invalid port")]
    return []


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_identifier(name: str, value: Any, limit: int) -> list[FieldProblem]:
    if not isinstance(value, str):
        return [FieldProblem(name, "must be text")]
    if len(value) > limit:
        return [FieldProblem(name, f"must be at most {limit} characters, got {len(value)}")]
    if any(ch.isspace() for ch in value):
        return [FieldProblem(name, "must not contain spaces")]
    if value and not (value.isascii() and value.isprintable()):
        return [FieldProblem(name, "must be printable ASCII")]
    return []


def _check_number(name: str, value: Any, low: float, high: float, integer: bool = False) -> list[FieldProblem]:
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return [FieldProblem(name, f"must be {'a whole number' if integer else 'a number'}, got {value!r}")]
    if not low <= value <= high:
        return [FieldProblem(name, f"must be from {low:g} to {high:g}, got {value:g}")]
    return []


class SettingsStore:
    """Reads and writes settings.json atomically, keeping the previous good file as settings.json.bak."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> LoadedSettings:
        """The saved settings, or defaults with a warning when the file is broken (it is moved aside)."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return LoadedSettings(AppSettings(), [])
        except OSError as error:
            return LoadedSettings(AppSettings(), [f"settings: could not read {self.path}: {error.strerror}; using defaults"])
        try:
            settings = _from_json(json.loads(raw))
            problems = validate_settings(settings)
            if problems:
                raise InvalidSettings(problems)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            kept = self._set_aside()
            return LoadedSettings(
                AppSettings(),
                [f"settings: {self.path} is broken ({_brief(error)}); using defaults; the broken file is kept as {kept}"],
            )
        return LoadedSettings(settings, [])

    def save(self, settings: AppSettings) -> None:
        """Validate, then replace the file atomically; invalid settings raise and leave the file as it was."""
        problems = validate_settings(settings)
        if problems:
            raise InvalidSettings(problems)
        ensure_private_dir(self.path.parent)
        text = json.dumps(_to_json(settings), indent=2, sort_keys=True) + "\n"
        handle, temp_name = tempfile.mkstemp(prefix=".settings.", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            if self.path.exists():
                os.replace(self.path, self.path.with_name(self.path.name + ".bak"))
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def _set_aside(self) -> Path:
        kept = self.path.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(self.path, kept)
        return kept


_PROFILE_FIELDS = {f.name for f in dataclasses.fields(ProfileSettings)}


def _to_json(settings: AppSettings) -> dict[str, Any]:
    return {
        "version": FILE_VERSION,
        "active_profile": settings.active_profile,
        "profiles": {name: dataclasses.asdict(profile) for name, profile in settings.profiles.items()},
    }


def _from_json(data: Any) -> AppSettings:
    if not isinstance(data, dict):
        raise ValueError("the file is not a JSON object")
    unknown = set(data) - {"version", "active_profile", "profiles"}
    if unknown:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r}")
    if data.get("version") != FILE_VERSION:
        raise ValueError(f"version must be {FILE_VERSION}")
    profiles_data = data.get("profiles")
    if not isinstance(profiles_data, dict):
        raise ValueError("profiles must be an object")
    profiles = {name: _profile_from_json(name, values) for name, values in profiles_data.items()}
    active = data.get("active_profile", "default")
    if not isinstance(active, str):
        raise ValueError("active_profile must be text")
    profiles.setdefault(active, ProfileSettings())
    return AppSettings(active, profiles)


def _profile_from_json(name: str, values: Any) -> ProfileSettings:
    if not isinstance(values, dict):
        raise ValueError(f"profile {name!r} must be an object")
    unknown = set(values) - _PROFILE_FIELDS
    if unknown:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r} in profile {name!r}")
    return ProfileSettings(**values)


def _brief(error: Exception) -> str:
    text = str(error)
    return text if len(text) <= 200 else text[:199] + "…"
