"""Helpers the simulator's specifications share (this file holds no tests): signed calls over real
loopback HTTP with `requests`, valid request bodies, and a clock that tests step by hand."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import requests

from ptt_app.api.signing import signed_params
from ptt_app.sim import AgentApiSimulator

APP_ID = 987654321
SECRET = "0123456789abcdef0123456789abcdef"
CLIENT_TIMEOUT_S = 5.0

_unique = itertools.count(1)


class SteppedClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def signed_query(action: str, now: float | None = None, **overrides: str | None) -> dict[str, str]:
    """The public query parameters of a correctly signed call, with any parameter replaced (None drops it)."""
    query: dict[str, str | None] = dict(signed_params(APP_ID, SECRET, now).as_query(action))
    query.update(overrides)
    return {name: value for name, value in query.items() if value is not None}


def rtc_ids(tag: str | None = None) -> dict[str, str]:
    """Four RTC ids no other instance uses."""
    tag = tag or str(next(_unique))
    return {"RoomId": f"room-{tag}", "AgentStreamId": f"agent-stream-{tag}", "AgentUserId": f"agent-{tag}",
            "UserStreamId": f"user-stream-{tag}"}


def create_body(user_id: str = "operator-1", communication_mode: int | None = 2, **fields: Any) -> dict[str, Any]:
    """A valid CreateAgentInstance body for the default registered agent, with `fields` added or replaced."""
    body: dict[str, Any] = {"AgentId": "demo-agent", "UserId": user_id, "RTC": rtc_ids()}
    if communication_mode is not None:
        body["AdvancedConfig"] = {"CommunicationMode": communication_mode}
    body.update(fields)
    return body


@dataclass
class SimCaller:
    """Signs and sends calls to one simulator the way the app's client does: POST /?<public params>, JSON body."""

    sim: AgentApiSimulator
    http: requests.Session = field(default_factory=requests.Session)
    verify: str | bool = True

    def post(
        self,
        action: str,
        body: Any = None,
        *,
        query: dict[str, str] | None = None,
        raw_body: bytes | None = None,
        **options: Any,
    ) -> requests.Response:
        payload = raw_body if raw_body is not None else json.dumps(body if body is not None else {}).encode()
        headers = {"Content-Type": "application/json"}
        if "headers_host" in options:
            headers["Host"] = options.pop("headers_host")
        return self.http.post(
            self.sim.base_url + "/",
            params=query if query is not None else signed_query(action),
            data=payload,
            headers=headers,
            timeout=options.pop("timeout", CLIENT_TIMEOUT_S),
            verify=self.verify,
            **options,
        )

    def call(self, action: str, body: Any = None, **options: Any) -> dict[str, Any]:
        """One call's JSON answer, after checking the envelope every answer has."""
        response = self.post(action, body, **options)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert isinstance(answer["Code"], int) and isinstance(answer["Message"], str)
        assert isinstance(answer["RequestId"], str) and answer["RequestId"]
        return answer

    def create(self, **fields: Any) -> str:
        """CreateAgentInstance over HTTP (create_body's defaults); the new AgentInstanceId."""
        answer = self.call("CreateAgentInstance", create_body(**fields))
        assert answer["Code"] == 0, answer
        return answer["Data"]["AgentInstanceId"]

    def on(self, action: str, instance: str, **fields: Any) -> dict[str, Any]:
        """An instance action: body AgentInstanceId plus `fields`."""
        return self.call(action, {"AgentInstanceId": instance, **fields})

    def start(self, instance: str, sequence: int | None = None, **fields: Any) -> dict[str, Any]:
        return self.on("StartListening", instance, **_with_sequence(sequence, fields))

    def stop(self, instance: str, sequence: int | None = None, **fields: Any) -> dict[str, Any]:
        return self.on("StopListening", instance, **_with_sequence(sequence, fields))

    def status(self, instance: str) -> str:
        """Data.Status of QueryAgentInstanceStatus."""
        answer = self.on("QueryAgentInstanceStatus", instance)
        assert answer["Code"] == 0, answer
        return answer["Data"]["Status"]

    def messages(self, instance: str) -> list[dict[str, str]]:
        """Data.MessageList of GetAgentInstanceMsgList, after checking Total matches it."""
        answer = self.on("GetAgentInstanceMsgList", instance)
        assert answer["Code"] == 0, answer
        assert answer["Data"]["Total"] == len(answer["Data"]["MessageList"])
        return answer["Data"]["MessageList"]


def _with_sequence(sequence: int | None, fields: dict[str, Any]) -> dict[str, Any]:
    return fields if sequence is None else {**fields, "Sequence": sequence}
