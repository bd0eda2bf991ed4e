"""The request log as a table model: newest on top, a bounded window of rows paged from the journal.

At most WINDOW_ROWS rows are held. New rows arrive on top; when the window is full the rows farthest
from what the operator is looking at are dropped, and paged back from the journal (a read-only reader)
when the operator scrolls to them: older pages at the bottom (Qt's fetchMore), newer pages at the top
(fetch_newer, called by the view). Rows kept in memory on a full disk (negative ids) cannot be paged back
from the file, so they are never dropped and never wait: they stay on top, outside the count of the window,
and newer pages from the file come in below them.
"""

from __future__ import annotations

import bisect
import sys
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QModelRoleDataSpan, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette

from ptt_app.api import codes
from ptt_app.api.types import GET_AGENT_INSTANCE_MSG_LIST, QUERY_AGENT_INSTANCE_STATUS
from ptt_app.gui.i18n import tr, translated
from ptt_app.gui.icons import icon
from ptt_app.store.journal import JournalEntry, JournalStatus, chronological_key
from ptt_app.translatable import QT_TR_NOOP

# What an operator scans first comes first; Message takes the width that is left (see RequestLogView), then
# the RequestId support asks for, Latency and Sequence. The names are the headers' English words.
COLUMNS = (QT_TR_NOOP("Time"), QT_TR_NOOP("Action"), QT_TR_NOOP("Status"), "Code", "Round", QT_TR_NOOP("Message"),
           "RequestId", QT_TR_NOOP("Latency"), "Sequence")
ACTION_COLUMN = COLUMNS.index("Action")
STATUS_COLUMN = COLUMNS.index("Status")
MESSAGE_COLUMN = COLUMNS.index("Message")
REQUEST_ID_COLUMN = COLUMNS.index("RequestId")
PAGE_SIZE = 100
WINDOW_ROWS = 5000
# The window's own background reads (status light, transcript): hidden from the log unless they fail.
ROUTINE_ACTIONS = frozenset({QUERY_AGENT_INSTANCE_STATUS, GET_AGENT_INSTANCE_MSG_LIST})
# Request ids of answers whose Round is remembered for the Round column (the journal does not keep it).


class RowKind(Enum):
    """How a row ended, as the Status column says it: a word (English; shown translated), an icon and a colour
    for light and for dark backgrounds (never colour alone)."""

    OK = (QT_TR_NOOP("OK"), "log-ok.svg", None, None)
    ERROR = (QT_TR_NOOP("Error"), "log-error.svg", "#b03a2e", "#ff8a80")
    FAILED = (QT_TR_NOOP("Failed"), "log-error.svg", "#b03a2e", "#ff8a80")
    NO_ANSWER = (QT_TR_NOOP("No answer"), "log-error.svg", "#b03a2e", "#ff8a80")
    IGNORED = (QT_TR_NOOP("Ignored (outdated)"), "log-skipped.svg", "#5f6e6f", "#b0bec5")
    SUPERSEDED = (QT_TR_NOOP("Superseded"), "log-skipped.svg", "#5f6e6f", "#b0bec5")
    PENDING = (QT_TR_NOOP("Sent…"), "log-pending.svg", "#8a5a00", "#ffcc80")

    def __init__(self, word: str, icon_name: str, colour: str | None, colour_on_dark: str | None) -> None:
        self.word = word
        self.icon_name = icon_name
        self.colour = colour
        self.colour_on_dark = colour_on_dark

    @property
    def shown_word(self) -> str:
        """The word in the window's language."""
        return tr(self.word)

    @property
    def failed(self) -> bool:
        """True for the rows an operator must look at."""
        return self in (RowKind.ERROR, RowKind.FAILED, RowKind.NO_ANSWER)


def row_kind(entry: JournalEntry) -> RowKind:
    """How a journal row ended, in the window's words. 410001043 is "ignored (outdated)", never an error:
    a newer press or release already reached the agent."""
    if entry.status is JournalStatus.ANSWERED:
        if entry.code == codes.SUCCESS:
            return RowKind.OK
        return RowKind.IGNORED if entry.code == codes.SEQUENCE_OUTDATED else RowKind.ERROR
    return {
        JournalStatus.PENDING: RowKind.PENDING,
        JournalStatus.FAILED: RowKind.FAILED,
        JournalStatus.SUPERSEDED: RowKind.SUPERSEDED,
        JournalStatus.NO_ANSWER: RowKind.NO_ANSWER,
    }[entry.status]


def is_routine_read(entry: JournalEntry) -> bool:
    """A background status or transcript read that went well: noise in a log an operator reads all day."""
    return entry.action in ROUTINE_ACTIONS and row_kind(entry) in (RowKind.OK, RowKind.PENDING)


_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FONT = Qt.ItemDataRole.FontRole
ENTRY_ROLE = Qt.ItemDataRole.UserRole
_HANDLED_ROLES = frozenset({_DISPLAY, _FOREGROUND, _ALIGNMENT, _DECORATION, _FONT, ENTRY_ROLE,
                            Qt.ItemDataRole.ToolTipRole})
_NUMERIC_COLUMNS = frozenset(COLUMNS.index(name) for name in ("Sequence", "Code", "Round", "Latency"))
_REPEATING_COLUMNS = frozenset(COLUMNS.index(name) for name in ("Action", "Status", "Code", "Round", "Message", "Latency"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_COLOURS = {kind: QColor(kind.colour) for kind in RowKind if kind.colour}
_COLOURS_ON_DARK = {kind: QColor(kind.colour_on_dark) for kind in RowKind if kind.colour_on_dark}
# A base colour darker than this (HSL lightness) takes the colours for dark backgrounds.
_DARK_BASE_LIGHTNESS = 128


class JournalPages(Protocol):
    """What the model reads: pages of journal rows by row id."""

    def recent(self, n: int) -> list[JournalEntry]: ...

    def older_than(self, row_id: int | None, limit: int) -> list[JournalEntry]: ...

    def newer_than(self, row_id: int | None, limit: int) -> list[JournalEntry]: ...


class RequestLogModel(QAbstractTableModel):
    """Rows are JournalEntry records, newest first; see the module docstring for the window of rows."""

    # Rows were inserted (positive) or removed (negative) above the row the view shows at its top, so the
    # view can keep the same rows in sight.
    shifted_above = Signal(int)

    def __init__(self, reader: JournalPages, parent: Any = None, window_rows: int = WINDOW_ROWS) -> None:
        super().__init__(parent)
        self._reader = reader
        self._window_rows = max(window_rows, 2 * PAGE_SIZE)
        # Oldest loaded first, so appends are cheap; display row r is _entries[-1 - r].
        self._entries: list[JournalEntry] = list(reversed(reader.recent(PAGE_SIZE)))
        self._texts: list[tuple[str, ...]] = [self._row_texts(entry) for entry in self._entries]
        # Sort keys, oldest first: rows kept in memory on a full disk (negative ids) are the newest.
        self._keys: list[tuple[int, int]] = [chronological_key(entry.row_id) for entry in self._entries]
        self._older_in_journal = len(self._entries) == PAGE_SIZE
        self._newer_in_journal = False
        self._top_visible_row = 0
        self._colours = _COLOURS

    def use_palette(self, palette: QPalette) -> None:
        """Colour the Status words for this palette's background (light or dark)."""
        dark = palette.color(QPalette.ColorRole.Base).lightness() < _DARK_BASE_LIGHTNESS
        colours = _COLOURS_ON_DARK if dark else _COLOURS
        if colours is not self._colours:
            self._colours = colours
            if self._entries:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, len(COLUMNS) - 1),
                                      [_FOREGROUND])

    # --- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each repaint: unhandled roles leave at once, and
        # display text is formatted once per row change, not per paint.
        if role not in _HANDLED_ROLES or not index.isValid():
            return None
        position = len(self._entries) - 1 - index.row()
        column = index.column()
        if role == _DISPLAY:
            return self._texts[position][column]
        entry = self._entries[position]
        if role == ENTRY_ROLE:
            return entry
        if role == _FOREGROUND:
            return self._colours.get(row_kind(entry))
        if role == _ALIGNMENT:
            return _RIGHT if column in _NUMERIC_COLUMNS else None
        if role == _DECORATION:
            return icon(row_kind(entry).icon_name) if column == STATUS_COLUMN else None
        if role == _FONT:
            return _bold() if column == STATUS_COLUMN and row_kind(entry).failed else None
        return _tooltip(entry)

    def multiData(self, index: _Index, roles: QModelRoleDataSpan) -> None:
        # Qt's item delegate asks for every role of a cell in one call: one crossing into Python per cell
        # instead of one per role keeps a full repaint of the log cheap while it scrolls and grows.
        if not index.isValid():
            return
        position = len(self._entries) - 1 - index.row()
        column = index.column()
        text = self._texts[position][column]
        entry = self._entries[position]
        kind = row_kind(entry)
        for role_data in roles:
            role = role_data.role()
            if role == _DISPLAY:
                role_data.setData(text)
            elif role == _FOREGROUND:
                role_data.setData(self._colours.get(kind))
            elif role == _ALIGNMENT:
                role_data.setData(_RIGHT if column in _NUMERIC_COLUMNS else None)
            elif role == _DECORATION:
                role_data.setData(icon(kind.icon_name) if column == STATUS_COLUMN else None)
            elif role == _FONT:
                role_data.setData(_bold() if column == STATUS_COLUMN and kind.failed else None)
            elif role in _HANDLED_ROLES:
                role_data.setData(self.data(index, role))
            else:
                role_data.clearData()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._older_in_journal

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        older = self._reader.older_than(self._oldest_file_id(), PAGE_SIZE)
        self._older_in_journal = len(older) == PAGE_SIZE
        if not older:
            return
        first = len(self._entries)
        chronological = list(reversed(older))
        self.beginInsertRows(QModelIndex(), first, first + len(older) - 1)
        self._entries[:0] = chronological
        self._texts[:0] = [self._row_texts(entry) for entry in chronological]
        self._keys[:0] = [chronological_key(entry.row_id) for entry in chronological]
        self.endInsertRows()
        self._trim()

    # --- what the window uses ------------------------------------------------------------------

    def entry_at(self, row: int) -> JournalEntry:
        """The entry shown at a display row (0 = newest)."""
        return self._entries[len(self._entries) - 1 - row]

    def text_at(self, row: int, column: int) -> str:
        """What a cell shows."""
        return self._texts[len(self._entries) - 1 - row][column]

    def top_visible_row(self) -> int:
        """The display row the operator looks at (at the top of the view)."""
        return self._top_visible_row

    def can_fetch_newer(self) -> bool:
        """True when newer rows were dropped from the window and can be paged back at the top."""
        return self._newer_in_journal

    def newer_rows_go_at(self) -> int:
        """The display row where fetch_newer puts the rows it pages back: below the rows kept in memory."""
        return self._in_memory_on_top()

    def set_top_visible_row(self, row: int) -> None:
        """Where the operator is looking: the window of rows is trimmed at the far end from here."""
        self._top_visible_row = max(0, row)

    def upsert(self, entry: JournalEntry) -> None:
        """Show a new or changed journal row; called for every write the worker makes."""
        key = chronological_key(entry.row_id)
        position = bisect.bisect_left(self._keys, key)
        if position < len(self._keys) and self._keys[position] == key:
            self._entries[position] = entry
            self._texts[position] = self._row_texts(entry)
            row = len(self._entries) - 1 - position
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        if position == 0 and self._keys and self._older_in_journal:
            return  # older than every loaded row: it arrives with that page when the operator scrolls
        if position == len(self._keys) and self._newer_in_journal and not entry.provisional:
            return  # newer rows are paged back at the top when the operator scrolls there
        # Newest rows go on top (position == len); a row shown late (the worker shows a "sent…" row only
        # when the answer is slow) slots in among the newer ones already shown.
        self._insert_chronological(position, [entry])
        self._trim()

    def renumber(self, provisional_id: int, entry: JournalEntry) -> None:
        """A row kept in memory (full disk) is now in the file under entry.row_id: show it as that row."""
        key = chronological_key(provisional_id)
        position = bisect.bisect_left(self._keys, key)
        if position < len(self._keys) and self._keys[position] == key:
            row = len(self._entries) - 1 - position
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._entries[position], self._texts[position], self._keys[position]
            self.endRemoveRows()
        self.upsert(entry)

    def fetch_newer(self) -> None:
        """Page back the newer rows dropped from the top of the window."""
        newer = self._reader.newer_than(self._newest_file_id(), PAGE_SIZE)
        self._newer_in_journal = len(newer) == PAGE_SIZE
        if newer:
            self._insert_chronological(len(self._entries) - self._in_memory_on_top(), newer, keep_in_sight=True)
            self._trim()

    def refresh_newer(self) -> None:
        """Read rows other writers (the CLI, a session opening) added since the newest shown."""
        if self._newer_in_journal:
            return
        newer = self._reader.newer_than(self._newest_file_id(), PAGE_SIZE)
        for entry in newer:
            self.upsert(entry)
        if len(newer) == PAGE_SIZE:
            self._newer_in_journal = True

    def _oldest_file_id(self) -> int | None:
        return next((entry.row_id for entry in self._entries if not entry.provisional), None)

    def _newest_file_id(self) -> int | None:
        return next((entry.row_id for entry in reversed(self._entries) if not entry.provisional), None)

    def _insert_chronological(self, position: int, entries: list[JournalEntry], keep_in_sight: bool = False) -> None:
        """Insert entries (oldest first) at a chronological position; display rows count from the top.
        Rows inserted above what the operator looks at shift the view with them, unless the operator is
        at the very top following the newest rows (keep_in_sight shifts even then)."""
        top_row = len(self._entries) - position
        self.beginInsertRows(QModelIndex(), top_row, top_row + len(entries) - 1)
        self._entries[position:position] = entries
        self._texts[position:position] = [self._row_texts(entry) for entry in entries]
        self._keys[position:position] = [chronological_key(entry.row_id) for entry in entries]
        self.endInsertRows()
        if top_row <= self._top_visible_row and (self._top_visible_row > 0 or keep_in_sight):
            self._top_visible_row += len(entries)
            self.shifted_above.emit(len(entries))

    def _in_memory_on_top(self) -> int:
        """How many rows kept in memory are shown: always the newest, so the last entries."""
        count = 0
        for entry in reversed(self._entries):
            if not entry.provisional:
                break
            count += 1
        return count

    def _trim(self) -> None:
        # Only rows from the file count: the rows kept in memory on top could not be paged back.
        on_top = self._in_memory_on_top()
        from_file = len(self._entries) - on_top
        excess = from_file - self._window_rows
        if excess <= 0:
            return
        looking_at_newest = self._top_visible_row - on_top < from_file // 2
        if looking_at_newest:
            self._drop_oldest(excess)
        else:
            self._drop_newest(excess)

    def _drop_oldest(self, count: int) -> None:
        last = len(self._entries) - 1
        self.beginRemoveRows(QModelIndex(), last - count + 1, last)
        del self._entries[:count], self._texts[:count], self._keys[:count]
        self.endRemoveRows()
        self._older_in_journal = True

    def _drop_newest(self, count: int) -> None:
        """Drop the newest `count` rows from the file (below the rows kept in memory, which stay)."""
        on_top = self._in_memory_on_top()
        end = len(self._entries) - on_top
        self.beginRemoveRows(QModelIndex(), on_top, on_top + count - 1)
        del self._entries[end - count:end], self._texts[end - count:end], self._keys[end - count:end]
        self.endRemoveRows()
        self._newer_in_journal = True
        self._top_visible_row = max(0, self._top_visible_row - count)
        self.shifted_above.emit(-count)


    def _row_texts(self, entry: JournalEntry) -> tuple[str, ...]:
        # Status, Code, Round, Message and Latency repeat from row to row: one shared copy of each keeps the
        # 5,000 rows small. Time, RequestId and Sequence are unique and are kept as they are.
        return tuple(sys.intern(text) if column in _REPEATING_COLUMNS else text
                     for column, text in enumerate(_display(entry, column) for column in range(len(COLUMNS))))


@cache
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _display(entry: JournalEntry, column: int) -> str:
    name = COLUMNS[column]
    if name == "Time":
        # A superseded row carries the moment the operator acted (it was never sent).
        return datetime.fromtimestamp(entry.sent_at).strftime("%H:%M:%S.%f")[:-3] if entry.sent_at else ""
    if name == "Action":
        return entry.action
    if name == "Sequence":
        return "" if entry.sequence is None else str(entry.sequence)
    if name == "Status":
        return row_kind(entry).shown_word
    if name == "Code":
        return "" if entry.code is None else str(entry.code)
    if name == "Round":
        return "" if entry.round is None else str(entry.round)
    if name == "Message":
        return translated(entry.message)
    if name == "RequestId":
        return entry.request_id or ""
    return "" if entry.latency_ms is None else f"{entry.latency_ms:.1f} ms"


def status_words() -> list[str]:
    """Every word the Status column can show, in the window's language."""
    return [kind.shown_word for kind in RowKind]


def _tooltip(entry: JournalEntry) -> str:
    when = datetime.fromtimestamp(entry.sent_at).isoformat(sep=" ", timespec="milliseconds") if entry.sent_at else "–"
    template = (tr("{action} acted at {time}") if entry.status is JournalStatus.SUPERSEDED
                else tr("{action} sent at {time}"))
    lines = [
        template.format(action=entry.action, time=when),
        tr("Profile {profile}, AgentInstanceId {instance}").format(profile=entry.profile,
                                                                  instance=entry.agent_instance_id or "–"),
        tr("Status: {status}; HTTP {http}; Code {code}; Round {round}").format(
            status=row_kind(entry).shown_word, http=entry.http_status or "–",
            code=entry.code if entry.code is not None else "–", round=entry.round if entry.round is not None else "–"),
        translated(entry.message),
        tr("RequestId: {request_id} (click it, or press Ctrl+C, to copy it)").format(request_id=entry.request_id or "–"),
    ]
    return "\n".join(lines)
