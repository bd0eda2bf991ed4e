"""The window's audio cues: the cue players opened off the GUI thread (the sound server may take seconds to
answer), then played from the GUI thread, where play() only queues samples and returns.

Each cue has a player (an output stream) of its own and the sound server mixes them, so a cue that is due
never waits behind another still playing. A fast server confirms while the 60 ms press cue still plays:
through one shared stream the listening cue then started 57 ms after the confirmation (median, loopback
simulator), through its own stream 6 ms (17 ms at most with both cores busy).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ptt_app.cues import Cue, CuePlayer, open_cue_player
from ptt_app.gui.thread_inbox import ThreadInbox
from ptt_app.translatable import QT_TR_NOOP

PlayerOpener = Callable[[bool, int], CuePlayer]
# The window property holding the cue status line (translated), for the settings dialog.
CUE_STATUS_PROPERTY = "cueStatus"


class CueOutput(QObject):
    """Plays PRESS, LISTENING and RELEASE once the players are open; silent until then and while off."""

    status_changed = Signal(str)

    def __init__(self, parent: QObject, opener: PlayerOpener = open_cue_player) -> None:
        super().__init__(parent)
        self._opener = opener
        self._inbox = ThreadInbox(self)
        self._players: dict[Cue, CuePlayer] = {}
        self._opening = False
        self._closed = False
        self._enabled = False
        self._volume = 0
        self.status_text = QT_TR_NOOP("Audio cues: off")

    @property
    def ready(self) -> bool:
        """Whether a cue played now would be heard."""
        return self._enabled and len(self._players) == len(Cue) and self._available()

    def configure(self, enabled: bool, volume: int) -> None:
        """The profile's cue settings; the players are opened (off the GUI thread) the first time cues are on."""
        self._enabled, self._volume = enabled, volume
        if self._players:
            for player in set(self._players.values()):
                player.configure(enabled, volume)
            self._show_status()
        elif enabled and not self._opening and not self._closed:
            self._opening = True
            self._set_status(QT_TR_NOOP("Audio cues: opening the sound output…"))
            threading.Thread(target=_open_players, args=(self._opener, enabled, volume, self._inbox.sender(self._opened)),
                             name="ptt-cues-open", daemon=True).start()
        elif not enabled:
            self._set_status(QT_TR_NOOP("Audio cues: off"))

    def play(self, cue: Cue) -> None:
        """Start a cue now (returns at once)."""
        player = self._players.get(cue)
        if self._enabled and player is not None:
            player.play(cue)

    def close(self) -> None:
        """Release the sound output (off the GUI thread: close() lets a playing cue finish)."""
        self._closed = True
        players, self._players = set(self._players.values()), {}
        _close_off_thread(players)

    def _opened(self, players: dict[Cue, CuePlayer], problem: str) -> None:
        self._opening = False
        if self._closed:
            _close_off_thread(set(players.values()))
            return
        if not players:
            self._set_status(QT_TR_NOOP("Audio cues unavailable: {problem}").format(problem=problem))
            return
        self._players = players
        for player in set(players.values()):
            player.configure(self._enabled, self._volume)
        self._show_status()

    def _available(self) -> bool:
        return all(player.status.available for player in self._players.values())

    def _show_status(self) -> None:
        first = next(iter(self._players.values()))
        self._set_status(first.status.describe() if self._enabled else QT_TR_NOOP("Audio cues: off"))

    def _set_status(self, text: str) -> None:
        if text != self.status_text:
            self.status_text = text
            self.status_changed.emit(text)


def _open_players(opener: PlayerOpener, enabled: bool, volume: int,
                  send: Callable[[dict[Cue, CuePlayer], str], None]) -> None:
    """On a plain thread: open one player per cue (may wait for the sound server), hand them to the GUI thread.
    If the first cannot play, it alone is handed over: its status says why."""
    players: dict[Cue, CuePlayer] = {}
    try:
        for cue in Cue:
            players[cue] = opener(enabled, volume)
            if not players[cue].status.available:
                send({other: players[cue] for other in Cue}, "")
                _close_off_thread({player for player in players.values() if player is not players[cue]})
                return
    except Exception as error:  # open_cue_player reports problems in its status; anything else is a bug
        _close_off_thread(set(players.values()))
        send({}, QT_TR_NOOP("the cue player failed to open ({error})").format(error=error))
        return
    send(players, "")


def _close_off_thread(players: set[CuePlayer]) -> None:
    for player in players:
        threading.Thread(target=player.close, name="ptt-cues-close", daemon=True).start()
