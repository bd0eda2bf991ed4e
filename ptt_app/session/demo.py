"""The embedded demo: a local simulator with throw-away credentials of this run only."""

from __future__ import annotations

import dataclasses
import secrets

from ptt_app.api.types import Credentials
from ptt_app.store.settings import ProfileSettings

DEMO_PROFILE = "demo"
DEMO_APP_ID = 1234567890
DEMO_AGENT_ID = "demo-agent"
DEMO_USER_ID = "demo-operator"
# The demo's own instance publishes under ids of its own, so that the profile's ids stay free for an operator
# trying `instance create` (AgentStreamId and AgentUserId are unique across instances, per the reference).
DEMO_OWN_AGENT_STREAM_ID = "demo-agent-stream-0"
DEMO_OWN_AGENT_USER_ID = "demo-agent-user-0"


class DemoStartFailed(RuntimeError):
    """The embedded simulator could not be started or did not create the demo instance."""


class DemoBackend:
    """The embedded simulator with random credentials of this run only, and a walkie-talkie instance."""

    def __init__(self) -> None:
        from ptt_app.sim.simulator import AgentApiSimulator, SimConfig

        self.credentials = Credentials(DEMO_APP_ID, secrets.token_hex(16))
        self.simulator = AgentApiSimulator(
            SimConfig(app_id=self.credentials.app_id, server_secret=self.credentials.server_secret)
        )
        self.simulator.start()

    def profile(self, base: ProfileSettings) -> ProfileSettings:
        """The demo's profile: the user's timeouts and keys, the simulator's endpoint."""
        return dataclasses.replace(
            base,
            endpoint=self.simulator.base_url,
            agent_id=DEMO_AGENT_ID,
            user_id=DEMO_USER_ID,
            rtc_room_id="demo-room",
            agent_stream_id="demo-agent-stream",
            agent_user_id="demo-agent-user",
            user_stream_id="demo-operator-stream",
            agent_instance_id="",
        )

    def set_user_state(self, state: str) -> None:
        """Put the demo's user "publishing", "silent" or "absent" in the room, for every instance, as if
        their voice client started, stopped publishing or left (ValueError for another word)."""
        self.simulator.set_user_state(state)

    def close(self) -> None:
        """Stop the simulator."""
        self.simulator.stop()
