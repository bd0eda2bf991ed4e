"""A private Xvfb server for the hotkey tests, a focused window of another client, and xdotool input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# The Xvfb default keymap has no F13: xkb's evdev keycode 191 (FK13) carries XF86Tools there. Xvfb runs with
# -noreset: otherwise it resets the keymap each time its last client disconnects.
F13_KEYCODE = 191
_START_TIMEOUT_S = 10.0


@dataclass
class XServer:
    """A running Xvfb: its display name and the environment that points X clients at it."""

    display: str
    process: subprocess.Popen

    @property
    def env(self) -> dict[str, str]:
        """os.environ with DISPLAY set to this server."""
        return {**os.environ, "DISPLAY": self.display}

    def run(self, *args: str, timeout: float = 10.0) -> str:
        """Run an X client command (xdotool, xmodmap) against this server; its stdout."""
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=timeout, check=True)
        return done.stdout


def missing_x_tools() -> str | None:
    """Why the X11 tests cannot run here (a missing binary), or None."""
    for tool, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool"), ("xmodmap", "x11-xserver-utils")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt package {package})"
    return None


@contextmanager
def running_xvfb() -> Iterator[XServer]:
    """Start Xvfb on a free display (it picks one: -displayfd), with F13 mapped; stop it afterwards."""
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp", "-noreset", "-screen", "0", "640x480x24"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        server = XServer(f":{_read_display_number(read_fd)}", process)
        server.run("xmodmap", "-e", f"keycode {F13_KEYCODE} = F13")
        yield server
    finally:
        os.close(read_fd)
        process.terminate()
        process.wait(10)


def _read_display_number(read_fd: int) -> int:
    deadline = time.monotonic() + _START_TIMEOUT_S
    text = b""
    while not text.endswith(b"\n"):
        if time.monotonic() > deadline:
            raise RuntimeError("Xvfb did not report its display number")
        chunk = os.read(read_fd, 16)
        if not chunk:
            raise RuntimeError("Xvfb exited before reporting its display number")
        text += chunk
    return int(text)


@contextmanager
def focused_window(server: XServer) -> Iterator[int]:
    """A window of another X client (a separate process), mapped and given the input focus; its id."""
    script = (
        "import sys\n"
        "from Xlib import X, display\n"
        "d = display.Display()\n"
        "w = d.screen().root.create_window(0, 0, 200, 100, 0, d.screen().root_depth,\n"
        "    event_mask=X.KeyPressMask | X.KeyReleaseMask | X.StructureNotifyMask)\n"
        "w.map(); d.sync(); print(w.id, flush=True)\n"
        "sys.stdin.read()\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], env=server.env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        window_id = int(process.stdout.readline())
        focus(server, window_id)
        yield window_id
    finally:
        process.stdin.close()
        process.wait(10)
        process.stdout.close()


def focus(server: XServer, window_id: int) -> None:
    """Give a window the input focus (Xvfb has no window manager), retrying until it is mapped."""
    deadline = time.monotonic() + _START_TIMEOUT_S
    while True:
        try:
            server.run("xdotool", "windowfocus", "--sync", str(window_id))
            return
        except subprocess.CalledProcessError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def busy_loops(count: int = 2) -> Iterator[None]:
    """Processes that keep every core busy while the block runs."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        time.sleep(0.3)  # let them reach full speed before the measured input starts
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait(10)


def hold(server: XServer, what: str, seconds: float, *, button: bool = False) -> None:
    """Press a key (or mouse button) with xdotool, keep it down, release it: real XTEST input."""
    down, up = ("mousedown", "mouseup") if button else ("keydown", "keyup")
    server.run("xdotool", down, what)
    time.sleep(seconds)
    server.run("xdotool", up, what)
