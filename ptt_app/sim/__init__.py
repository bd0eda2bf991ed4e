"""Local simulator of the ZEGOCLOUD AI Agent server API, for tests, benchmarks and the demo (loopback only).

Modules, one job each: config (SimConfig), gateway (public parameters, signature, nonce, rate limit),
schemas (request bodies), model (instances, room, Sequence, turns, messages), control (/_sim/ requests),
faults, records (received()), server (HTTP/1.1 and TLS plumbing), tls (the throw-away certificate),
simulator (the AgentApiSimulator facade) and __main__ (the ptt-app-sim command).
"""

from ptt_app.sim.config import DEFAULT_AGENT_ID, DEMO_APP_ID, DEMO_SERVER_SECRET, RtcIdConflict, SimConfig, UserState
from ptt_app.sim.faults import Fault, FaultKind
from ptt_app.sim.model import AgentInstance, AgentStatus
from ptt_app.sim.records import ReceivedRequest
from ptt_app.sim.simulator import AgentApiSimulator

__all__ = [
    "DEFAULT_AGENT_ID",
    "DEMO_APP_ID",
    "DEMO_SERVER_SECRET",
    "AgentApiSimulator",
    "AgentInstance",
    "AgentStatus",
    "Fault",
    "FaultKind",
    "ReceivedRequest",
    "RtcIdConflict",
    "SimConfig",
    "UserState",
]
