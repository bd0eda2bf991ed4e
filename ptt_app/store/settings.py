"""Non-secret settings per profile, validated on load and on save; a bad file is kept aside, never lost.

The file is JSON: ``{"version": 1, "active_profile": "...", "profiles": {"<name>": {<ProfileSettings fields>}}}``.
A profile may omit fields (their defaults apply); a key the app does not know makes the file invalid.
No field holds a secret: credentials live in the keyring (ptt_app.credentials).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ptt_app.hotkeys.binding import InputKind, binding_problem, parse_binding
from ptt_app.store.atomic_file import write_atomically
from ptt_app.store.paths import ensure_private_dir
from ptt_app.translatable import QT_TR_NOOP

FILE_VERSION = 1
DEFAULT_ENDPOINT = "https://aigc-aiagent-api.zegotech.cn"
PROFILE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,32}")
# A real settings file is a few kilobytes; a huge one is not ours, and is not read into memory.
MAX_FILE_BYTES = 1024 * 1024
MAX_ENDPOINT_CHARS = 2048

# The regions of the AI Agent API (zego-api.md): an operator picks one by name, not by typing a URL.
REGION_ENDPOINTS = {
    "unified": DEFAULT_ENDPOINT,
    "sha": "https://aigc-aiagent-api-sha.zegotech.cn",
    "hkg": "https://aigc-aiagent-api-hkg.zegotech.cn",
    "fra": "https://aigc-aiagent-api-fra.zegotech.cn",
    "lax": "https://aigc-aiagent-api-lax.zegotech.cn",
    "bom": "https://aigc-aiagent-api-bom.zegotech.cn",
    "sgp": "https://aigc-aiagent-api-sgp.zegotech.cn",
}
CUSTOM_REGION = "custom"
REGIONS = (*REGION_ENDPOINTS, CUSTOM_REGION)
HOTKEY_SCOPES = ("window", "global")
LANGUAGES = ("system", "en", "zh_CN")
# Documented limits (zego-api.md): UserId and AgentUserId 32, RTC ids 128; RTC ids allow only these.
USER_ID_CHARS = re.compile(r"[0-9A-Za-z_-]*")
RTC_ID_CHARS = re.compile(r"[0-9A-Za-z_.-]*")
MAX_USER_ID_CHARS = 32
MAX_RTC_ID_CHARS = 128
# Keys of earlier releases that are no longer settings; a file that has them still loads.
RETIRED_PROFILE_KEYS = frozenset({"walkie_talkie_mode"})  # instances the app creates are always mode 2


def region_of(endpoint: str) -> str:
    """The region an endpoint belongs to, or "custom" for any other URL."""
    for name, url in REGION_ENDPOINTS.items():
        if endpoint.rstrip("/") == url:
            return name
    return CUSTOM_REGION




@dataclass(frozen=True)
class ProfileSettings:
    """Everything about a profile except its credentials."""

    endpoint: str = DEFAULT_ENDPOINT  # a region's host, or a custom URL (see region_of)
    agent_instance_id: str = ""  # empty: not configured yet
    user_id: str = ""
    # What CreateAgentInstance needs: the agent, and the RTC room the agent and the user meet in.
    agent_id: str = ""
    rtc_room_id: str = ""
    agent_stream_id: str = ""
    agent_user_id: str = ""
    user_stream_id: str = ""
    max_idle_time_s: int = 120
    interrupt_mode: int = 1
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 5.0
    # Push to talk: which key, whether it works only in the window or system-wide, and how it feels.
    hold_key: str = "Space"
    hotkey_scope: str = "window"
    latch_enabled: bool = False
    release_tail_ms: int = 0
    cues_enabled: bool = True
    cue_volume: int = 60
    max_hold_s: float = 60.0
    max_in_flight: int = 3


@dataclass(frozen=True)
class AppSettings:
    """All profiles and which one is active; `profiles` always holds the active one."""

    active_profile: str = "default"
    profiles: dict[str, ProfileSettings] = field(default_factory=lambda: {"default": ProfileSettings()})
    language: str = "system"  # "system" follows the desktop's locale

    def __post_init__(self) -> None:
        # A copy, so the caller's dict cannot change these settings behind their back.
        profiles = dict(self.profiles)
        profiles.setdefault(self.active_profile, ProfileSettings())
        object.__setattr__(self, "profiles", profiles)

    def profile(self, name: str | None = None) -> ProfileSettings:
        """A profile's settings (the active one by default; defaults for a profile not saved yet)."""
        return self.profiles.get(name or self.active_profile, ProfileSettings())

    def with_profile(self, name: str, profile: ProfileSettings) -> AppSettings:
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


# --- validation ------------------------------------------------------------------------------------------


def validate_profile(profile: ProfileSettings) -> list[FieldProblem]:
    """Every problem of a profile, each naming its field; empty when valid. Never raises."""
    checks = [
        ("endpoint", _endpoint_problem(profile.endpoint)),
        ("agent_instance_id", _text_problem(profile.agent_instance_id, 128, ascii_only=True)),
        ("user_id", _id_problem(profile.user_id, MAX_USER_ID_CHARS, USER_ID_CHARS, QT_TR_NOOP("letters, digits, '-' and '_'"))),
        ("agent_id", _text_problem(profile.agent_id, 128)),
        ("rtc_room_id", _rtc_problem(profile.rtc_room_id, MAX_RTC_ID_CHARS)),
        ("agent_stream_id", _rtc_problem(profile.agent_stream_id, MAX_RTC_ID_CHARS)),
        ("agent_user_id", _rtc_problem(profile.agent_user_id, MAX_USER_ID_CHARS) or _same_user_problem(profile)),
        ("user_stream_id", _rtc_problem(profile.user_stream_id, MAX_RTC_ID_CHARS)),
        ("max_idle_time_s", _number_problem(profile.max_idle_time_s, 10, 1800, whole=True)),
        ("interrupt_mode", _choice_problem(profile.interrupt_mode, (0, 1))),
        ("connect_timeout_s", _number_problem(profile.connect_timeout_s, 0.1, 120)),
        ("read_timeout_s", _number_problem(profile.read_timeout_s, 0.1, 120)),
        ("hold_key", _hold_key_problem(profile.hold_key) or _mouse_scope_problem(profile)),
        ("hotkey_scope", _choice_problem(profile.hotkey_scope, HOTKEY_SCOPES)),
        ("latch_enabled", _flag_problem(profile.latch_enabled)),
        ("release_tail_ms", _number_problem(profile.release_tail_ms, 0, 500, whole=True)),
        ("cues_enabled", _flag_problem(profile.cues_enabled)),
        ("cue_volume", _number_problem(profile.cue_volume, 0, 100, whole=True)),
        ("max_hold_s", _number_problem(profile.max_hold_s, 1, 600)),
        ("max_in_flight", _number_problem(profile.max_in_flight, 1, 8, whole=True)),
    ]
    return [FieldProblem(name, problem) for name, problem in checks if problem]


def creation_problems(profile: ProfileSettings) -> list[FieldProblem]:
    """What CreateAgentInstance needs that the profile lacks (each field is required by the API)."""
    required = ("agent_id", "user_id", "rtc_room_id", "agent_stream_id", "agent_user_id", "user_stream_id")
    return [FieldProblem(name, "required to create an instance") for name in required if not getattr(profile, name)]


def validate_settings(settings: AppSettings) -> list[FieldProblem]:
    """Problems of the whole settings; a profile's fields are named as in the file, profiles.<name>.<field>."""
    problems: list[FieldProblem] = []
    if settings.language not in LANGUAGES:
        problem = QT_TR_NOOP("must be one of {choices}, got {value}").format(choices=", ".join(LANGUAGES),
                                                                            value=_shown(settings.language))
        problems.append(FieldProblem("language", problem))
    if not _is_profile_name(settings.active_profile):
        problems.append(FieldProblem("active_profile", _profile_name_problem(settings.active_profile)))
    for name, profile in settings.profiles.items():
        if not _is_profile_name(name):
            if name != settings.active_profile:  # already named above
                problems.append(FieldProblem("profiles", _profile_name_problem(name)))
            continue
        problems += [FieldProblem(f"profiles.{name}.{p.field}", p.problem) for p in validate_profile(profile)]
    return problems


def _is_profile_name(name: Any) -> bool:
    return isinstance(name, str) and PROFILE_NAME.fullmatch(name) is not None


def _profile_name_problem(name: Any) -> str:
    return QT_TR_NOOP("profile name {name} must be 1-32 letters, digits, '_', '.' or '-'").format(name=_shown(name))


def _endpoint_problem(endpoint: Any) -> str | None:
    if not isinstance(endpoint, str):
        return QT_TR_NOOP("must be text, got {value}").format(value=_shown(endpoint))
    if not endpoint.strip():
        return QT_TR_NOOP("must not be empty")
    if len(endpoint) > MAX_ENDPOINT_CHARS:
        return QT_TR_NOOP("must be at most {limit} characters").format(limit=MAX_ENDPOINT_CHARS)
    if any(ch.isspace() or not ch.isprintable() for ch in endpoint):
        return QT_TR_NOOP("must not contain spaces or control characters")
    try:
        parts = urlsplit(endpoint)
        _ = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        return QT_TR_NOOP("is not a valid URL: {value}").format(value=_shown(endpoint))
    if parts.scheme not in ("https", "http"):
        return QT_TR_NOOP("must start with https:// (http:// is allowed only for loopback hosts)")
    if not parts.hostname:
        return QT_TR_NOOP("must be a URL with a host, like {example}").format(example=DEFAULT_ENDPOINT)
    if parts.username is not None or parts.password is not None:
        return QT_TR_NOOP("must not contain a user name or password (credentials belong in the keyring)")
    if "?" in endpoint or "#" in endpoint:
        return QT_TR_NOOP("must not have a query or fragment: the app adds the parameters")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return QT_TR_NOOP("must start with https:// (http:// is allowed only for loopback hosts)")
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback  # 127.0.0.0/8 and ::1
    except ValueError:
        return False


def _text_problem(value: Any, limit: int, ascii_only: bool = False) -> str | None:
    if not isinstance(value, str):
        return QT_TR_NOOP("must be text, got {value}").format(value=_shown(value))
    if len(value) > limit:
        return QT_TR_NOOP("must be at most {limit} characters, got {length}").format(limit=limit, length=len(value))
    if any(ch.isspace() for ch in value):
        return QT_TR_NOOP("must not contain spaces")
    if not value.isprintable():
        return QT_TR_NOOP("must not contain control characters")
    if ascii_only and not value.isascii():
        return QT_TR_NOOP("must be printable ASCII")
    return None


def _number_problem(value: Any, low: float, high: float, whole: bool = False) -> str | None:
    kinds = (int,) if whole else (int, float)
    # bool is an int to Python, but `true` in a settings file is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, kinds):
        return (QT_TR_NOOP("must be a whole number, got {value}") if whole
                else QT_TR_NOOP("must be a number, got {value}")).format(value=_shown(value))
    if not low <= value <= high:  # also refuses NaN
        return QT_TR_NOOP("must be from {low} to {high}, got {value}").format(low=f"{low:g}", high=f"{high:g}",
                                                                              value=f"{value:g}")
    return None


def _hold_key_problem(key: Any) -> str | None:
    if not isinstance(key, str):
        return QT_TR_NOOP("must name one key, got {value}").format(value=_shown(key))
    return binding_problem(key)


def _mouse_scope_problem(profile: ProfileSettings) -> str | None:
    """Call only with a valid hold_key. The window sees keys only: a mouse side button needs a global backend."""
    if profile.hotkey_scope != "global" and parse_binding(profile.hold_key).kind is InputKind.MOUSE:
        return QT_TR_NOOP("a mouse button works only as a global hotkey: set hotkey_scope to global")
    return None


def _id_problem(value: Any, limit: int, chars: re.Pattern[str], allowed: str) -> str | None:
    problem = _text_problem(value, limit)
    if problem is None and not chars.fullmatch(value):
        return QT_TR_NOOP("may contain only {allowed}").format(allowed=allowed)
    return problem


def _rtc_problem(value: Any, limit: int) -> str | None:
    return _id_problem(value, limit, RTC_ID_CHARS, QT_TR_NOOP("letters, digits, '_', '-' and '.'"))


def _same_user_problem(profile: ProfileSettings) -> str | None:
    if profile.agent_user_id and profile.agent_user_id == profile.user_id:
        return QT_TR_NOOP("must differ from user_id (the agent and the real user would keep kicking each other out "
                          "of the room)")
    return None


def _choice_problem(value: Any, allowed: tuple[Any, ...]) -> str | None:
    if isinstance(value, bool) or value not in allowed:
        return QT_TR_NOOP("must be one of {choices}, got {value}").format(choices=", ".join(str(a) for a in allowed),
                                                                        value=_shown(value))
    return None


def _flag_problem(value: Any) -> str | None:
    return None if isinstance(value, bool) else QT_TR_NOOP("must be true or false, got {value}").format(value=_shown(value))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


# --- the file --------------------------------------------------------------------------------------------


class SettingsStore:
    """Reads and writes settings.json atomically, keeping the previous good file as settings.json.bak."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def backup_path(self) -> Path:
        """Where the previous good file is kept by save()."""
        return self.path.with_name(self.path.name + ".bak")

    def load(self) -> LoadedSettings:
        """The saved settings; defaults when there is no file; defaults and a warning when the file is
        broken, which is then moved aside to settings.json.broken-<time> (never deleted)."""
        try:
            return LoadedSettings(parse_settings(_read_capped(self.path)), [])
        except FileNotFoundError:
            return LoadedSettings(AppSettings(), [])
        except OSError as error:
            # Unreadable is not broken: the file stays where it is.
            return LoadedSettings(AppSettings(), [QT_TR_NOOP("settings: cannot read {path}: {reason}; using defaults")
                                                  .format(path=self.path, reason=error.strerror or error)])
        except InvalidSettings as error:
            return LoadedSettings(AppSettings(), [self._set_aside_broken(error)])

    def save(self, settings: AppSettings) -> None:
        """Validate, then replace the file atomically; invalid settings raise InvalidSettings and touch nothing."""
        problems = validate_settings(settings)
        if problems:
            raise InvalidSettings(problems)
        ensure_private_dir(self.path.parent)
        self._back_up_current()
        _write_atomically(self.path, dump_settings(settings))

    def _back_up_current(self) -> None:
        try:
            current = _read_capped(self.path)
            parse_settings(current)
        except OSError:
            return  # no file, or unreadable: nothing to keep, and replacing it is what was asked
        except InvalidSettings:
            # Edited by hand since it was loaded, and broken: keep it, but not as "the previous good file".
            self._move_aside()
            return
        _write_atomically(self.backup_path, current)

    def _set_aside_broken(self, error: InvalidSettings) -> str:
        what = QT_TR_NOOP("settings: {path} is broken ({problems}); using defaults").format(path=self.path,
                                                                                           problems=_brief(error))
        try:
            kept = self._move_aside()
        except OSError as move_error:
            return QT_TR_NOOP("{what}; it could not be moved aside ({reason}) and is left in place").format(
                what=what, reason=move_error.strerror or move_error)
        if kept is None:
            return QT_TR_NOOP("{what}; another ptt-app process has moved it aside").format(what=what)
        return QT_TR_NOOP("{what}; the broken file is kept as {kept}").format(what=what, kept=kept)

    def _move_aside(self) -> Path | None:
        """Rename the file to a free settings.json.broken-<time>[-n] name; None if it is already gone."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for attempt in range(1000):
            kept = self.path.with_name(f"{self.path.name}.broken-{stamp}" + (f"-{attempt}" if attempt else ""))
            if kept.exists():
                continue  # never overwrite an earlier broken file
            try:
                os.replace(self.path, kept)
            except FileNotFoundError:
                return None
            return kept
        raise FileExistsError(f"too many broken settings files next to {self.path}")


def parse_settings(raw: bytes) -> AppSettings:
    """Settings from the bytes of a settings file; InvalidSettings names every problem found."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidSettings([FieldProblem("file", "is not UTF-8 text")]) from None
    except json.JSONDecodeError as error:
        problem = f"is not valid JSON ({error.msg} at line {error.lineno})"
        raise InvalidSettings([FieldProblem("file", problem)]) from None
    except RecursionError:
        raise InvalidSettings([FieldProblem("file", "is nested too deeply to be settings")]) from None
    problems: list[FieldProblem] = []
    settings = _settings_from_json(data, problems)
    problems += validate_settings(settings)
    if problems:
        raise InvalidSettings(problems)
    return settings


def dump_settings(settings: AppSettings) -> bytes:
    """The file's bytes: indented JSON, version first, fields in the order of ProfileSettings."""
    document = {
        "version": FILE_VERSION,
        "active_profile": settings.active_profile,
        "language": settings.language,
        "profiles": {name: dataclasses.asdict(profile) for name, profile in settings.profiles.items()},
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


_TOP_KEYS = ("version", "active_profile", "profiles", "language")
_PROFILE_FIELDS = tuple(f.name for f in dataclasses.fields(ProfileSettings))


def _settings_from_json(data: Any, problems: list[FieldProblem]) -> AppSettings:
    if not isinstance(data, dict):
        problems.append(FieldProblem("file", "must hold a JSON object"))
        return AppSettings()
    problems += [FieldProblem(_key(key), "unknown key") for key in data if key not in _TOP_KEYS]
    version = data.get("version")
    if version != FILE_VERSION or isinstance(version, bool):
        problems.append(FieldProblem("version", f"must be {FILE_VERSION}, got {_shown(version)}"))
    active = data.get("active_profile", "default")
    if not isinstance(active, str):
        problems.append(FieldProblem("active_profile", f"must be text, got {_shown(active)}"))
        active = "default"
    profiles_data = data.get("profiles", {})
    if not isinstance(profiles_data, dict):
        problems.append(FieldProblem("profiles", "must be an object of profile name to settings"))
        profiles_data = {}
    profiles = {name: _profile_from_json(name, values, problems) for name, values in profiles_data.items()}
    return AppSettings(active, profiles, data.get("language", "system"))


def _profile_from_json(name: str, values: Any, problems: list[FieldProblem]) -> ProfileSettings:
    if not isinstance(values, dict):
        problems.append(FieldProblem(f"profiles.{_key(name)}", "must be an object"))
        return ProfileSettings()
    problems += [FieldProblem(f"profiles.{_key(name)}.{_key(key)}", "unknown key")
                 for key in values if key not in _PROFILE_FIELDS and key not in RETIRED_PROFILE_KEYS]
    return ProfileSettings(**{key: value for key, value in values.items() if key in _PROFILE_FIELDS})


def _key(key: str) -> str:
    # A key from the file is named, but a pasted value mistaken for a key is not echoed at length.
    return key if len(key) <= 40 and key.isprintable() else _shown(key)


def _brief(error: InvalidSettings) -> str:
    text = str(error)
    return text if len(text) <= 300 else text[:299] + "…"


def _read_capped(path: Path) -> bytes:
    """The file's bytes; InvalidSettings for a file too large to be settings (it is not read whole)."""
    with path.open("rb") as stream:
        raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidSettings([FieldProblem("file", f"is larger than {MAX_FILE_BYTES} bytes")])
    return raw


def _write_atomically(path: Path, data: bytes) -> None:
    write_atomically(path, lambda stream: stream.write(data), binary=True)
