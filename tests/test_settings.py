"""Settings: validated on load and save, every bad field named, nothing good ever overwritten or lost."""

from __future__ import annotations

import dataclasses
import json
import stat
import sys
from pathlib import Path

import pytest

from ptt_app.store import paths
from ptt_app.store.settings import (
    REGION_ENDPOINTS,
    AppSettings,
    FieldProblem,
    InvalidSettings,
    LoadedSettings,
    ProfileSettings,
    SettingsStore,
    creation_problems,
    region_of,
    validate_profile,
    validate_settings,
)


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config" / "settings.json")


def write_file(store: SettingsStore, content: str | bytes | dict) -> bytes:
    store.path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(content).encode() if isinstance(content, dict) else content
    raw = raw.encode() if isinstance(raw, str) else raw
    store.path.write_bytes(raw)
    return raw


def broken_files(store: SettingsStore) -> list[Path]:
    return sorted(store.path.parent.glob("settings.json.broken-*"))


# --- load and save ---------------------------------------------------------------------------------------


def test_missing_file_gives_defaults_without_warning(store) -> None:
    loaded = store.load()
    assert loaded.settings == AppSettings() and loaded.warnings == []
    assert loaded.settings.profile() == ProfileSettings()


def test_saved_settings_load_back_equal(store) -> None:
    settings = AppSettings("ops", {
        "ops": ProfileSettings(agent_instance_id="inst-1", user_id="op", read_timeout_s=2.5, hold_key="F13"),
        "lab": ProfileSettings(endpoint="http://127.0.0.1:8080", max_in_flight=8),
    })
    store.save(settings)
    assert store.load() == LoadedSettings(settings, [])


def test_the_file_is_readable_json_with_a_version(store) -> None:
    store.save(AppSettings())
    text = store.path.read_text(encoding="utf-8")
    assert text.startswith('{\n  "version": 1,') and json.loads(text)["profiles"]["default"]["hold_key"] == "Space"


def test_a_profile_missing_fields_gets_their_defaults(store) -> None:
    write_file(store, {"version": 1, "active_profile": "default", "profiles": {"default": {"user_id": "op"}}})
    assert store.load().settings.profile() == ProfileSettings(user_id="op")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_folder_is_created_private(store) -> None:
    store.save(AppSettings())
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_invalid_save_leaves_the_file_byte_identical(store) -> None:
    store.save(AppSettings())
    store.save(AppSettings().with_profile("default", ProfileSettings(user_id="op")))
    before, backup = store.path.read_bytes(), store.backup_path.read_bytes()
    with pytest.raises(InvalidSettings) as raised:
        store.save(AppSettings().with_profile("default", ProfileSettings(endpoint="http://example.com")))
    assert [p.field for p in raised.value.problems] == ["profiles.default.endpoint"]
    assert "endpoint: must start with https://" in str(raised.value)
    assert store.path.read_bytes() == before and store.backup_path.read_bytes() == backup


def test_save_keeps_the_previous_good_file_as_bak(store) -> None:
    store.save(AppSettings())
    first = store.path.read_bytes()
    store.save(AppSettings().with_profile("default", ProfileSettings(user_id="op")))
    assert store.backup_path.read_bytes() == first
    assert store.load().settings.profile().user_id == "op"


def test_save_leaves_no_temporary_file(store) -> None:
    store.save(AppSettings())
    store.save(AppSettings().with_profile("default", ProfileSettings(user_id="op")))
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["settings.json", "settings.json.bak"]


def test_save_over_a_file_broken_since_load_keeps_it_aside_not_as_bak(store) -> None:
    store.save(AppSettings())
    good = store.path.read_bytes()
    store.save(AppSettings())
    edited = write_file(store, "{ half-edited by hand")
    store.save(AppSettings().with_profile("default", ProfileSettings(user_id="op")))
    assert store.backup_path.read_bytes() == good
    assert [p.read_bytes() for p in broken_files(store)] == [edited]


def test_corrupted_json_gives_defaults_and_is_kept_aside_byte_for_byte(store) -> None:
    original = write_file(store, b"\x00{not json")
    loaded = store.load()
    assert loaded.settings == AppSettings()
    kept = broken_files(store)
    assert len(kept) == 1 and kept[0].read_bytes() == original and not store.path.exists()
    assert "not valid JSON" in loaded.warnings[0] and str(kept[0]) in loaded.warnings[0]


def test_a_file_that_is_not_utf8_is_kept_aside(store) -> None:
    original = write_file(store, b"\xff\xfe\x00s\x00e\x00t")
    loaded = store.load()
    assert loaded.settings == AppSettings() and "UTF-8" in loaded.warnings[0]
    assert [p.read_bytes() for p in broken_files(store)] == [original]


def test_broken_files_in_the_same_second_never_overwrite_each_other(store) -> None:
    originals = [write_file(store, f"broken {n}") for n in range(3)]
    for original in originals:
        write_file(store, original)
        store.load()
    assert sorted(p.read_bytes() for p in broken_files(store)) == sorted(originals)


@pytest.mark.parametrize("content", ["[]", '"text"', '{"version": 1, "profiles": []}',
                                     '{"version": 1, "profiles": {"default": 3}}', '{"profiles": {}}',
                                     '{"version": 2, "profiles": {}}', '{"version": true, "profiles": {}}'])
def test_a_file_of_the_wrong_shape_gives_defaults_and_is_kept_aside(store, content) -> None:
    write_file(store, content)
    loaded = store.load()
    assert loaded.settings == AppSettings() and "broken" in loaded.warnings[0]
    assert [p.read_text() for p in broken_files(store)] == [content]


def test_unknown_keys_in_the_file_are_named(store) -> None:
    write_file(store, {"version": 1, "theme": "dark", "profiles": {"default": {"colour": "red"}}})
    warning = store.load().warnings[0]
    assert "theme: unknown key" in warning and "profiles.default.colour: unknown key" in warning
    assert "red" not in warning  # the key is named; its value is not echoed


def test_an_invalid_value_in_the_file_is_named_and_the_file_kept(store) -> None:
    original = write_file(store, {"version": 1, "profiles": {"default": {"read_timeout_s": -1}}})
    loaded = store.load()
    assert "profiles.default.read_timeout_s: must be from 0.1 to 120" in loaded.warnings[0]
    assert loaded.settings == AppSettings() and [p.read_bytes() for p in broken_files(store)] == [original]


# --- validation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("endpoint", ""),
        ("endpoint", "not a url"),
        ("endpoint", "http://example.com"),
        ("endpoint", "http://10.0.0.1:8080"),
        ("endpoint", "ftp://example.com"),
        ("endpoint", "https://"),
        ("endpoint", "https://host/?Action=x"),
        ("endpoint", "https://host/#top"),
        ("endpoint", "https://user:password@host"),
        ("endpoint", "https://exa mple.com"),
        ("endpoint", "http://[::1"),
        ("endpoint", "https://host:99999"),
        ("endpoint", None),
        ("agent_instance_id", "has a space"),
        ("agent_instance_id", "x" * 129),
        ("agent_instance_id", "inst\u00e9"),
        ("agent_instance_id", "inst\x07"),
        ("user_id", "u" * 33),
        ("user_id", "op 1"),
        ("user_id", "op.1"),
        ("agent_id", "agent\t1"),
        ("agent_id", "a" * 129),
        ("rtc_room_id", "room 1"),
        ("rtc_room_id", "room/1"),
        ("agent_user_id", "a" * 33),
        ("agent_user_id", "agent@1"),
        ("agent_stream_id", "s" * 129),
        ("user_stream_id", "s\n"),
        ("connect_timeout_s", "3"),
        ("connect_timeout_s", True),
        ("connect_timeout_s", 0),
        ("connect_timeout_s", 1000),
        ("read_timeout_s", "5"),
        ("read_timeout_s", False),
        ("read_timeout_s", 0),
        ("read_timeout_s", 1000),
        ("read_timeout_s", float("nan")),
        ("max_hold_s", 0.5),
        ("max_hold_s", 601),
        ("hold_key", ""),
        ("hold_key", "Shift"),
        ("hold_key", "F25"),
        ("hold_key", "Mouse1"),
        ("hotkey_scope", "everywhere"),
        ("latch_enabled", "yes"),
        ("release_tail_ms", 501),
        ("cues_enabled", 1),
        ("cue_volume", 101),
        ("max_idle_time_s", 9),
        ("max_idle_time_s", 1801),
        ("interrupt_mode", -1),
        ("interrupt_mode", 2),
        ("interrupt_mode", True),
        ("max_in_flight", 0),
        ("max_in_flight", 9),
    ],
)
def test_each_invalid_value_is_named(field, value) -> None:
    problems = validate_profile(dataclasses.replace(ProfileSettings(), **{field: value}))
    assert [p.field for p in problems] == [field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("endpoint", "https://aigc-aiagent-api.zegotech.cn"),
        ("endpoint", "http://127.0.0.1:8080"),
        ("endpoint", "http://127.1.2.3/"),
        ("endpoint", "http://localhost:1/"),
        ("endpoint", "http://[::1]:9"),
        ("endpoint", "https://proxy.example.com:8443/zego"),
        ("agent_instance_id", ""),
        ("agent_instance_id", "x" * 128),
        ("user_id", "u" * 32),
        ("user_id", "op_1-A"),
        ("rtc_room_id", "room_1.a-b"),
        ("max_idle_time_s", 10),
        ("max_idle_time_s", 1800),
        ("hotkey_scope", "global"),
        ("release_tail_ms", 500),
        ("connect_timeout_s", 0.1),
        ("read_timeout_s", 120),
        ("max_hold_s", 600),
        ("hold_key", "A"),
        ("hold_key", "0"),
        ("hold_key", "F24"),
        ("hold_key", "PgDown"),
        ("hold_key", "F13"),
        ("interrupt_mode", 0),
        ("max_in_flight", 8),
    ],
)
def test_each_boundary_value_is_accepted(field, value) -> None:
    assert validate_profile(dataclasses.replace(ProfileSettings(), **{field: value})) == []


def test_every_invalid_field_is_named_at_once() -> None:
    profile = ProfileSettings(endpoint="http://example.com", user_id="u" * 33, read_timeout_s=0)
    assert [p.field for p in validate_profile(profile)] == ["endpoint", "user_id", "read_timeout_s"]


def test_a_problem_reads_as_field_then_problem() -> None:
    problem = validate_profile(ProfileSettings(endpoint="http://example.com"))[0]
    assert str(problem) == "endpoint: must start with https:// (http:// is allowed only for loopback hosts)"


def test_invalid_settings_carries_and_joins_its_problems() -> None:
    problems = [FieldProblem("user_id", "must not contain spaces"), FieldProblem("hold_key", "bad")]
    error = InvalidSettings(problems)
    assert error.problems == problems and str(error) == "user_id: must not contain spaces; hold_key: bad"


@pytest.mark.parametrize("name", ["", "has space", "x" * 33, "slash/name", "ünicode"])
def test_a_bad_profile_name_is_refused_on_save(store, name) -> None:
    with pytest.raises(InvalidSettings) as raised:
        store.save(AppSettings().with_profile(name, ProfileSettings()))
    assert [p.field for p in raised.value.problems] == ["profiles"]


def test_the_active_profile_is_always_present() -> None:
    settings = AppSettings("ops", {})
    assert settings.profiles == {"ops": ProfileSettings()} and validate_settings(settings) == []


# --- folders ---------------------------------------------------------------------------------------------


def test_overrides_win_for_both_folders(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PTT_APP_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("PTT_APP_DATA_DIR", str(tmp_path / "d"))
    assert paths.settings_path() == tmp_path / "c" / "settings.json"
    assert paths.journal_path() == tmp_path / "d" / "journal.sqlite3"


def test_linux_folders_follow_xdg(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("PTT_APP_CONFIG_DIR", raising=False)
    monkeypatch.delenv("PTT_APP_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xc"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xd"))
    assert (paths.config_dir(), paths.data_dir()) == (tmp_path / "xc" / "ptt-app", tmp_path / "xd" / "ptt-app")
    monkeypatch.setenv("XDG_CONFIG_HOME", "")
    monkeypatch.setenv("XDG_DATA_HOME", "relative/is/ignored")
    assert paths.config_dir() == Path.home() / ".config" / "ptt-app"
    assert paths.data_dir() == Path.home() / ".local" / "share" / "ptt-app"


def test_macos_keeps_both_in_application_support(monkeypatch) -> None:
    monkeypatch.delenv("PTT_APP_CONFIG_DIR", raising=False)
    monkeypatch.delenv("PTT_APP_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    expected = Path.home() / "Library" / "Application Support" / "ptt-app"
    assert paths.config_dir() == expected and paths.data_dir() == expected


def test_the_agent_user_may_not_be_the_real_user() -> None:
    problems = validate_profile(ProfileSettings(user_id="op-1", agent_user_id="op-1"))
    assert [p.field for p in problems] == ["agent_user_id"]


def test_creating_an_instance_needs_every_rtc_field() -> None:
    profile = ProfileSettings(agent_id="agent", user_id="op", rtc_room_id="room")
    assert [p.field for p in creation_problems(profile)] == ["agent_stream_id", "agent_user_id", "user_stream_id"]


def test_each_region_is_known_by_its_host_and_any_other_url_is_custom() -> None:
    assert {region_of(url) for url in REGION_ENDPOINTS.values()} == set(REGION_ENDPOINTS)
    assert region_of("http://127.0.0.1:8080") == "custom"


def test_a_file_from_the_first_release_with_walkie_talkie_mode_still_loads(tmp_path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    store.path.write_text(json.dumps({"version": 1, "active_profile": "default",
                                      "profiles": {"default": {"user_id": "op", "walkie_talkie_mode": 2}}}))
    loaded = store.load()
    assert loaded.warnings == [] and loaded.settings.profile().user_id == "op"


def test_the_language_is_one_of_the_offered_ones(tmp_path) -> None:
    assert [p.field for p in validate_settings(AppSettings(language="fr"))] == ["language"]
    store = SettingsStore(tmp_path / "settings.json")
    store.save(AppSettings(language="zh_CN"))
    assert store.load().settings.language == "zh_CN"


def test_a_mouse_button_works_only_as_a_global_hotkey() -> None:
    assert validate_profile(ProfileSettings(hold_key="Mouse8", hotkey_scope="global")) == []
    assert [p.field for p in validate_profile(ProfileSettings(hold_key="Mouse8"))] == ["hold_key"]
