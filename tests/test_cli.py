"""`ptt-app` commands as an operator runs them: real processes, real simulator, real keyring."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ptt_app.api.types import Credentials
from ptt_app.sim import AgentApiSimulator
from ptt_app.store.paths import journal_path

REQUEST_ID = re.compile(r"RequestId=(\S+)")


def run_cli(*args: str, stdin: str = "", env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ptt_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@contextmanager
def credentials_saved_by_cli(profile: str, credentials: Credentials) -> Iterator[str]:
    """The profile's AppId and ServerSecret saved in the keyring by `ptt-app credentials set` (the secret on
    stdin, as an operator gives it), and cleared from it afterwards; yields the profile's name."""
    saved = run_cli("--profile", profile, "credentials", "set", "--app-id", str(credentials.app_id),
                    stdin=credentials.server_secret + "\n")
    assert saved.returncode == 0, saved.stderr
    try:
        yield profile
    finally:
        run_cli("--profile", profile, "credentials", "clear")


def test_demo_talk_prints_two_request_ids_and_exits_zero() -> None:
    done = run_cli("--demo", "talk", "--hold", "0.2")
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith(("StartListening", "StopListening"))]
    assert [line.split()[0] for line in lines] == ["StartListening", "StopListening"]
    ids = [REQUEST_ID.search(line).group(1) for line in lines]
    assert all(ids) and "-" not in ids and ids[0] != ids[1]


def test_log_shows_the_demo_requests_afterwards_as_json() -> None:
    talk = run_cli("--demo", "talk", "--hold", "0.2")
    ids = REQUEST_ID.findall(talk.stdout)
    log = run_cli("log", "--last", "2", "--json")
    assert log.returncode == 0, log.stderr
    rows = json.loads(log.stdout)
    assert [row["request_id"] for row in rows] == ids
    assert [row["action"] for row in rows] == ["StartListening", "StopListening"]
    assert rows[0]["sequence"] < rows[1]["sequence"]


def test_talk_sequences_keep_increasing_across_runs() -> None:
    run_cli("--demo", "talk", "--hold", "0")
    run_cli("--demo", "talk", "--hold", "0")
    rows = json.loads(run_cli("log", "--last", "10", "--json").stdout)
    sequences = [row["sequence"] for row in rows if row["action"] in ("StartListening", "StopListening")]
    assert sequences == sorted(sequences) and len(set(sequences)) == 4


def test_endpoint_over_plain_http_to_a_remote_host_is_refused_naming_the_field() -> None:
    done = run_cli("--endpoint", "http://example.com/", "start")
    assert done.returncode == 2
    assert "endpoint" in done.stderr and done.stderr.count("\n") == 1


def test_hold_out_of_range_is_refused() -> None:
    done = run_cli("--demo", "talk", "--hold", "-1")
    assert done.returncode == 2 and "--hold" in done.stderr


def test_start_without_an_instance_names_agent_instance_id(real_keyring, simulator, credentials) -> None:
    profile = f"cli-{uuid.uuid4().hex[:8]}"
    run_cli(
        "--profile", profile, "credentials", "set", "--app-id", str(credentials.app_id), stdin=credentials.server_secret + "\n"
    )
    try:
        done = run_cli("--profile", profile, "--endpoint", simulator.base_url, "start")
        assert done.returncode == 2 and "AgentInstanceId" in done.stderr
    finally:
        run_cli("--profile", profile, "credentials", "clear")


def test_no_keyring_backend_fails_clearly_and_stores_nothing(server_secret, private_app_dirs) -> None:
    done = run_cli(
        "credentials",
        "set",
        "--app-id",
        "123",
        stdin=server_secret + "\n",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert done.returncode == 3
    assert "keyring" in done.stderr and "plain file" in done.stderr
    assert server_secret not in done.stdout + done.stderr
    assert_secret_nowhere(private_app_dirs, server_secret)


def assert_secret_nowhere(root: Path, secret: str) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), f"secret found in {path}"


def test_secret_appears_in_no_file_and_no_output(
    real_keyring, simulator: AgentApiSimulator, credentials, private_app_dirs
) -> None:
    profile = f"leak-{uuid.uuid4().hex[:8]}"
    instance = simulator.create_instance(agent_id="a", user_id="u")
    secret = credentials.server_secret
    outputs = []
    try:
        steps = [
            (("credentials", "set", "--app-id", str(credentials.app_id)), secret + "\n"),
            (("credentials", "check"), ""),
            (("config", "set", "endpoint", simulator.base_url), ""),
            (("config", "set", "agent_instance_id", instance), ""),
            (("talk", "--hold", "0.1"), ""),
            (("instance", "status"), ""),
            (("config", "show"), ""),
            (("log", "--last", "5", "--json"), ""),
        ]
        for args, stdin in steps:
            done = run_cli("--profile", profile, *args, stdin=stdin)
            outputs.append(done.stdout + done.stderr)
            assert done.returncode == 0, (args, done.stderr)
        assert not simulator.is_listening(instance)
    finally:
        run_cli("--profile", profile, "credentials", "clear")
    assert all(secret not in output for output in outputs)
    assert_secret_nowhere(private_app_dirs, secret)
    assert list(private_app_dirs.rglob("*.sqlite3")), "the journal should have been written"


def test_call_failure_exits_nonzero_with_one_line_reason(real_keyring, simulator, credentials) -> None:
    profile = f"fail-{uuid.uuid4().hex[:8]}"
    run_cli(
        "--profile",
        profile,
        "credentials",
        "set",
        "--app-id",
        str(credentials.app_id + 1),
        stdin=credentials.server_secret + "\n",
    )
    try:
        done = run_cli("--profile", profile, "--endpoint", simulator.base_url, "--agent-instance-id", "x", "start")
        assert done.returncode == 1
        assert "StartListening failed" in done.stderr and "AppId" in done.stderr
    finally:
        run_cli("--profile", profile, "credentials", "clear")


def test_log_on_an_unreadable_journal_says_so_exits_1_and_leaves_the_file(private_app_dirs) -> None:
    journal = journal_path()
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(b"not a database at all " * 100)
    done = run_cli("log", "--last", "3")
    assert done.returncode == 1, done
    assert "cannot be read" in done.stderr and "file is not a database" in done.stderr
    assert journal.read_bytes().startswith(b"not a database")


def test_log_export_writes_the_whole_journal_and_refuses_other_suffixes(tmp_path) -> None:
    run_cli("--demo", "talk", "--hold", "0")
    done = run_cli("log", "--export", str(tmp_path / "all.json"))
    assert done.returncode == 0 and "exported" in done.stdout
    assert {row["action"] for row in json.loads((tmp_path / "all.json").read_text())} >= {"StartListening", "StopListening"}
    refused = run_cli("log", "--export", str(tmp_path / "all.txt"))
    assert refused.returncode == 2 and "--export" in refused.stderr


def test_config_set_saves_a_talk_key_in_its_canonical_spelling_and_the_scope() -> None:
    assert run_cli("config", "set", "hold_key", "f13").returncode == 0
    assert run_cli("config", "set", "hotkey_scope", "global").returncode == 0
    shown = json.loads(run_cli("config", "show").stdout)
    assert shown["hold_key"] == "F13" and shown["hotkey_scope"] == "global"


def test_config_set_region_saves_the_regions_host() -> None:
    assert run_cli("config", "set", "region", "sgp").returncode == 0
    shown = json.loads(run_cli("config", "show").stdout)
    assert shown["region"] == "sgp" and shown["endpoint"] == "https://aigc-aiagent-api-sgp.zegotech.cn"
    refused = run_cli("config", "set", "region", "mars")
    assert refused.returncode == 2 and "region: must be one of unified, sha, hkg, fra, lax, bom, sgp, custom" in refused.stderr


def test_config_set_language_says_it_applies_to_every_profile() -> None:
    done = run_cli("config", "set", "language", "zh_CN")
    assert done.returncode == 0 and "whole app" in done.stdout and "profile 'default'" not in done.stdout
    assert json.loads(run_cli("config", "show").stdout)["language"] == "zh_CN"


def test_the_log_file_names_each_call_with_its_request_id(private_app_dirs) -> None:
    talk = run_cli("--demo", "talk", "--hold", "0")
    ids = REQUEST_ID.findall(talk.stdout)
    log = (private_app_dirs / "data" / "logs" / "ptt-app.log").read_text()
    for action, request_id in zip(("StartListening", "StopListening"), ids, strict=True):
        assert f"{action} RequestId={request_id} Code=0" in log
