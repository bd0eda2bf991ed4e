"""No release lost to a dead connection, through the command line: `ptt-app --profile P talk --hold S` as an
operator runs it (a real process, credentials in a real keyring), against the simulator over HTTPS behind
the network lab (tests/support/netlab.py).

After an idle spell longer than the lab's idle limit, the release succeeds on the first try; with every
connection killed while the key is held (closed, reset or blackholed), the release still stops the agent
long before a read timeout, and the journal shows every attempt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from test_cli import credentials_saved_by_cli, run_cli

from ptt_app.api.types import Credentials
from ptt_app.store.journal import JournalEntry, JournalReader, JournalStatus
from ptt_app.store.paths import journal_path, settings_path
from ptt_app.store.settings import AppSettings, ProfileSettings, SettingsStore
from support import network_rig
from support.netlab import LinkSettings
from support.network_rig import (
    CLIENT_IDLE_LIMIT_S,
    MAINTAIN_EVERY_S,
    MODES,
    ONE_WAY_DELAY_MS,
    SENDER_THREADS,
    dropping_idle,
    kill_every_connection,
)

START, STOP = "StartListening", "StopListening"
# Longer than both idle limits (support/network_rig.py).
IDLE_HOLD_S = 1.5
# Long enough for every sender thread to open its connection before they are killed while the key is held.
DEAD_HOLD_S = 3.0
# Every sender thread opens (warms up) one connection when the session opens: a TLS handshake at 150 ms RTT,
# then the session tickets a round trip later.
WARM_UP_S = 0.6
# The blackholed first attempt ends at this read timeout; the deadline resend (under 0.5 s) comes long before.
READ_TIMEOUT_S = 3.0
# `python -m ptt_app ARGS` with the client's idle limit and the sender threads' upkeep scaled down as in the
# window tests: the real limit (15 s) would make each test wait that long. Nothing else differs.
SCALED_CLI = f"""
import runpy, sys
from ptt_app.api import sender_pool
from ptt_app.api import http_client
http_client.DEFAULT_IDLE_LIMIT_S = {CLIENT_IDLE_LIMIT_S}
sender_pool.MAINTAIN_EVERY_S = {MAINTAIN_EVERY_S}
sys.argv[0] = "ptt_app"
runpy.run_module("ptt_app", run_name="__main__", alter_sys=True)
"""


# The shared fixtures of support/network_rig.py (HTTPS simulator, labs in front of it).
simulator = network_rig.simulator
make_lab = network_rig.make_lab


@pytest.fixture
def profile(real_keyring, credentials: Credentials) -> Iterator[str]:
    """A profile whose credentials are in the keyring, saved there by `ptt-app credentials set`; removed after."""
    with credentials_saved_by_cli(f"net-{uuid.uuid4().hex[:8]}", credentials) as name:
        yield name


def save_settings(profile: str, endpoint: str, instance_id: str) -> None:
    """The profile talks to the lab, with a short read timeout."""
    settings = ProfileSettings(endpoint=endpoint, agent_instance_id=instance_id, user_id="test-user",
                               read_timeout_s=READ_TIMEOUT_S)
    SettingsStore(settings_path()).save(AppSettings(active_profile=profile, profiles={profile: settings}))


def start_cli(*args: str, scaled: bool = False) -> subprocess.Popen:
    program = ["-c", SCALED_CLI] if scaled else ["-m", "ptt_app"]
    return subprocess.Popen([sys.executable, *program, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"the command did not end: {err}")
    return process.returncode, out, err


def wait_until(condition: Callable[[], bool], timeout_s: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the command ended early: {process.communicate()}")
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def listening_rows() -> list[JournalEntry]:
    """Every Start/Stop row of the journal, oldest first."""
    with JournalReader(journal_path()) as reader:
        rows = reader.newer_than(None, 100)
    return [row for row in rows if row.action in (START, STOP)]


@pytest.mark.parametrize("mode", MODES)
def test_after_holding_longer_than_the_idle_limit_the_release_succeeds_on_the_first_try(
        make_lab, mode, profile, simulator, instance_id) -> None:
    settings = dropping_idle(mode)
    lab = make_lab(settings)
    save_settings(profile, lab.base_url, instance_id)
    process = start_cli("--profile", profile, "talk", "--hold", str(IDLE_HOLD_S), scaled=True)
    wait_until(lambda: simulator.is_listening(instance_id), 10.0, process)
    at_press = lab.counters()
    status, out, err = finish(process)

    assert status == 0, err
    assert [line.split()[0] for line in out.splitlines() if line.startswith((START, STOP))] == [START, STOP]
    rows = listening_rows()
    assert [(row.action, row.status, row.outcome) for row in rows] == [
        (START, JournalStatus.ANSWERED, "ok"), (STOP, JournalStatus.ANSWERED, "ok")], "one attempt each, both answered"
    assert not simulator.is_listening(instance_id)
    assert lab.counters().connections_accepted > at_press.connections_accepted, "idle connections were replaced"


@pytest.mark.parametrize("how", ["fin", "reset", "blackhole"])
def test_when_every_connection_dies_while_held_the_release_still_stops_the_agent(
        make_lab, how, profile, simulator, instance_id) -> None:
    lab = make_lab(LinkSettings(delay_ms=ONE_WAY_DELAY_MS))
    save_settings(profile, lab.base_url, instance_id)
    process = start_cli("--profile", profile, "talk", "--hold", str(DEAD_HOLD_S))
    wait_until(lambda: simulator.is_listening(instance_id), 10.0, process)
    # Every sender thread holds a connection (a thread whose warm-up were cut short would send the Stop on a
    # new connection, which nothing kills).
    wait_until(lambda: lab.counters().connections_open >= SENDER_THREADS, 5.0, process)
    time.sleep(WARM_UP_S)
    assert kill_every_connection(lab, how) >= SENDER_THREADS
    status, out, err = finish(process)

    assert status == 0, err
    assert not simulator.is_listening(instance_id)
    acted = simulator.last_acted(instance_id)
    assert acted is not None and acted.action == STOP
    stops = [row for row in listening_rows() if row.action == STOP]
    assert all(row.status is not JournalStatus.PENDING for row in stops), "every attempt ended in the journal"
    assert any(row.sequence == acted.sequence and row.outcome == "ok" for row in stops)
    if how == "blackhole":
        # Swallowed: resent under a new Sequence at the engine's deadline, not after the read timeout (which
        # the first attempt's row shows it reached).
        assert (stops[0].status, stops[0].outcome) == (JournalStatus.FAILED, "timeout"), (stops, err)
        assert acted.sequence > stops[0].sequence
        assert acted.received_wall - (stops[0].sent_at or 0) < READ_TIMEOUT_S
    else:
        # Seen closed or reset as the Stop goes out: sent on a fresh connection at once, and no attempt fails.
        assert all(row.status is JournalStatus.ANSWERED for row in stops), stops
    log = json.loads(run_cli("--profile", profile, "log", "--last", "10", "--json").stdout)
    assert [row["sequence"] for row in log if row["action"] == STOP] == [row.sequence for row in stops]
