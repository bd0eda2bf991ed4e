"""Local simulator of the ZEGOCLOUD AI Agent server API, for tests, benchmarks and the demo (loopback only)."""

from ptt_app.sim.faults import Fault, FaultKind
from ptt_app.sim.simulator import (
    DEMO_APP_ID,
    DEMO_SERVER_SECRET,
    AgentApiSimulator,
    AgentInstance,
    ReceivedRequest,
    SimConfig,
)

__all__ = [
    "DEMO_APP_ID",
    "DEMO_SERVER_SECRET",
    "AgentApiSimulator",
    "AgentInstance",
    "Fault",
    "FaultKind",
    "ReceivedRequest",
    "SimConfig",
]
