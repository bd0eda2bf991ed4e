"""A private D-Bus session bus and a test double of xdg-desktop-portal's GlobalShortcuts interface.

The double owns org.freedesktop.portal.Desktop on the private bus and speaks the documented interfaces
(org.freedesktop.portal.GlobalShortcuts version 2, and the host app Registry): CreateSession and
BindShortcuts answer with a Request object path, then a Response signal on it; Session.Close;
ListShortcuts; the version property. The test plays the desktop: press()/release() emit
Activated/Deactivated, close_session() emits Session.Closed. Signals are broadcast, so the client
must subscribe (AddMatch) to see them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection

PORTAL_BUS_NAME = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
REQUEST = "org.freedesktop.portal.Request"
SESSION = "org.freedesktop.portal.Session"
PROPERTIES = "org.freedesktop.DBus.Properties"
REGISTRY = "org.freedesktop.host.portal.Registry"
RESPONSE_SUCCESS, RESPONSE_CANCELLED = 0, 1


def missing_dbus_daemon() -> str | None:
    """Why a private bus cannot be started here, or None."""
    return None if shutil.which("dbus-daemon") else "dbus-daemon is not installed (apt package dbus)"


@contextmanager
def private_session_bus() -> Iterator[str]:
    """A dbus-daemon of our own; yields its address. Never the developer's or CI's session bus."""
    folder = tempfile.mkdtemp(prefix="ptt-test-bus-")
    process = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1",
         f"--address=unix:path={folder}/bus"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        address = process.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon did not print its address")
        yield address
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class DoubleBehaviour:
    """How the pretend desktop answers."""

    has_global_shortcuts: bool = True  # False: a portal without the interface (GNOME before 48)
    version: int = 2
    bind_response: int = RESPONSE_SUCCESS  # RESPONSE_CANCELLED: the operator closed the dialog
    bind_nothing: bool = False  # success, but the desktop bound none of the shortcuts
    trigger_description: str = ""  # "": echo the preferred trigger


@dataclass
class DoubleRecord:
    """What clients asked the double, for the assertions."""

    registered_app_ids: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    bound: dict[str, list[tuple[str, dict]]] = field(default_factory=dict)  # session -> shortcuts as sent
    closed: list[str] = field(default_factory=list)
    closed_event: threading.Event = field(default_factory=threading.Event)


class GlobalShortcutsDouble:
    """Serves the portal on a bus address from its own thread; use as a context manager."""

    def __init__(self, bus_address: str, behaviour: DoubleBehaviour | None = None) -> None:
        self.behaviour = behaviour or DoubleBehaviour()
        self.record = DoubleRecord()
        self._connection: DBusConnection = open_dbus_connection(bus_address)
        self._call(message_bus.RequestName(PORTAL_BUS_NAME))
        self._thread = threading.Thread(target=self._serve, name="portal-double", daemon=True)
        self._bound_event = threading.Event()

    def __enter__(self) -> GlobalShortcutsDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._connection.interrupt()
        self._thread.join(5)
        self._connection.close()

    # --- the desktop's side, driven by the test -----------------------------------------------------

    def wait_until_bound(self, timeout: float = 5.0) -> str:
        """The session handle once a client has bound its shortcuts."""
        if not self._bound_event.wait(timeout):
            raise TimeoutError("no client bound a shortcut")
        return self.record.sessions[-1]

    def press(self, session: str, shortcut_id: str, timestamp_ms: int = 1000) -> None:
        """The operator pressed the shortcut: Activated."""
        self._emit(PORTAL_PATH, SHORTCUTS, "Activated", "osta{sv}", (session, shortcut_id, timestamp_ms, {}))

    def release(self, session: str, shortcut_id: str, timestamp_ms: int = 2000) -> None:
        """The operator released it: Deactivated."""
        self._emit(PORTAL_PATH, SHORTCUTS, "Deactivated", "osta{sv}", (session, shortcut_id, timestamp_ms, {}))

    def close_session(self, session: str) -> None:
        """The desktop ends the session (e.g. the operator revoked the shortcut): Session.Closed."""
        self._emit(session, SESSION, "Closed", "a{sv}", ({},))

    # --- serving --------------------------------------------------------------------------------------

    def _serve(self) -> None:
        try:
            while True:
                message = self._connection.receive()
                if message.header.message_type is MessageType.method_call:
                    self._answer(message)
        except (ReceiveStopped, OSError, EOFError):
            return

    def _answer(self, call: Message) -> None:
        fields = call.header.fields
        interface, member = fields.get(HeaderFields.interface), fields.get(HeaderFields.member)
        if interface == REGISTRY and member == "Register":
            self.record.registered_app_ids.append(call.body[0])
            self._reply(call)
        elif interface == PROPERTIES and member == "Get":
            self._get_property(call)
        elif interface == SHORTCUTS and self.behaviour.has_global_shortcuts and member == "CreateSession":
            self._create_session(call)
        elif interface == SHORTCUTS and self.behaviour.has_global_shortcuts and member == "BindShortcuts":
            self._bind_shortcuts(call)
        elif interface == SHORTCUTS and self.behaviour.has_global_shortcuts and member == "ListShortcuts":
            session, options = call.body
            handle = self._request_path(call, options)
            self._reply(call, "o", (handle,))
            self._respond(handle, RESPONSE_SUCCESS, {"shortcuts": ("a(sa{sv})", self._bound_as_results(session))})
        elif interface == SESSION and member == "Close":
            self.record.closed.append(fields[HeaderFields.path])
            self.record.closed_event.set()
            self._reply(call)
        else:
            self._connection.send(new_error(call, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                            (f"no method {interface}.{member}",)))

    def _get_property(self, call: Message) -> None:
        interface, name = call.body
        if interface == SHORTCUTS and self.behaviour.has_global_shortcuts and name == "version":
            self._reply(call, "v", (("u", self.behaviour.version),))
        else:
            self._connection.send(new_error(call, "org.freedesktop.DBus.Error.UnknownInterface", "s",
                                            (f"no interface {interface}",)))

    def _create_session(self, call: Message) -> None:
        (options,) = call.body
        handle = self._request_path(call, options)
        session = f"{PORTAL_PATH}/session/{_sender_element(call)}/{options['session_handle_token'][1]}"
        self.record.sessions.append(session)
        self._reply(call, "o", (handle,))
        # The documented quirk: session_handle is returned as a string, not an object path.
        self._respond(handle, RESPONSE_SUCCESS, {"session_handle": ("s", session)})

    def _bind_shortcuts(self, call: Message) -> None:
        session, shortcuts, _parent_window, options = call.body
        handle = self._request_path(call, options)
        self.record.bound[session] = list(shortcuts)
        self._reply(call, "o", (handle,))
        if self.behaviour.bind_response != RESPONSE_SUCCESS:
            self._respond(handle, self.behaviour.bind_response, {})
        else:
            results = [] if self.behaviour.bind_nothing else self._bound_as_results(session)
            self._respond(handle, RESPONSE_SUCCESS, {"shortcuts": ("a(sa{sv})", results)})
        self._bound_event.set()

    def _bound_as_results(self, session: str) -> list:
        results = []
        for shortcut_id, info in self.record.bound.get(session, []):
            trigger = self.behaviour.trigger_description or info.get("preferred_trigger", ("s", ""))[1]
            results.append((shortcut_id, {"description": info["description"], "trigger_description": ("s", trigger)}))
        return results

    def _request_path(self, call: Message, options: dict) -> str:
        token = options.get("handle_token", ("s", "t0"))[1]
        return f"{PORTAL_PATH}/request/{_sender_element(call)}/{token}"

    def _respond(self, handle: str, response: int, results: dict) -> None:
        self._emit(handle, REQUEST, "Response", "ua{sv}", (response, results))

    def _reply(self, call: Message, signature: str | None = None, body: tuple = ()) -> None:
        self._connection.send(new_method_return(call, signature, body))

    def _emit(self, path: str, interface: str, member: str, signature: str, body: tuple) -> None:
        self._connection.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    def _call(self, message: Message) -> None:
        serial = next(self._connection.outgoing_serial)
        self._connection.send(message, serial=serial)
        while self._connection.receive(timeout=5).header.fields.get(HeaderFields.reply_serial) != serial:
            pass


def _sender_element(call: Message) -> str:
    """The caller's unique name as the portal puts it in object paths (":1.42" -> "1_42")."""
    return call.header.fields[HeaderFields.sender].lstrip(":").replace(".", "_")


def no_bus_address() -> str:
    """An address where no bus listens, for the no-portal case."""
    return f"unix:path={tempfile.gettempdir()}/ptt-no-bus-{os.getpid()}"
