"""What each talk state looks like: its words, its icon and its style-sheet name, one table for the panel,
the button, the mini window and the tray. The words never run ahead of the server: "Listening" appears only
once it confirmed StartListening."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.gui.i18n import tr
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
    what_next: str  # what the state means for the next press, for a screen reader

    @property
    def style_state(self) -> str:
        """The talkState property value the style sheet colours by."""
        return self.kind.value


def talk_look(state: TalkState | None, *, latched: bool = False, pending: ReleasePending | None = None,
              error_reason: str = "", hold_hint: str = "") -> TalkLook:
    """The look of a confirmed state (None: not connected); latched and pending refine Listening."""
    if state is None:
        return _look(LookKind.DISCONNECTED, tr("Not connected"), tr("Hold to talk\n(not connected)"), tr("Offline"),
                     tr("Nothing is sent until a session is open."))
    if state is TalkState.IDLE:
        hint = hold_hint or tr("mouse or Space")
        return _look(LookKind.IDLE, tr("Idle"), tr("Hold to talk\n({hint})").format(hint=hint), tr("Idle"),
                     tr("Press and hold to talk; release to stop."))
    if state is TalkState.STARTING:
        return _look(LookKind.STARTING, tr("Starting…"), tr("Starting…\nnot listening yet"), tr("Starting…"),
                     tr("StartListening is sent; the agent is not listening yet."))
    if state is TalkState.STOPPING:
        return _look(LookKind.STOPPING, tr("Stopping…"), tr("Stopping…"), tr("Stopping…"),
                     tr("StopListening is sent; waiting for the server."))
    if state is TalkState.ERROR:
        word = tr("Error: {reason}").format(reason=error_reason) if error_reason else tr("Error")
        return _look(LookKind.ERROR, word, tr("{error}\nhold to try again").format(error=word), tr("Error"),
                     tr("Press and hold to try again."))
    if latched:
        return _look(LookKind.LOCKED, tr("LOCKED"), tr("LOCKED\npress to stop"), tr("LOCKED"),
                     tr("The agent listens until the next press."))
    word = _listening_word(pending)
    # Two lines on the button, so a narrow window (the minimum size with the instance panel) does not clip it.
    return _look(LookKind.LISTENING, word, word.replace(" — ", "\n"), tr("Listening"),
                 tr("The agent is listening; release to stop."))


def _listening_word(pending: ReleasePending | None) -> str:
    if pending is None:
        return tr("Listening — release to stop")
    if pending.latch_possible:
        return tr("Listening — tap again to lock")
    return tr("Listening — stops in {ms} ms").format(ms=pending.tail_ms)


def _look(kind: LookKind, word: str, button_text: str, short_word: str, what_next: str) -> TalkLook:
    return TalkLook(kind, word, button_text, short_word, ICONS[kind], what_next)


def error_reason(result: ApiResult) -> str:
    """A few words on why a Start/Stop failed, for the state label (the message line has the details)."""
    what = {
        Outcome.TIMEOUT: tr("no answer"),
        Outcome.TRANSPORT_ERROR: tr("server unreachable"),
        Outcome.HTTP_ERROR: tr("HTTP {status}").format(status=result.http_status),
        Outcome.BAD_BODY: tr("unreadable answer"),
        Outcome.NOT_SENT: tr("not sent"),
    }.get(result.outcome, tr("Code {code}").format(code=result.code))
    if result.action == "StartListening":
        return tr("Start failed, {what}").format(what=what)
    return tr("Stop failed, {what}").format(what=what)
