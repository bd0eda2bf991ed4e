"""Audio cues: each cue really reaches a sound output, sample-exact, at the chosen volume, or not at all when off.

The output is a private pulseaudio whose pipe sink writes what it plays into a FIFO that the test reads.
Call-to-first-sample latency is measured and reported (record_property "latency_ms"), never asserted.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Iterator
from itertools import pairwise

import pytest

from ptt_app.cues import Cue, open_cue_player
from ptt_app.cues.pulse import PulseCuePlayer
from ptt_app.cues.tones import SAMPLE_RATE, duration_s, render, volume_gain, waveform
from support.pulse_server import PulseServer, SinkCapture, missing_pulseaudio, running_pulseaudio

_WAIT_S = 5.0


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    """One private sound server for this file's tests."""
    reason = missing_pulseaudio()
    if reason:
        pytest.skip(reason)
    with running_pulseaudio() as server:
        yield server


@pytest.fixture
def player(pulse: PulseServer) -> Iterator[PulseCuePlayer]:
    """A cue player on the private server, at full volume."""
    cue_player = PulseCuePlayer(100, server=pulse.address)
    assert cue_player.status.available, cue_player.status.detail
    yield cue_player
    cue_player.close()


def first_sound(capture: SinkCapture, mark: int, cue: Cue, volume: int) -> tuple[bytes, float]:
    """The captured bytes where the cue should be (aligned on its first non-zero sample) and when they arrived."""
    expected = array("h", render(cue, volume))
    leading_zeros = next(index for index, value in enumerate(expected) if value)
    deadline = time.monotonic() + _WAIT_S
    while True:
        data, _ = capture.since(mark)
        samples = array("h", data[: len(data) // 2 * 2])
        start = next((index for index, value in enumerate(samples) if value), None)
        if start is not None and len(samples) - start >= len(expected) or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    if start is None:
        return b"", 0.0
    begin = (start - leading_zeros) * 2
    return data[begin: begin + len(expected) * 2], capture.arrival(mark, start * 2)


def quiet_period(capture: SinkCapture) -> int:
    """Wait until the sink has played silence for a while (nothing pending); a mark after it."""
    time.sleep(0.25)
    return capture.mark()


@pytest.mark.parametrize("cue", list(Cue))
def test_each_cue_reaches_the_sound_output_sample_exact(pulse, player, cue, record_property) -> None:
    mark = quiet_period(pulse.capture)
    called = time.monotonic()
    player.play(cue)
    played, arrived = first_sound(pulse.capture, mark, cue, 100)
    assert played == render(cue, 100)
    latency_ms = (arrived - called) * 1000
    record_property("latency_ms", round(latency_ms, 2))
    print(f"{cue.value}: first sample {latency_ms:.1f} ms after play()")


def test_volume_scales_the_samples_that_are_played(pulse, player) -> None:
    player.configure(True, 25)
    mark = quiet_period(pulse.capture)
    player.play(Cue.PRESS)
    played, _ = first_sound(pulse.capture, mark, Cue.PRESS, 25)
    assert played == render(Cue.PRESS, 25)
    peak_played = max(abs(v) for v in array("h", played))
    peak_full = max(abs(v) for v in array("h", render(Cue.PRESS, 100)))
    assert peak_played == pytest.approx(peak_full * volume_gain(25), abs=1)


def test_cues_switched_off_play_nothing(pulse, player) -> None:
    player.configure(False, 100)
    mark = quiet_period(pulse.capture)
    player.play(Cue.PRESS)
    time.sleep(duration_s(Cue.PRESS) + 0.2)
    player.configure(True, 100)
    player.play(Cue.RELEASE)
    # The first sound after the mark is the release cue: the press cue never played.
    played, _ = first_sound(pulse.capture, mark, Cue.RELEASE, 100)
    assert played == render(Cue.RELEASE, 100)


def test_volume_zero_plays_nothing(pulse, player) -> None:
    player.configure(True, 0)
    mark = quiet_period(pulse.capture)
    player.play(Cue.LISTENING)
    time.sleep(duration_s(Cue.LISTENING) + 0.2)
    player.configure(True, 100)
    player.play(Cue.PRESS)
    played, _ = first_sound(pulse.capture, mark, Cue.PRESS, 100)
    assert played == render(Cue.PRESS, 100)


def test_a_missing_sound_server_is_reported_and_playing_does_nothing(tmp_path) -> None:
    player = PulseCuePlayer(60, server=f"unix:{tmp_path}/no-such-server")
    try:
        assert not player.status.available
        assert "no sound server" in player.status.describe()
        player.play(Cue.PRESS)  # must neither raise nor block
    finally:
        player.close()


def test_the_three_cues_differ_in_pitch_and_length() -> None:
    def crossings_per_second(cue: Cue) -> float:
        samples = waveform(cue)
        flips = sum(1 for a, b in pairwise(samples) if (a < 0) != (b < 0))
        sounding = sum(1 for value in samples if value) / SAMPLE_RATE
        return flips / 2 / sounding

    pitches = {cue: crossings_per_second(cue) for cue in Cue}
    assert pitches[Cue.PRESS] == pytest.approx(880, rel=0.05)
    assert pitches[Cue.LISTENING] == pytest.approx(1320, rel=0.05)
    assert pitches[Cue.RELEASE] == pytest.approx(660, rel=0.1)  # the 880 → 440 Hz sweep
    assert len({round(duration_s(cue), 3) for cue in Cue}) == 3


@pytest.mark.parametrize("volume", [-1, 101])
def test_a_volume_outside_0_to_100_is_refused(volume) -> None:
    with pytest.raises(ValueError, match="0-100"):
        render(Cue.PRESS, volume)


def test_macos_gets_a_silent_player_that_says_why() -> None:
    player = open_cue_player(True, 60, platform="darwin")
    assert not player.status.available
    assert "macOS" in player.status.describe()
