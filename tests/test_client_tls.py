"""TLS verification is always on: a server with an untrusted certificate is refused, clearly."""

from __future__ import annotations

import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import START_LISTENING, Outcome, listening_request


class _Answer(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b'{"Code":0,"Message":"ok","RequestId":"tls"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def self_signed_server(tmp_path: Path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    server = HTTPServer(("127.0.0.1", 0), _Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_untrusted_certificate_is_a_transport_error_naming_tls(self_signed_server, credentials) -> None:
    result = AgentApiClient(credentials, self_signed_server, connect_timeout_s=2, read_timeout_s=2).send(
        listening_request(START_LISTENING, "i", "", 1)
    )
    assert result.outcome is Outcome.TRANSPORT_ERROR
    assert "TLS verification" in result.message
