"""Hands results from plain threads (hotkey backends, the cue player's opener) to a GUI-thread object.

A plain thread gets a plain function that holds only the PostBox's Mailbox and a weak reference to the
handler. So it can never own, and never be the last to release, a Qt object; a result that arrives after
the owner is gone is dropped on the GUI thread.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject

from ptt_app.gui.thread_bridge import PostBox


class ThreadInbox:
    """Makes senders for plain threads; each call of a sender runs its handler later on the owner's thread."""

    def __init__(self, owner: QObject) -> None:
        self._post_box = PostBox(owner)

    def sender(self, handler: Callable[..., None]) -> Callable[..., None]:
        """A function safe to call from any thread: handler(*args) runs on the owner's thread."""
        mailbox = self._post_box.mailbox
        target = weakref.WeakMethod(handler)  # type: ignore[arg-type]

        def send(*args: Any) -> None:
            mailbox.post(partial(_call_if_alive, target, args))

        return send

    def close(self) -> None:
        """Stop delivering; later sends are dropped."""
        self._post_box.close()


def _call_if_alive(target: weakref.WeakMethod, args: tuple[Any, ...]) -> None:
    handler = target()
    if handler is not None:
        handler(*args)
