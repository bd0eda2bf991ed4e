"""TLS verification is always on: a server with an untrusted certificate is refused, clearly; the
simulator's throw-away certificate is trusted only when given as ca_bundle."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import START_LISTENING, Credentials, Outcome, listening_request
from ptt_app.sim import AgentApiSimulator, SimConfig


@pytest.fixture
def tls_simulator(credentials: Credentials) -> Iterator[AgentApiSimulator]:
    """The simulator serving HTTPS with a self-signed certificate made at start."""
    with AgentApiSimulator(SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret, tls=True)) as sim:
        yield sim


def start(client: AgentApiClient, instance: str):
    try:
        return client.send(listening_request(START_LISTENING, instance, "", 1))
    finally:
        client.close()


def test_untrusted_certificate_is_a_transport_error_naming_tls(tls_simulator, credentials) -> None:
    client = AgentApiClient(credentials, tls_simulator.base_url, connect_timeout_s=2, read_timeout_s=2)
    result = start(client, "i")
    assert result.outcome is Outcome.TRANSPORT_ERROR
    assert "TLS verification" in result.message
    assert tls_simulator.received() == []


def test_certificate_given_as_ca_bundle_is_trusted(tls_simulator, credentials) -> None:
    instance = tls_simulator.create_instance(agent_id="test-agent", user_id="test-user")
    client = AgentApiClient(credentials, tls_simulator.base_url, ca_bundle=tls_simulator.ca_certificate_path)
    assert start(client, instance).ok


def test_an_untrusted_server_is_not_pre_opened_either(tls_simulator, credentials) -> None:
    client = AgentApiClient(credentials, tls_simulator.base_url, connect_timeout_s=2)
    try:
        assert client.warm_up() is False
    finally:
        client.close()
