"""Push-to-talk bindings, their names in each input system, the repeat filters and the backend choice (no OS needed)."""

from __future__ import annotations

import pytest
from Xlib import XK

from ptt_app.hotkeys import (
    BackendState,
    BackendStatus,
    InputKind,
    InvalidBinding,
    KeyAction,
    ReleaseCheck,
    Scope,
    WindowKeyFilter,
    binding_problem,
    choose_backend,
    parse_binding,
    window_key_filter,
)
from ptt_app.hotkeys.hold import Edge, HoldFilter
from ptt_app.hotkeys.keynames import KEYS, function_key_of_x11_keycode, x11_keycode_of_function_key
from ptt_app.hotkeys.portal import portal_trigger
from ptt_app.hotkeys.pynput_backend import PynputEventFilter, PynputTarget, pynput_target

# The hold keys settings files could name before bindings existed: they must all stay valid.
EARLIER_HOLD_KEYS = (
    [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [str(d) for d in range(10)] + [f"F{n}" for n in range(1, 25)]
    + ["Space", "Return", "Enter", "Tab", "Backspace", "Insert", "Home", "End", "PgUp", "PgDown", "Pause",
       "ScrollLock", "CapsLock"]
)

# --- the binding spec ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "canonical"), [
    ("F13", "F13"), ("f24", "F24"), ("space", "Space"), ("a", "A"), ("7", "7"), ("page_up", "PgUp"),
    ("ctrl+shift+p", "Ctrl+Shift+P"), ("Shift + Control + F13", "Ctrl+Shift+F13"), ("Super+F1", "Super+F1"),
    ("Button8", "Mouse8"), ("mouse9", "Mouse9"), ("Alt+Mouse8", "Alt+Mouse8"),
])
def test_a_binding_is_read_case_insensitively_and_written_canonically(text, canonical) -> None:
    assert str(parse_binding(text)) == canonical
    assert parse_binding(canonical) == parse_binding(text)


def test_a_mouse_binding_names_its_button() -> None:
    binding = parse_binding("Mouse8")
    assert (binding.kind, binding.button) == (InputKind.MOUSE, 8)


@pytest.mark.parametrize(("text", "problem"), [
    ("", "must name a key"), ("F25", "not a key the app can bind"), ("Ctrl", "a modifier alone"),
    ("Mouse1", "only mouse side buttons"), ("Mouse3", "only mouse side buttons"), ("Ctrl+Ctrl+A", "twice"),
    ("Hyper+A", "not a modifier"), ("F13" + "+F13" * 12, "at most 40 characters"), ("Mouse٨", "not a key"),
])
def test_a_bad_binding_is_refused_with_the_reason(text, problem) -> None:
    with pytest.raises(InvalidBinding, match=problem):
        parse_binding(text)
    assert problem in binding_problem(text)


def test_every_hold_key_settings_could_name_before_is_still_a_binding() -> None:
    for key in EARLIER_HOLD_KEYS:
        assert str(parse_binding(key)) == key


def test_what_qt_calls_each_key_parses_back_to_it() -> None:
    """The settings capture field turns a Qt key event into text with QKeySequence: that text must parse."""
    from PySide6.QtGui import QKeySequence

    portable = QKeySequence.SequenceFormat.PortableText
    for name in KEYS:
        qt_text = QKeySequence.fromString(name, portable).toString(portable)
        assert str(parse_binding(qt_text)) == name, qt_text
    assert str(parse_binding(QKeySequence.fromString("Ctrl+Shift+F13").toString(portable))) == "Ctrl+Shift+F13"


# --- names in each input system ------------------------------------------------------------------------


def test_every_key_has_a_real_x11_keysym_and_a_spec_identifier() -> None:
    for key in KEYS.values():
        assert XK.string_to_keysym(key.x11_keysym), key.name
        # The shortcuts spec takes xkbcommon keysym names, which are X keysym names: alphanumerics and _.
        assert XK.string_to_keysym(key.portal_id), key.name
        assert key.portal_id.replace("_", "").isalnum(), key.name


@pytest.mark.parametrize(("text", "trigger"), [
    ("F13", "F13"), ("Space", "space"), ("PgUp", "Page_Up"), ("Ctrl+Shift+P", "CTRL+SHIFT+p"),
    ("Super+Alt+F1", "ALT+LOGO+F1"), ("Enter", "KP_Enter"),
])
def test_the_portal_trigger_follows_the_shortcuts_specification(text, trigger) -> None:
    assert portal_trigger(parse_binding(text)) == trigger


@pytest.mark.parametrize(("text", "platform", "target"), [
    ("F13", "win32", PynputTarget(key_name="f13", win_vk=0x7C)),
    ("F24", "win32", PynputTarget(key_name="f24", win_vk=0x87)),
    ("Space", "darwin", PynputTarget(key_name="space", win_vk=0x20)),
    ("P", "win32", PynputTarget(char="p", win_vk=0x50)),
    ("Mouse8", "win32", PynputTarget(mouse_button="x1", win_vk=0x05)),
    ("Mouse9", "win32", PynputTarget(mouse_button="x2", win_vk=0x06)),
])
def test_pynput_targets_name_pynputs_keys_and_buttons(text, platform, target) -> None:
    assert pynput_target(parse_binding(text), platform) == target


@pytest.mark.parametrize(("text", "platform", "problem"), [
    ("Mouse8", "darwin", "only on Windows"), ("Mouse10", "win32", "Mouse8, Mouse9"), ("F21", "darwin", "F13-F20"),
    ("Ctrl+F13", "win32", "without modifiers"),
])
def test_pynput_says_what_it_cannot_bind(text, platform, problem) -> None:
    assert problem in pynput_target(parse_binding(text), platform)


@pytest.mark.parametrize(("keycode", "name"), [(190, None), (191, "F13"), (196, "F18"), (202, "F24"), (203, None)])
def test_a_pedals_x11_keycode_names_its_function_key(keycode, name) -> None:
    assert function_key_of_x11_keycode(keycode) == name
    if name is not None:
        assert x11_keycode_of_function_key(name) == keycode


# --- repeat filtering ------------------------------------------------------------------------------------


def test_repeated_presses_of_a_held_key_give_one_press() -> None:
    hold = HoldFilter()
    assert [hold.raw_press() for _ in range(5)] == [Edge.PRESS, None, None, None, None]
    assert hold.raw_release() is Edge.RELEASE
    assert hold.raw_release() is None


def test_a_release_while_the_key_is_physically_down_is_auto_repeat() -> None:
    hold = HoldFilter()
    hold.raw_press(physically_down=True)
    assert hold.raw_release(physically_down=True) is None
    assert hold.raw_press(physically_down=True) is None
    assert hold.raw_release(physically_down=False) is Edge.RELEASE


def test_a_press_of_a_key_already_up_again_is_stale() -> None:
    hold = HoldFilter()
    assert hold.raw_press(physically_down=False) is None
    assert hold.raw_release(physically_down=False) is None


def test_resetting_a_hold_releases_it_once() -> None:
    hold = HoldFilter()
    hold.raw_press()
    assert hold.reset() is Edge.RELEASE
    assert hold.reset() is None


def test_pynput_events_drop_repeated_presses_and_releases_of_a_key_still_down() -> None:
    key_down = [True]
    events = PynputEventFilter(lambda: key_down[0])
    assert [events.pressed() for _ in range(3)] == [Edge.PRESS, None, None]
    assert events.released() is None  # the OS still reports the key down
    key_down[0] = False
    assert events.released() is Edge.RELEASE


def test_pynput_events_believe_the_release_when_the_os_cannot_tell() -> None:
    events = PynputEventFilter(lambda: None)
    events.pressed()
    assert events.released() is Edge.RELEASE


# --- the in-window key -----------------------------------------------------------------------------------


def test_with_exact_repeat_flags_a_release_is_final() -> None:
    keys = WindowKeyFilter(parse_binding("Space"), ReleaseCheck.EVENTS)
    assert keys.key_pressed(auto_repeat=False) is KeyAction.PRESS
    assert keys.key_pressed(auto_repeat=True) is KeyAction.IGNORE
    assert keys.key_released(auto_repeat=True) is KeyAction.IGNORE
    assert keys.key_released(auto_repeat=False) is KeyAction.RELEASE
    assert not keys.held


def test_with_the_grace_a_press_right_after_a_release_shows_it_was_a_repeat() -> None:
    keys = WindowKeyFilter(parse_binding("Space"), ReleaseCheck.GRACE)
    assert keys.key_pressed(auto_repeat=False) is KeyAction.PRESS
    for _ in range(30):  # unmarked X11 auto-repeat: release, press, release, press...
        assert keys.key_released(auto_repeat=False) is KeyAction.WAIT
        assert keys.key_pressed(auto_repeat=False) is KeyAction.IGNORE
    assert keys.grace_expired() is KeyAction.IGNORE  # a timer left over from a repeat
    assert keys.key_released(auto_repeat=False) is KeyAction.WAIT
    assert keys.grace_expired() is KeyAction.RELEASE
    assert not keys.held


def test_a_window_release_after_a_reset_does_nothing() -> None:
    keys = WindowKeyFilter(parse_binding("Space"), ReleaseCheck.EVENTS)
    keys.key_pressed(auto_repeat=False)
    keys.reset()  # e.g. the window lost focus and released
    assert keys.key_released(auto_repeat=False) is KeyAction.IGNORE
    assert keys.key_pressed(auto_repeat=False) is KeyAction.PRESS


def test_the_physical_check_needs_a_probe() -> None:
    with pytest.raises(ValueError, match="probe"):
        WindowKeyFilter(parse_binding("Space"), ReleaseCheck.PHYSICAL_STATE)


@pytest.mark.parametrize("platform", ["windows", "cocoa", "wayland", "offscreen"])
def test_platforms_that_mark_repeats_themselves_use_the_events(platform) -> None:
    assert window_key_filter(parse_binding("Space"), platform).check is ReleaseCheck.EVENTS


def test_x11_without_a_reachable_display_falls_back_to_the_grace() -> None:
    keys = window_key_filter(parse_binding("Space"), "xcb", display_name=":9999")
    assert keys.check is ReleaseCheck.GRACE


# --- the backend choice ---------------------------------------------------------------------------------


def test_window_scope_starts_no_backend_and_says_so() -> None:
    choice = choose_backend(Scope.WINDOW, {"DISPLAY": ":0"}, "linux")
    assert choice.backend is None
    assert "window has focus" in choice.reason


def test_an_x11_session_uses_the_x11_grab() -> None:
    choice = choose_backend("global", {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, "linux")
    assert choice.backend is not None and choice.backend.name == "X11"


@pytest.mark.parametrize("environ", [
    {"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
])
def test_a_wayland_session_uses_the_portal_even_with_xwayland(environ) -> None:
    choice = choose_backend("global", environ, "linux")
    assert choice.backend is not None and choice.backend.name == "xdg-desktop-portal"


def test_no_graphical_session_means_no_backend_with_the_reason() -> None:
    choice = choose_backend("global", {}, "linux")
    assert choice.backend is None
    assert "no graphical session" in choice.reason


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_use_pynput(platform) -> None:
    choice = choose_backend("global", {}, platform)
    # Here pynput is absent (Linux CI): then the reason names it; on Windows/macOS the backend is pynput.
    assert (choice.backend is not None and choice.backend.name == "pynput") or "pynput" in choice.reason


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(ValueError):
        choose_backend("everywhere", {}, "linux")


def test_an_unavailable_backend_tells_the_operator_the_window_key_is_used() -> None:
    status = BackendStatus("X11", BackendState.UNAVAILABLE, "another program already uses F13")
    assert status.describe() == ("Global push-to-talk unavailable (X11): another program already uses F13. "
                                 "Using the window key.")
    assert not status.active
