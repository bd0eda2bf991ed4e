"""The API client on a bad network: connections are opened before they are needed, replaced before a
middlebox forgets them, kept alive by TCP, and a call that gets no answer at all is resent once on a
fresh connection. Each test puts the network lab (tests/support/netlab.py) between the client and the
real simulator; idle limits are scaled down from seconds to tenths of a second."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ptt_app.api.http_client import AgentApiClient, KeepAlive
from ptt_app.api.types import (
    CREATE_AGENT_INSTANCE,
    START_LISTENING,
    STOP_LISTENING,
    ApiRequest,
    ApiResult,
    Credentials,
    Outcome,
    listening_request,
)
from ptt_app.sim import AgentApiSimulator, Fault, FaultKind, SimConfig
from support.netlab import LinkSettings, NetLab

MakeClient = Callable[..., AgentApiClient]


@pytest.fixture
def lab(simulator: AgentApiSimulator) -> Iterator[NetLab]:
    """The simulator behind the network lab (a perfect network until a test configures it)."""
    with NetLab.in_front_of(simulator.base_url) as running:
        yield running


@pytest.fixture
def tls_simulator(credentials: Credentials) -> Iterator[AgentApiSimulator]:
    """The simulator serving HTTPS with its throw-away certificate."""
    with AgentApiSimulator(SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret, tls=True)) as sim:
        yield sim


@pytest.fixture
def tls_lab(tls_simulator: AgentApiSimulator) -> Iterator[NetLab]:
    with NetLab.in_front_of(tls_simulator.base_url) as running:
        yield running


@pytest.fixture
def make_client(credentials: Credentials) -> Iterator[MakeClient]:
    """Clients for an endpoint with short timeouts; closed at the end of the test."""
    clients: list[AgentApiClient] = []

    def make(endpoint: str, **options) -> AgentApiClient:
        options = {"connect_timeout_s": 1.0, "read_timeout_s": 1.0, **options}
        client = AgentApiClient(credentials, endpoint, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def start(client: AgentApiClient, instance: str, sequence: int | None, **options) -> ApiResult:
    return client.send(listening_request(START_LISTENING, instance, "", sequence), **options)


def stop(client: AgentApiClient, instance: str, sequence: int | None, **options) -> ApiResult:
    return client.send(listening_request(STOP_LISTENING, instance, "", sequence), **options)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def keep_maintaining(client: AgentApiClient, seconds: float) -> None:
    """What an idle sender thread does, at a scaled-down pace."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        client.maintain()
        time.sleep(0.02)


def accepted(lab: NetLab) -> int:
    return lab.counters().connections_accepted


def warm(client: AgentApiClient, lab: NetLab) -> None:
    """warm_up(), and wait until the lab forwards the connection (its accept runs a moment later)."""
    assert client.warm_up()
    wait_until(lambda: lab.counters().connections_open == 1)


# ---- warm-up ----


def test_warm_up_opens_a_connection_without_an_api_call(lab, simulator, make_client) -> None:
    client = make_client(lab.base_url)
    warm(client, lab)
    assert accepted(lab) == 1
    assert simulator.received() == []


def test_first_request_after_warm_up_goes_out_on_the_warmed_connection(lab, instance_id, make_client) -> None:
    client = make_client(lab.base_url)
    client.warm_up()
    assert start(client, instance_id, 1).ok
    assert accepted(lab) == 1


def test_warmed_tls_connection_is_used_even_after_the_servers_session_tickets_arrive(
    tls_lab, tls_simulator, make_client
) -> None:
    instance = tls_simulator.create_instance(agent_id="test-agent", user_id="test-user")
    client = make_client(tls_lab.base_url, ca_bundle=tls_simulator.ca_certificate_path)
    assert client.warm_up()
    time.sleep(0.2)  # TLS 1.3 tickets arrive after the handshake and make the idle socket readable
    assert start(client, instance, 1).ok
    assert accepted(tls_lab) == 1 and tls_simulator.connections_accepted() == 1


def test_warm_up_returns_only_once_the_servers_post_handshake_messages_are_in(tls_lab, tls_simulator, make_client) -> None:
    # TLS 1.3 session tickets trail the handshake by a round trip; arriving while a call is being sent,
    # they would make urllib3 drop the connection and open another on the call's time.
    tls_lab.configure(delay_ms=20)
    client = make_client(tls_lab.base_url, ca_bundle=tls_simulator.ca_certificate_path)
    assert client.warm_up()
    delivered = tls_lab.counters().bytes_to_client
    time.sleep(0.3)
    assert tls_lab.counters().bytes_to_client == delivered


def test_warm_up_against_a_server_that_is_down_says_so_without_raising(credentials, make_client) -> None:
    with AgentApiSimulator(SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret)) as sim:
        endpoint = sim.base_url
    client = make_client(endpoint)
    assert client.warm_up() is False
    client.maintain()
    assert start(client, "any", 1).outcome is Outcome.TRANSPORT_ERROR


# ---- keepalive ----


def _tcp_timer_of_connection_to(port: int) -> tuple[int, float]:
    """(timer kind, seconds until it fires) of our established socket to 127.0.0.1:port (/proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        remote, state, timer = fields[2], fields[3], fields[5]
        if remote == f"0100007F:{port:04X}" and state == "01":
            kind, when = timer.split(":")
            return int(kind, 16), int(when, 16) / 100.0  # tm->when is in USER_HZ (100 per second) ticks
    raise AssertionError(f"no established connection to port {port}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the kernel's socket table")
def test_every_connection_has_tcp_keepalive_armed_with_the_configured_idle_time(lab, make_client) -> None:
    client = make_client(lab.base_url, keepalive=KeepAlive(idle_s=7, interval_s=2, count=2))
    client.warm_up()
    kind, seconds = _tcp_timer_of_connection_to(lab.address[1])
    assert kind == 2  # the keepalive timer (sk_timer) is pending; without SO_KEEPALIVE it is 0
    assert 5.0 < seconds <= 7.0


# ---- maintain(): replacing idle connections in the background ----


def test_maintain_replaces_an_idle_connection_without_an_api_call(lab, simulator, instance_id, make_client) -> None:
    client = make_client(lab.base_url, idle_limit_s=0.3)
    warm(client, lab)
    keep_maintaining(client, 0.5)
    wait_until(lambda: accepted(lab) >= 2)
    assert simulator.received() == []
    opened = accepted(lab)
    assert start(client, instance_id, 1).ok
    assert accepted(lab) == opened  # the press used the replacement, no handshake on its way
    wait_until(lambda: lab.counters().connections_open == 1)  # the replaced connections were closed


def test_maintain_leaves_a_recently_used_connection_alone(lab, instance_id, make_client) -> None:
    client = make_client(lab.base_url, idle_limit_s=5.0)
    assert start(client, instance_id, 1).ok
    keep_maintaining(client, 0.3)
    assert accepted(lab) == 1


def test_maintain_does_not_wait_for_the_handshake(tls_lab, tls_simulator, make_client) -> None:
    client = make_client(tls_lab.base_url, ca_bundle=tls_simulator.ca_certificate_path, connect_timeout_s=5.0)
    tls_lab.configure(delay_ms=250)  # TCP + TLS 1.3 handshakes through the lab: at least 1 s
    started = time.monotonic()
    client.maintain()
    assert time.monotonic() - started < 0.5
    wait_until(lambda: accepted(tls_lab) == 1)


def test_maintain_reopens_a_connection_the_server_closed(lab, instance_id, make_client) -> None:
    lab.configure(idle_fin_s=0.2)
    client = make_client(lab.base_url, idle_limit_s=30.0)
    warm(client, lab)
    wait_until(lambda: lab.counters().closed_with_fin == 1)
    lab.configure(idle_fin_s=None)  # the replacement must not be closed in turn before the press
    keep_maintaining(client, 0.2)
    wait_until(lambda: accepted(lab) == 2)
    assert start(client, instance_id, 1).ok
    assert accepted(lab) == 2


# ---- the first press after an idle spell, in each idle mode ----


def test_after_an_idle_fin_the_first_request_succeeds_at_once(lab, instance_id, make_client) -> None:
    lab.configure(idle_fin_s=0.2)
    client = make_client(lab.base_url, idle_limit_s=30.0, read_timeout_s=2.0)
    assert start(client, instance_id, 1).ok
    time.sleep(0.4)
    resent: list[ApiResult] = []
    result = stop(client, instance_id, 2, on_resend=resent.append)
    assert result.ok and resent == [] and not result.resent
    assert result.latency_ms < 1000.0  # no read timeout was waited for


def test_with_maintain_the_first_request_after_a_blackhole_spell_succeeds_at_once(lab, instance_id, make_client) -> None:
    lab.configure(idle_blackhole_s=0.4)
    client = make_client(lab.base_url, idle_limit_s=0.2, read_timeout_s=2.0)
    assert start(client, instance_id, 1).ok
    keep_maintaining(client, 0.9)
    resent: list[ApiResult] = []
    result = stop(client, instance_id, 2, on_resend=resent.append)
    assert result.ok and resent == []
    assert result.latency_ms < 1000.0


def test_without_maintain_a_connection_idle_past_the_limit_is_not_used(lab, instance_id, make_client) -> None:
    lab.configure(idle_blackhole_s=0.3)
    client = make_client(lab.base_url, idle_limit_s=0.15, read_timeout_s=2.0)
    assert start(client, instance_id, 1).ok
    time.sleep(0.5)
    resent: list[ApiResult] = []
    result = stop(client, instance_id, 2, on_resend=resent.append)
    assert result.ok and resent == []
    assert result.latency_ms < 1000.0
    assert accepted(lab) == 2


def test_request_swallowed_by_a_blackhole_is_resent_on_a_fresh_connection(lab, simulator, instance_id, make_client) -> None:
    lab.configure(idle_blackhole_s=0.2)
    client = make_client(lab.base_url, idle_limit_s=30.0)
    assert start(client, instance_id, 1).ok
    time.sleep(0.4)
    resent: list[ApiResult] = []
    result = stop(client, instance_id, 2, on_resend=resent.append)
    assert result.ok and result.resent
    assert [(first.action, first.sequence, first.outcome) for first in resent] == [(STOP_LISTENING, 2, Outcome.TIMEOUT)]
    assert not resent[0].resent
    assert [(r.action, r.sequence) for r in simulator.received()] == [(START_LISTENING, 1), (STOP_LISTENING, 2)]
    assert not simulator.is_listening(instance_id)


def test_request_answered_with_a_reset_after_idle_is_resent_on_a_fresh_connection(
    lab, simulator, instance_id, make_client
) -> None:
    lab.configure(idle_reset_s=0.2)
    client = make_client(lab.base_url, idle_limit_s=30.0)
    assert start(client, instance_id, 1).ok
    time.sleep(0.4)
    resent: list[ApiResult] = []
    result = stop(client, instance_id, 2, on_resend=resent.append)
    assert result.ok
    assert [first.outcome for first in resent] == [Outcome.TRANSPORT_ERROR]
    assert result.latency_ms < 1000.0
    assert [r.sequence for r in simulator.received()] == [1, 2]


# ---- the path dies while the key is held ----


def test_release_after_the_path_died_reaches_the_server_on_a_fresh_connection(lab, simulator, instance_id, make_client) -> None:
    client = make_client(lab.base_url)
    assert start(client, instance_id, 1).ok
    lab.blackhole_all()
    resent: list[ApiResult] = []
    assert stop(client, instance_id, 2, on_resend=resent.append).ok
    assert len(resent) == 1
    assert not simulator.is_listening(instance_id)


def test_fresh_connection_sends_without_touching_the_dead_one(lab, simulator, instance_id, make_client) -> None:
    client = make_client(lab.base_url)
    assert start(client, instance_id, 1).ok
    lab.blackhole_all()
    resent: list[ApiResult] = []
    result = stop(client, instance_id, 2, fresh_connection=True, on_resend=resent.append)
    assert result.ok and resent == []
    assert result.latency_ms < 1000.0
    assert accepted(lab) == 2
    assert not simulator.is_listening(instance_id)


def test_a_call_that_is_not_safe_to_repeat_is_not_resent(lab, simulator, make_client) -> None:
    client = make_client(lab.base_url)
    warm(client, lab)
    assert lab.blackhole_all() == 1
    resent: list[ApiResult] = []
    result = client.send(ApiRequest(CREATE_AGENT_INSTANCE, {"AgentId": "a", "UserId": "u"}), on_resend=resent.append)
    assert result.outcome is Outcome.TIMEOUT and resent == []
    assert simulator.received() == []


def test_start_without_a_sequence_is_not_resent(lab, instance_id, make_client) -> None:
    lab.configure(idle_reset_s=0.2)
    client = make_client(lab.base_url, idle_limit_s=30.0)
    warm(client, lab)
    time.sleep(0.4)
    resent: list[ApiResult] = []
    result = start(client, instance_id, None, on_resend=resent.append)
    assert result.outcome is Outcome.TRANSPORT_ERROR and resent == []


def test_silence_on_a_fresh_connection_is_a_slow_server_and_is_not_resent(lab, simulator, instance_id, make_client) -> None:
    simulator.add_fault(Fault(FaultKind.STALL, seconds=2.0, times=1))
    client = make_client(lab.base_url)
    resent: list[ApiResult] = []
    result = start(client, instance_id, 1, on_resend=resent.append)
    assert result.outcome is Outcome.TIMEOUT and resent == []


def test_connection_closed_without_an_answer_is_resent_once(lab, simulator, instance_id, make_client) -> None:
    simulator.add_fault(Fault(FaultKind.DROP, times=1))
    client = make_client(lab.base_url)
    resent: list[ApiResult] = []
    result = start(client, instance_id, 1, on_resend=resent.append)
    assert result.ok and simulator.is_listening(instance_id)
    assert len(resent) == 1 and "without an answer" in resent[0].message


def test_a_callback_that_fails_does_not_stop_the_resend(lab, simulator, instance_id, make_client) -> None:
    simulator.add_fault(Fault(FaultKind.DROP, times=1))
    client = make_client(lab.base_url)

    def broken(first: ApiResult) -> None:
        raise RuntimeError("journal unavailable")

    assert start(client, instance_id, 1, on_resend=broken).ok


# ---- TLS and emulated round trips ----


def test_ca_bundle_trusts_the_simulators_throw_away_certificate(tls_simulator, make_client) -> None:
    instance = tls_simulator.create_instance(agent_id="test-agent", user_id="test-user")
    client = make_client(tls_simulator.base_url, ca_bundle=tls_simulator.ca_certificate_path)
    assert start(client, instance, 1).ok


def test_on_an_emulated_long_path_a_warm_press_pays_one_way_not_the_handshakes(tls_lab, tls_simulator, make_client) -> None:
    instance = tls_simulator.create_instance(agent_id="test-agent", user_id="test-user")
    tls_lab.configure(delay_ms=100)
    client = make_client(tls_lab.base_url, ca_bundle=tls_simulator.ca_certificate_path, read_timeout_s=3.0)
    client.warm_up()
    tls_simulator.clear_received()
    sent = time.monotonic()
    assert start(client, instance, 1).ok
    arrived = tls_simulator.received()[-1].received_monotonic - sent
    # one-way 0.1 s; a TCP + TLS handshake first would have added at least 0.4 s
    assert 0.1 <= arrived < 0.1 + 0.4


def test_lab_settings_reject_a_negative_delay() -> None:
    with pytest.raises(ValueError):
        LinkSettings(delay_ms=-1)
