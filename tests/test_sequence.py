"""The Sequence source: strictly increasing, across restarts and clock steps."""

from __future__ import annotations

import threading

from ptt_app.talk.sequence import SequenceSource


def test_sequences_strictly_increase_within_one_millisecond() -> None:
    source = SequenceSource(clock_ms=lambda: 1_000)
    assert [source.next() for _ in range(3)] == [1_000, 1_001, 1_002]


def test_sequence_keeps_increasing_when_the_clock_steps_backwards() -> None:
    now = [5_000]
    source = SequenceSource(clock_ms=lambda: now[0])
    first = source.next()
    now[0] = 1_000  # an NTP step back
    assert source.next() == first + 1


def test_seeded_source_starts_above_the_high_water_mark_even_with_an_earlier_clock() -> None:
    source = SequenceSource(high_water_mark=10**13, clock_ms=lambda: 1_000)
    assert source.next() == 10**13 + 1


def test_sequences_exceed_32_bits_without_loss() -> None:
    source = SequenceSource(high_water_mark=2**40)
    assert source.next() > 2**40


def test_concurrent_callers_never_get_the_same_sequence() -> None:
    source = SequenceSource(clock_ms=lambda: 7)
    seen: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        mine = [source.next() for _ in range(500)]
        with lock:
            seen.extend(mine)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 2000
