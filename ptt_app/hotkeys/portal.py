"""Global push-to-talk on Wayland: the xdg-desktop-portal GlobalShortcuts interface (version 1 and 2), over jeepney.

The flow the interface documents: CreateSession, then BindShortcuts with one shortcut and a preferred
trigger (the desktop may show a dialog and let the operator choose another), each answered by a Response
signal on a Request object whose path the client predicts from its handle_token and subscribes to before
calling. Afterwards Activated is the press and Deactivated the release. Everything runs on one thread
that owns the D-Bus connection; stop() interrupts it and the session is closed.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import deque
from typing import Any

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse

from ptt_app.hotkeys.backend import BackendState, BackendStatus, Callback, StatusCallback, call_safely
from ptt_app.hotkeys.binding import Binding, InputKind
from ptt_app.hotkeys.hold import Edge, HoldFilter
from ptt_app.hotkeys.keynames import PORTAL_MODIFIERS
from ptt_app.translatable import QT_TR_NOOP

log = logging.getLogger(__name__)

NAME = "xdg-desktop-portal"
PORTAL_BUS_NAME = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SHORTCUTS_INTERFACE = "org.freedesktop.portal.GlobalShortcuts"
REQUEST_INTERFACE = "org.freedesktop.portal.Request"
SESSION_INTERFACE = "org.freedesktop.portal.Session"
REGISTRY_INTERFACE = "org.freedesktop.host.portal.Registry"
# The basename of the .desktop file (resources/), which the portal uses to name the app to the operator.
APP_ID = "io.github.ptt_app.PttApp"
SHORTCUT_ID = "push-to-talk"
SHORTCUT_DESCRIPTION = "Push to talk (hold)"
CALL_TIMEOUT_S = 5.0
_NO_PORTAL_ERRORS = ("org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner")
_NO_INTERFACE_ERRORS = ("org.freedesktop.DBus.Error.UnknownInterface", "org.freedesktop.DBus.Error.UnknownProperty",
                        "org.freedesktop.DBus.Error.InvalidArgs", "org.freedesktop.DBus.Error.UnknownMethod")
NO_GLOBAL_SHORTCUTS = QT_TR_NOOP("this desktop's portal has no GlobalShortcuts interface (GNOME has it from version "
                                 "48; KDE Plasma 5.27+ and Hyprland have it): update the desktop or log in to an X11 "
                                 "session")


def portal_trigger(binding: Binding) -> str:
    """The preferred trigger in the shortcuts specification's syntax, e.g. "F13", "CTRL+SHIFT+p"."""
    modifiers = [PORTAL_MODIFIERS[m] for m in binding.ordered_modifiers]
    return "+".join((*modifiers, binding.key_name.portal_id))


class PortalUnavailable(Exception):
    """The portal cannot deliver the shortcut; the message is for the operator."""


class PortalBackend:
    """Global press/release of one key through org.freedesktop.portal.GlobalShortcuts."""

    name = NAME

    def __init__(self, bus: str = "SESSION", app_id: str = APP_ID) -> None:
        self._bus = bus  # "SESSION", or a D-Bus address (the tests' private bus)
        self._app_id = app_id
        self._status = BackendStatus(NAME, BackendState.STOPPED)
        self._on_status: StatusCallback | None = None
        self._thread: threading.Thread | None = None
        self._connection: DBusConnection | None = None
        self._stopping = threading.Event()

    @property
    def status(self) -> BackendStatus:
        """The current status."""
        return self._status

    def start(self, binding: Binding, on_press: Callback, on_release: Callback,
              on_status: StatusCallback | None = None) -> BackendStatus:
        """Begin binding on the backend thread; STARTING now, then ACTIVE or UNAVAILABLE through on_status."""
        self.stop()
        self._on_status = on_status
        if binding.kind is not InputKind.KEY:
            return self._set_status(BackendState.UNAVAILABLE,
                                    QT_TR_NOOP("the GlobalShortcuts portal binds keyboard keys only; bind a key such as "
                                               "F13"))
        self._stopping = threading.Event()
        self._set_status(BackendState.STARTING, QT_TR_NOOP("asking the desktop for {key}").format(key=binding))
        self._thread = threading.Thread(target=self._run, args=(binding, on_press, on_release),
                                        name="ptt-hotkey-portal", daemon=True)
        self._thread.start()
        return self._status

    def stop(self) -> None:
        """Close the shortcut session and the connection, end the thread; idempotent."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        connection = self._connection
        if connection is not None:
            connection.interrupt()
        thread.join(CALL_TIMEOUT_S + 1)
        if self._status.state in (BackendState.ACTIVE, BackendState.STARTING):
            self._set_status(BackendState.STOPPED)

    def _run(self, binding: Binding, on_press: Callback, on_release: Callback) -> None:
        try:
            connection = open_dbus_connection(self._bus)
        except (OSError, KeyError, ValueError) as error:
            self._set_status(BackendState.UNAVAILABLE, QT_TR_NOOP("no D-Bus session bus ({error})").format(error=error))
            return
        self._connection = connection
        session = _Session(connection, self._app_id)
        hold = HoldFilter()
        try:
            if self._stopping.is_set():
                return
            session.open(binding, lambda detail: self._set_status(BackendState.ACTIVE, detail),
                         lambda detail: self._set_status(BackendState.STARTING, detail))
            session.deliver(hold, on_press, on_release)
            self._set_status(BackendState.UNAVAILABLE, QT_TR_NOOP("the desktop closed the shortcut session"))
        except ReceiveStopped:
            pass  # stop() was called
        except PortalUnavailable as error:
            self._set_status(BackendState.UNAVAILABLE, str(error))
        except (OSError, EOFError, TimeoutError) as error:
            self._set_status(BackendState.UNAVAILABLE, QT_TR_NOOP("lost the D-Bus connection to the portal ({error})")
                             .format(error=error))
        finally:
            if hold.reset() is Edge.RELEASE and not self._stopping.is_set():
                call_safely(on_release)
            session.close()
            self._connection = None
            connection.close()

    def _set_status(self, state: BackendState, detail: str = "") -> BackendStatus:
        self._status = BackendStatus(NAME, state, detail)
        call_safely(self._on_status, self._status)
        return self._status


class _Session:
    """One GlobalShortcuts session on one connection, used only by the backend thread."""

    def __init__(self, connection: DBusConnection, app_id: str) -> None:
        self.connection = connection
        self.app_id = app_id
        self.handle = ""
        self._backlog: deque[Message] = deque()
        self._sender_path = connection.unique_name.lstrip(":").replace(".", "_")

    def open(self, binding: Binding, on_active, on_waiting) -> None:
        """Check the portal, create the session and bind the shortcut; PortalUnavailable says why not."""
        self._register_host_app()
        version = self._interface_version()
        for interface in (REQUEST_INTERFACE, SHORTCUTS_INTERFACE, SESSION_INTERFACE):
            self._call(message_bus.AddMatch(MatchRule(type="signal", interface=interface)))
        results = self._request("CreateSession", "a{sv}", lambda token: (
            {"handle_token": ("s", token), "session_handle_token": ("s", self._token())},))
        self.handle = _variant_value(results.get("session_handle")) or ""
        if not self.handle:
            raise PortalUnavailable(QT_TR_NOOP("the portal created no shortcut session"))
        on_waiting(QT_TR_NOOP("confirm {key} in the desktop's shortcut dialog, if it shows one").format(key=binding))
        shortcut = (SHORTCUT_ID, {"description": ("s", SHORTCUT_DESCRIPTION),
                                  "preferred_trigger": ("s", portal_trigger(binding))})
        results = self._request("BindShortcuts", "oa(sa{sv})sa{sv}", lambda token: (
            self.handle, [shortcut], "", {"handle_token": ("s", token)}))
        bound = dict(_variant_value(results.get("shortcuts")) or [])
        if SHORTCUT_ID not in bound:
            raise PortalUnavailable(QT_TR_NOOP("the desktop did not bind the push-to-talk shortcut (declined, or taken); "
                                               "bind it in the desktop's keyboard settings"))
        trigger = _variant_value(bound[SHORTCUT_ID].get("trigger_description")) or str(binding)
        on_active(f"{trigger} (GlobalShortcuts v{version})")

    def deliver(self, hold: HoldFilter, on_press: Callback, on_release: Callback) -> None:
        """Turn Activated/Deactivated into press/release until the session is closed (returns then)."""
        while True:
            message = self._next_message()
            if _is_signal(message, SESSION_INTERFACE, "Closed") and _path(message) == self.handle:
                self.handle = ""  # closed by the desktop: nothing to close any more
                return
            if not (_is_signal(message, SHORTCUTS_INTERFACE, "Activated")
                    or _is_signal(message, SHORTCUTS_INTERFACE, "Deactivated")):
                continue
            session_handle, shortcut_id = message.body[0], message.body[1]
            if session_handle != self.handle or shortcut_id != SHORTCUT_ID:
                continue
            # Some desktops repeat Activated while the key is held: the filter keeps the first.
            if _member(message) == "Activated":
                if hold.raw_press() is Edge.PRESS:
                    call_safely(on_press)
            elif hold.raw_release() is Edge.RELEASE:
                call_safely(on_release)

    def close(self) -> None:
        """Close the session on the portal, if it is still open; never raises."""
        if not self.handle:
            return
        handle, self.handle = self.handle, ""
        try:
            self.connection.reset_interrupt()
            self.connection.send(new_method_call(DBusAddress(handle, PORTAL_BUS_NAME, SESSION_INTERFACE), "Close"))
        except (OSError, ReceiveStopped) as error:
            log.info("portal: could not close the session %s: %s", handle, error)

    def _register_host_app(self) -> None:
        # Unsandboxed apps name themselves to the portal (xdg-desktop-portal 1.19+), before any other call;
        # older portals lack the interface, and a Flatpak build is named by its sandbox: both are fine.
        register = new_method_call(DBusAddress(PORTAL_PATH, PORTAL_BUS_NAME, REGISTRY_INTERFACE), "Register",
                                   "sa{sv}", (self.app_id, {}))
        try:
            self._call(register)
        except DBusErrorResponse as error:
            log.info("portal: host app registry: %s", error)

    def _interface_version(self) -> int:
        get = new_method_call(DBusAddress(PORTAL_PATH, PORTAL_BUS_NAME, "org.freedesktop.DBus.Properties"), "Get",
                              "ss", (SHORTCUTS_INTERFACE, "version"))
        try:
            reply = self._call(get)
        except DBusErrorResponse as error:
            if error.name in _NO_PORTAL_ERRORS:
                raise PortalUnavailable(QT_TR_NOOP("xdg-desktop-portal is not running on this session bus; install and "
                                                   "start xdg-desktop-portal and your desktop's portal backend")) from None
            if error.name in _NO_INTERFACE_ERRORS:
                raise PortalUnavailable(NO_GLOBAL_SHORTCUTS) from None
            raise PortalUnavailable(QT_TR_NOOP("the portal refused: {error}").format(error=error)) from None
        return int(_variant_value(reply[0]) or 0)

    def _request(self, method: str, signature: str, body_for_token) -> dict[str, Any]:
        """Call a portal method that answers through a Request object; the Response's results."""
        token = self._token()
        expected = f"{PORTAL_PATH}/request/{self._sender_path}/{token}"
        address = DBusAddress(PORTAL_PATH, PORTAL_BUS_NAME, SHORTCUTS_INTERFACE)
        (handle,) = self._call(new_method_call(address, method, signature, body_for_token(token)))
        while True:
            message = self._next_message()
            if _is_signal(message, REQUEST_INTERFACE, "Response") and _path(message) in (expected, handle):
                break
        response, results = message.body
        if response == 1:
            raise PortalUnavailable(QT_TR_NOOP("{method} was cancelled in the desktop's dialog").format(method=method))
        if response != 0:
            raise PortalUnavailable(QT_TR_NOOP("the portal refused {method} (response {response})").format(
                method=method, response=response))
        return results

    def _call(self, message: Message) -> tuple:
        """Send a method call and wait for its reply, keeping other messages for later."""
        serial = next(self.connection.outgoing_serial)
        self.connection.send(message, serial=serial)
        while True:
            reply = self.connection.receive(timeout=CALL_TIMEOUT_S)
            if reply.header.fields.get(HeaderFields.reply_serial) != serial:
                self._backlog.append(reply)
                continue
            if reply.header.message_type is MessageType.error:
                raise DBusErrorResponse(reply)
            return reply.body

    def _next_message(self) -> Message:
        return self._backlog.popleft() if self._backlog else self.connection.receive()

    def _token(self) -> str:
        return f"ptt_{secrets.token_hex(6)}"


def _variant_value(value: Any) -> Any:
    """jeepney gives a variant as (signature, value)."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return value[1]
    return value


def _is_signal(message: Message, interface: str, member: str) -> bool:
    fields = message.header.fields
    return (message.header.message_type is MessageType.signal and fields.get(HeaderFields.interface) == interface
            and fields.get(HeaderFields.member) == member)


def _path(message: Message) -> str:
    return message.header.fields.get(HeaderFields.path, "")


def _member(message: Message) -> str:
    return message.header.fields.get(HeaderFields.member, "")
