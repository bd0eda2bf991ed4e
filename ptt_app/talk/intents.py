"""Talk state: what the operator asked for (press/release) and what the server confirmed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from ptt_app.api import codes
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
    """One StartListening/StopListening the operator caused, numbered at the moment of press or release.

    `origin_sequence` is the Sequence of the operator's action; a retry or resend of it carries a new,
    higher `sequence` and the next `attempt` number, with the same origin."""

    action: str
    sequence: int
    origin_sequence: int
    reason: str
    acted_wall: float
    attempt: int = 1

    @property
    def is_stop(self) -> bool:
        """True for StopListening."""
        return self.action == STOP_LISTENING

    def retried(self, sequence: int) -> ListenIntent:
        """The same operator action sent again under a new, higher Sequence."""
        return replace(self, sequence=sequence, attempt=self.attempt + 1)

    def renumbered(self, sequence: int) -> ListenIntent:
        """The same attempt under a higher Sequence: one taken for a resend after this was numbered."""
        return replace(self, sequence=sequence)


def is_outdated(result: ApiResult) -> bool:
    """True when the server ignored a Start/Stop because it had seen a higher Sequence (410001043)."""
    return result.code == codes.SEQUENCE_OUTDATED


def answer_was_lost(result: ApiResult) -> bool:
    """True for 410001043 to the client's resend of the same Sequence: the first attempt reached the server,
    but its answer, and so whether it worked (it may have failed with 410001046), never came back."""
    return result.resent and is_outdated(result)


def confirms(result: ApiResult) -> bool:
    """True when the server confirmed the request (Code 0); nothing else says it was acted on."""
    return result.ok


class TalkController:
    """Turns press/release into numbered intents, ignoring repeats, and derives the shown state from results."""

    def __init__(self, sequences: SequenceSource, wall_clock: Callable[[], float] = time.time) -> None:
        self._sequences = sequences
        self._wall_clock = wall_clock
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

    def stop(self, reason: str) -> ListenIntent:
        """A Stop whatever was held (the command line's `stop`, for an agent left listening elsewhere)."""
        self.held = False
        self.state = TalkState.STOPPING
        return self._intent(STOP_LISTENING, reason)

    def is_latest(self, intent: ListenIntent) -> bool:
        """True when the intent is (a resend of) the operator's newest press or release."""
        return intent.origin_sequence == self._latest_origin

    def on_result(self, intent: ListenIntent, result: ApiResult, final: bool = True) -> TalkState:
        """Update the state from the server's answer; answers to superseded actions change nothing.
        `final` is False when a failed intent will be retried, so the state stays pending."""
        if not self.is_latest(intent):
            return self.state
        if confirms(result):
            self.state = TalkState.LISTENING if intent.action == START_LISTENING else TalkState.IDLE
            self.last_error = ""
        elif final:
            self.state = TalkState.ERROR
            self.last_error = f"{intent.action} failed: {result.explanation()}"
        return self.state

    def _intent(self, action: str, reason: str) -> ListenIntent:
        sequence = self._sequences.next()
        self._latest_origin = sequence
        return ListenIntent(action, sequence, sequence, reason, self._wall_clock())
