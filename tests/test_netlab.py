"""The network lab: a loopback TCP proxy that delays, throttles, loses, and drops idle connections
the way real middleboxes do, checked with raw sockets against an echo server (and once over HTTP)."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from support.netlab import LinkSettings, NetLab


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            while data := self.request.recv(65536):
                self.request.sendall(data)
        except ConnectionError:
            pass  # the lab reset the connection: that is what some tests are about


class _EchoServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def echo_server() -> Iterator[tuple[str, int]]:
    server = _EchoServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server.server_address[:2]
    server.shutdown()
    server.server_close()


@pytest.fixture
def lab(echo_server) -> Iterator[NetLab]:
    with NetLab(echo_server) as running:
        yield running


def connect(lab: NetLab, timeout_s: float = 3.0) -> socket.socket:
    sock = socket.create_connection(lab.address, timeout=timeout_s)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def echo(sock: socket.socket, payload: bytes) -> bytes:
    """Send payload and read back as many bytes."""
    sock.sendall(payload)
    received = b""
    while len(received) < len(payload):
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def round_trip_s(sock: socket.socket, payload: bytes = b"ping") -> float:
    started = time.monotonic()
    assert echo(sock, payload) == payload
    return time.monotonic() - started


def test_bytes_pass_both_ways_unchanged(lab) -> None:
    payload = bytes(range(256)) * 1000
    with connect(lab) as sock:
        assert echo(sock, payload) == payload


def test_counts_connections_and_bytes_each_way(lab) -> None:
    for _ in range(2):
        with connect(lab) as sock:
            echo(sock, b"x" * 100)
    counters = lab.counters()
    assert counters.connections_accepted == 2
    assert counters.bytes_to_server == 200 and counters.bytes_to_client == 200


def test_one_way_delay_makes_each_round_trip_at_least_two_delays(lab) -> None:
    lab.configure(delay_ms=60, handshake_rtt=False)
    with connect(lab) as sock:
        assert round_trip_s(sock) >= 0.120


def test_first_bytes_of_a_new_connection_also_pay_the_handshake_round_trip(lab) -> None:
    lab.configure(delay_ms=60)
    with connect(lab) as sock:
        first = round_trip_s(sock)
    assert first >= 0.240


def test_handshake_round_trip_is_not_charged_to_a_connection_opened_long_before(lab) -> None:
    lab.configure(delay_ms=150)
    with connect(lab) as sock:
        time.sleep(0.35)  # the emulated handshake (300 ms) is over before the first bytes
        assert round_trip_s(sock) < 0.300 + 0.150  # one RTT, not two


def test_delay_change_applies_to_a_connection_already_open(lab) -> None:
    with connect(lab) as sock:
        round_trip_s(sock)
        lab.configure(delay_ms=80)
        assert round_trip_s(sock) >= 0.160


def test_bandwidth_limit_spreads_a_large_transfer(lab) -> None:
    lab.configure(bandwidth_bytes_per_s=400_000)
    with connect(lab) as sock:
        started = time.monotonic()
        assert echo(sock, b"b" * 200_000) == b"b" * 200_000
        # 200 kB at 400 kB/s each way: at least 0.5 s to the server (the echo overlaps the way back)
        assert time.monotonic() - started >= 0.5


def test_a_lost_chunk_arrives_after_the_retransmission_delay(lab) -> None:
    lab.configure(loss=1.0, retransmit_ms=150)
    with connect(lab) as sock:
        assert round_trip_s(sock) >= 0.300


def test_idle_fin_closes_the_connection_gracefully(lab) -> None:
    lab.configure(idle_fin_s=0.2)
    with connect(lab) as sock:
        echo(sock, b"hi")
        sock.settimeout(3.0)
        assert sock.recv(10) == b""  # end of stream: a FIN, not a reset and not silence
    assert lab.counters().closed_with_fin == 1


def test_active_connection_is_not_closed_by_the_idle_limit(lab) -> None:
    lab.configure(idle_fin_s=0.3)
    with connect(lab) as sock:
        for _ in range(6):
            time.sleep(0.1)
            assert echo(sock, b"tick") == b"tick"


def test_idle_blackhole_swallows_data_without_fin_or_reset(lab) -> None:
    lab.configure(idle_blackhole_s=0.2)
    with connect(lab) as sock:
        echo(sock, b"before")
        time.sleep(0.4)
        sock.sendall(b"after")
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(10)  # neither an echo nor end of stream nor a reset: silence
    assert lab.counters().blackholed == 1


def test_new_connection_works_after_another_was_blackholed(lab) -> None:
    lab.configure(idle_blackhole_s=0.2)
    with connect(lab) as old:
        echo(old, b"a")
        time.sleep(0.4)
        with connect(lab) as new:
            assert echo(new, b"fresh") == b"fresh"


def test_idle_reset_answers_the_next_bytes_with_a_reset(lab) -> None:
    lab.configure(idle_reset_s=0.2)
    with connect(lab) as sock:
        echo(sock, b"before")
        time.sleep(0.4)
        sock.sendall(b"after")
        sock.settimeout(3.0)
        with pytest.raises(ConnectionResetError):
            sock.recv(10)
    assert lab.counters().reset == 1


def test_blackhole_all_silences_open_connections_and_new_ones_still_work(lab) -> None:
    with connect(lab) as first, connect(lab) as second:
        echo(first, b"1")
        echo(second, b"2")
        assert lab.blackhole_all() == 2
        first.sendall(b"lost")
        first.settimeout(0.5)
        with pytest.raises(TimeoutError):
            first.recv(10)
        with connect(lab) as third:
            assert echo(third, b"3") == b"3"


def test_reset_all_resets_open_connections(lab) -> None:
    with connect(lab) as sock:
        echo(sock, b"x")
        assert lab.reset_all() == 1
        sock.settimeout(3.0)
        with pytest.raises(ConnectionResetError):
            sock.recv(10)


def test_close_all_ends_open_connections_with_a_fin(lab) -> None:
    with connect(lab) as sock:
        echo(sock, b"x")
        assert lab.close_all() == 1
        sock.settimeout(3.0)
        assert sock.recv(10) == b""


def test_upstream_closing_is_passed_on_as_end_of_stream() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    with listener, NetLab(listener.getsockname()[:2]) as lab, connect(lab) as sock:
        upstream, _ = listener.accept()
        upstream.close()
        sock.settimeout(3.0)
        assert sock.recv(10) == b""


def test_http_through_the_lab_reaches_the_simulator(simulator) -> None:
    with NetLab.in_front_of(simulator.base_url) as lab:
        assert lab.base_url.startswith("http://127.0.0.1:")
        answer = requests.post(lab.base_url + "/?Action=StartListening", json={}, timeout=3)
        assert answer.status_code == 200 and "Code" in answer.json()
        assert simulator.connections_accepted() == 1 and lab.counters().connections_accepted == 1


def test_refuses_to_forward_beyond_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        NetLab(("192.0.2.1", 80))


def test_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        LinkSettings(loss=1.5)
    with pytest.raises(ValueError):
        LinkSettings(idle_fin_s=0)
