"""Latch and release tail as rules: what each press, release and timer means, on an injected clock (no Qt)."""

from __future__ import annotations

import pytest

from ptt_app.talk.gesture import (
    DOUBLE_TAP_S,
    GesturePhase,
    GestureSettings,
    GestureStep,
    Send,
    TalkGesture,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def gesture(clock: Clock, latch: bool = False, tail_ms: int = 0) -> TalkGesture:
    return TalkGesture(GestureSettings(latch_enabled=latch, release_tail_ms=tail_ms), clock)


def hold(rules: TalkGesture, clock: Clock, seconds: float) -> tuple[GestureStep, GestureStep]:
    """Press, keep it down for `seconds`, release; both steps."""
    pressed = rules.press()
    clock.advance(seconds)
    return pressed, rules.release()


def run_timer(rules: TalkGesture, clock: Clock, step: GestureStep) -> GestureStep:
    """Let the delayed-Stop timer that `step` armed fire when it is due."""
    assert step.arm_stop_s is not None
    clock.advance(step.arm_stop_s)
    return rules.stop_due()


# --- plain holds -----------------------------------------------------------------------------------------


def test_without_tail_or_latch_a_press_starts_and_its_release_stops_at_once(clock) -> None:
    rules = gesture(clock)
    pressed, released = hold(rules, clock, 1.0)
    assert pressed.send is Send.START
    assert released == GestureStep(Send.STOP)
    assert rules.phase is GesturePhase.IDLE


def test_a_second_press_while_held_sends_nothing(clock) -> None:
    rules = gesture(clock)
    rules.press()
    assert rules.press() == GestureStep()


def test_a_release_with_nothing_held_sends_nothing(clock) -> None:
    assert gesture(clock).release() == GestureStep()


# --- release tail -----------------------------------------------------------------------------------------


def test_the_tail_delays_the_stop_by_its_length(clock) -> None:
    rules = gesture(clock, tail_ms=250)
    _, released = hold(rules, clock, 1.0)
    assert released == GestureStep(arm_stop_s=0.25)
    assert rules.listening_asked
    assert run_timer(rules, clock, released).send is Send.STOP
    assert not rules.listening_asked


def test_a_press_within_the_tail_cancels_the_stop_and_sends_no_start(clock) -> None:
    rules = gesture(clock, tail_ms=400)
    _, released = hold(rules, clock, 1.0)
    clock.advance(0.2)
    again = rules.press()
    assert again == GestureStep(cancel_stop=True)
    assert rules.stop_due() == GestureStep()  # a timer tick already queued does nothing now
    clock.advance(1.0)
    last = rules.release()
    assert last == GestureStep(arm_stop_s=0.4)
    assert run_timer(rules, clock, last).send is Send.STOP


def test_a_timer_that_fires_early_is_armed_again_for_the_rest(clock) -> None:
    rules = gesture(clock, tail_ms=300)
    hold(rules, clock, 1.0)
    clock.advance(0.1)
    early = rules.stop_due()
    assert early.send is None and early.arm_stop_s == pytest.approx(0.2)
    assert run_timer(rules, clock, early).send is Send.STOP


def test_a_tail_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="0-500"):
        GestureSettings(release_tail_ms=501)


# --- latch -------------------------------------------------------------------------------------------------


def test_a_double_tap_latches_listening_on_without_a_stop(clock) -> None:
    rules = gesture(clock, latch=True)
    first_press, first_release = hold(rules, clock, 0.1)
    clock.advance(0.1)
    second_press, second_release = hold(rules, clock, 0.1)
    assert first_press.send is Send.START
    assert first_release == GestureStep(arm_stop_s=DOUBLE_TAP_S)
    assert second_press == GestureStep(cancel_stop=True)
    assert second_release == GestureStep()
    assert rules.latched


def test_the_next_press_after_a_latch_stops_and_its_release_sends_nothing(clock) -> None:
    rules = gesture(clock, latch=True)
    hold(rules, clock, 0.1)
    hold(rules, clock, 0.1)
    clock.advance(30.0)
    assert rules.press() == GestureStep(Send.STOP)
    assert not rules.latched
    clock.advance(0.1)
    assert rules.release() == GestureStep()
    assert rules.phase is GesturePhase.IDLE
    assert rules.press().send is Send.START  # and the console is ready for the next talk


def test_with_latch_on_a_single_tap_stops_once_the_double_tap_window_passed(clock) -> None:
    rules = gesture(clock, latch=True)
    _, released = hold(rules, clock, 0.1)
    assert run_timer(rules, clock, released).send is Send.STOP
    assert not rules.latched


def test_with_latch_on_a_long_hold_stops_at_release_without_waiting(clock) -> None:
    rules = gesture(clock, latch=True)
    _, released = hold(rules, clock, DOUBLE_TAP_S + 0.5)
    assert released == GestureStep(Send.STOP)


def test_a_second_press_after_the_double_tap_window_only_continues_the_tail(clock) -> None:
    rules = gesture(clock, latch=True, tail_ms=500)
    _, released = hold(rules, clock, 0.1)
    assert released.arm_stop_s == 0.5  # the longer of tail and double-tap window
    clock.advance(DOUBLE_TAP_S + 0.05)
    assert rules.press() == GestureStep(cancel_stop=True)
    clock.advance(0.1)
    assert rules.release() == GestureStep(arm_stop_s=0.5)
    assert not rules.latched


def test_a_tap_then_a_long_hold_is_a_talk_not_a_latch(clock) -> None:
    rules = gesture(clock, latch=True)
    hold(rules, clock, 0.1)
    clock.advance(0.1)
    _, released = hold(rules, clock, 2.0)
    assert released == GestureStep(Send.STOP)
    assert not rules.latched


def test_with_latch_off_a_double_tap_is_two_talks(clock) -> None:
    rules = gesture(clock)
    sent = []
    for _ in range(2):
        pressed, released = hold(rules, clock, 0.1)
        sent += [pressed.send, released.send]
        clock.advance(0.1)
    assert sent == [Send.START, Send.STOP, Send.START, Send.STOP]


# --- safety releases -------------------------------------------------------------------------------------


def test_a_safety_release_while_held_stops_and_the_later_release_sends_nothing(clock) -> None:
    rules = gesture(clock, tail_ms=300)
    rules.press()
    assert rules.force_stop() == GestureStep(Send.STOP, cancel_stop=True)
    assert rules.release() == GestureStep()
    assert rules.phase is GesturePhase.IDLE


@pytest.mark.parametrize("where", ["tail", "latched"])
def test_a_safety_release_stops_a_tail_or_a_latch_at_once(clock, where) -> None:
    rules = gesture(clock, latch=True, tail_ms=400)
    hold(rules, clock, 0.1 if where == "latched" else 1.0)
    if where == "latched":
        hold(rules, clock, 0.1)
        assert rules.latched
    assert rules.force_stop() == GestureStep(Send.STOP, cancel_stop=True)
    assert rules.phase is GesturePhase.IDLE
    assert rules.stop_due() == GestureStep()


def test_a_safety_release_with_nothing_on_sends_nothing(clock) -> None:
    assert gesture(clock).force_stop() == GestureStep()


def test_reset_forgets_a_latch_without_sending(clock) -> None:
    rules = gesture(clock, latch=True)
    hold(rules, clock, 0.1)
    hold(rules, clock, 0.1)
    rules.reset()
    assert rules.phase is GesturePhase.IDLE and rules.pending is None
