"""The request log as a table model: newest on top, paged from the journal, updated live by the worker."""

from __future__ import annotations

import bisect
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ptt_app.store.journal import JournalEntry, JournalStatus, RequestJournal

COLUMNS = ("Time", "Action", "Sequence", "Status", "Code", "Latency", "RequestId", "Message")
REQUEST_ID_COLUMN = COLUMNS.index("RequestId")
PAGE_SIZE = 500

_STATUS_COLOURS = {
    JournalStatus.FAILED: QColor("#b03a2e"),
    JournalStatus.NO_ANSWER: QColor("#b03a2e"),
    JournalStatus.SUPERSEDED: QColor("#7f8c8d"),
    JournalStatus.PENDING: QColor("#b9770e"),
}

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_HANDLED_ROLES = frozenset({_DISPLAY, _FOREGROUND, _ALIGNMENT, Qt.ItemDataRole.ToolTipRole})
_NUMERIC_COLUMNS = frozenset(COLUMNS.index(name) for name in ("Sequence", "Code", "Latency"))
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RequestLogModel(QAbstractTableModel):
    """Rows are JournalEntry records; only pages the operator scrolls to are read from disk."""

    def __init__(self, reader: RequestJournal, parent: Any = None) -> None:
        super().__init__(parent)
        self._reader = reader
        # Oldest loaded first, so appends are cheap; display row r is _entries[-1 - r].
        self._entries: list[JournalEntry] = list(reversed(reader.recent(PAGE_SIZE)))
        self._texts: list[tuple[str, ...]] = [_row_texts(entry) for entry in self._entries]
        self._ids: list[int] = [entry.row_id for entry in self._entries]
        self._exhausted = len(self._entries) < PAGE_SIZE

    # --- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each repaint: unhandled roles leave at once, and
        # display text is formatted once per row change, not per paint.
        if role not in _HANDLED_ROLES or not index.isValid():
            return None
        position = len(self._entries) - 1 - index.row()
        if role == _DISPLAY:
            return self._texts[position][index.column()]
        entry = self._entries[position]
        if role == _FOREGROUND:
            if entry.status is JournalStatus.ANSWERED and entry.code not in (None, 0):
                return _STATUS_COLOURS[JournalStatus.FAILED]
            return _STATUS_COLOURS.get(entry.status)
        if role == _ALIGNMENT:
            return _RIGHT if index.column() in _NUMERIC_COLUMNS else None
        return _tooltip(entry)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        oldest = self._ids[0] if self._ids else None
        older = self._reader.older_than(oldest, PAGE_SIZE)
        if len(older) < PAGE_SIZE:
            self._exhausted = True
        if not older:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(older) - 1)
        chronological = list(reversed(older))
        self._entries[:0] = chronological
        self._texts[:0] = [_row_texts(entry) for entry in chronological]
        self._ids[:0] = [entry.row_id for entry in chronological]
        self.endInsertRows()

    # --- what the window uses ------------------------------------------------------------------

    def entry_at(self, row: int) -> JournalEntry:
        """The entry shown at a display row (0 = newest)."""
        return self._entries[len(self._entries) - 1 - row]

    def upsert(self, entry: JournalEntry) -> None:
        """Show a new or changed journal row; called for every write the worker makes."""
        position = bisect.bisect_left(self._ids, entry.row_id)
        if position < len(self._ids) and self._ids[position] == entry.row_id:
            self._entries[position] = entry
            self._texts[position] = _row_texts(entry)
            row = len(self._entries) - 1 - position
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        if position == 0 and self._ids and not self._exhausted:
            return  # older than every loaded row: it arrives with that page when the operator scrolls
        # Newest rows go on top (position == len); a row shown late (the worker shows a "sent…" row
        # only when the answer is slow) slots in among the newer ones already shown.
        row = len(self._entries) - position
        self.beginInsertRows(QModelIndex(), row, row)
        self._entries.insert(position, entry)
        self._texts.insert(position, _row_texts(entry))
        self._ids.insert(position, entry.row_id)
        self.endInsertRows()

    def refresh_newer(self) -> None:
        """Read rows other writers (the CLI, a session opening) added since the newest shown."""
        newest = self._ids[-1] if self._ids else 0
        while True:
            newer = self._reader.newer_than(newest, PAGE_SIZE)
            for entry in newer:
                self.upsert(entry)
            if len(newer) < PAGE_SIZE:
                return
            newest = newer[-1].row_id


def _row_texts(entry: JournalEntry) -> tuple[str, ...]:
    return tuple(_display(entry, column) for column in range(len(COLUMNS)))


def _display(entry: JournalEntry, column: int) -> str:
    name = COLUMNS[column]
    if name == "Time":
        return datetime.fromtimestamp(entry.sent_at).strftime("%H:%M:%S.%f")[:-3] if entry.sent_at else ""
    if name == "Action":
        return entry.action
    if name == "Sequence":
        return "" if entry.sequence is None else str(entry.sequence)
    if name == "Status":
        return _STATUS_WORDS[entry.status]
    if name == "Code":
        return "" if entry.code is None else str(entry.code)
    if name == "Message":
        return entry.message
    if name == "RequestId":
        return entry.request_id or ""
    return "" if entry.latency_ms is None else f"{entry.latency_ms:.1f} ms"


_STATUS_WORDS = {
    JournalStatus.PENDING: "sent…",
    JournalStatus.ANSWERED: "answered",
    JournalStatus.FAILED: "failed",
    JournalStatus.SUPERSEDED: "superseded",
    JournalStatus.NO_ANSWER: "no answer",
}


def _tooltip(entry: JournalEntry) -> str:
    when = datetime.fromtimestamp(entry.sent_at).isoformat(sep=" ", timespec="milliseconds") if entry.sent_at else "-"
    return (
        f"{entry.action} at {when}\nProfile {entry.profile}, AgentInstanceId {entry.agent_instance_id or '-'}\n"
        f"Status: {_STATUS_WORDS[entry.status]}; HTTP {entry.http_status or '-'}; "
        f"Code {entry.code if entry.code is not None else '-'}\n"
        f"{entry.message}\nRequestId: {entry.request_id or '-'} (double-click or Ctrl+C to copy)"
    )
