"""SimConfig(tls=True): HTTPS with a throw-away certificate that a client trusts through verify=<path>."""

from __future__ import annotations

import os
import re
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from test_sim_calls import APP_ID, CLIENT_TIMEOUT_S, SECRET, SimCaller, create_body

from ptt_app.api import codes
from ptt_app.api.signing import signed_params
from ptt_app.sim import DEMO_APP_ID, DEMO_SERVER_SECRET, AgentApiSimulator, SimConfig

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def tls_sim():
    with AgentApiSimulator(SimConfig(app_id=APP_ID, server_secret=SECRET, tls=True)) as simulator:
        yield simulator


def test_base_url_is_https_and_a_certificate_file_is_offered(tls_sim):
    assert tls_sim.base_url.startswith("https://127.0.0.1:")
    certificate = Path(tls_sim.ca_certificate_path)
    assert certificate.read_text().startswith("-----BEGIN CERTIFICATE-----")


def test_a_client_trusting_the_certificate_talks_to_the_api(tls_sim):
    with requests.Session() as http:
        api = SimCaller(tls_sim, http, verify=tls_sim.ca_certificate_path)
        instance = api.create()

        assert api.start(instance, 1)["Code"] == codes.SUCCESS
        assert api.status(instance) == "LISTENING"


def test_the_certificate_names_localhost_too(tls_sim):
    url = tls_sim.base_url.replace("127.0.0.1", "localhost") + "/"
    query = signed_params(APP_ID, SECRET).as_query("CreateAgentInstance")

    response = requests.post(url, params=query, json=create_body(), verify=tls_sim.ca_certificate_path,
                             timeout=CLIENT_TIMEOUT_S)

    assert response.json()["Code"] == codes.SUCCESS


def test_a_client_with_default_trust_refuses_the_certificate(tls_sim):
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(tls_sim.base_url + "/", params=signed_params(APP_ID, SECRET).as_query("StartListening"),
                      json={}, timeout=CLIENT_TIMEOUT_S)


def test_a_strict_python_tls_client_accepts_the_certificate(tls_sim):
    context = ssl.create_default_context(cafile=tls_sim.ca_certificate_path)
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    host, port = "127.0.0.1", tls_sim.port

    with socket.create_connection((host, port), timeout=CLIENT_TIMEOUT_S) as raw:
        with context.wrap_socket(raw, server_hostname=host) as secure:
            assert secure.version() in ("TLSv1.2", "TLSv1.3")


def test_a_plain_http_request_to_the_tls_port_gets_no_answer_and_the_simulator_keeps_serving(tls_sim):
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(tls_sim.base_url.replace("https", "http") + "/", json={}, timeout=CLIENT_TIMEOUT_S)

    with requests.Session() as http:
        assert SimCaller(tls_sim, http, verify=tls_sim.ca_certificate_path).create()


def test_keep_alive_reuses_one_tls_connection(tls_sim):
    with requests.Session() as http:
        api = SimCaller(tls_sim, http, verify=tls_sim.ca_certificate_path)
        instance = api.create()
        api.start(instance, 1)
        api.stop(instance, 2)

    assert tls_sim.connections_accepted() == 1


def test_stop_removes_the_certificate_and_its_key():
    simulator = AgentApiSimulator(SimConfig(APP_ID, SECRET, tls=True))
    simulator.start()
    folder = Path(simulator.ca_certificate_path).parent
    key_modes = [os.stat(path).st_mode & 0o077 for path in folder.iterdir() if "key" in path.name]

    simulator.stop()

    assert key_modes == [0] and not folder.exists()


def test_without_tls_there_is_no_certificate():
    with AgentApiSimulator(SimConfig(APP_ID, SECRET)) as plain:
        assert plain.base_url.startswith("http://") and plain.ca_certificate_path is None


def test_the_command_line_serves_tls_and_prints_the_certificate_path():
    process = subprocess.Popen(
        [sys.executable, "-m", "ptt_app.sim", "--port", "0", "--tls"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base_url = re.search(r"https://127\.0\.0\.1:\d+", process.stdout.readline()).group(0)
        certificate = process.stdout.readline().split(": ", 1)[1].strip()
        query = signed_params(DEMO_APP_ID, DEMO_SERVER_SECRET).as_query("CreateAgentInstance")
        answer = requests.post(base_url + "/", params=query, json=create_body(), verify=certificate,
                               timeout=CLIENT_TIMEOUT_S).json()
    finally:
        process.terminate()
        process.communicate(timeout=5)

    assert answer["Code"] == codes.SUCCESS
    assert process.returncode == 0 and not Path(certificate).exists()
