"""The bad-input matrix, end to end through `ptt-app`: each case gets a clear message naming the
problem, and nothing already saved is lost. (Answer-shape cases are in test_client.py, TLS in
test_client_tls.py, keyring cases in test_credentials.py and test_cli.py.)"""

from __future__ import annotations

import json
import uuid

import pytest
from test_cli import run_cli

from ptt_app.store.paths import settings_path


@pytest.mark.parametrize(
    ("app_id", "words"),
    [("", "AppId: is empty"), ("-1", "AppId: must be a whole number"), ("4294967296", "AppId: must be from 1"),
     ("12ab", "AppId: must be a whole number")],
)
def test_bad_app_id_is_refused_naming_it(app_id, words, server_secret) -> None:
    done = run_cli("credentials", "set", "--app-id", app_id, stdin=server_secret + "\n")
    assert done.returncode == 2 and words in done.stderr


@pytest.mark.parametrize(
    ("secret", "words"),
    [("", "ServerSecret: is empty"), ("tooshort", "ServerSecret: must be 32 characters"),
     ("0123456789abcdef 123456789abcdef", "ServerSecret: contains whitespace")],
)
def test_bad_secret_is_refused_naming_it_without_echoing_it(secret, words) -> None:
    done = run_cli("credentials", "set", "--app-id", "123", stdin=secret + "\n")
    assert done.returncode == 2 and words in done.stderr
    if secret:
        assert secret not in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--endpoint", "not a url", "endpoint"),
        ("--endpoint", "http://example.com/", "endpoint"),
        ("--agent-instance-id", "has spaces in it", "agent_instance_id"),
        ("--user-id", "u" * 33, "user_id"),
        ("--user-id", "op.1", "user_id"),
    ],
)
def test_bad_override_is_refused_naming_the_field(option, value, field) -> None:
    done = run_cli(option, value, "start")
    assert done.returncode == 2
    assert field in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize("option", ["--endpoint", "--agent-instance-id"])
def test_an_override_the_demo_would_ignore_is_refused(option) -> None:
    done = run_cli("--demo", option, "http://127.0.0.1:9", "start")
    assert done.returncode == 2
    assert f"{option}: cannot be combined with --demo" in done.stderr and done.stderr.count("\n") == 1


def test_an_unknown_secret_like_option_is_named_but_its_value_is_never_echoed() -> None:
    secret = "S3CRETvalueThatMustNotBeEchoed00"
    for args in (("--secret", secret), (f"--secret={secret}",), ("--server-secret", secret)):
        done = run_cli("credentials", "set", "--app-id", "1", *args)
        assert done.returncode == 2 and "unrecognized arguments" in done.stderr
        assert secret not in done.stderr + done.stdout, args


def test_options_are_never_abbreviated() -> None:
    done = run_cli("credentials", "set", "--app-id", "1", "--secret")
    assert done.returncode == 2 and "unrecognized arguments: --secret" in done.stderr


def test_empty_agent_instance_id_says_it_is_not_set(real_keyring, simulator, credentials) -> None:
    profile = f"bad-{uuid.uuid4().hex[:8]}"
    run_cli(
        "--profile", profile, "credentials", "set", "--app-id", str(credentials.app_id), stdin=credentials.server_secret + "\n"
    )
    try:
        done = run_cli("--profile", profile, "--endpoint", simulator.base_url, "--agent-instance-id", "", "start")
    finally:
        run_cli("--profile", profile, "credentials", "clear")
    assert done.returncode == 2 and "AgentInstanceId: not set" in done.stderr


def test_unreachable_host_is_a_clear_call_failure(real_keyring, credentials) -> None:
    profile = f"bad-{uuid.uuid4().hex[:8]}"
    run_cli(
        "--profile", profile, "credentials", "set", "--app-id", str(credentials.app_id), stdin=credentials.server_secret + "\n"
    )
    try:
        done = run_cli("--profile", profile, "--endpoint", "https://no-such-host.invalid", "--agent-instance-id", "i", "start")
    finally:
        run_cli("--profile", profile, "credentials", "clear")
    assert done.returncode == 1
    assert "host name not found" in done.stderr or "could not" in done.stderr or "no connection" in done.stderr


def test_invalid_setting_is_refused_and_the_saved_file_is_untouched() -> None:
    assert run_cli("config", "set", "user_id", "operator-1").returncode == 0
    before = settings_path().read_bytes()
    done = run_cli("config", "set", "read_timeout_s", "1000")
    assert done.returncode == 2 and "read_timeout_s" in done.stderr
    assert settings_path().read_bytes() == before


def test_corrupted_settings_file_starts_with_defaults_and_keeps_the_broken_file_aside() -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("{ this is not json", encoding="utf-8")
    done = run_cli("config", "show")
    assert done.returncode == 0
    assert json.loads(done.stdout)["endpoint"].startswith("https://")
    broken = list(settings_path().parent.glob("settings.json.broken-*"))
    assert len(broken) == 1 and broken[0].read_text(encoding="utf-8") == "{ this is not json"
    assert "broken" in done.stderr
