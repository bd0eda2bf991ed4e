"""What the window uses to play cues, and the choice of output per platform."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

from ptt_app.cues.tones import Cue
from ptt_app.translatable import QT_TR_NOOP

DEFAULT_VOLUME = 60




@dataclass(frozen=True)
class CueStatus:
    """Where cues go, and whether they can play (detail: why not, or "ready")."""

    output: str
    available: bool
    detail: str = ""

    def describe(self) -> str:
        """One line for the window or the settings dialog."""
        if self.available:
            return QT_TR_NOOP("Audio cues: {output}").format(output=self.output)
        return QT_TR_NOOP("Audio cues unavailable: {problem}").format(problem=self.detail)


class CuePlayer(Protocol):
    """Plays the three cues; play() returns at once and never raises (called on the GUI thread)."""

    @property
    def status(self) -> CueStatus:
        """Whether cues can play."""
        ...

    def configure(self, enabled: bool, volume: int) -> None:
        """Settings changed: on/off and volume 0-100."""
        ...

    def play(self, cue: Cue) -> None:
        """Start the cue now."""
        ...

    def close(self) -> None:
        """Release the sound output."""
        ...


class SilentCuePlayer:
    """Plays nothing, and says why (no sound output on this platform)."""

    def __init__(self, reason: str) -> None:
        self._status = CueStatus("none", False, reason)

    @property
    def status(self) -> CueStatus:
        """Unavailable, with the reason."""
        return self._status

    def configure(self, enabled: bool, volume: int) -> None:
        """Nothing to configure."""

    def play(self, cue: Cue) -> None:
        """Nothing to play."""

    def close(self) -> None:
        """Nothing to release."""


def open_cue_player(enabled: bool, volume: int, platform: str = sys.platform, server: str | None = None) -> CuePlayer:
    """The cue player for this platform: the desktop sound server on Linux, winsound on Windows."""
    if platform == "win32":
        from ptt_app.cues.winsound_player import WinsoundCuePlayer

        return WinsoundCuePlayer(volume, enabled)
    if platform == "darwin":
        return SilentCuePlayer(QT_TR_NOOP("not available on macOS yet"))
    from ptt_app.cues.pulse import PulseCuePlayer

    return PulseCuePlayer(volume, enabled, server=server)
