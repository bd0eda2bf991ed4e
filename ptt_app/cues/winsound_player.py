"""Cues on Windows through the standard library's winsound (no package added to the installer).

winsound cannot play from memory asynchronously, so each cue is written once as a WAV file in a private
temporary folder and played with SND_FILENAME | SND_ASYNC. Not run on this project's Linux CI.
"""

from __future__ import annotations

import shutil
import tempfile
import wave
from pathlib import Path

from ptt_app.cues.player import CueStatus
from ptt_app.cues.tones import BYTES_PER_SAMPLE, SAMPLE_RATE, Cue, render

NAME = "Windows sound (winsound)"


class WinsoundCuePlayer:
    """Plays cue WAV files asynchronously; a new cue cuts the one playing (winsound plays one at a time)."""

    def __init__(self, volume: int, enabled: bool = True) -> None:
        import winsound  # type: ignore[import-not-found]

        self._winsound = winsound
        self._folder = Path(tempfile.mkdtemp(prefix="ptt-cues-"))
        self._files: dict[Cue, Path] = {}
        self._enabled = False
        self.configure(enabled, volume)

    @property
    def status(self) -> CueStatus:
        """Always available where winsound exists."""
        return CueStatus(NAME, True, "ready")

    def configure(self, enabled: bool, volume: int) -> None:
        """Write the cues for this volume."""
        for cue in Cue:
            path = self._folder / f"{cue.value}-{volume}.wav"
            if not path.exists():
                _write_wav(path, render(cue, volume))
            self._files[cue] = path
        self._enabled = enabled and volume > 0

    def play(self, cue: Cue) -> None:
        """Start the cue; returns at once."""
        if self._enabled:
            flags = self._winsound.SND_FILENAME | self._winsound.SND_ASYNC | self._winsound.SND_NODEFAULT
            self._winsound.PlaySound(str(self._files[cue]), flags)

    def close(self) -> None:
        """Stop any cue and delete the files."""
        self._winsound.PlaySound(None, 0)
        shutil.rmtree(self._folder, ignore_errors=True)


def _write_wav(path: Path, samples: bytes) -> None:
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(BYTES_PER_SAMPLE)
        output.setframerate(SAMPLE_RATE)
        output.writeframes(samples)
