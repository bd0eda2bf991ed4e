"""Specifications of the local AI Agent API simulator (ptt_app.sim), over real loopback HTTP."""

from __future__ import annotations

import json
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from test_sim_calls import APP_ID, CLIENT_TIMEOUT_S, SECRET, SimCaller, SteppedClock, create_body, signed_query

from ptt_app.api import codes as api_codes
from ptt_app.api.signing import new_nonce, sign_request, signed_params
from ptt_app.sim import DEMO_APP_ID, DEMO_SERVER_SECRET, AgentApiSimulator, Fault, FaultKind, SimConfig
from ptt_app.sim.faults import HUGE_BODY_BYTES
from ptt_app.sim.gateway import NONCE_REUSED_CODE

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
def sim() -> Iterator[AgentApiSimulator]:
    with AgentApiSimulator(SimConfig(app_id=APP_ID, server_secret=SECRET)) as simulator:
        yield simulator


@pytest.fixture
def http(sim: AgentApiSimulator) -> Iterator[SimCaller]:
    caller = SimCaller(sim)
    with caller.http:
        yield caller


Http = SimCaller | requests.Session


def _caller(http: Http, sim: AgentApiSimulator) -> SimCaller:
    return SimCaller(sim, http.http if isinstance(http, SimCaller) else http)


def post(http: Http, sim: AgentApiSimulator, action: str, body: Any = None, **options: Any) -> requests.Response:
    """POST one call the way the client does: signed query, JSON body."""
    return _caller(http, sim).post(action, body, **options)


def call(http: Http, sim: AgentApiSimulator, action: str, body: Any = None, **options: Any) -> dict[str, Any]:
    """POST one call and return its JSON answer, checking the envelope every answer has."""
    return _caller(http, sim).call(action, body, **options)


def listen(
    http: Http,
    sim: AgentApiSimulator,
    action: str,
    instance: str,
    sequence: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """StartListening or StopListening on `instance`, with Sequence and extra body fields when given."""
    body: dict[str, Any] = {"AgentInstanceId": instance, **fields}
    if sequence is not None:
        body["Sequence"] = sequence
    return call(http, sim, action, body)


def records_of(sim: AgentApiSimulator, action: str) -> list[Any]:
    return [record for record in sim.received() if record.action == action]


# ---- the happy path and the gateway checks ----


def test_signed_start_listening_on_created_instance_is_acted_on_and_sets_listening(sim, http):
    instance = sim.create_instance()

    answer = listen(http, sim, "StartListening", instance, sequence=1)

    assert answer["Code"] == api_codes.SUCCESS
    assert sim.is_listening(instance)
    record = sim.last_acted(instance)
    assert record is not None and record.acted and not record.ignored
    assert (record.action, record.sequence, record.user_id) == ("StartListening", 1, "demo-user")
    assert record.request_id == answer["RequestId"]


def test_tampered_signature_is_rejected_with_100000005(sim, http):
    query = signed_query("StartListening")
    query["Signature"] = ("0" if query["Signature"][0] != "0" else "1") + query["Signature"][1:]

    answer = call(http, sim, "StartListening", {"AgentInstanceId": sim.create_instance()}, query=query)

    assert answer["Code"] == api_codes.SIGNATURE_WRONG


def test_timestamp_eleven_minutes_old_is_rejected_with_100000004(sim, http):
    query = signed_query("StartListening", now=time.time() - 11 * 60)

    answer = call(http, sim, "StartListening", {"AgentInstanceId": sim.create_instance()}, query=query)

    assert answer["Code"] == api_codes.SIGNATURE_EXPIRED


def test_replayed_nonce_is_rejected_with_the_documented_gateway_authentication_code(sim, http):
    instance = sim.create_instance()
    query = signed_query("StartListening")
    assert listen_with(http, sim, query, instance)["Code"] == api_codes.SUCCESS

    answer = listen_with(http, sim, query, instance)

    assert answer["Code"] == NONCE_REUSED_CODE == api_codes.GATEWAY_AUTH_FAILED
    assert answer["Message"] == "SignatureNonce already used"
    assert api_codes.describe_code(answer["Code"]) is not None


def test_a_nonce_of_another_form_is_accepted_when_the_format_check_is_off(http):
    relaxed = SimConfig(APP_ID, SECRET, strict_nonce_format=False)
    with AgentApiSimulator(relaxed) as lenient:
        nonce, timestamp = "15215528852396", int(time.time())  # the reference's own example nonce
        query = signed_query(
            "StartListening", SignatureNonce=nonce, Timestamp=str(timestamp),
            Signature=sign_request(APP_ID, nonce, SECRET, timestamp),
        )

        answer = call(http, lenient, "StartListening", {"AgentInstanceId": lenient.create_instance()}, query=query)

    assert answer["Code"] == api_codes.SUCCESS


def listen_with(http: Http, sim: AgentApiSimulator, query: dict[str, str], instance: str) -> dict[str, Any]:
    return call(http, sim, "StartListening", {"AgentInstanceId": instance}, query=query)


def test_wrong_app_id_is_rejected_with_100000010(sim, http):
    other_app_id = APP_ID + 1
    nonce, timestamp = new_nonce(), int(time.time())
    query = signed_query(
        "StartListening",
        AppId=str(other_app_id),
        SignatureNonce=nonce,
        Timestamp=str(timestamp),
        Signature=sign_request(other_app_id, nonce, SECRET, timestamp),
    )

    answer = call(http, sim, "StartListening", {"AgentInstanceId": sim.create_instance()}, query=query)

    assert answer["Code"] == api_codes.SECRET_NOT_FOUND


@pytest.mark.parametrize(
    ("override", "expected_code"),
    [
        ({"Action": ""}, api_codes.ACTION_EMPTY),
        ({"Action": "StartTalking"}, api_codes.ACTION_UNSUPPORTED),
        ({"AppId": "12ab"}, api_codes.APP_ID_FORMAT),
        ({"AppId": str(2**32)}, api_codes.APP_ID_FORMAT),
        ({"SignatureVersion": ""}, api_codes.SIGNATURE_VERSION_EMPTY),
        ({"SignatureVersion": "1.0"}, api_codes.SIGNATURE_VERSION_UNSUPPORTED),
        ({"SignatureNonce": ""}, api_codes.NONCE_EMPTY),
        ({"SignatureNonce": "not-sixteen-hex!"}, api_codes.INVALID_PARAMETER),
        ({"Timestamp": ""}, api_codes.TIMESTAMP_EMPTY),
        ({"Timestamp": "soon"}, api_codes.TIMESTAMP_FORMAT),
        ({"Signature": ""}, api_codes.SIGNATURE_EMPTY),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else str(value),
)
def test_each_failed_gateway_check_answers_its_own_code(sim, http, override, expected_code):
    query = signed_query("StartListening", **override)

    answer = call(http, sim, "StartListening", {"AgentInstanceId": sim.create_instance()}, query=query)

    assert answer["Code"] == expected_code
    if "SignatureNonce" in override and override["SignatureNonce"]:
        assert "SignatureNonce" in answer["Message"]


def test_missing_agent_instance_id_is_rejected_naming_the_field(sim, http):
    answer = call(http, sim, "StartListening", {"Sequence": 1})

    assert answer["Code"] == api_codes.INVALID_PARAMETER
    assert answer["Message"] == "AgentInstanceId is required"


@pytest.mark.parametrize(
    ("body", "field_named"),
    [
        ({"AgentInstanceId": "x", "Sequence": True}, "Sequence"),
        ({"AgentInstanceId": "x", "Sequence": 1.0}, "Sequence"),
        ({"AgentInstanceId": "x", "Sequence": 2**63}, "Sequence"),
        ({"AgentInstanceId": 7}, "AgentInstanceId"),
        ({"AgentInstanceId": "x", "UserId": None}, "UserId"),
    ],
)
def test_listening_field_of_wrong_type_is_rejected_naming_it(sim, http, body, field_named):
    answer = call(http, sim, "StartListening", body)

    assert answer["Code"] == api_codes.INVALID_PARAMETER
    assert field_named in answer["Message"]


def test_body_that_is_not_an_object_is_an_invalid_parameter(sim, http):
    answer = call(http, sim, "StartListening", [1, 2])

    assert answer["Code"] == api_codes.INVALID_PARAMETER


def test_non_json_body_is_rejected_with_410000004(sim, http):
    answer = call(http, sim, "StartListening", raw_body=b"AgentInstanceId=abc")

    assert answer["Code"] == api_codes.BODY_NOT_JSON


def test_unreadable_body_is_rejected_with_100000012_and_the_connection_closed(sim):
    request = (
        f"POST /?{urlencode(signed_query('StartListening'))} HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: lots\r\n\r\n{{}}"
    ).encode()

    status_line, headers, body = raw_exchange(sim, request)

    assert status_line.startswith("HTTP/1.1 200")
    assert headers["connection"] == "close"
    assert json.loads(body)["Code"] == api_codes.BODY_UNREADABLE


def raw_exchange(sim: AgentApiSimulator, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send raw bytes and read one answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", sim.port), timeout=CLIENT_TIMEOUT_S) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return status_line, headers, body


def test_unknown_instance_gets_410001002(sim, http):
    answer = listen(http, sim, "StartListening", "no-such-instance", sequence=1)

    assert answer["Code"] == api_codes.INSTANCE_NOT_FOUND == 410001002
    assert "no-such-instance" in answer["Message"]


def test_listening_on_a_full_duplex_instance_gets_410001042(sim, http):
    full_duplex = sim.create_instance(communication_mode=0)

    answer = listen(http, sim, "StartListening", full_duplex, sequence=1)

    assert answer["Code"] == api_codes.NOT_WALKIE_TALKIE == 410001042
    assert not sim.is_listening(full_duplex)


def test_rate_limit_answers_http_429_without_a_code_once_the_action_exceeds_it(http):
    clock = SteppedClock()
    with AgentApiSimulator(SimConfig(APP_ID, SECRET, rate_limit_per_s=2.0), monotonic=clock) as limited:
        instance = limited.create_instance()
        query_body = {"AgentInstanceId": instance}
        answers = [post(http, limited, "QueryAgentInstanceStatus", query_body) for _ in range(3)]
        other_action = call(http, limited, "InterruptAgentInstance", query_body)["Code"]
        clock.advance(1.0)
        after_a_second = post(http, limited, "QueryAgentInstanceStatus", query_body)
        limited_record = limited.received()[2]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    refusal = answers[2].json()
    assert "Code" not in refusal and "rate limited" in refusal["Message"] and refusal["RequestId"]
    assert other_action == api_codes.SUCCESS
    assert after_a_second.status_code == 200
    assert (limited_record.http_status, limited_record.code, limited_record.acted) == (429, None, False)


def test_rate_limit_is_off_unless_configured(sim, http):
    instance = sim.create_instance()

    statuses = [post(http, sim, "QueryAgentInstanceStatus", {"AgentInstanceId": instance}).status_code for _ in range(30)]

    assert set(statuses) == {200}


def test_get_with_every_parameter_in_the_query_is_served_as_documented(sim, http):
    instance = sim.create_instance()
    query = {**signed_query("StartListening"), "AgentInstanceId": instance, "Sequence": "4"}

    response = http.http.get(sim.base_url + "/", params=query, timeout=CLIENT_TIMEOUT_S)

    assert response.status_code == 200 and response.json()["Code"] == api_codes.SUCCESS
    assert sim.is_listening(instance)
    record = sim.received()[0]
    assert (record.method, record.sequence, record.body["Sequence"]) == ("GET", 4, 4)


def test_other_methods_are_answered_405_with_a_json_error(sim, http):
    response = http.http.put(sim.base_url + "/", params=signed_query("StartListening"), timeout=CLIENT_TIMEOUT_S)

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert response.json()["Code"] == api_codes.INVALID_PARAMETER


def test_a_wrong_host_header_is_100000000_when_the_expected_host_is_set(http):
    config = SimConfig(APP_ID, SECRET, expected_host="aigc-aiagent-api.zegotech.cn")
    with AgentApiSimulator(config) as named:
        instance = named.create_instance()
        wrong = call(http, named, "StartListening", {"AgentInstanceId": instance}, headers_host="127.0.0.1")
        right = call(http, named, "StartListening", {"AgentInstanceId": instance},
                     headers_host="aigc-aiagent-api.zegotech.cn:443")

    assert wrong["Code"] == api_codes.WRONG_HOST == 100000000
    assert right["Code"] == api_codes.SUCCESS


def test_non_loopback_host_is_refused():
    for host in ("0.0.0.0", "192.168.1.10", "example.com"):
        with pytest.raises(ValueError):
            SimConfig(APP_ID, SECRET, host=host)


def test_config_repr_never_shows_the_secret():
    assert SECRET not in repr(SimConfig(APP_ID, SECRET))


# ---- the Sequence rule ----


def test_stop_2_arriving_before_start_1_leaves_instance_not_listening_and_start_ignored_with_410001043(sim, http):
    instance = sim.create_instance()

    stop = listen(http, sim, "StopListening", instance, sequence=2)
    start = listen(http, sim, "StartListening", instance, sequence=1)

    assert stop["Code"] == api_codes.SUCCESS
    assert start["Code"] == api_codes.SEQUENCE_OUTDATED == 410001043
    assert "outdated" in start["Message"] and start["Data"] is None
    assert not sim.is_listening(instance)
    [start_record] = records_of(sim, "StartListening")
    assert start_record.ignored and not start_record.acted
    assert sim.last_acted(instance).action == "StopListening"


def test_equal_sequence_is_ignored_with_410001043(sim, http):
    instance = sim.create_instance()
    listen(http, sim, "StartListening", instance, sequence=5)

    answer = listen(http, sim, "StopListening", instance, sequence=5)

    assert answer["Code"] == api_codes.SEQUENCE_OUTDATED
    assert sim.is_listening(instance)
    assert records_of(sim, "StopListening")[0].ignored


def test_sequence_taken_by_a_start_refused_for_not_publishing_is_outdated_afterwards(sim, http):
    instance = sim.create_instance(user_state="silent")
    assert listen(http, sim, "StartListening", instance, sequence=3)["Code"] == api_codes.USER_NOT_PUBLISHING
    sim.set_user_state("publishing", instance)

    again = listen(http, sim, "StartListening", instance, sequence=3)
    next_press = listen(http, sim, "StartListening", instance, sequence=4)

    assert again["Code"] == api_codes.SEQUENCE_OUTDATED
    assert next_press["Code"] == api_codes.SUCCESS


def test_requests_without_sequence_act_in_arrival_order(sim, http):
    instance = sim.create_instance()
    listen(http, sim, "StartListening", instance, sequence=10)

    listen(http, sim, "StopListening", instance)
    assert not sim.is_listening(instance)
    listen(http, sim, "StartListening", instance)

    assert sim.is_listening(instance)
    assert all(record.acted for record in sim.received())


def test_sequence_is_counted_per_user(sim, http):
    instance = sim.create_instance(user_id="alice")
    listen(http, sim, "StartListening", instance, sequence=100)

    answer = listen(http, sim, "StopListening", instance, sequence=1, UserId="bob")

    assert answer["Code"] == api_codes.SUCCESS and not sim.is_listening(instance)
    assert sim.last_acted(instance).user_id == "bob"


def test_omitted_user_id_counts_as_the_instance_user(sim, http):
    instance = sim.create_instance(user_id="alice")
    listen(http, sim, "StartListening", instance, sequence=7, UserId="alice")

    answer = listen(http, sim, "StopListening", instance, sequence=7)

    assert answer["Code"] == api_codes.SEQUENCE_OUTDATED
    assert records_of(sim, "StopListening")[0].user_id == "alice"


def test_concurrent_shuffled_requests_leave_the_state_of_the_highest_sequence(sim):
    instance = sim.create_instance()
    sequences = list(range(1, 61))
    random.Random(7).shuffle(sequences)
    work = iter(sequences)
    work_lock = threading.Lock()

    def send_until_done() -> None:
        with requests.Session() as session:
            while True:
                with work_lock:
                    sequence = next(work, None)
                if sequence is None:
                    return
                action = "StartListening" if sequence % 2 else "StopListening"
                listen(session, sim, action, instance, sequence=sequence)

    threads = [threading.Thread(target=send_until_done) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not sim.is_listening(instance)  # 60 is even: a Stop
    assert sim.last_acted(instance).sequence == 60
    acted = sorted(record.sequence for record in sim.received() if record.acted)
    assert len(acted) == len(set(acted)) and len(sim.received()) == 60


# ---- faults ----


def test_drop_closes_the_connection_without_an_answer_and_does_not_act(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.DROP, action="StartListening", times=1))

    with pytest.raises(requests.ConnectionError):
        post(http, sim, "StartListening", {"AgentInstanceId": instance, "Sequence": 1})

    assert not sim.is_listening(instance)
    [record] = sim.received()
    assert record.fault == "DROP" and not record.acted and record.http_status is None


def test_http_502_html_answers_an_html_page_and_does_not_act(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.HTTP_502_HTML))

    response = post(http, sim, "StartListening", {"AgentInstanceId": instance})

    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert b"<html>" in response.content
    assert not sim.is_listening(instance)


def test_truncated_json_is_acted_on_and_its_body_fails_to_parse(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.TRUNCATED_JSON))

    response = post(http, sim, "StartListening", {"AgentInstanceId": instance})

    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.content) > 0
    with pytest.raises(ValueError):
        json.loads(response.content)
    assert sim.is_listening(instance)


def test_huge_body_is_about_ten_megabytes(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.HUGE_BODY))

    response = post(http, sim, "QueryAgentInstanceStatus", {"AgentInstanceId": instance})

    assert abs(len(response.content) - HUGE_BODY_BYTES) < 1024
    assert response.json()["Code"] == api_codes.SUCCESS


def test_redirect_answers_302_with_the_location_and_does_not_act(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.REDIRECT, location="https://elsewhere.invalid/"))

    response = post(http, sim, "StartListening", {"AgentInstanceId": instance}, allow_redirects=False)

    assert response.status_code == 302
    assert response.headers["Location"] == "https://elsewhere.invalid/"
    assert not sim.is_listening(instance)


@pytest.mark.parametrize(
    ("kind", "check_answer"),
    [
        (FaultKind.EMPTY_BODY, lambda content: content == b""),
        (FaultKind.JSON_WITHOUT_CODE, lambda content: "Code" not in json.loads(content)),
        (FaultKind.CODE_AS_STRING, lambda content: json.loads(content)["Code"] == "0"),
    ],
)
def test_body_breaking_faults_act_and_break_only_the_answer(sim, http, kind, check_answer):
    instance = sim.create_instance()
    sim.add_fault(Fault(kind))

    response = post(http, sim, "StartListening", {"AgentInstanceId": instance})

    assert response.status_code == 200 and check_answer(response.content)
    assert sim.is_listening(instance)
    assert sim.received()[0].fault == kind.value


def test_forced_code_answers_that_code_and_does_not_act(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.FORCED_CODE, times=1, code=410000077))

    answer = listen(http, sim, "StartListening", instance, sequence=1)

    assert answer["Code"] == 410000077
    assert not sim.is_listening(instance)
    assert listen(http, sim, "StartListening", instance, sequence=1)["Code"] == api_codes.SUCCESS


@pytest.mark.parametrize(
    ("action", "code"), [("StartListening", api_codes.START_LISTENING_FAILED), ("StopListening", api_codes.STOP_LISTENING_FAILED)]
)
def test_a_forced_listening_failure_answers_its_documented_code_and_does_not_act(sim, http, action, code):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.FORCED_CODE, action=action, times=1, code=code))

    answer = listen(http, sim, action, instance, sequence=1)

    assert answer["Code"] == code and not sim.received()[0].acted
    assert sim.status_of(instance) == "IDLE"


def test_fault_with_times_applies_that_many_times_to_its_action_only(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.FORCED_CODE, action="StopListening", times=1, code=410000077))

    start = listen(http, sim, "StartListening", instance)
    first_stop = listen(http, sim, "StopListening", instance)
    second_stop = listen(http, sim, "StopListening", instance)

    assert [start["Code"], first_stop["Code"], second_stop["Code"]] == [0, 410000077, 0]


def test_stall_acts_at_once_and_answers_after_its_seconds(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.STALL, seconds=0.4))

    started = time.monotonic()
    answer = listen(http, sim, "StartListening", instance, sequence=1)

    assert time.monotonic() - started >= 0.4
    assert answer["Code"] == api_codes.SUCCESS
    assert sim.received()[0].fault == "STALL"


def test_stop_returns_promptly_while_a_stall_is_in_progress():
    simulator = AgentApiSimulator(SimConfig(APP_ID, SECRET))
    simulator.start()
    instance = simulator.create_instance()
    simulator.add_fault(Fault(FaultKind.STALL, seconds=30))
    client_errors: list[Exception] = []

    def stalled_call() -> None:
        try:
            post(requests.Session(), simulator, "StartListening", {"AgentInstanceId": instance}, timeout=10)
        except requests.RequestException as error:
            client_errors.append(error)

    caller = threading.Thread(target=stalled_call)
    caller.start()
    wait_until(lambda: simulator.received())
    assert simulator.is_listening(instance)  # acted on before the answer is held

    started = time.monotonic()
    simulator.stop()
    caller.join(timeout=5)

    assert time.monotonic() - started < 1.0
    assert not caller.is_alive() and len(client_errors) == 1


def wait_until(condition: Any, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_delay_holds_the_request_before_acting_so_a_later_stop_wins(sim):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.DELAY, action="StartListening", seconds=0.3))
    late_start = threading.Thread(
        target=lambda: listen(requests.Session(), sim, "StartListening", instance, sequence=1)
    )

    late_start.start()
    wait_until(lambda: sim.connections_accepted() >= 1)
    time.sleep(0.05)
    stop = listen(requests.Session(), sim, "StopListening", instance, sequence=2)
    late_start.join()

    assert stop["Code"] == api_codes.SUCCESS
    assert not sim.is_listening(instance)
    start_record = records_of(sim, "StartListening")[0]
    assert start_record.ignored and start_record.fault == "DELAY"
    assert start_record.received_monotonic < records_of(sim, "StopListening")[0].received_monotonic


def test_random_faults_are_the_same_for_the_same_seed(http):
    def labels_of_a_run() -> list[str | None]:
        with AgentApiSimulator(SimConfig(APP_ID, SECRET)) as chaotic:
            instance = chaotic.create_instance()
            kinds = [FaultKind.FORCED_CODE, FaultKind.CODE_AS_STRING, FaultKind.EMPTY_BODY]
            chaotic.set_random_faults(0.5, kinds, seed=1234, delay_range_s=(0.0, 0.002))
            for _ in range(20):
                post(http, chaotic, "QueryAgentInstanceStatus", {"AgentInstanceId": instance})
            return [record.fault for record in chaotic.received()]

    first, second = labels_of_a_run(), labels_of_a_run()

    assert first == second
    assert any(first) and not all(first)


def test_clear_faults_restores_normal_answers(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.HTTP_502_HTML))
    sim.set_random_faults(1.0, [FaultKind.DROP], seed=1)

    sim.clear_faults()

    assert listen(http, sim, "StartListening", instance)["Code"] == api_codes.SUCCESS


# ---- transport, lifecycle, console script ----


def test_two_calls_on_one_session_reuse_one_connection(sim, http):
    instance = sim.create_instance()

    first = post(http, sim, "StartListening", {"AgentInstanceId": instance, "Sequence": 1})
    second = post(http, sim, "StopListening", {"AgentInstanceId": instance, "Sequence": 2})

    assert first.raw.version == 11 and "Content-Length" in second.headers
    assert sim.connections_accepted() == 1


def test_create_query_delete_lifecycle(sim, http):
    created = call(http, sim, "CreateAgentInstance", create_body(user_id="operator-1"))
    instance = created["Data"]["AgentInstanceId"]

    status = call(http, sim, "QueryAgentInstanceStatus", {"AgentInstanceId": instance})
    deleted = call(http, sim, "DeleteAgentInstance", {"AgentInstanceId": instance})
    after = call(http, sim, "QueryAgentInstanceStatus", {"AgentInstanceId": instance})

    assert created["Code"] == status["Code"] == deleted["Code"] == api_codes.SUCCESS
    assert isinstance(instance, str) and instance
    assert status["Data"] == {"Status": "IDLE"}
    assert deleted["Data"] is None
    assert after["Code"] == api_codes.INSTANCE_NOT_FOUND
    assert sim.instances() == []


def test_create_without_required_agent_id_names_it(sim, http):
    answer = call(http, sim, "CreateAgentInstance", {"UserId": "u", "AdvancedConfig": {"CommunicationMode": "2"}})

    assert answer["Code"] == api_codes.INVALID_PARAMETER
    assert answer["Message"] == "AgentId is required"


def test_interrupt_acts_on_an_existing_instance(sim, http):
    instance = sim.create_instance()

    answer = call(http, sim, "InterruptAgentInstance", {"AgentInstanceId": instance})

    assert answer["Code"] == api_codes.SUCCESS
    assert sim.instances()[0].interrupts == 1


def test_received_records_arrival_before_the_fault_delay(sim, http):
    instance = sim.create_instance()
    sim.add_fault(Fault(FaultKind.DELAY, seconds=0.2))

    before = time.monotonic()
    listen(http, sim, "StartListening", instance)
    answered = time.monotonic()

    record = sim.received()[0]
    assert before <= record.received_monotonic <= answered - 0.2
    sim.clear_received()
    assert sim.received() == [] and sim.last_acted(instance) is None


def test_demo_secret_is_a_32_character_simulator_only_value():
    assert len(DEMO_SERVER_SECRET) == 32 and "simulator" in DEMO_SERVER_SECRET.lower()
    assert 0 < DEMO_APP_ID < 2**32


def test_console_script_starts_answers_and_never_prints_the_secret():
    secret = "f" * 32
    process = subprocess.Popen(
        [sys.executable, "-m", "ptt_app.sim", "--port", "0", "--app-id", str(APP_ID), "--secret-stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        process.stdin.write(secret + "\n")
        process.stdin.flush()
        banner = process.stdout.readline()
        base_url = re.search(r"http://127\.0\.0\.1:(\d+)", banner).group(0)
        query = signed_params(APP_ID, secret).as_query("CreateAgentInstance")
        response = requests.post(base_url + "/", params=query, json=create_body(), timeout=CLIENT_TIMEOUT_S)
    finally:
        process.terminate()
        stdout_rest, stderr = process.communicate(timeout=5)

    assert f"AppId={APP_ID}" in banner and not banner.endswith(":0")
    assert response.json()["Code"] == api_codes.SUCCESS
    assert secret not in banner + stdout_rest + stderr
    assert process.returncode == 0
