"""The three audio cues, generated in code: 16-bit mono PCM at 44.1 kHz, no binary assets.

- PRESS: one 880 Hz blip (60 ms): "heard you press".
- LISTENING: two short 1320 Hz blips (40 ms, 30 ms apart): "the server confirmed, talk now".
- RELEASE: a falling sweep 880 → 440 Hz (80 ms): "stopped".
Each fades in and out over 5 ms so it starts and ends without a click.
"""

from __future__ import annotations

import math
import sys
from array import array
from enum import Enum

SAMPLE_RATE = 44100
BYTES_PER_SAMPLE = 2
# Full volume peaks at half of full scale: a cue is a prompt, not an alarm.
PEAK = 0.5 * 32767
FADE_S = 0.005


class Cue(Enum):
    """When a cue plays."""

    PRESS = "press"
    LISTENING = "listening"
    RELEASE = "release"


def volume_gain(volume: int) -> float:
    """The amplitude factor of a 0-100 volume: squared, so equal steps sound roughly equally loud."""
    if not 0 <= volume <= 100:
        raise ValueError(f"volume must be 0-100, got {volume}")
    return (volume / 100) ** 2


def render(cue: Cue, volume: int) -> bytes:
    """The cue as signed 16-bit little-endian mono PCM at SAMPLE_RATE."""
    gain = volume_gain(volume) * PEAK
    samples = array("h", (round(gain * value) for value in waveform(cue)))
    if samples.itemsize != BYTES_PER_SAMPLE:
        raise RuntimeError("this platform's short is not 16 bits")
    return _little_endian(samples).tobytes()


def waveform(cue: Cue) -> list[float]:
    """The cue's samples from -1 to 1, before volume."""
    if cue is Cue.PRESS:
        return _tone(880, 880, 0.060)
    if cue is Cue.LISTENING:
        return _tone(1320, 1320, 0.040) + [0.0] * round(0.030 * SAMPLE_RATE) + _tone(1320, 1320, 0.040)
    return _tone(880, 440, 0.080)


def duration_s(cue: Cue) -> float:
    """How long the cue plays."""
    return len(waveform(cue)) / SAMPLE_RATE


def _tone(start_hz: float, end_hz: float, seconds: float) -> list[float]:
    count = round(seconds * SAMPLE_RATE)
    fade = round(FADE_S * SAMPLE_RATE)
    phase, samples = 0.0, []
    for index in range(count):
        frequency = start_hz + (end_hz - start_hz) * index / count  # a linear sweep (constant for a tone)
        phase += 2 * math.pi * frequency / SAMPLE_RATE
        edge = min(index, count - 1 - index)
        envelope = 0.5 - 0.5 * math.cos(math.pi * edge / fade) if edge < fade else 1.0
        samples.append(envelope * math.sin(phase))
    return samples


def _little_endian(samples: array) -> array:
    if sys.byteorder == "big":
        samples.byteswap()
    return samples
