"""A private PulseAudio server whose only sink writes everything played into a FIFO, and a reader of it.

module-pipe-sink renders the mix sample-exact into the FIFO (a null sink's monitor recorded only
silence on this machine); use_system_clock_for_timing paces it in real time, so the time a sample
arrives is the time the sink played it. The reader keeps draining the FIFO, or the sink would stall.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_RATE = 44100
_READ_BYTES = 441 * 2  # 10 ms of 16-bit mono
_START_TIMEOUT_S = 10.0


def missing_pulseaudio() -> str | None:
    """Why the cue tests cannot run here (a missing binary), or None."""
    return None if shutil.which("pulseaudio") else "pulseaudio is not installed (apt packages pulseaudio, libpulse0)"


@dataclass
class CaptureChunk:
    """Bytes read from the sink, and when (time.monotonic())."""

    at: float
    data: bytes


@dataclass
class SinkCapture:
    """Everything the pipe sink has written so far, chunk by chunk."""

    chunks: list[CaptureChunk] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mark(self) -> int:
        """A position: the number of bytes captured so far."""
        with self.lock:
            return sum(len(chunk.data) for chunk in self.chunks)

    def since(self, position: int) -> tuple[bytes, list[tuple[int, float]]]:
        """The bytes captured after a mark, and for each chunk: where it ends in those bytes, when it came."""
        with self.lock:
            chunks = list(self.chunks)
        data, offset, arrivals = b"", 0, []
        for chunk in chunks:
            end = offset + len(chunk.data)
            if end > position:
                data += chunk.data[max(0, position - offset):]
                arrivals.append((len(data), chunk.at))
            offset = end
        return data, arrivals

    def arrival(self, position: int, offset: int) -> float:
        """When the byte at `offset` after the mark `position` was read from the sink."""
        return next(at for end, at in self.since(position)[1] if end > offset)


@dataclass
class PulseServer:
    """A running private pulseaudio: the address to give libpulse, and the sink's capture."""

    address: str
    capture: SinkCapture


@contextmanager
def running_pulseaudio() -> Iterator[PulseServer]:
    """Start pulseaudio in a private runtime folder with a FIFO pipe sink; stop it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="ptt-test-pulse-"))
    os.chmod(folder, 0o700)
    fifo, socket_path = folder / "cue.fifo", folder / "native"
    env = {**os.environ, "XDG_RUNTIME_DIR": str(folder), "HOME": str(folder), "PULSE_STATE_PATH": str(folder)}
    process = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
         f"--load=module-pipe-sink file={fifo} sink_name=cue format=s16le rate={SAMPLE_RATE} channels=1 "
         "use_system_clock_for_timing=yes",
         f"--load=module-native-protocol-unix socket={socket_path} auth-anonymous=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    capture = SinkCapture()
    stop = threading.Event()
    reader = threading.Thread(target=_drain, args=(fifo, capture, stop, process), daemon=True)
    try:
        _wait_for(lambda: fifo.exists() and socket_path.exists(), process)
        reader.start()
        yield PulseServer(f"unix:{socket_path}", capture)
    finally:
        stop.set()
        process.terminate()
        process.wait(10)
        reader.join(5)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(ready, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not ready():
        if process.poll() is not None:
            raise RuntimeError(f"pulseaudio exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError("pulseaudio did not create its socket and FIFO")
        time.sleep(0.02)


def _drain(fifo: Path, capture: SinkCapture, stop: threading.Event, process: subprocess.Popen) -> None:
    with open(fifo, "rb", buffering=0) as stream:
        while not stop.is_set():
            data = stream.read(_READ_BYTES)
            if not data:
                return
            with capture.lock:
                capture.chunks.append(CaptureChunk(time.monotonic(), data))
