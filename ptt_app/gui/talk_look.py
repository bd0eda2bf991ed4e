"""What each talk state looks like: its words, its icon and its style-sheet name, one table for the panel,
the button, the mini window and the tray. The words never run ahead of the server: "Listening" appears only
once it confirmed StartListening."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.talk.intents import TalkState


class LookKind(str, Enum):
    """The shown state; its value is the style sheet's talkState property (resources/console.qss)."""

    DISCONNECTED = "Disconnected"
    IDLE = "Idle"
    STARTING = "Starting"
    LISTENING = "Listening"
    LOCKED = "Locked"
    STOPPING = "Stopping"
    ERROR = "Error"


# Each state has its own glyph as well as its own colour, so the states stay apart for colour-blind
# operators and in greyscale: mic with a slash, hourglass, mic with waves, padlock, stop square, warning.
ICONS = {
    LookKind.DISCONNECTED: "state-idle.svg",
    LookKind.IDLE: "state-idle.svg",
    LookKind.STARTING: "state-starting.svg",
    LookKind.LISTENING: "state-listening.svg",
    LookKind.LOCKED: "state-locked.svg",
    LookKind.STOPPING: "state-stopping.svg",
    LookKind.ERROR: "state-error.svg",
}


@dataclass(frozen=True)
class ReleasePending:
    """The operator let go but the Stop waits: for the release tail, or for a second tap that would latch."""

    tail_ms: int
    latch_possible: bool


@dataclass(frozen=True)
class TalkLook:
    """Everything the views show for one state."""

    kind: LookKind
    word: str  # the state label's text
    button_text: str
    short_word: str  # the mini window's label
    icon: str  # a file in resources/

    @property
    def style_state(self) -> str:
        """The talkState property value the style sheet colours by."""
        return self.kind.value


def talk_look(state: TalkState | None, *, latched: bool = False, pending: ReleasePending | None = None,
              error_reason: str = "", hold_hint: str = "mouse or Space") -> TalkLook:
    """The look of a confirmed state (None: not connected); latched and pending refine Listening."""
    if state is None:
        return _look(LookKind.DISCONNECTED, "Not connected", "Hold to talk\n(not connected)", "Offline")
    if state is TalkState.IDLE:
        return _look(LookKind.IDLE, "Idle", f"Hold to talk\n({hold_hint})", "Idle")
    if state is TalkState.STARTING:
        return _look(LookKind.STARTING, "Starting…", "Starting…\nnot listening yet", "Starting…")
    if state is TalkState.STOPPING:
        return _look(LookKind.STOPPING, "Stopping…", "Stopping…", "Stopping…")
    if state is TalkState.ERROR:
        word = f"Error: {error_reason}" if error_reason else "Error"
        return _look(LookKind.ERROR, word, f"{word}\nhold to try again", "Error")
    if latched:
        return _look(LookKind.LOCKED, "LOCKED", "LOCKED\npress to stop", "LOCKED")
    word = _listening_word(pending)
    # Two lines on the button, so a narrow window (the minimum size with the instance panel) does not clip it.
    return _look(LookKind.LISTENING, word, word.replace(" — ", "\n"), "Listening")


def _listening_word(pending: ReleasePending | None) -> str:
    if pending is None:
        return "Listening — release to stop"
    if pending.latch_possible:
        return "Listening — tap again to lock"
    return f"Listening — stops in {pending.tail_ms} ms"


def _look(kind: LookKind, word: str, button_text: str, short_word: str) -> TalkLook:
    return TalkLook(kind, word, button_text, short_word, ICONS[kind])


def error_reason(result: ApiResult) -> str:
    """A few words on why a Start/Stop failed, for the state label (the message line has the details)."""
    verb = "Start" if result.action == "StartListening" else "Stop"
    what = {
        Outcome.TIMEOUT: "no answer",
        Outcome.TRANSPORT_ERROR: "server unreachable",
        Outcome.HTTP_ERROR: f"HTTP {result.http_status}",
        Outcome.BAD_BODY: "unreadable answer",
        Outcome.NOT_SENT: "not sent",
    }.get(result.outcome, f"Code {result.code}")
    return f"{verb} failed, {what}"
