"""Cues through the desktop's sound server: PulseAudio's simple API (libpulse-simple) over ctypes.

PipeWire serves the same API (pipewire-pulse), so this covers current Linux desktops with nothing
added to the installer. One playback stream is opened when the player starts and kept open, so a cue
pays no connection or device open: the worker thread only writes samples. The stream asks for a 20 ms
target buffer; after a cue it runs dry and the server waits for the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import queue
import threading

from ptt_app.cues.player import CueStatus
from ptt_app.cues.tones import BYTES_PER_SAMPLE, SAMPLE_RATE, Cue, render
from ptt_app.translatable import QT_TR_NOOP

log = logging.getLogger(__name__)


NAME = "PulseAudio/PipeWire"
_PA_SAMPLE_S16LE = 3
_PA_STREAM_PLAYBACK = 1
_TARGET_BUFFER_S = 0.020
_NO_VALUE = 0xFFFFFFFF  # (uint32_t) -1: let the server choose
_OPEN_TIMEOUT_S = 5.0


class _SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _BufferAttr(ctypes.Structure):
    _fields_ = [("maxlength", ctypes.c_uint32), ("tlength", ctypes.c_uint32), ("prebuf", ctypes.c_uint32),
                ("minreq", ctypes.c_uint32), ("fragsize", ctypes.c_uint32)]


class _Library:
    """The libpulse-simple and libpulse functions this module calls, with their C signatures."""

    def __init__(self) -> None:
        simple = ctypes.CDLL(ctypes.util.find_library("pulse-simple") or "libpulse-simple.so.0")
        pulse = ctypes.CDLL(ctypes.util.find_library("pulse") or "libpulse.so.0")
        self.new = simple.pa_simple_new
        self.new.restype = ctypes.c_void_p
        self.new.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p,
                             ctypes.POINTER(_SampleSpec), ctypes.c_void_p, ctypes.POINTER(_BufferAttr),
                             ctypes.POINTER(ctypes.c_int)]
        self.write = simple.pa_simple_write
        self.write.restype = ctypes.c_int
        self.write.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]
        self.free = simple.pa_simple_free
        self.free.restype = None
        self.free.argtypes = [ctypes.c_void_p]
        self.strerror = pulse.pa_strerror
        self.strerror.restype = ctypes.c_char_p
        self.strerror.argtypes = [ctypes.c_int]

    def error_text(self, code: int) -> str:
        return (self.strerror(code) or b"unknown error").decode("utf-8", "replace")


class PulseCuePlayer:
    """Plays cues on a kept-open PulseAudio stream from its own thread; play() never blocks or raises."""

    def __init__(self, volume: int, enabled: bool = True, server: str | None = None,
                 app_name: str = "PTT Console") -> None:
        self._server = server  # None: the desktop's (PULSE_SERVER, or the user's runtime socket)
        self._app_name = app_name
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._rendered: dict[Cue, bytes] = {}
        self._enabled = enabled
        self.configure(enabled, volume)
        self._status = CueStatus(NAME, False, "starting")
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ptt-cues", daemon=True)
        self._thread.start()
        self._opened.wait(_OPEN_TIMEOUT_S)

    @property
    def status(self) -> CueStatus:
        """Whether cues reach the sound server, or why not."""
        return self._status

    def configure(self, enabled: bool, volume: int) -> None:
        """Turn cues on or off and set their volume (0-100); the samples are rendered now, not per cue."""
        self._rendered = {cue: render(cue, volume) for cue in Cue}
        self._enabled = enabled and volume > 0

    def play(self, cue: Cue) -> None:
        """Start a cue as soon as the stream takes it (after any cue still playing)."""
        if self._enabled and self._status.available:
            self._queue.put(self._rendered[cue])

    def close(self) -> None:
        """Let the playing cue finish, close the stream and end the thread."""
        self._queue.put(None)
        self._thread.join(_OPEN_TIMEOUT_S)

    def _run(self) -> None:
        try:
            library = _Library()
        except OSError as error:
            self._finish_opening(False, QT_TR_NOOP("libpulse-simple is not installed ({error})").format(error=error))
            return
        stream = self._open(library)
        self._finish_opening(stream is not None, "ready" if stream else self._status.detail)
        if stream is None:
            return
        try:
            while (samples := self._queue.get()) is not None:
                error = ctypes.c_int(0)
                if library.write(stream, samples, len(samples), ctypes.byref(error)) < 0:
                    self._status = CueStatus(NAME, False, QT_TR_NOOP("the sound server stopped: {error}").format(
                        error=library.error_text(error.value)))
                    log.warning("cues: %s", self._status.detail)
                    return
        finally:
            library.free(stream)

    def _open(self, library: _Library) -> int | None:
        spec = _SampleSpec(_PA_SAMPLE_S16LE, SAMPLE_RATE, 1)
        target = round(_TARGET_BUFFER_S * SAMPLE_RATE) * BYTES_PER_SAMPLE
        attr = _BufferAttr(_NO_VALUE, target, _NO_VALUE, _NO_VALUE, _NO_VALUE)
        error = ctypes.c_int(0)
        server = self._server.encode() if self._server else None
        stream = library.new(server, self._app_name.encode(), _PA_STREAM_PLAYBACK, None, b"push-to-talk cues",
                             ctypes.byref(spec), None, ctypes.byref(attr), ctypes.byref(error))
        if not stream:
            self._status = CueStatus(NAME, False, QT_TR_NOOP("no sound server: {error}").format(
                error=library.error_text(error.value)))
        return stream or None

    def _finish_opening(self, available: bool, detail: str) -> None:
        self._status = CueStatus(NAME, available, detail)
        self._opened.set()
