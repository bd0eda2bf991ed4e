"""Push-to-talk in the window as operators know it (pytest-qt, offscreen) against the real simulator: state words
and icons that never run ahead of the server, latch, release tail, focus rules, the window key's binding,
and audio cues that really reach a sound server. Real X input: test_window_hotkeys.py."""

from __future__ import annotations

import time
from array import array

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from ptt_app.cues import Cue
from ptt_app.cues.tones import render
from ptt_app.gui.talk_look import LookKind
from ptt_app.hotkeys.portal import SHORTCUT_ID
from ptt_app.sim import Fault, FaultKind
from ptt_app.store.paths import settings_path
from ptt_app.talk.gesture import DOUBLE_TAP_S
from ptt_app.talk.intents import TalkState
from support.portal_double import GlobalShortcutsDouble, missing_dbus_daemon, private_session_bus
from support.pulse_server import missing_pulseaudio, running_pulseaudio

START, STOP = "StartListening", "StopListening"


def sent(simulator) -> list[str]:
    return [r.action for r in simulator.received() if r.action in (START, STOP)]


def wait_sent(qtbot, simulator, count: int, timeout: int = 5000) -> list[str]:
    qtbot.waitUntil(lambda: len(sent(simulator)) >= count, timeout=timeout)
    return sent(simulator)


def shown(window) -> LookKind:
    return window.talk.look.kind


def wait_shown(qtbot, window, kind: LookKind, timeout: int = 5000) -> None:
    qtbot.waitUntil(lambda: shown(window) is kind, timeout=timeout)


def key(kind: QEvent.Type, qt_key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
    return QKeyEvent(kind, qt_key, modifiers)


def send_key(window, qt_key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """One real press and release of a key, as the focused window receives them."""
    QApplication.sendEvent(window, key(QEvent.Type.KeyPress, qt_key, modifiers))
    QApplication.sendEvent(window, key(QEvent.Type.KeyRelease, qt_key, modifiers))


# --- state words and icons -------------------------------------------------------------------------------


def test_each_state_has_its_own_words_icon_and_colour_and_listening_waits_for_the_server(
        qtbot, open_window, simulator) -> None:
    window = open_window()
    seen = {LookKind.IDLE: window.talk.look}
    simulator.add_fault(Fault(FaultKind.DELAY, action=START, seconds=0.6, times=1))
    simulator.add_fault(Fault(FaultKind.DELAY, action=STOP, seconds=0.6, times=1))
    window.press("test")
    wait_shown(qtbot, window, LookKind.STARTING)
    seen[LookKind.STARTING] = window.talk.look
    assert "Listening" not in window.talk_button.text() and "Listening" not in window.state_label.text()
    wait_shown(qtbot, window, LookKind.LISTENING)
    seen[LookKind.LISTENING] = window.talk.look
    window.release("test")
    wait_shown(qtbot, window, LookKind.STOPPING)
    seen[LookKind.STOPPING] = window.talk.look
    wait_shown(qtbot, window, LookKind.IDLE)
    simulator.add_fault(Fault(FaultKind.HTTP_502_HTML, action=START, times=5))
    window.press("test")
    wait_shown(qtbot, window, LookKind.ERROR)
    seen[LookKind.ERROR] = window.talk.look
    window.release("test")

    assert [seen[kind].word for kind in seen] == [
        "Idle", "Starting…", "Listening — release to stop", "Stopping…", "Error: Start failed, HTTP 502"]
    assert seen[LookKind.IDLE].button_text == "Hold to talk\n(mouse or Space)"
    assert seen[LookKind.LISTENING].button_text == "Listening\nrelease to stop"
    assert len({look.icon for look in seen.values()}) == len(seen)
    assert len({look.style_state for look in seen.values()}) == len(seen)


def test_the_panel_the_button_and_the_mini_window_show_the_same_state(qtbot, open_window, simulator) -> None:
    window = open_window()
    window.press("test")
    wait_shown(qtbot, window, LookKind.LISTENING)
    mini = window.talk.mini_window
    assert window.state_label.text() == "Listening — release to stop"
    assert window.state_label.property("talkState") == "Listening"
    assert window.talk_button.property("talkState") == "Listening"
    assert mini.state_label.text() == "Listening" and mini.property("talkState") == "Listening"
    window.release("test")


# --- latch ---------------------------------------------------------------------------------------------


def double_tap(window) -> None:
    for _ in range(2):
        window.press("key")
        window.release("key")


def test_a_double_tap_latches_listening_until_the_next_press(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window(latch_enabled=True)
    double_tap(window)
    wait_shown(qtbot, window, LookKind.LOCKED)
    assert window.state_label.text() == "LOCKED"
    qtbot.wait(int(DOUBLE_TAP_S * 1000) + 200)
    assert sent(simulator) == [START] and simulator.is_listening(instance_id)
    window.press("key")
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    window.release("key")
    wait_shown(qtbot, window, LookKind.IDLE)
    qtbot.wait(200)
    assert sent(simulator) == [START, STOP]


def test_a_latch_is_released_by_the_maximum_hold(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window(latch_enabled=True, max_hold_s=1.0)
    double_tap(window)
    wait_shown(qtbot, window, LookKind.LOCKED)
    assert wait_sent(qtbot, simulator, 2, timeout=3000) == [START, STOP]
    qtbot.waitUntil(lambda: not simulator.is_listening(instance_id))
    assert "maximum hold" in window.message_label.text()


def test_closing_the_window_releases_a_latch(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window(latch_enabled=True)
    double_tap(window)
    wait_shown(qtbot, window, LookKind.LOCKED)
    window.close()
    qtbot.waitUntil(lambda: window._drained, timeout=10000)
    assert sent(simulator) == [START, STOP]
    assert not simulator.is_listening(instance_id)


def test_with_latch_off_a_double_tap_does_not_latch(qtbot, open_window, simulator, instance_id) -> None:
    window = open_window()
    double_tap(window)
    assert not window.talk.gesture.latched
    # Idle once the server confirmed the last Stop (the engine may drop the middle pair as superseded).
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.IDLE and sent(simulator)[-1:] == [STOP])
    assert not simulator.is_listening(instance_id)


# --- release tail -----------------------------------------------------------------------------------------


def test_the_release_tail_delays_the_stop_and_says_so(qtbot, open_window, simulator) -> None:
    window = open_window(release_tail_ms=400)
    window.press("key")
    wait_shown(qtbot, window, LookKind.LISTENING)
    released = time.monotonic()
    window.release("key")
    qtbot.waitUntil(lambda: window.state_label.text() == "Listening — stops in 400 ms", timeout=1000)
    wait_sent(qtbot, simulator, 2)
    stop = next(r for r in simulator.received() if r.action == STOP)
    assert stop.received_monotonic - released >= 0.4


def test_a_press_within_the_tail_sends_no_stop_and_start_pair(qtbot, open_window, simulator) -> None:
    window = open_window(release_tail_ms=500)
    window.press("key")
    wait_shown(qtbot, window, LookKind.LISTENING)
    window.release("key")
    qtbot.wait(150)
    window.press("key")
    qtbot.wait(600)
    assert sent(simulator) == [START]
    window.release("key")
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    qtbot.wait(200)
    assert sent(simulator) == [START, STOP]


# --- focus ----------------------------------------------------------------------------------------------


def deactivate(window) -> None:
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowDeactivate))


def test_focus_loss_releases_a_hold_of_the_big_button(qtbot, open_window, simulator) -> None:
    window = open_window()
    qtbot.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
    wait_sent(qtbot, simulator, 1)
    deactivate(window)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    assert "lost focus" in window.message_label.text()
    qtbot.mouseRelease(window.talk_button, Qt.MouseButton.LeftButton)
    # The button works again at once; the hold is kept until its Start is sent, because a tap made
    # while the first Stop is still in flight is collapsed into its Stop by design (latest press wins).
    qtbot.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
    assert wait_sent(qtbot, simulator, 3) == [START, STOP, START]
    qtbot.mouseRelease(window.talk_button, Qt.MouseButton.LeftButton)
    assert wait_sent(qtbot, simulator, 4) == [START, STOP, START, STOP]


def test_disabling_the_button_mid_hold_stops_and_frees_the_other_inputs(qtbot, open_window, simulator) -> None:
    window = open_window()
    qtbot.mousePress(window.talk_button, Qt.MouseButton.LeftButton)
    wait_sent(qtbot, simulator, 1)
    window.talk_button.setEnabled(False)  # a disabled button never sees its mouse release
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    window.press("hotkey")
    assert wait_sent(qtbot, simulator, 3) == [START, STOP, START]
    window.release("hotkey")


@pytest.mark.parametrize("source", ["hotkey", "mini window"])
def test_focus_loss_does_not_release_a_global_hotkey_or_mini_window_hold(qtbot, open_window, simulator, source) -> None:
    window = open_window()
    window.press(source)
    wait_sent(qtbot, simulator, 1)
    deactivate(window)
    qtbot.wait(300)
    assert sent(simulator) == [START]
    window.release(source)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]


def test_a_latch_survives_focus_loss(qtbot, open_window, simulator) -> None:
    window = open_window(latch_enabled=True)
    double_tap(window)
    wait_shown(qtbot, window, LookKind.LOCKED)
    deactivate(window)
    qtbot.wait(300)
    assert sent(simulator) == [START] and shown(window) is LookKind.LOCKED
    window.release("window closed")  # a safety release still stops it
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]


# --- the window key ---------------------------------------------------------------------------------------


def test_the_window_key_follows_the_profiles_binding(qtbot, open_window, simulator) -> None:
    window = open_window(hold_key="Ctrl+F13")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    send_key(window, Qt.Key.Key_F13)
    send_key(window, Qt.Key.Key_Space)
    qtbot.wait(300)
    assert sent(simulator) == []
    send_key(window, Qt.Key.Key_F13, Qt.KeyboardModifier.ControlModifier)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    assert "Talk key: Ctrl+F13 while this window has focus" in window.talk_panel.hotkey_label.text()


def test_a_global_scope_without_a_display_says_why_and_falls_back_to_the_window_key(
        qtbot, open_window, simulator, monkeypatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    window = open_window(hold_key="F13", hotkey_scope="global")
    label = window.talk_panel.hotkey_label
    qtbot.waitUntil(lambda: "unavailable" in label.text(), timeout=3000)
    assert "no graphical session was found" in label.text() and "Using the window key (F13)" in label.text()
    assert label.property("problem") is True
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    send_key(window, Qt.Key.Key_F13)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]


# --- the global hotkey through the Wayland portal (a test double on a private D-Bus) ----------------------


@pytest.fixture
def portal(monkeypatch):
    """A Wayland-like session whose GlobalShortcuts portal is the test double; yields the double."""
    reason = missing_dbus_daemon()
    if reason:
        pytest.skip(reason)
    with private_session_bus() as address, GlobalShortcutsDouble(address) as double:
        monkeypatch.delenv("DISPLAY", raising=False)
        monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-test")
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield double


def open_with_portal(qtbot, open_window, portal):
    window = open_window(hold_key="F13", hotkey_scope="global")
    label = window.talk_panel.hotkey_label
    qtbot.waitUntil(lambda: "in every application (xdg-desktop-portal)" in label.text(), timeout=5000)
    return window, portal.wait_until_bound()


def test_the_portal_hotkey_talks_and_its_status_is_shown(qtbot, open_window, simulator, portal) -> None:
    window, session = open_with_portal(qtbot, open_window, portal)
    assert window.talk_panel.hotkey_label.text() == "Talk key: F13 (GlobalShortcuts v2), in every application " \
                                                    "(xdg-desktop-portal)"
    portal.press(session, SHORTCUT_ID)
    wait_sent(qtbot, simulator, 1)
    deactivate(window)  # the operator works in another window: the hold goes on
    qtbot.wait(300)
    assert sent(simulator) == [START]
    portal.release(session, SHORTCUT_ID)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]


def test_the_window_ignores_its_own_key_events_of_a_binding_the_portal_delivers(
        qtbot, open_window, simulator, portal) -> None:
    window, _ = open_with_portal(qtbot, open_window, portal)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    send_key(window, Qt.Key.Key_F13)  # the portal does not swallow the key: the window sees it too
    qtbot.wait(300)
    assert sent(simulator) == []


def test_the_desktop_ending_the_shortcut_mid_hold_releases_and_falls_back_to_the_window_key(
        qtbot, open_window, simulator, portal) -> None:
    window, session = open_with_portal(qtbot, open_window, portal)
    portal.press(session, SHORTCUT_ID)
    wait_sent(qtbot, simulator, 1)
    portal.close_session(session)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    label = window.talk_panel.hotkey_label
    qtbot.waitUntil(lambda: "Using the window key (F13)" in label.text())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    send_key(window, Qt.Key.Key_F13)
    assert wait_sent(qtbot, simulator, 4) == [START, STOP, START, STOP]


# --- audio cues ---------------------------------------------------------------------------------------


def first_sample_time(capture, mark: int, cue: Cue, after: float, timeout: float = 5.0) -> float | None:
    """When the cue's first non-silent sample reached the sink, searching the audio captured since `mark`."""
    expected = array("h", render(cue, 100))
    lead = next(index for index, value in enumerate(expected) if value)
    probe = expected[lead: lead + 64].tobytes()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data, _ = capture.since(mark)
        found = data.find(probe)
        while found >= 0 and found % 2:
            found = data.find(probe, found + 1)
        if found >= 0:
            at = capture.arrival(mark, found)
            if at >= after:
                return at
        time.sleep(0.02)
    return None


def test_cues_play_on_press_on_confirmed_listening_and_on_release(qtbot, open_window, simulator, monkeypatch,
                                                                  record_property) -> None:
    reason = missing_pulseaudio()
    if reason:
        pytest.skip(reason)
    with running_pulseaudio() as pulse:
        monkeypatch.setenv("PULSE_SERVER", pulse.address)
        window = open_window(cue_volume=100)
        qtbot.waitUntil(lambda: window.talk.cues.ready, timeout=6000)
        time.sleep(0.3)
        latencies = {}
        simulator.add_fault(Fault(FaultKind.DELAY, action=START, seconds=0.4, times=1))
        # Measured from the worker's answer signal, before it crosses to the GUI thread: an upper bound.
        answered: list[float] = []
        window.worker.listen_answered.connect(lambda *_: answered.append(time.monotonic()),
                                              Qt.ConnectionType.DirectConnection)
        mark = pulse.capture.mark()
        pressed = time.monotonic()
        window.press("key")
        wait_shown(qtbot, window, LookKind.LISTENING)
        qtbot.wait(300)
        released = time.monotonic()
        window.release("key")
        wait_sent(qtbot, simulator, 2)
        for cue, event_at in ((Cue.PRESS, pressed), (Cue.LISTENING, answered[0]), (Cue.RELEASE, released)):
            heard = first_sample_time(pulse.capture, mark, cue, event_at - 0.005)
            assert heard is not None, f"{cue.value} cue never reached the sound server"
            latencies[cue.value] = round((heard - event_at) * 1000, 1)
        record_property("cue_latency_ms", latencies)
        print(f"cue start after the event (ms): {latencies}")


def test_cues_switched_off_play_nothing(qtbot, open_window, monkeypatch) -> None:
    reason = missing_pulseaudio()
    if reason:
        pytest.skip(reason)
    with running_pulseaudio() as pulse:
        monkeypatch.setenv("PULSE_SERVER", pulse.address)
        window = open_window(cues_enabled=False)
        mark = pulse.capture.mark()
        window.press("key")
        wait_shown(qtbot, window, LookKind.LISTENING)
        window.release("key")
        qtbot.wait(500)
        data, _ = pulse.capture.since(mark)
        assert not any(array("h", data[: len(data) // 2 * 2]))
        assert not window.talk.cues.ready


# --- changing instance ------------------------------------------------------------------------------------------


def test_a_hotkey_press_while_the_instance_changes_sends_nothing(qtbot, open_window, simulator) -> None:
    """Between "Use" and the new session no input starts a turn: the Start would go to the old instance, and the
    release after the switch would find nothing held to stop."""
    window = open_window()
    second = simulator.create_instance(agent_id="test-agent-2", user_id="test-user")
    window._use_instance(second)
    window.press("hotkey")
    qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
    window.release("hotkey")
    qtbot.wait(300)
    assert sent(simulator) == []
    assert not simulator.is_listening(second)


def test_changing_instance_while_a_slow_start_is_in_the_air_stops_the_first_instance(
        qtbot, open_window, simulator, instance_id) -> None:
    window = open_window()
    second = simulator.create_instance(agent_id="test-agent-2", user_id="test-user")
    simulator.add_fault(Fault(FaultKind.DELAY, action=START, seconds=0.6, times=1))
    window.press("hotkey")
    qtbot.wait(10)
    window._use_instance(second)  # releases first, while the Start is still on its way
    qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
    qtbot.waitUntil(lambda: len(sent(simulator)) == 2, timeout=5000)
    acted = [(r.action, r.agent_instance_id) for r in simulator.received() if r.action in (START, STOP)]
    assert sorted(acted) == [(START, instance_id), (STOP, instance_id)]
    qtbot.wait(700)  # the delayed Start has been answered too
    assert not simulator.is_listening(instance_id) and not simulator.is_listening(second)


@pytest.mark.parametrize("which", ["log row's context menu", "menu bar's first menu"])
def test_the_window_key_released_while_a_menu_is_open_stops_listening(
        qtbot, open_window, simulator, instance_id, which) -> None:
    """A right-click or a menu opened while talking takes every key: the release must still be seen."""
    from PySide6.QtTest import QTest

    window = open_window()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyPress(window.windowHandle(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: simulator.is_listening(instance_id), timeout=3000)
    qtbot.waitUntil(lambda: window.log_model.rowCount() > 0, timeout=3000)
    if which == "log row's context menu":
        menu = window.log_view.show_context_menu_at(0)
    else:
        menu = window.menuBar().actions()[0].menu()
        menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu, timeout=2000)
    QTest.keyPress(window.windowHandle(), Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)  # an auto-repeat
    QTest.keyRelease(window.windowHandle(), Qt.Key.Key_Space)
    assert wait_sent(qtbot, simulator, 2) == [START, STOP]
    assert menu.isVisible(), "the held key's events were the talk's, not the menu's"
    menu.close()
    qtbot.waitUntil(lambda: not simulator.is_listening(instance_id), timeout=3000)


def test_the_window_key_pressed_in_an_open_menu_starts_no_talk(qtbot, open_window, simulator) -> None:
    from PySide6.QtTest import QTest

    window = open_window()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    menu = window.menuBar().actions()[0].menu()
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu, timeout=2000)
    QTest.keyPress(window.windowHandle(), Qt.Key.Key_Space)
    QTest.keyRelease(window.windowHandle(), Qt.Key.Key_Space)
    qtbot.wait(300)
    assert sent(simulator) == []
    menu.close()


def test_an_instance_used_when_the_settings_cannot_be_written_is_still_used_and_the_window_says_so(
        qtbot, open_window, simulator) -> None:
    window = open_window()
    second = simulator.create_instance(agent_id="test-agent-2", user_id="test-user")
    path = settings_path()
    path.unlink()
    path.mkdir()  # the settings file can be neither read nor replaced
    window._use_instance(second)
    qtbot.waitUntil(window.talk_button.isEnabled, timeout=5000)
    assert "will not be remembered" in window.message_label.text() and second in window.message_label.text()
    window.press("hotkey")
    qtbot.waitUntil(lambda: simulator.is_listening(second), timeout=5000)
    window.release("hotkey")
    qtbot.waitUntil(lambda: not simulator.is_listening(second), timeout=5000)
