"""Simulator-only control requests: what a test, a demo or an operator changes in the simulated world.

They live under the path /_sim/, which no API call uses (every API call is `/?Action=...`), carry no
signature, are answered only to loopback clients, and are never recorded by received():

  POST /_sim/user-state   body {"State": "publishing"|"silent"|"absent",
                                "AgentInstanceId": "..." (optional: default every live instance and
                                                          those created later),
                                "UserId": "..." (optional: default each instance's own user)}
                          -> 200 {"State": ..., "AgentInstanceIds": [...]}
  GET  /_sim/instances    -> 200 {"Instances": [{"AgentInstanceId", "AgentId", "UserId", "Status",
                                                 "Round", "UserState", "RTC", "CommunicationMode"}, ...]}

A refused control request is answered 400 (bad body), 403 (not loopback) or 404 (unknown path or
instance) with {"Message": ...}.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from ptt_app.sim.config import UserState
from ptt_app.sim.model import AgentInstance, AgentModel
from ptt_app.sim.server import HttpReply, Incoming

CONTROL_PREFIX = "/_sim/"
USER_STATE_PATH = "/_sim/user-state"
INSTANCES_PATH = "/_sim/instances"


def is_control_path(path: str) -> bool:
    """True for a simulator-only control path, which is never an API call."""
    return path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/")


class ControlRequests:
    """Answers the control requests of one simulator."""

    def __init__(self, model: AgentModel) -> None:
        self._model = model

    def answer(self, incoming: Incoming, path: str) -> HttpReply:
        """The answer of one control request."""
        if not _is_loopback(incoming.client_host):
            return _refusal(403, "control requests are answered to loopback clients only")
        if path == USER_STATE_PATH and incoming.method == "POST":
            return self._set_user_state(incoming.body.raw)
        if path == INSTANCES_PATH and incoming.method == "GET":
            return HttpReply.json(200, {"Instances": [_instance_json(item) for item in self._model.snapshots()]})
        return _refusal(404, f"no control request {incoming.method} {path}")

    def _set_user_state(self, raw: bytes) -> HttpReply:
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            return _refusal(400, "body must be a JSON object")
        if not isinstance(body, dict):
            return _refusal(400, "body must be a JSON object")
        states = ", ".join(state.value for state in UserState)
        try:
            state = UserState(body.get("State"))
        except ValueError:
            return _refusal(400, f"State must be one of {states}")
        instance_id, user_id = body.get("AgentInstanceId"), body.get("UserId")
        if not isinstance(instance_id, (str, type(None))) or not isinstance(user_id, (str, type(None))):
            return _refusal(400, "AgentInstanceId and UserId must be strings when given")
        try:
            changed = self._model.set_user_state(state, instance_id, user_id or None)
        except KeyError:
            return _refusal(404, f"AgentInstanceId {instance_id!r} does not exist")
        return HttpReply.json(200, {"State": state.value, "AgentInstanceIds": changed})


def _is_loopback(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _refusal(status: int, message: str) -> HttpReply:
    return HttpReply.json(status, {"Message": message})


def _instance_json(instance: AgentInstance) -> dict[str, Any]:
    return {
        "AgentInstanceId": instance.agent_instance_id,
        "AgentId": instance.agent_id,
        "UserId": instance.user_id,
        "Status": instance.status,
        "Round": instance.round,
        "UserState": instance.user_state,
        "RTC": instance.rtc,
        "CommunicationMode": instance.communication_mode,
    }
