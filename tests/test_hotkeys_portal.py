"""The Wayland backend against a GlobalShortcuts test double on a private D-Bus session bus.

The double (tests/support/portal_double.py) speaks the documented org.freedesktop.portal.GlobalShortcuts
interface; the test plays the desktop and the operator. dbus-daemon is started by the tests (apt: dbus).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from ptt_app.hotkeys import BackendState, BackendStatus, parse_binding
from ptt_app.hotkeys.portal import APP_ID, SHORTCUT_ID, PortalBackend
from support.portal_double import (
    RESPONSE_CANCELLED,
    DoubleBehaviour,
    GlobalShortcutsDouble,
    missing_dbus_daemon,
    no_bus_address,
    private_session_bus,
)

WAIT_S = 5.0


@pytest.fixture
def bus() -> Iterator[str]:
    """A private session bus address."""
    reason = missing_dbus_daemon()
    if reason:
        pytest.skip(reason)
    with private_session_bus() as address:
        yield address


class Listener:
    """Collects press/release callbacks and status changes from the backend thread."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.statuses: list[BackendStatus] = []
        self.changed = threading.Condition()

    def press(self) -> None:
        self._add(self.events, "press")

    def release(self) -> None:
        self._add(self.events, "release")

    def status(self, status: BackendStatus) -> None:
        self._add(self.statuses, status)

    def _add(self, into: list, item) -> None:
        with self.changed:
            into.append(item)
            self.changed.notify_all()

    def wait_for_events(self, count: int) -> list[str]:
        with self.changed:
            self.changed.wait_for(lambda: len(self.events) >= count, WAIT_S)
            return list(self.events)

    def wait_for_state(self, state: BackendState) -> BackendStatus:
        with self.changed:
            self.changed.wait_for(lambda: self.statuses and self.statuses[-1].state is state, WAIT_S)
            return self.statuses[-1]


@pytest.fixture
def backend(bus: str) -> Iterator[PortalBackend]:
    """A portal backend on the private bus, stopped afterwards."""
    portal = PortalBackend(bus)
    yield portal
    portal.stop()


def start(backend: PortalBackend, text: str = "F13") -> Listener:
    listener = Listener()
    backend.start(parse_binding(text), listener.press, listener.release, listener.status)
    return listener


def test_binding_f13_asks_for_it_as_the_preferred_trigger_and_becomes_active(bus, backend) -> None:
    with GlobalShortcutsDouble(bus) as double:
        listener = start(backend)
        status = listener.wait_for_state(BackendState.ACTIVE)
        session = double.wait_until_bound()
    (shortcut_id, info), = double.record.bound[session]
    assert shortcut_id == SHORTCUT_ID
    assert info["preferred_trigger"] == ("s", "F13")
    assert status.detail == "F13 (GlobalShortcuts v2)"
    assert double.record.registered_app_ids == [APP_ID]


def test_activated_and_deactivated_are_one_press_and_one_release(bus, backend) -> None:
    with GlobalShortcutsDouble(bus) as double:
        listener = start(backend)
        listener.wait_for_state(BackendState.ACTIVE)
        session = double.wait_until_bound()
        double.press(session, SHORTCUT_ID)
        assert listener.wait_for_events(1) == ["press"]
        double.release(session, SHORTCUT_ID)
        assert listener.wait_for_events(2) == ["press", "release"]


def test_repeated_activations_of_a_held_shortcut_are_one_press(bus, backend) -> None:
    with GlobalShortcutsDouble(bus) as double:
        listener = start(backend)
        listener.wait_for_state(BackendState.ACTIVE)
        session = double.wait_until_bound()
        for timestamp in range(1000, 1500, 25):
            double.press(session, SHORTCUT_ID, timestamp)
        double.release(session, SHORTCUT_ID)
        assert listener.wait_for_events(2) == ["press", "release"]
        double.press(session, SHORTCUT_ID)  # a later hold counts again
        assert listener.wait_for_events(3) == ["press", "release", "press"]


def test_activations_of_other_sessions_and_shortcuts_are_ignored(bus, backend) -> None:
    with GlobalShortcutsDouble(bus) as double:
        listener = start(backend)
        listener.wait_for_state(BackendState.ACTIVE)
        session = double.wait_until_bound()
        double.press(session + "_other", SHORTCUT_ID)
        double.press(session, "someone-elses-shortcut")
        double.press(session, SHORTCUT_ID)
        assert listener.wait_for_events(1) == ["press"]
        assert listener.events == ["press"]


def test_stop_closes_the_session_on_the_portal(bus, backend) -> None:
    with GlobalShortcutsDouble(bus) as double:
        listener = start(backend)
        listener.wait_for_state(BackendState.ACTIVE)
        session = double.wait_until_bound()
        backend.stop()
        assert double.record.closed_event.wait(WAIT_S)
    assert double.record.closed == [session]
    assert backend.status.state is BackendState.STOPPED


def test_the_desktop_closing_the_session_during_a_hold_releases_and_says_why(bus, backend) -> None:
    with GlobalShortcutsDouble(bus) as double:
        listener = start(backend)
        listener.wait_for_state(BackendState.ACTIVE)
        session = double.wait_until_bound()
        double.press(session, SHORTCUT_ID)
        listener.wait_for_events(1)
        double.close_session(session)
        assert listener.wait_for_events(2) == ["press", "release"]
        status = listener.wait_for_state(BackendState.UNAVAILABLE)
    assert "closed the shortcut session" in status.detail


def test_no_portal_on_the_bus_is_unavailable_with_the_reason(bus, backend) -> None:
    listener = start(backend)
    status = listener.wait_for_state(BackendState.UNAVAILABLE)
    assert "xdg-desktop-portal is not running" in status.detail


def test_a_portal_without_global_shortcuts_names_gnome_48(bus, backend) -> None:
    with GlobalShortcutsDouble(bus, DoubleBehaviour(has_global_shortcuts=False)):
        listener = start(backend)
        status = listener.wait_for_state(BackendState.UNAVAILABLE)
    assert "no GlobalShortcuts interface" in status.detail
    assert "GNOME has it from version 48" in status.detail
    assert "Using the window key" in status.describe()


def test_a_cancelled_shortcut_dialog_is_unavailable_with_the_reason(bus, backend) -> None:
    with GlobalShortcutsDouble(bus, DoubleBehaviour(bind_response=RESPONSE_CANCELLED)):
        listener = start(backend)
        status = listener.wait_for_state(BackendState.UNAVAILABLE)
    assert "cancelled in the desktop's dialog" in status.detail


def test_a_shortcut_the_desktop_did_not_bind_is_unavailable_with_the_reason(bus, backend) -> None:
    with GlobalShortcutsDouble(bus, DoubleBehaviour(bind_nothing=True)):
        listener = start(backend)
        status = listener.wait_for_state(BackendState.UNAVAILABLE)
    assert "did not bind the push-to-talk shortcut" in status.detail


def test_the_trigger_the_operator_chose_in_the_dialog_is_shown(bus, backend) -> None:
    with GlobalShortcutsDouble(bus, DoubleBehaviour(trigger_description="Pedal (F14)")):
        listener = start(backend)
        status = listener.wait_for_state(BackendState.ACTIVE)
    assert status.detail.startswith("Pedal (F14)")


def test_a_version_1_portal_works_the_same(bus, backend) -> None:
    with GlobalShortcutsDouble(bus, DoubleBehaviour(version=1)) as double:
        listener = start(backend, "Ctrl+Shift+P")
        status = listener.wait_for_state(BackendState.ACTIVE)
        session = double.wait_until_bound()
        double.press(session, SHORTCUT_ID)
        double.release(session, SHORTCUT_ID)
        assert listener.wait_for_events(2) == ["press", "release"]
    assert status.detail == "CTRL+SHIFT+p (GlobalShortcuts v1)"


def test_a_mouse_button_cannot_be_bound_through_the_portal(bus, backend) -> None:
    status = backend.start(parse_binding("Mouse8"), lambda: None, lambda: None)
    assert status.state is BackendState.UNAVAILABLE
    assert "keyboard keys only" in status.detail


def test_no_session_bus_is_unavailable_with_the_reason() -> None:
    listener = Listener()
    backend = PortalBackend(no_bus_address())
    try:
        backend.start(parse_binding("F13"), listener.press, listener.release, listener.status)
        status = listener.wait_for_state(BackendState.UNAVAILABLE)
    finally:
        backend.stop()
    assert "no D-Bus session bus" in status.detail
