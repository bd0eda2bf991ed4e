"""Talk state: what the operator asked for (press/release) and what the server confirmed."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from enum import Enum

from ptt_app.api.types import START_LISTENING, STOP_LISTENING, ApiResult
from ptt_app.talk.sequence import SequenceSource


class TalkState(str, Enum):
    """What the window shows; Listening and Idle only once the server confirmed them."""

    IDLE = "Idle"
    STARTING = "Starting"
    LISTENING = "Listening"
    STOPPING = "Stopping"
    ERROR = "Error"


@dataclass(frozen=True)
class ListenIntent:
    """One StartListening/StopListening the operator caused, numbered at the moment of press or release."""

    action: str
    sequence: int
    origin_sequence: int
    reason: str
    created_monotonic: float
    attempt: int = 1

    @property
    def is_stop(self) -> bool:
        """True for StopListening."""
        return self.action == STOP_LISTENING

    def retried(self, sequence: int) -> ListenIntent:
        """The same operator action sent again under a new, higher Sequence."""
        return replace(self, sequence=sequence, attempt=self.attempt + 1, created_monotonic=time.monotonic())


class TalkController:
    """Turns press/release into numbered intents, ignoring repeats, and derives the shown state from results."""

    def __init__(self, sequences: SequenceSource) -> None:
        self._sequences = sequences
        self.held = False
        self.state = TalkState.IDLE
        self.last_error = ""
        self._latest_origin: int | None = None

    def press(self, reason: str) -> ListenIntent | None:
        """A press: StartListening, unless already held (key auto-repeat, a second input)."""
        if self.held:
            return None
        self.held = True
        self.state = TalkState.STARTING
        return self._intent(START_LISTENING, reason)

    def release(self, reason: str) -> ListenIntent | None:
        """A release: StopListening, unless nothing is held."""
        if not self.held:
            return None
        self.held = False
        self.state = TalkState.STOPPING
        return self._intent(STOP_LISTENING, reason)

    def on_result(self, intent: ListenIntent, result: ApiResult, final: bool = True) -> TalkState:
        """Update the state from the server's answer; answers to superseded actions change nothing.
        `final` is False when a failed intent will be retried, so the state stays pending."""
        if intent.origin_sequence != self._latest_origin:
            return self.state
        if result.ok:
            self.state = TalkState.LISTENING if intent.action == START_LISTENING else TalkState.IDLE
            self.last_error = ""
        elif final:
            self.state = TalkState.ERROR
            self.last_error = f"{intent.action} failed: {result.explanation()}"
        return self.state

    def _intent(self, action: str, reason: str) -> ListenIntent:
        sequence = self._sequences.next()
        self._latest_origin = sequence
        return ListenIntent(action, sequence, sequence, reason, time.monotonic())
