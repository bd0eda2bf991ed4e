"""What the window's and the command line's network tests share: the simulator over HTTPS, network labs in
front of it, the scaled-down idle limits, and the ways the lab kills a connection. A test module takes the
fixtures by assignment (`simulator = network_rig.simulator`), which overrides conftest's plain simulator there
only."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ptt_app.api.types import Credentials
from ptt_app.session.console import EXTRA_SENDERS
from ptt_app.sim import AgentApiSimulator, SimConfig
from ptt_app.store.settings import ProfileSettings
from support.netlab import LinkSettings, NetLab

MODES = ("none", "fin", "blackhole", "reset")
# Idle limits scaled down from seconds to tenths: the client replaces a connection idle CLIENT_IDLE_LIMIT_S
# (looked after every MAINTAIN_EVERY_S); the lab drops one idle a little longer.
CLIENT_IDLE_LIMIT_S = 0.3
LAB_IDLE_LIMIT_S = 0.6
MAINTAIN_EVERY_S = 0.05
# The case: 150 ms RTT.
ONE_WAY_DELAY_MS = 75.0
# Each opens (warms up) a connection when the session opens.
SENDER_THREADS = ProfileSettings().max_in_flight + EXTRA_SENDERS


@pytest.fixture
def simulator(credentials: Credentials, monkeypatch: pytest.MonkeyPatch) -> Iterator[AgentApiSimulator]:
    """The simulator over HTTPS; clients trust its certificate the way requests lets a system do it, through
    REQUESTS_CA_BUNDLE."""
    config = SimConfig(app_id=credentials.app_id, server_secret=credentials.server_secret, tls=True)
    with AgentApiSimulator(config) as sim:
        assert sim.ca_certificate_path is not None
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", sim.ca_certificate_path)
        yield sim


@pytest.fixture
def make_lab(simulator: AgentApiSimulator) -> Iterator[Callable[[LinkSettings], NetLab]]:
    """Labs in front of the simulator, stopped at the end of the test."""
    labs: list[NetLab] = []

    def make(settings: LinkSettings) -> NetLab:
        lab = NetLab.in_front_of(simulator.base_url, settings)
        lab.start()
        labs.append(lab)
        return lab

    yield make
    for lab in labs:
        lab.stop()


def dropping_idle(mode: str) -> LinkSettings:
    """A path that drops connections idle LAB_IDLE_LIMIT_S the mode's way ("none": never)."""
    return LinkSettings(**({} if mode == "none" else {f"idle_{mode}_s": LAB_IDLE_LIMIT_S}))


def kill_every_connection(lab: NetLab, how: str) -> int:
    """Kill every open connection the way `how` says (fin, reset, blackhole); how many there were."""
    return {"fin": lab.close_all, "reset": lab.reset_all, "blackhole": lab.blackhole_all}[how]()
