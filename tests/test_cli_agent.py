"""The agent commands of `ptt-app` as an operator runs them: status, interrupt, say, transcript, start and stop
answers, instance create/delete, and `log --json`. Each runs the real program in a subprocess against the real
simulator over loopback, with credentials saved in a real keyring by `ptt-app credentials set`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from test_cli import credentials_saved_by_cli, run_cli
from test_journal_faults import fill_up

from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import DELETE_AGENT_INSTANCE, STOP_LISTENING, Credentials, instance_request, listening_request
from ptt_app.sim import AgentApiSimulator, Fault, FaultKind, SimConfig
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import journal_path, settings_path
from ptt_app.store.settings import AppSettings, ProfileSettings, SettingsStore
from support.netlab import NetLab

USER = "test-user"
START, STOP, TTS = "StartListening", "StopListening", "SendAgentInstanceTTS"
REQUEST_ID = re.compile(r"RequestId=(\d+)")
ROUND = re.compile(r"\bRound=(\S+)")
# The agent thinks briefly and then speaks for far longer than any test runs, so THINKING/SPEAKING lasts until
# something (an interrupt) ends it.
THINKING_S = 0.3
SPEAKING_S = 120.0
WAIT_S = 10.0


@pytest.fixture
def simulator(credentials: Credentials) -> Iterator[AgentApiSimulator]:
    """The simulator of conftest, with an agent that speaks until interrupted."""
    config = SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret, thinking_s=THINKING_S,
                       speaking_s=SPEAKING_S)
    with AgentApiSimulator(config) as sim:
        yield sim


@pytest.fixture
def profile(real_keyring, credentials: Credentials, simulator: AgentApiSimulator, instance_id: str) -> Iterator[str]:
    """A profile talking to the simulator's instance as USER; its credentials saved in the keyring by
    `ptt-app credentials set` (the secret on stdin) and cleared afterwards."""
    name = f"agent-{uuid.uuid4().hex[:8]}"
    save_settings(name, ProfileSettings(endpoint=simulator.base_url, agent_instance_id=instance_id, user_id=USER,
                                        read_timeout_s=3.0))
    with credentials_saved_by_cli(name, credentials):
        yield name


def save_settings(name: str, settings: ProfileSettings) -> None:
    SettingsStore(settings_path()).save(AppSettings(active_profile=name, profiles={name: settings}))


def cli(profile: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return run_cli("--profile", profile, *args, timeout=timeout)


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"not reached within {timeout_s:g} s: {what}"
        time.sleep(0.01)


def line_of(output: str, action: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(f"{action} ")]
    return line


def received(simulator: AgentApiSimulator, action: str) -> list:
    return [record for record in simulator.received() if record.action == action]


def shown_config(profile: str) -> dict:
    shown = cli(profile, "config", "show")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def one_turn(profile: str, simulator: AgentApiSimulator, instance_id: str) -> None:
    """StartListening then StopListening through the CLI: the agent thinks, then speaks its answer."""
    for command in ("start", "stop"):
        done = cli(profile, command)
        assert done.returncode == 0, done.stderr
    wait_for(lambda: simulator.status_of(instance_id) == "SPEAKING", "the agent speaks its answer")


# --- status ----------------------------------------------------------------------------------------------------


def test_status_prints_idle_with_the_request_id(profile, simulator) -> None:
    done = cli(profile, "status")
    assert done.returncode == 0, done.stderr
    assert "Status=IDLE" in done.stdout.splitlines()
    [query] = received(simulator, "QueryAgentInstanceStatus")
    assert REQUEST_ID.search(line_of(done.stdout, "QueryAgentInstanceStatus")).group(1) == query.request_id


def test_status_after_start_prints_listening(profile, simulator, instance_id) -> None:
    assert cli(profile, "start").returncode == 0
    done = cli(profile, "status")
    assert done.returncode == 0, done.stderr
    assert "Status=LISTENING" in done.stdout.splitlines()


def test_start_stop_and_status_lines_carry_the_round(profile, simulator, instance_id) -> None:
    started, stopped, status = cli(profile, "start"), cli(profile, "stop"), cli(profile, "status")
    assert [started.returncode, stopped.returncode, status.returncode] == [0, 0, 0], started.stderr + stopped.stderr
    [start], [stop] = received(simulator, START), received(simulator, STOP)
    assert ROUND.search(line_of(started.stdout, START)).group(1) == str(start.round)
    assert ROUND.search(line_of(stopped.stdout, STOP)).group(1) == str(stop.round) == str(start.round)
    # QueryAgentInstanceStatus answers no Round: the line says so rather than leaving the field out.
    assert ROUND.search(line_of(status.stdout, "QueryAgentInstanceStatus")).group(1) == "-"


# --- interrupt -------------------------------------------------------------------------------------------------


def test_interrupt_after_a_turn_ends_the_answer_and_the_agent_goes_idle(profile, simulator, instance_id) -> None:
    one_turn(profile, simulator, instance_id)
    done = cli(profile, "interrupt")
    assert done.returncode == 0, done.stderr
    assert line_of(done.stdout, "InterruptAgentInstance")
    wait_for(lambda: simulator.status_of(instance_id) == "IDLE", "the agent is idle after the interrupt")
    assert cli(profile, "status").stdout.splitlines()[-1] == "Status=IDLE"


# --- say -------------------------------------------------------------------------------------------------------


def test_say_sends_the_text_and_succeeds(profile, simulator, instance_id) -> None:
    done = cli(profile, "say", "Unit 7, please confirm.")
    assert done.returncode == 0, done.stderr
    [tts] = received(simulator, TTS)
    assert tts.body["Text"] == "Unit 7, please confirm." and tts.body["AgentInstanceId"] == instance_id
    assert REQUEST_ID.search(line_of(done.stdout, TTS)).group(1) == tts.request_id


def test_say_with_301_characters_is_refused_naming_the_limit_and_sends_nothing(profile, simulator) -> None:
    done = cli(profile, "say", "x" * 301)
    assert done.returncode == 2
    assert "at most 300 characters" in done.stderr and "301" in done.stderr
    assert received(simulator, TTS) == []


def test_say_while_listening_is_refused_by_the_server_in_words(profile, simulator, instance_id) -> None:
    assert cli(profile, "start").returncode == 0
    done = cli(profile, "say", "hello")
    assert done.returncode == 1
    assert "410001013" in done.stderr and "the agent is listening" in done.stderr
    assert "release the talk button" in done.stderr
    assert done.stdout == ""


def test_say_sends_the_priority_asked_for(profile, simulator) -> None:
    done = cli(profile, "say", "--priority", "High", "Evacuate now.")
    assert done.returncode == 0, done.stderr
    [tts] = received(simulator, TTS)
    assert tts.body["Priority"] == "High"


# --- transcript ------------------------------------------------------------------------------------------------


def test_transcript_json_after_a_turn_is_the_agents_message_list(profile, simulator, instance_id) -> None:
    one_turn(profile, simulator, instance_id)
    done = cli(profile, "transcript", "--json")
    assert done.returncode == 0, done.stderr
    json_text = done.stdout[done.stdout.index("["):]
    messages = json.loads(json_text)
    assert messages == [dict(message) for message in simulator.instance(instance_id).messages]
    assert [message["Role"] for message in messages] == ["user", "assistant"]


def test_plain_transcript_prints_one_line_per_message(profile, simulator, instance_id) -> None:
    one_turn(profile, simulator, instance_id)
    done = cli(profile, "transcript")
    assert done.returncode == 0, done.stderr
    expected = [f"{m['Role']}: {m['Content']}" for m in simulator.instance(instance_id).messages]
    assert done.stdout.splitlines()[1:] == expected and len(expected) == 2


# --- answers that are not plain successes ------------------------------------------------------------------------


def test_a_start_with_an_outdated_sequence_is_said_to_be_ignored_and_exits_1(profile, simulator, instance_id,
                                                                             client: AgentApiClient) -> None:
    far_ahead = int(time.time() * 1000) + 10**9
    assert client.send(listening_request(STOP_LISTENING, instance_id, USER, far_ahead)).ok
    done = cli(profile, "start")
    assert done.returncode == 1
    assert "ignored (outdated)" in done.stderr.lower() and "410001043" in done.stderr
    assert done.stdout == ""
    assert not simulator.is_listening(instance_id)


def test_a_failed_call_is_printed_once_on_stderr_only(profile, simulator) -> None:
    done = cli(profile, "--agent-instance-id", "1900000000000000000", "status")
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("ptt-app: QueryAgentInstanceStatus failed: ") and "410001002" in line
    [query] = received(simulator, "QueryAgentInstanceStatus")
    assert REQUEST_ID.search(line).group(1) == query.request_id


def start_with_its_first_answer_lost(profile: str, simulator: AgentApiSimulator, instance_id: str):
    """`ptt-app start` whose first attempt reaches the server, but whose answer never comes: the simulator
    holds the answer and the connection is then reset, so the client resends the same Sequence at once."""
    lab = NetLab.in_front_of(simulator.base_url)
    lab.start()
    try:
        save_settings(profile, ProfileSettings(endpoint=lab.base_url, agent_instance_id=instance_id, user_id=USER,
                                               read_timeout_s=3.0))
        simulator.add_fault(Fault(FaultKind.STALL, action=START, times=1, seconds=30.0))
        process = subprocess.Popen([sys.executable, "-m", "ptt_app", "--profile", profile, "start"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        try:
            wait_for(lambda: len(received(simulator, START)) == 1, "the first attempt reaches the server")
            assert lab.reset_all() >= 1
            out, err = process.communicate(timeout=60)
        finally:
            process.kill()
    finally:
        lab.stop()
    return process.returncode, out, err


def test_a_start_whose_answer_was_lost_is_asked_again_under_a_new_sequence(profile, simulator, instance_id) -> None:
    """410001043 to the resend says only that the first attempt arrived, not how it ended: a third attempt under
    a new Sequence gets the answer that decides."""
    returncode, out, err = start_with_its_first_answer_lost(profile, simulator, instance_id)
    assert returncode == 0, err
    first, resend, again = received(simulator, START)
    assert (first.acted, resend.code, again.code) == (True, 410001043, 0)
    assert first.sequence == resend.sequence < again.sequence
    assert f"Sequence={again.sequence}" in line_of(out, START)
    [lost] = err.splitlines()
    assert "its answer was lost" in lost and f"Sequence={first.sequence}" in lost and "sending it again" in lost
    assert simulator.is_listening(instance_id)


def test_a_start_that_failed_with_its_answer_lost_is_never_taken_as_listening(profile, simulator, instance_id) -> None:
    """The user is not publishing: the first attempt fails (410001046), its answer is lost, the resend is
    answered 410001043. The start must fail with the reason, not pass for a success."""
    simulator.set_user_state("silent", instance_id)
    returncode, out, err = start_with_its_first_answer_lost(profile, simulator, instance_id)
    assert returncode == 1
    assert out == ""
    codes = [record.code for record in received(simulator, START)]
    assert codes == [410001046, 410001043, 410001046]
    assert "its answer was lost" in err.splitlines()[0]
    assert "not publishing audio" in err.splitlines()[-1] and "410001046" in err.splitlines()[-1]
    assert not simulator.is_listening(instance_id)


# --- instances -------------------------------------------------------------------------------------------------


def test_instance_create_use_saves_the_new_instance_in_the_profile(profile, simulator) -> None:
    simulator.register_agent("ops-agent")
    rtc = {"rtc_room_id": "ops-room", "agent_stream_id": "ops-agent-stream", "agent_user_id": "ops-agent-user",
           "user_stream_id": "ops-user-stream", "agent_id": "ops-agent", "agent_instance_id": ""}
    for field, value in rtc.items():
        assert cli(profile, "config", "set", field, value).returncode == 0
    done = cli(profile, "instance", "create", "--use")
    assert done.returncode == 0, done.stderr
    [created] = re.findall(r"^AgentInstanceId=(\S+)$", done.stdout, re.MULTILINE)
    assert f"saved as the AgentInstanceId of profile {profile!r}" in done.stdout
    assert shown_config(profile)["agent_instance_id"] == created
    instance = simulator.instance(created)
    assert instance is not None and (instance.agent_id, instance.user_id) == ("ops-agent", USER)
    assert instance.rtc == {"RoomId": "ops-room", "AgentStreamId": "ops-agent-stream",
                                 "AgentUserId": "ops-agent-user", "UserStreamId": "ops-user-stream"}


def test_deleting_the_profiles_own_instance_clears_it_from_the_profile(profile, simulator, instance_id) -> None:
    done = cli(profile, "instance", "delete")
    assert done.returncode == 0, done.stderr
    assert f"cleared AgentInstanceId {instance_id} from profile {profile!r}" in done.stdout
    assert simulator.instance(instance_id) is None
    assert shown_config(profile)["agent_instance_id"] == ""


def test_deleting_the_profiles_instance_that_is_already_gone_clears_it_too(profile, simulator, instance_id,
                                                                          client: AgentApiClient) -> None:
    assert client.send(instance_request(DELETE_AGENT_INSTANCE, instance_id)).ok
    done = cli(profile, "instance", "delete")
    assert done.returncode == 1
    assert "410001002" in done.stderr and f"Instance {instance_id} is gone" in done.stderr
    assert f"cleared AgentInstanceId {instance_id} from profile {profile!r}" in done.stdout
    assert shown_config(profile)["agent_instance_id"] == ""


def test_deleting_another_instance_leaves_the_profiles_own(profile, simulator, instance_id) -> None:
    other = simulator.create_instance(agent_id="test-agent", user_id="other-user")
    done = cli(profile, "instance", "delete", other)
    assert done.returncode == 0, done.stderr
    assert "cleared" not in done.stdout
    assert shown_config(profile)["agent_instance_id"] == instance_id


def test_demo_instance_create_succeeds_beside_the_demos_own_instance() -> None:
    """The demo's own instance publishes under RTC ids of its own, so the profile's AgentStreamId and
    AgentUserId (unique across instances) are free for a new one."""
    done = run_cli("--demo", "instance", "create", "--use")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^AgentInstanceId=\d+$", done.stdout, re.MULTILINE)
    assert "not saved (--use)" in done.stdout


# --- the request log ---------------------------------------------------------------------------------------------


def test_log_json_gives_iso_8601_times_that_agree_with_the_epoch_values() -> None:
    assert run_cli("--demo", "talk", "--hold", "0").returncode == 0
    done = run_cli("log", "--last", "5", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {row["action"] for row in rows} >= {START, STOP}
    for row in rows:
        for name in ("sent_at", "finished_at"):
            shown = datetime.fromisoformat(row[f"{name}_iso"])
            assert shown.tzinfo is not None, row
            # Milliseconds, cut rather than rounded.
            assert 0 <= row[name] - shown.timestamp() < 0.001, (name, row)


def test_commands_leave_no_writer_lock_file_behind(private_app_dirs: Path) -> None:
    for _ in range(3):
        assert run_cli("--demo", "talk", "--hold", "0").returncode == 0
    writers = private_app_dirs / "data" / "journal.sqlite3.writers"
    assert writers.is_dir()
    assert sorted(path.name for path in writers.glob("*.lock")) == []


# --- a journal the disk refuses mid-run ------------------------------------------------------------------------


@pytest.fixture
def tiny_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The data folder on a real 256 KiB filesystem, to fill up; skipped where this machine cannot mount one."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if sys.platform != "linux":
        pytest.skip("a tmpfs needs Linux")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()})")
    monkeypatch.setenv("PTT_APP_DATA_DIR", str(folder / "data"))
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_call_the_full_disk_refuses_to_log_is_said_once(tiny_data_dir, profile, simulator) -> None:
    assert cli(profile, "status").returncode == 0  # makes the journal
    # Held open here, the journal keeps its -wal file, so the command can open it and fails only at its write.
    with RequestJournal(journal_path()) as held:
        held.record_sent(profile="other", app_id=1, agent_instance_id="x", user_id="u", action=START, sequence=1,
                         sent_at=time.time())
        fill_up(tiny_data_dir)
        done = cli(profile, "say", "hello")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    refusal = f"cannot write the request log {journal_path()}: the disk is full"
    assert done.stderr.count(refusal) == 1, done.stderr
    assert "SendAgentInstanceTTS failed" in done.stderr
    assert received(simulator, TTS) == []


def test_a_disk_that_fills_while_talking_ends_with_the_stop_sent_and_no_lock_left(tiny_data_dir) -> None:
    process = subprocess.Popen([sys.executable, "-m", "ptt_app", "--demo", "talk", "--hold", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        first_line = process.stdout.readline()  # printed (and flushed) once the Start is answered
        assert first_line.startswith(f"{START} "), process.stderr.read() if not first_line else first_line
        fill_up(tiny_data_dir)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert line_of(out, STOP)
    assert "Traceback" not in err
    assert err.count("the disk is full") == 1, err
    writers = journal_path().with_name(journal_path().name + ".writers")
    assert list(writers.glob("*.lock")) == []


# --- settings ----------------------------------------------------------------------------------------------------


def test_a_whole_number_setting_says_it_needs_a_whole_number() -> None:
    for text in ("abc", "1.5"):
        done = run_cli("config", "set", "max_idle_time_s", text)
        assert done.returncode == 2
        assert f"max_idle_time_s: must be a whole number, got {text!r}" in done.stderr
    done = run_cli("config", "set", "read_timeout_s", "abc")
    assert done.returncode == 2 and "read_timeout_s: must be a number, got 'abc'" in done.stderr
