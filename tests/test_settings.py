"""Settings: validated on load and save, every bad field named, nothing good ever overwritten."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ptt_app.settings import (
    AppSettings,
    InvalidSettings,
    ProfileSettings,
    SettingsStore,
    validate_profile,
)


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json")


def test_missing_file_gives_defaults_without_warning(store) -> None:
    loaded = store.load()
    assert loaded.settings == AppSettings() and loaded.warnings == []


def test_saved_settings_load_back_equal(store) -> None:
    settings = AppSettings("ops", {"ops": ProfileSettings(agent_instance_id="inst-1", user_id="op", read_timeout_s=2.5)})
    store.save(settings)
    assert store.load().settings == settings


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("endpoint", "not a url"),
        ("endpoint", "http://example.com"),
        ("endpoint", "ftp://example.com"),
        ("endpoint", "https://host/?Action=x"),
        ("agent_instance_id", "has a space"),
        ("agent_instance_id", "x" * 129),
        ("user_id", "u" * 65),
        ("connect_timeout_s", "3"),
        ("read_timeout_s", True),
        ("read_timeout_s", 0),
        ("read_timeout_s", 1000),
        ("max_hold_s", 0.5),
        ("hold_key", "Ctrl+Space"),
        ("hold_key", ""),
        ("walkie_talkie_mode", 2.5),
        ("max_in_flight", 0),
    ],
)
def test_each_invalid_value_is_named(field, value) -> None:
    problems = validate_profile(dataclasses.replace(ProfileSettings(), **{field: value}))
    assert [p.field for p in problems] == [field]


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8080", "http://localhost:1/", "http://[::1]:9", DEFAULT := "https://aigc-aiagent-api.zegotech.cn"])
def test_https_and_loopback_http_endpoints_are_accepted(endpoint) -> None:
    assert validate_profile(ProfileSettings(endpoint=endpoint)) == []


def test_invalid_save_leaves_the_file_byte_identical(store) -> None:
    store.save(AppSettings())
    before = store.path.read_bytes()
    with pytest.raises(InvalidSettings) as raised:
        store.save(AppSettings().with_profile("default", ProfileSettings(endpoint="http://example.com")))
    assert "endpoint" in str(raised.value)
    assert store.path.read_bytes() == before


def test_save_keeps_the_previous_good_file_as_bak(store) -> None:
    store.save(AppSettings())
    first = store.path.read_bytes()
    store.save(AppSettings().with_profile("default", ProfileSettings(user_id="op")))
    assert store.path.with_name("settings.json.bak").read_bytes() == first


def test_corrupted_file_gives_defaults_and_is_kept_aside_byte_for_byte(store) -> None:
    store.path.write_bytes(b"\x00{not json")
    loaded = store.load()
    assert loaded.settings == AppSettings()
    kept = list(store.path.parent.glob("settings.json.broken-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00{not json"
    assert str(kept[0]) in loaded.warnings[0]


def test_unknown_key_in_the_file_is_named(store) -> None:
    store.path.write_text('{"version": 1, "active_profile": "default", "profiles": {"default": {"colour": "red"}}}')
    loaded = store.load()
    assert "colour" in loaded.warnings[0]


def test_invalid_value_in_the_file_is_named_and_the_file_kept(store) -> None:
    store.path.write_text('{"version": 1, "active_profile": "default", "profiles": {"default": {"read_timeout_s": -1}}}')
    loaded = store.load()
    assert "read_timeout_s" in loaded.warnings[0] and loaded.settings == AppSettings()
