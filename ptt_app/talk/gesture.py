"""Latch (double-tap) and release tail: when a hold's press and release become Start and Stop (Qt-free).

The window merges its inputs (button, window key, global hotkey, mini window) into one hold, and asks
these rules what each press and release means. Time comes from an injected clock, so the rules are
tested without Qt and without sleeping.

- Release tail (0-500 ms): the Stop is sent that long after the release, so word endings are not cut.
  A press within the tail cancels the pending Stop: listening simply continues, no Stop/Start pair.
- Latch (off by default): a double-tap latches listening on until the next press. A tap is a hold of
  at most DOUBLE_TAP_S; with latch on, a tap's Stop waits DOUBLE_TAP_S (or the tail, if longer) for a
  second press. A second tap then latches; the next press sends the Stop. A long hold never waits.
- Safety releases (maximum hold, quit, lost session) stop at once, tail and latch included. Focus loss
  ends only the holds that need the window's focus; a latched talk, with nothing held, goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

# Shorter than the desktops' double-click defaults (400-500 ms), because a plain tap with latch on waits this
# long for its Stop; long enough for a deliberate double-tap of a key or pedal.
DOUBLE_TAP_S = 0.300
MAX_RELEASE_TAIL_MS = 500
# A QTimer may fire a millisecond early; a stop due within this is sent rather than re-armed.
_DUE_SLACK_S = 0.002


class Send(Enum):
    """Which call a step sends now."""

    START = "StartListening"
    STOP = "StopListening"


class GesturePhase(Enum):
    """Where the operator's hold is, as far as listening goes."""

    IDLE = "idle"  # nothing held, nothing on
    HELD = "held"  # held down, listening asked for
    TAIL = "tail"  # let go, the Stop waits for its tail (or for a second tap)
    LATCHED = "latched"  # let go after a double-tap: listening stays on until the next press
    SPENT = "spent"  # still held down, but listening was stopped (latch undone, or a safety release)


@dataclass(frozen=True)
class GestureSettings:
    """The profile's settings these rules follow."""

    latch_enabled: bool = False
    release_tail_ms: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.release_tail_ms <= MAX_RELEASE_TAIL_MS:
            raise ValueError(f"release_tail_ms must be 0-{MAX_RELEASE_TAIL_MS}, got {self.release_tail_ms}")

    @property
    def tail_s(self) -> float:
        """The release tail in seconds."""
        return self.release_tail_ms / 1000


@dataclass(frozen=True)
class GestureStep:
    """What the window does now: send a call, and start or cancel the one delayed-Stop timer.

    A step with neither arm_stop_s nor cancel_stop leaves a running timer alone."""

    send: Send | None = None
    arm_stop_s: float | None = None  # (re)start the delayed-Stop timer; call stop_due() when it fires
    cancel_stop: bool = False


@dataclass(frozen=True)
class PendingStop:
    """A Stop waiting for its moment (clock times), and whether a second tap could still latch."""

    released_at: float
    due: float
    latch_possible: bool  # the hold was a first tap, with latch on

    def latches_at(self, now: float) -> bool:
        """Whether a press now is the second tap of a double-tap."""
        return self.latch_possible and now - self.released_at <= DOUBLE_TAP_S


class TalkGesture:
    """The latch and tail rules for one merged hold. Not thread-safe: the GUI thread owns it."""

    def __init__(self, settings: GestureSettings | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or GestureSettings()
        self._clock = clock
        self.phase = GesturePhase.IDLE
        self.pending: PendingStop | None = None
        self._pressed_at = 0.0
        self._second_tap = False

    @property
    def latched(self) -> bool:
        """Whether a double-tap latched listening on."""
        return self.phase is GesturePhase.LATCHED

    @property
    def listening_asked(self) -> bool:
        """Whether listening should be on now (held, in its tail, or latched)."""
        return self.phase in (GesturePhase.HELD, GesturePhase.TAIL, GesturePhase.LATCHED)

    def configure(self, settings: GestureSettings) -> None:
        """New settings; they apply from the next press or release."""
        self.settings = settings

    def reset(self) -> None:
        """Forget everything without sending (a new session: nothing is on there)."""
        self.phase = GesturePhase.IDLE
        self.pending = None
        self._second_tap = False

    def press(self) -> GestureStep:
        """The hold began (the first of the window's inputs went down)."""
        now = self._clock()
        if self.phase is GesturePhase.IDLE:
            self._begin_hold(now, second_tap=False)
            return GestureStep(Send.START)
        if self.phase is GesturePhase.TAIL:
            assert self.pending is not None
            self._begin_hold(now, second_tap=self.pending.latches_at(now))
            return GestureStep(cancel_stop=True)
        if self.phase is GesturePhase.LATCHED:
            self.phase = GesturePhase.SPENT
            return GestureStep(Send.STOP)
        return GestureStep()

    def release(self) -> GestureStep:
        """The hold ended (the last of the window's inputs came up)."""
        if self.phase is GesturePhase.SPENT:
            self.phase = GesturePhase.IDLE
            return GestureStep()
        if self.phase is not GesturePhase.HELD:
            return GestureStep()
        now = self._clock()
        was_tap = now - self._pressed_at <= DOUBLE_TAP_S
        if self.settings.latch_enabled and was_tap and self._second_tap:
            self.phase = GesturePhase.LATCHED
            return GestureStep()
        latch_possible = self.settings.latch_enabled and was_tap and not self._second_tap
        delay = max(self.settings.tail_s, DOUBLE_TAP_S if latch_possible else 0.0)
        if delay <= 0:
            self.phase = GesturePhase.IDLE
            return GestureStep(Send.STOP)
        self.phase = GesturePhase.TAIL
        self.pending = PendingStop(now, now + delay, latch_possible)
        return GestureStep(arm_stop_s=delay)

    def stop_due(self) -> GestureStep:
        """The delayed-Stop timer fired: send the Stop (or wait the rest, if it fired early)."""
        if self.phase is not GesturePhase.TAIL or self.pending is None:
            return GestureStep()
        remaining = self.pending.due - self._clock()
        if remaining > _DUE_SLACK_S:
            return GestureStep(arm_stop_s=remaining)
        self.phase = GesturePhase.IDLE
        self.pending = None
        return GestureStep(Send.STOP)

    def force_stop(self) -> GestureStep:
        """A safety release: Stop now whatever is on (tail and latch too); a hold still down stays spent."""
        if not self.listening_asked:
            return GestureStep()
        self.phase = GesturePhase.SPENT if self.phase is GesturePhase.HELD else GesturePhase.IDLE
        self.pending = None
        return GestureStep(Send.STOP, cancel_stop=True)

    def _begin_hold(self, now: float, second_tap: bool) -> None:
        self.phase = GesturePhase.HELD
        self.pending = None
        self._pressed_at = now
        self._second_tap = second_tap
