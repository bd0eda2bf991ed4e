"""The API client against the real simulator over loopback: signatures, rejections, and every way a
call can fail, each surfaced as a typed ApiResult, never as an exception."""

from __future__ import annotations

import socket
import time

import pytest

from ptt_app.api import codes as api_codes
from ptt_app.api import signing
from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import (
    DELETE_AGENT_INSTANCE,
    QUERY_AGENT_INSTANCE_STATUS,
    START_LISTENING,
    STOP_LISTENING,
    ApiRequest,
    Credentials,
    InstanceSpec,
    Outcome,
    instance_request,
    listening_request,
)
from ptt_app.sim import Fault, FaultKind


def start(client: AgentApiClient, instance: str, sequence: int | None = None):
    """StartListening through the client."""
    return client.send(listening_request(START_LISTENING, instance, "", sequence))


def stop(client: AgentApiClient, instance: str, sequence: int | None = None):
    """StopListening through the client."""
    return client.send(listening_request(STOP_LISTENING, instance, "", sequence))


def test_correctly_signed_start_is_accepted_and_the_instance_listens(client, simulator, instance_id) -> None:
    result = start(client, instance_id, sequence=1)
    assert result.ok and result.code == 0 and result.request_id
    assert result.http_status == 200 and result.latency_ms > 0
    assert simulator.is_listening(instance_id)


def test_stop_after_start_leaves_the_instance_not_listening(client, simulator, instance_id) -> None:
    start(client, instance_id, sequence=1)
    assert stop(client, instance_id, sequence=2).ok
    assert not simulator.is_listening(instance_id)


def test_tampered_signature_is_rejected_as_signature_wrong(simulator, instance_id) -> None:
    wrong = AgentApiClient(Credentials(simulator.app_id, "x" * 32), simulator.base_url)
    result = start(wrong, instance_id, sequence=1)
    assert result.outcome is Outcome.API_ERROR and result.code == api_codes.SIGNATURE_WRONG
    assert "ServerSecret" in result.explanation()
    assert not simulator.is_listening(instance_id)


def test_timestamp_eleven_minutes_old_is_rejected_with_a_clock_hint(simulator, credentials, instance_id) -> None:
    skewed = AgentApiClient(credentials, simulator.base_url, clock=lambda: time.time() - 11 * 60)
    result = start(skewed, instance_id, sequence=1)
    assert result.code == api_codes.SIGNATURE_EXPIRED
    assert "clock" in result.explanation()


def test_replayed_nonce_is_rejected_with_its_own_code(client, instance_id, monkeypatch) -> None:
    monkeypatch.setattr(signing, "new_nonce", lambda: "00112233aabbccdd")
    assert start(client, instance_id, sequence=1).ok
    replay = stop(client, instance_id, sequence=2)
    assert replay.outcome is Outcome.API_ERROR
    assert replay.code not in (0, api_codes.SIGNATURE_WRONG, api_codes.SIGNATURE_EXPIRED, api_codes.SECRET_NOT_FOUND)


def test_wrong_app_id_is_rejected_as_secret_not_found(simulator, credentials, instance_id) -> None:
    other = AgentApiClient(Credentials(credentials.app_id + 1, credentials.server_secret), simulator.base_url)
    result = start(other, instance_id, sequence=1)
    assert result.code == api_codes.SECRET_NOT_FOUND
    assert "AppId" in result.explanation()


def test_missing_agent_instance_id_is_rejected_naming_the_field(client) -> None:
    result = client.send(ApiRequest("StartListening", {"Sequence": 1}, 1))
    assert result.code == api_codes.INVALID_PARAMETER
    assert "AgentInstanceId" in result.message


def test_rejections_each_carry_a_distinct_code(simulator, credentials, instance_id, monkeypatch) -> None:
    codes = {
        start(AgentApiClient(Credentials(credentials.app_id, "y" * 32), simulator.base_url), instance_id, sequence=1).code,
        start(AgentApiClient(credentials, simulator.base_url, clock=lambda: time.time() - 660), instance_id, sequence=2).code,
        start(
            AgentApiClient(Credentials(credentials.app_id + 7, credentials.server_secret), simulator.base_url),
            instance_id,
            sequence=3,
        ).code,
        AgentApiClient(credentials, simulator.base_url).send(ApiRequest("StartListening", {})).code,
    }
    monkeypatch.setattr(signing, "new_nonce", lambda: "feedfacefeedface")
    replaying = AgentApiClient(credentials, simulator.base_url)
    start(replaying, instance_id, sequence=4)
    codes.add(start(replaying, instance_id, sequence=5).code)
    assert len(codes) == 5 and 0 not in codes


def test_start_and_stop_arriving_in_reverse_order_leave_the_instance_not_listening(client, simulator, instance_id) -> None:
    assert stop(client, instance_id, sequence=2).ok
    late_start = start(client, instance_id, sequence=1)
    assert late_start.code is not None
    assert not simulator.is_listening(instance_id)
    last = simulator.last_acted(instance_id)
    assert last is not None and last.action == "StopListening" and last.sequence == 2


def test_sequence_travels_as_a_64_bit_integer(client, simulator, instance_id) -> None:
    big = 2**53 + 12345
    assert start(client, instance_id, sequence=big).ok
    assert simulator.received()[-1].sequence == big


def spec(**fields) -> InstanceSpec:
    """A walkie-talkie instance of the simulator's registered demo agent, in its own room."""
    values = {"agent_id": "demo-agent", "user_id": "operator-1", "rtc_room_id": "room-1",
              "agent_stream_id": "agent-stream-1", "agent_user_id": "agent-user-1", "user_stream_id": "user-stream-1"}
    return InstanceSpec(**{**values, **fields})


def test_create_query_delete_instance_round_trip(client, simulator) -> None:
    created = client.send(spec().as_request())
    assert created.ok, created.explanation()
    new_id = created.data["AgentInstanceId"]
    status = client.send(instance_request(QUERY_AGENT_INSTANCE_STATUS, new_id))
    assert status.ok and status.data == {"Status": "IDLE"}
    assert client.send(instance_request(DELETE_AGENT_INSTANCE, new_id)).ok
    gone = client.send(instance_request(QUERY_AGENT_INSTANCE_STATUS, new_id))
    assert gone.code == api_codes.INSTANCE_NOT_FOUND


def test_create_instance_sends_the_documented_body(client, simulator) -> None:
    assert client.send(spec(interrupt_mode=0, max_idle_time_s=300).as_request()).ok
    body = simulator.received()[-1].body
    assert body["AdvancedConfig"] == {"CommunicationMode": 2, "InterruptMode": 0, "MaxIdleTime": 300}
    assert body["RTC"] == {"RoomId": "room-1", "AgentStreamId": "agent-stream-1", "AgentUserId": "agent-user-1",
                           "UserStreamId": "user-stream-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_server_down_is_a_transport_error_saying_connection_refused(credentials) -> None:
    down = AgentApiClient(credentials, f"http://127.0.0.1:{free_port()}", connect_timeout_s=1.0)
    result = start(down, "any", sequence=1)
    assert result.outcome is Outcome.TRANSPORT_ERROR
    assert "connection refused" in result.message


def test_html_502_is_an_http_error_naming_the_status(client, simulator, instance_id) -> None:
    simulator.add_fault(Fault(FaultKind.HTTP_502_HTML, times=1))
    result = start(client, instance_id, sequence=1)
    assert result.outcome is Outcome.HTTP_ERROR and result.http_status == 502
    assert "HTTP 502" in result.message and "html" in result.message.lower()


def test_stalled_server_is_a_timeout_within_the_read_timeout(client, simulator, instance_id) -> None:
    simulator.add_fault(Fault(FaultKind.STALL, seconds=3.0, times=1))
    started = time.monotonic()
    result = start(client, instance_id, sequence=1)
    assert result.outcome is Outcome.TIMEOUT
    assert "no answer" in result.message
    assert time.monotonic() - started < 2.5


def test_dropped_connection_is_a_transport_error(client, simulator, instance_id) -> None:
    # twice: a Start with a Sequence that gets no answer is resent once (tests/test_client_network.py)
    simulator.add_fault(Fault(FaultKind.DROP, times=2))
    result = start(client, instance_id, sequence=1)
    assert result.outcome is Outcome.TRANSPORT_ERROR
    assert "without an answer" in result.message


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (FaultKind.TRUNCATED_JSON, "not JSON"),
        (FaultKind.EMPTY_BODY, "empty answer"),
        (FaultKind.JSON_WITHOUT_CODE, "no Code"),
        (FaultKind.CODE_AS_STRING, "not an integer"),
        (FaultKind.HUGE_BODY, "larger than"),
    ],
)
def test_malformed_answers_are_bad_body_with_a_clear_reason(client, simulator, instance_id, kind, words) -> None:
    simulator.add_fault(Fault(kind, times=1))
    result = start(client, instance_id, sequence=1)
    assert result.outcome is Outcome.BAD_BODY
    assert words in result.message


def test_redirect_to_another_host_is_refused_not_followed(client, simulator, instance_id) -> None:
    simulator.add_fault(Fault(FaultKind.REDIRECT, location="http://evil.example/steal", times=1))
    result = start(client, instance_id, sequence=1)
    assert result.outcome is Outcome.HTTP_ERROR
    assert "redirect" in result.message and "evil.example" in result.message
    assert len(simulator.received()) == 1


def test_unknown_code_is_shown_verbatim_without_a_guessed_meaning(client, simulator, instance_id) -> None:
    simulator.add_fault(Fault(FaultKind.FORCED_CODE, code=410000099, times=1))
    result = start(client, instance_id, sequence=1)
    assert result.code == 410000099
    assert result.explanation() == f"Code 410000099: {result.message}"


def test_client_keeps_working_after_every_kind_of_failure(client, simulator, instance_id) -> None:
    for kind in (FaultKind.DROP, FaultKind.HTTP_502_HTML, FaultKind.TRUNCATED_JSON, FaultKind.HUGE_BODY):
        simulator.add_fault(Fault(kind, times=1))
        assert not start(client, instance_id).ok
    assert start(client, instance_id, sequence=99).ok


def test_secret_never_appears_in_the_repr_of_credentials(credentials) -> None:
    assert credentials.server_secret not in repr(credentials)
