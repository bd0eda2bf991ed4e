"""Every message the app can produce, in one style: sentence case, one term per concept, the cause kept to the
end, and never a signed URL, query string, signature or nonce.

The transport failures are real ones (an untrusted certificate, an unknown host, a closed port, a reset, a
silent server) met by the real client; the window's messages are collected from the real window while it
goes through the situations that produce them; the command line's from the real `ptt-app`."""

from __future__ import annotations

import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from ptt_app.api import codes
from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import START_LISTENING, ApiResult, Credentials, Outcome, listening_request
from ptt_app.gui.agent_view import LISTENING_REFUSAL
from ptt_app.gui.main_window import MainWindow
from ptt_app.session.console import describe_open_failure
from ptt_app.session.demo import DemoStartFailed
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.sim import AgentApiSimulator, Fault, FaultKind, SimConfig
from ptt_app.store.credentials import (
    CredentialsMissing,
    InvalidCredential,
    KeyringLocked,
    KeyringMisconfigured,
    KeyringUnavailable,
)
from ptt_app.store.settings import InvalidSettings
from ptt_app.talk.advice import TalkContext, advise
from ptt_app.talk.intents import TalkState

# Pieces of a signed request that must never reach an operator's eyes.
SIGNED_URL = re.compile(r"[?&](Action|AppId|SignatureNonce|Timestamp|Signature|SignatureVersion)=|Signature=|Nonce=")
# Python and library internals are not words for an operator.
INTERNALS = re.compile(r"HTTPS?ConnectionPool|Max retries exceeded|object at 0x|urllib3\.|requests\.exceptions|Errno \d")
# One term per concept: the left-hand spellings are not used (the API's own names are).
OTHER_TERMS = {
    r"\b[Ii]nstance [Ii][Dd]\b|\bAgent [Ii]nstance [Ii]d\b": "AgentInstanceId",
    r"\bApp ?ID\b|\bapp id\b": "AppId",
    r"\b[Ss]erver [Ss]ecret\b|\bsecret key\b": "ServerSecret",
    r"\b[Rr]equest ?ID\b|\brequest id\b": "RequestId",
    r"\binstance panel\b": "View → Agent instance",
    r"--demo|ptt-app credentials": "window words, not command-line flags",
}


def style_problems(text: str) -> list[str]:
    """What is wrong with a full sentence (or sentences) shown to the operator."""
    problems = [f"shows part of a signed request: {text!r}"] if SIGNED_URL.search(text) else []
    if INTERNALS.search(text):
        problems.append(f"shows library internals: {text!r}")
    if not text[:1].isupper():
        problems.append(f"does not begin with a capital letter: {text!r}")
    if text[-1:] not in (".", "…", "?", "!", ")"):
        problems.append(f"does not end a sentence: {text!r}")
    if re.search(r"\. [a-z]", text.replace("e.g. ", "")):
        problems.append(f"a sentence begins in lower case: {text!r}")
    if "  " in text or " ." in text or " ," in text or "..." in text or text != text.strip():
        problems.append(f"spacing or dots: {text!r}")
    for pattern, term in OTHER_TERMS.items():
        if re.search(pattern, text):
            problems.append(f"says {re.search(pattern, text).group(0)!r} where the app says {term}: {text!r}")
    return problems


# --- transport failures, through the real client -----------------------------------------------------


@pytest.fixture
def refusing_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def resetting_server() -> Iterator[str]:
    """Accepts, lets the request arrive unread, and answers with a TCP reset (RST, not FIN)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            time.sleep(0.05)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def failed_start(credentials: Credentials, endpoint: str, read_timeout_s: float = 2.0) -> ApiResult:
    client = AgentApiClient(credentials, endpoint, connect_timeout_s=2.0, read_timeout_s=read_timeout_s)
    try:
        return client.send(listening_request(START_LISTENING, "instance-1", "", 7))
    finally:
        client.close()


def check_transport_message(result: ApiResult, cause: str) -> None:
    message = result.message
    assert result.outcome in (Outcome.TRANSPORT_ERROR, Outcome.TIMEOUT)
    assert not SIGNED_URL.search(message), message
    assert not INTERNALS.search(message), message
    assert not message.endswith("…"), f"cut before its cause: {message}"
    last_clause = message.rsplit(": ", 1)[-1]
    assert cause in last_clause, f"does not end with its cause ({cause!r}): {message}"
    # As the window says it (the talk panel ends the sentence).
    assert style_problems(f"{result.action} (Sequence 7) failed: {result.explanation()}.") == []


def test_an_untrusted_certificate_is_said_with_its_cause_and_no_signed_url(credentials) -> None:
    config = SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret, tls=True)
    with AgentApiSimulator(config) as tls_simulator:
        result = failed_start(credentials, tls_simulator.base_url)
    check_transport_message(result, "certificate")


def test_an_unknown_host_is_said_with_its_cause(credentials) -> None:
    check_transport_message(failed_start(credentials, "https://no-such-host.invalid"), "host name not found")


def test_a_refused_connection_is_said_with_its_cause(credentials, refusing_port) -> None:
    check_transport_message(failed_start(credentials, f"http://127.0.0.1:{refusing_port}"), "connection refused")


def test_a_reset_connection_is_said_with_its_cause(credentials, resetting_server) -> None:
    check_transport_message(failed_start(credentials, resetting_server), "reset")


def test_a_silent_server_is_said_with_its_cause(credentials, simulator) -> None:
    simulator.add_fault(Fault(FaultKind.STALL, action=START_LISTENING, seconds=3.0, times=2))
    result = failed_start(credentials, simulator.base_url, read_timeout_s=0.3)
    check_transport_message(result, "no answer")
    assert "0.3 s" in result.message


# --- codes and advice ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(codes.DOCUMENTED_CODES))
def test_every_documented_code_reads_as_code_message_meaning_and_what_to_do(code: int) -> None:
    result = ApiResult(START_LISTENING, 7, 0.0, 1.0, Outcome.API_ERROR, 200, code, "server words", "rid")
    text = result.explanation()
    info = codes.code_info(code)
    assert info is not None
    if code == codes.SUCCESS:
        assert text == "Code 0: server words"
        return
    assert text == f"Code {code}: server words ({info.meaning}; {info.hint})"
    assert style_problems(f"{START_LISTENING} failed: {text}") == []


def test_an_unknown_code_is_shown_verbatim_and_nothing_is_guessed() -> None:
    result = ApiResult(START_LISTENING, 7, 0.0, 1.0, Outcome.API_ERROR, 200, 499999999, "Something new", "rid")
    assert result.explanation() == "Code 499999999: Something new"


def test_a_code_without_a_message_reads_without_an_empty_clause() -> None:
    result = ApiResult(START_LISTENING, 7, 0.0, 1.0, Outcome.API_ERROR, 200, codes.USER_NOT_PUBLISHING, "", "rid")
    assert result.explanation().startswith("Code 410001046 (the user has not started publishing audio")


@pytest.mark.parametrize("code", [codes.USER_NOT_PUBLISHING, codes.NOT_WALKIE_TALKIE, codes.INSTANCE_NOT_FOUND,
                                  codes.SEQUENCE_OUTDATED])
def test_every_piece_of_advice_is_a_sentence_naming_the_users_things(code: int) -> None:
    result = ApiResult(START_LISTENING, 7, 0.0, 1.0, Outcome.API_ERROR, 200, code, "words", "rid")
    advice = advise(result, TalkContext("inst-9", "op-3", "room-5"))
    assert advice is not None and style_problems(advice.text) == []
    assert code == codes.SEQUENCE_OUTDATED or any(name in advice.text for name in ("inst-9", "op-3"))


# --- the window's own sentences -----------------------------------------------------------------------------


@pytest.mark.parametrize("error", [
    CredentialsMissing("no AppId and ServerSecret saved in the keyring for profile 'default'"),
    KeyringUnavailable("no system keyring is available"),
    KeyringMisconfigured("PYTHON_KEYRING_BACKEND names keyring.backends.fail.Keyring, which cannot be used"),
    KeyringLocked("the keyring is locked"),
    InvalidCredential("ServerSecret", "must be 32 characters, got 12"),
    InvalidSettings(["endpoint: must be a URL like https://aigc-aiagent-api.zegotech.cn"]),
    DemoStartFailed("the demo simulator did not create an instance: Code 410000011: limit"),
], ids=lambda error: type(error).__name__)
def test_why_a_session_could_not_open_is_said_in_window_words(error: Exception) -> None:
    _kind, text = describe_open_failure(error)
    assert style_problems(text) == []


@pytest.fixture
def collected(qtbot):
    """The demo window, and every message it shows from now on."""
    window = MainWindow(ConsoleOptions(demo=True))
    window.remember_geometry = False
    messages: list[str] = []
    window.message_shown.connect(lambda text, _error: messages.append(text))
    window.show()
    qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
    yield window, messages
    if not window._drained:
        window.close()
        qtbot.waitUntil(lambda: window._drained, timeout=10000)


def test_every_message_the_window_shows_on_a_working_day_is_in_style(qtbot, collected, tmp_path) -> None:
    window, messages = collected
    window.press("test")
    window.release("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.IDLE, timeout=3000)
    for state in ("silent", "absent", "publishing"):
        window.set_demo_user_state(state)
    window.set_demo_user_state("silent")
    window.press("test")
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    window.release("test")
    window.log_view.copy_request_id(0)
    window.log_view.copy_row(0)
    window.log_view.copy_row_as_json(0)
    window.export_requested.emit(str(tmp_path / "log.csv"), "csv")
    window.export_requested.emit(str(tmp_path / "no-such-folder" / "log.json"), "json")
    qtbot.waitUntil(lambda: sum(text.startswith("Export") for text in messages) == 2, timeout=3000)
    window.help.open_log()
    window.close()
    qtbot.waitUntil(lambda: window._drained, timeout=5000)
    assert len(messages) >= 10
    assert [problem for text in messages for problem in style_problems(text)] == []


def test_the_banner_light_say_box_and_panel_speak_the_same_style(qtbot, collected) -> None:
    window, _messages = collected
    texts: list[str] = []
    window.set_demo_user_state("silent")
    window.press("test")
    qtbot.waitUntil(window.agent.banner.isVisible, timeout=3000)
    texts.append(window.agent.banner.text_label.text())
    window.agent.transcript.say_field.setText("Hello.")
    texts.append(window.agent.transcript.say_note.text())
    window.release("test")
    window.agent.banner.remedy_button.click()
    texts.append(window.agent.banner.text_label.text())
    window.agent.transcript.say_field.setText("x" * 301)
    texts.append(window.agent.transcript.say_note.text())
    window.instance_panel.set_profile("demo", window._session.profile.__class__(agent_id=""))
    window.instance_panel.create_button.click()
    texts.append(window.instance_panel.result_label.text())
    texts.append(window.agent.transcript.state_label.text())
    assert LISTENING_REFUSAL in texts
    assert [problem for text in texts if text for problem in style_problems(text)] == []


# --- the command line ---------------------------------------------------------------------------------


def test_a_failing_command_says_why_without_any_part_of_the_signed_request(private_app_dirs) -> None:
    env = {**os.environ, "PTT_APP_CONFIG_DIR": str(private_app_dirs / "config"),
           "PTT_APP_DATA_DIR": str(private_app_dirs / "data")}
    run = subprocess.run([sys.executable, "-m", "ptt_app", "--demo", "instance", "status", "no-such-instance"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1
    assert "Code=410001002" in run.stdout + run.stderr
    for line in (run.stdout + run.stderr).splitlines():
        assert not SIGNED_URL.search(line) and not INTERNALS.search(line), line
