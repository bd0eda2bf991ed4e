"""No core dumps: a process that held the ServerSecret must not leave a memory image of it on disk.

A fatal signal is still reported (faulthandler writes the traceback to the crash-report folder), but the
kernel, systemd-coredump or apport would otherwise keep the whole memory, the secret in clear text among it.
"""

from __future__ import annotations

import ctypes
import logging
import sys

_log = logging.getLogger(__name__)

# linux/prctl.h: PR_SET_DUMPABLE 0 also keeps other processes of the same user from reading our memory
# through ptrace or /proc/<pid>/mem, as ssh-agent and gpg-agent do.
_PR_SET_DUMPABLE = 4


def forbid_core_dumps() -> None:
    """Turn core dumps off for this process (POSIX: RLIMIT_CORE 0; Linux: not dumpable); what could not be
    done is logged. Windows has neither (Windows Error Reporting keeps no dump unless an administrator
    configured LocalDumps)."""
    if sys.platform == "win32":
        return
    problems: list[str] = []
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError) as error:
        problems.append(f"RLIMIT_CORE could not be set to 0 ({error})")
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
                problems.append(f"prctl(PR_SET_DUMPABLE, 0) failed (errno {ctypes.get_errno()})")
        except (OSError, AttributeError) as error:
            problems.append(f"prctl is not available ({error})")
    for problem in problems:
        _log.warning("core dumps may still be written: %s", problem)
