"""Commands that keep things: credentials in the keyring, settings in the settings file."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import sys

from ptt_app.api.types import Credentials
from ptt_app.cli.output import EXIT_OK, CommandError, fail
from ptt_app.hotkeys.binding import InvalidBinding, parse_binding
from ptt_app.session.runtime import ConsoleOptions, resolve_profile
from ptt_app.store.credentials import KeyringCredentialStore, check_server_secret, parse_app_id
from ptt_app.store.paths import settings_path
from ptt_app.store.settings import (
    CUSTOM_REGION,
    LANGUAGES,
    REGION_ENDPOINTS,
    REGIONS,
    InvalidSettings,
    ProfileSettings,
    SettingsStore,
    region_of,
    validate_profile,
    validate_settings,
)

_TRUE = ("true", "on", "yes", "1")
_FALSE = ("false", "off", "no", "0")


def credentials(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """credentials set / check / clear."""
    if options.demo:
        raise CommandError("credentials: --demo uses throw-away credentials; nothing to manage")
    profile = resolve_profile(options).name
    store = KeyringCredentialStore()
    if args.credentials_action == "set":
        app_id = parse_app_id(args.app_id)
        secret = check_server_secret(_read_secret(args.secret_stdin))
        store.save(profile, Credentials(app_id, secret))
        print(f"saved AppId {app_id} and the ServerSecret for profile {profile!r} in the {store.backend_name()} keyring")
        return EXIT_OK
    if args.credentials_action == "check":
        saved = store.load(profile)
        print(f"profile {profile!r}: AppId {saved.app_id} and a ServerSecret are saved in the {store.backend_name()} keyring")
        return EXIT_OK
    removed = store.clear(profile)
    print(f"profile {profile!r}: credentials {'deleted' if removed else 'were not saved'}")
    return EXIT_OK


def _read_secret(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass("ServerSecret (hidden): ")


def config(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """config show / config set FIELD VALUE."""
    resolved = resolve_profile(options)
    if args.config_action == "show":
        values = dataclasses.asdict(resolved.settings)
        shown = {"profile": resolved.name, "region": region_of(resolved.settings.endpoint),
                 "language": resolved.app_settings.language, **values}
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        for warning in resolved.warnings:
            fail(warning)
        return EXIT_OK
    if args.field == "language":
        _save_language(args.value)
        print(f"saved language {args.value!r} for the whole app (every profile)")
        return EXIT_OK
    if args.field == "region":
        _save_region(options, args.value)
    else:
        save_profile_field(options, args.field, args.value)
    print(f"saved {args.field} for profile {resolved.name!r}")
    return EXIT_OK


def _save_region(options: ConsoleOptions, name: str) -> None:
    if name not in REGIONS:
        raise CommandError(f"region: must be one of {', '.join(REGIONS)}, got {name!r}")
    if name == CUSTOM_REGION:
        raise CommandError("region: for a custom endpoint, run `ptt-app config set endpoint https://...`")
    save_profile_field(options, "endpoint", REGION_ENDPOINTS[name])


def _save_language(value: str) -> None:
    if value not in LANGUAGES:
        raise CommandError(f"language: must be one of {', '.join(LANGUAGES)}, got {value!r}")
    store = SettingsStore(settings_path())
    updated = dataclasses.replace(store.load().settings, language=value)
    problems = validate_settings(updated)
    if problems:
        raise InvalidSettings(problems)
    store.save(updated)


def save_profile_field(options: ConsoleOptions, field: str, text: str) -> None:
    """Change one setting of the profile, validated before anything is written."""
    store = SettingsStore(settings_path())
    app_settings = store.load().settings
    name = options.profile or app_settings.active_profile
    profile = app_settings.profiles.get(name, ProfileSettings())
    fields = {f.name: f for f in dataclasses.fields(ProfileSettings)}
    if field not in fields:
        known = ", ".join(sorted([*fields, "region", "language"]))
        raise CommandError(f"{field}: no such setting; known: {known}")
    updated = dataclasses.replace(profile, **{field: _convert(field, getattr(profile, field), text)})
    problems = validate_profile(updated)
    if problems:
        raise InvalidSettings(problems)
    store.save(app_settings.with_profile(name, updated))


def _convert(field: str, current: object, text: str) -> object:
    if field == "hold_key":
        try:
            return str(parse_binding(text))  # saved in the canonical spelling (mouse8 -> Mouse8)
        except InvalidBinding:
            return text  # validation names the problem
    if isinstance(current, bool):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise CommandError(f"{field}: must be on or off, got {text!r}")
    if isinstance(current, int):
        try:
            return int(text)
        except ValueError:
            raise CommandError(f"{field}: must be a whole number, got {text!r}") from None
    if isinstance(current, float):
        try:
            return float(text)
        except ValueError:
            raise CommandError(f"{field}: must be a number, got {text!r}") from None
    return text
