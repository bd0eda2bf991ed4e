"""Files replaced whole: a reader (or the next start after a crash) sees the old content or the new."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomically(path: Path, write: Callable[[IO], None], *, binary: bool = False, suffix: str = ".tmp") -> None:
    """Let `write` fill a temporary file beside path, fsync it, rename it over path, fsync the folder."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    text_options = {} if binary else {"encoding": "utf-8", "newline": ""}
    try:
        with os.fdopen(handle, "wb" if binary else "w", **text_options) as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in folder durable (a power cut could otherwise bring back the old name)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)
