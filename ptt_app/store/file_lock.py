"""Advisory OS locks on open files: the kernel frees them when the holder closes the file or dies."""

from __future__ import annotations

import os
import sys

if sys.platform == "win32":
    import msvcrt

    def try_lock(fd: int) -> bool:
        """Lock the file's first byte; False if another process holds it. OSError where locks are unsupported."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False
        return True

    def lock(fd: int) -> None:
        """Wait for the lock (Windows gives up after about ten seconds with OSError)."""
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
else:
    import errno
    import fcntl

    def try_lock(fd: int) -> bool:
        """flock the file; False if another process holds it. OSError where locks are unsupported."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise
        return True

    def lock(fd: int) -> None:
        """Wait for the lock."""
        fcntl.flock(fd, fcntl.LOCK_EX)


def still_named(fd: int, path: os.PathLike[str] | str) -> bool:
    """Whether path still names the open file fd (another process may have unlinked it meanwhile)."""
    if sys.platform == "win32":
        return True  # Windows cannot unlink a file another process holds open
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False
