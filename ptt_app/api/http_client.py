"""HTTP transport of the ZEGOCLOUD AI Agent server API: every call returns an ApiResult, never raises."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from ptt_app.api import codes
from ptt_app.api.signing import signed_params
from ptt_app.api.types import ApiRequest, ApiResult, Credentials, Outcome

# A real answer is a few hundred bytes; anything far larger is a proxy page or an attack on memory.
MAX_RESPONSE_BYTES = 1024 * 1024


class AgentApiClient:
    """Signs and sends AI Agent API calls over one keep-alive session with explicit timeouts."""

    def __init__(
        self,
        credentials: Credentials,
        endpoint: str,
        *,
        connect_timeout_s: float = 3.0,
        read_timeout_s: float = 5.0,
        max_connections: int = 4,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._credentials = credentials
        self.endpoint = endpoint.rstrip("/") + "/"
        self.connect_timeout_s = connect_timeout_s
        self.read_timeout_s = read_timeout_s
        self._clock = clock
        self._session = requests.Session()
        # Retries would resend a listening request the server may already have acted on; the
        # caller decides what to resend, with a new Sequence.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max_connections, max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.headers.update({"Content-Type": "application/json", "User-Agent": "ptt-app"})

    @property
    def app_id(self) -> int:
        """The AppId this client signs for."""
        return self._credentials.app_id

    def close(self) -> None:
        """Close the keep-alive connections."""
        self._session.close()

    def send(self, request: ApiRequest) -> ApiResult:
        """Sign and POST one call; whatever happens on the wire comes back as an ApiResult."""
        action, sequence = request.action, request.sequence
        query = signed_params(self._credentials.app_id, self._credentials.server_secret, self._clock()).as_query(action)
        payload = json.dumps(request.body, separators=(",", ":")).encode("utf-8")
        sent_at = time.time()
        started = time.perf_counter()

        def result(outcome: Outcome, message: str, **answer: Any) -> ApiResult:
            latency_ms = (time.perf_counter() - started) * 1000.0
            return ApiResult(action, sequence, sent_at, latency_ms, outcome, message=message, **_answer_fields(answer))

        try:
            response = self._session.post(
                self.endpoint,
                params=query,
                data=payload,
                timeout=(self.connect_timeout_s, self.read_timeout_s),
                allow_redirects=False,
                stream=True,
                verify=True,
            )
        except requests.exceptions.ConnectTimeout:
            return result(Outcome.TIMEOUT, f"no connection to {self._host()} within {self.connect_timeout_s:g} s")
        except requests.exceptions.ReadTimeout:
            return result(Outcome.TIMEOUT, f"no answer from {self._host()} within {self.read_timeout_s:g} s")
        except requests.exceptions.SSLError as error:
            return result(Outcome.TRANSPORT_ERROR, f"TLS verification of {self._host()} failed: {_reason(error)}")
        except requests.exceptions.RequestException as error:
            return result(Outcome.TRANSPORT_ERROR, f"{self._host()}: {_connection_reason(error)}")

        with response:
            try:
                raw = _read_limited(response, MAX_RESPONSE_BYTES)
            except requests.exceptions.Timeout:
                return result(Outcome.TIMEOUT, f"answer from {self._host()} stopped for over {self.read_timeout_s:g} s")
            except requests.exceptions.RequestException as error:
                return result(
                    Outcome.TRANSPORT_ERROR,
                    f"{self._host()}: answer cut off ({_reason(error)})",
                    http_status=response.status_code,
                )
            except _TooLarge:
                return result(
                    Outcome.BAD_BODY,
                    f"answer larger than {MAX_RESPONSE_BYTES // 1024} KiB, not read",
                    http_status=response.status_code,
                )
        return _interpret(response, raw, result)

    def _host(self) -> str:
        return urlsplit(self.endpoint).netloc or self.endpoint


class _TooLarge(Exception):
    pass


def _read_limited(response: requests.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > limit:
            raise _TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _answer_fields(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "http_status": answer.get("http_status"),
        "code": answer.get("code"),
        "request_id": answer.get("request_id"),
        "data": answer.get("data"),
    }


def _interpret(response: requests.Response, raw: bytes, result: Callable[..., ApiResult]) -> ApiResult:
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers.get("Location", "?")
        return result(
            Outcome.HTTP_ERROR, f"HTTP {status} redirect to {location} refused: the API never redirects", http_status=status
        )
    parsed = _parse_json(raw)
    if status != 200:
        detail = _describe_non_json(raw, response) if parsed is None else _brief(parsed.get("Message", ""))
        fields = _known_fields(parsed) if isinstance(parsed, dict) else {}
        fields.pop("message", None)
        return result(
            Outcome.HTTP_ERROR, f"HTTP {status} {response.reason or ''}".strip() + f": {detail}", http_status=status, **fields
        )
    if parsed is None:
        if not raw:
            return result(Outcome.BAD_BODY, "empty answer (HTTP 200 with no body)", http_status=status)
        return result(Outcome.BAD_BODY, f"answer is not JSON: {_describe_non_json(raw, response)}", http_status=status)
    if not isinstance(parsed, dict):
        return result(Outcome.BAD_BODY, "answer is JSON but not an object", http_status=status)
    code = parsed.get("Code")
    if "Code" not in parsed:
        return result(
            Outcome.BAD_BODY, "answer has no Code field", http_status=status, request_id=_text_or_none(parsed.get("RequestId"))
        )
    if not isinstance(code, int) or isinstance(code, bool):
        return result(
            Outcome.BAD_BODY,
            f"answer's Code is not an integer: {code!r}",
            http_status=status,
            request_id=_text_or_none(parsed.get("RequestId")),
        )
    fields = _known_fields(parsed)
    message = fields.pop("message")
    outcome = Outcome.OK if code == codes.SUCCESS else Outcome.API_ERROR
    return result(outcome, message, http_status=status, **fields)


def _known_fields(parsed: dict[str, Any]) -> dict[str, Any]:
    code = parsed.get("Code")
    data = parsed.get("Data")
    return {
        "code": code if isinstance(code, int) and not isinstance(code, bool) else None,
        "message": _brief(parsed.get("Message", "")),
        "request_id": _text_or_none(parsed.get("RequestId")),
        "data": data if isinstance(data, dict) else None,
    }


def _parse_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _brief(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _describe_non_json(raw: bytes, response: requests.Response) -> str:
    if not raw:
        return "empty body"
    kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
    title = _TITLE.search(raw[:65536])
    if title:
        return f"{kind} page titled {_brief(title.group(1).decode('utf-8', 'replace'), 120)!r}"
    return f"{kind}, {len(raw)} bytes starting {_brief(raw[:80].decode('utf-8', 'replace'), 80)!r}"


def _reason(error: Exception) -> str:
    text = str(error.args[0]) if error.args else str(error)
    return _brief(text, 200)


def _connection_reason(error: requests.exceptions.RequestException) -> str:
    text = str(error)
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused (is the server running and the endpoint right?)"
    if "Name or service not known" in text or "getaddrinfo failed" in text or "Temporary failure in name resolution" in text:
        return "host name not found (check the endpoint)"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "Connection reset" in text:
        return "connection closed by the server without an answer"
    if "Network is unreachable" in text or "No route to host" in text:
        return "network unreachable"
    return _brief(text, 200)
