"""The request log table: columns that fit their content, rows kept in sight while the window of rows moves,
a context menu (copy, filter), and a filter that hides rows without touching the model's paging."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from ptt_app.api import types
from ptt_app.gui.i18n import tr
from ptt_app.gui.request_log_model import (
    ACTION_COLUMN,
    COLUMNS,
    MESSAGE_COLUMN,
    REQUEST_ID_COLUMN,
    STATUS_COLUMN,
    RequestLogModel,
    is_routine_read,
    row_kind,
    status_words,
)
from ptt_app.store.journal import JournalEntry

ROW_HEIGHT = 22


def _widest() -> dict[str, list[str]]:
    """The widest text each fixed column has to show whole (RequestIds and Sequences are int64 numbers)."""
    return {
        "Time": ["00:00:00.000"],
        "Action": [value for name, value in vars(types).items() if name.isupper() and isinstance(value, str)
                   and value[:1].isupper() and value.isalpha()],
        "Status": status_words(),
        "Code": ["410001046"],
        "Round": ["8888"],
        "Latency": ["9999.9 ms"],
        "Sequence": ["8888888888888"],
        "RequestId": ["8888888888888888888"],
    }


# Cell padding on both sides, and the Status column's icon beside its word.
_PADDING_PX = 16
_ICON_PX = 22
# Message never gets narrower than this: past it, the columns after it (Latency, Sequence) scroll sideways.
MESSAGE_MIN_PX = 280
_ENSURE_VISIBLE = QAbstractItemView.ScrollHint.EnsureVisible


@dataclass(frozen=True)
class LogFilter:
    """Which rows the log shows; by default every row but routine background reads."""

    action: str | None = None
    status: str | None = None
    hide_routine_reads: bool = True

    def accepts(self, entry: JournalEntry) -> bool:
        """True when the row is shown."""
        if self.action is not None and entry.action != self.action:
            return False
        if self.status is not None and row_kind(entry).word != self.status:
            return False
        return not (self.hide_routine_reads and self.action is None and is_routine_read(entry))

    @property
    def narrowed(self) -> bool:
        """True when only one action or status is shown."""
        return self.action is not None or self.status is not None

    def short_description(self) -> str:
        """The filter in a few words, for the tab bar's corner."""
        if not self.narrowed:
            return ""
        shown = " · ".join(part for part in (self.action, tr(self.status) if self.status else None) if part)
        return tr("Only {rows}").format(rows=shown)

    def describe(self) -> str:
        """What is shown, in one sentence."""
        if self.action and self.status:
            return tr("Showing only rows with action {action} and status {status}.").format(action=self.action,
                                                                                            status=tr(self.status))
        if self.action:
            return tr("Showing only rows with action {action}.").format(action=self.action)
        if self.status:
            return tr("Showing only rows with status {status}.").format(status=tr(self.status))
        return tr("Showing every row.")


class RequestLogView(QTableView):
    """A table over RequestLogModel; one click on a RequestId (or a double-click on a row) copies it."""

    notice = Signal(str)
    filter_changed = Signal(object)

    def __init__(self, model: RequestLogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._log_model = model
        self.log_filter = LogFilter()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Scroll by rows, so keeping rows in sight after an insert above is a whole-row adjustment.
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        # Fixed row heights keep scrolling a 100k-row log cheap: Qt never measures rows.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self._size_columns()
        self.setToolTip(tr("Click a RequestId to copy it; right-click a row for more"))
        self.setAccessibleName(tr("Request log"))
        self.setAccessibleDescription(tr("Every request the app sent, newest first. Click a RequestId to copy it; "
                                         "the context menu key opens a row's menu."))
        model.use_palette(self.palette())
        self.clicked.connect(self._on_clicked)
        self.doubleClicked.connect(lambda index: self.copy_request_id(index.row()))
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        model.shifted_above.connect(self._keep_rows_in_sight)
        model.rowsInserted.connect(self._filter_inserted)
        model.dataChanged.connect(self._filter_changed_rows)

    # --- columns ------------------------------------------------------------------------------

    def _size_columns(self) -> None:
        """Every column as wide as the widest text it can show; Message takes what is left."""
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        metrics = self.fontMetrics()
        header_metrics = header.fontMetrics()
        widest_texts = _widest()
        for column, name in enumerate(COLUMNS):
            if column == MESSAGE_COLUMN:
                continue
            widest = max([metrics.horizontalAdvance(text) for text in widest_texts[name]]
                         + [header_metrics.horizontalAdvance(tr(name))])
            extra = _ICON_PX if column == STATUS_COLUMN else 0
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, widest + extra + _PADDING_PX)
        header.setSectionResizeMode(MESSAGE_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.sectionResized.connect(self._on_section_resized)
        self._fit_message_column()

    def fixed_columns_width(self) -> int:
        """The width every column but Message needs."""
        return sum(self.columnWidth(column) for column in range(len(COLUMNS)) if column != MESSAGE_COLUMN)

    def _fit_message_column(self) -> None:
        """Message takes the width left of the viewport once the columns before it and as many of the columns
        after it as fit (RequestId first) are in view, but at least MESSAGE_MIN_PX; the rest scroll sideways."""
        left = sum(self.columnWidth(column) for column in range(MESSAGE_COLUMN))
        room = self.viewport().width() - left
        width = max(MESSAGE_MIN_PX, room)
        shown_after = 0
        for column in range(MESSAGE_COLUMN + 1, len(COLUMNS)):
            shown_after += self.columnWidth(column)
            if room - shown_after < MESSAGE_MIN_PX:
                break
            width = room - shown_after
        if width != self.columnWidth(MESSAGE_COLUMN):
            self.setColumnWidth(MESSAGE_COLUMN, width)

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != MESSAGE_COLUMN:
            self._fit_message_column()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._log_model.use_palette(self.palette())
        elif event.type() == QEvent.Type.StyleChange:
            self._keep_viewport_opaque()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # the first show polishes the view: the style sheet has had its say
        self._keep_viewport_opaque()

    def _keep_viewport_opaque(self) -> None:
        # A style sheet rule with a border for QTableView (the focus frame) makes Qt stop filling the viewport,
        # which is then not opaque: every scroll step repaints every visible cell instead of moving the pixels
        # and painting only the rows scrolled into view. The sheet sets no background here, so the palette's
        # Base fill looks the same.
        if not self.viewport().autoFillBackground():
            self.viewport().setAutoFillBackground(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_message_column()

    def _grow_to_fit(self, first: int, last: int) -> None:
        # An Action or id longer than any known one (a newer API) widens its column rather than being cut.
        metrics = self.fontMetrics()
        for column in (ACTION_COLUMN, REQUEST_ID_COLUMN, COLUMNS.index("Sequence")):
            needed = max((metrics.horizontalAdvance(self._log_model.text_at(row, column)) + _PADDING_PX
                          for row in range(first, last + 1)), default=0)
            if needed > self.columnWidth(column):
                self.setColumnWidth(column, needed)

    def scrollTo(self, index: QModelIndex, hint: QAbstractItemView.ScrollHint = _ENSURE_VISIBLE) -> None:
        # Clicking a cell must not slide Time and Action out of view to show the whole cell.
        keep = self.horizontalScrollBar().value()
        super().scrollTo(index, hint)
        self.horizontalScrollBar().setValue(keep)

    # --- copying ------------------------------------------------------------------------------

    def copy_request_id(self, row: int) -> str | None:
        """Copy the RequestId of a display row to the clipboard."""
        if not 0 <= row < self._log_model.rowCount():
            return None
        request_id = self._log_model.entry_at(row).request_id
        if not request_id:
            self.notice.emit(tr("That row has no RequestId: the server did not answer it."))
            return None
        QGuiApplication.clipboard().setText(request_id)
        self.notice.emit(tr("Copied RequestId {request_id}.").format(request_id=request_id))
        return request_id

    def copy_selected_request_id(self) -> None:
        """Copy the selected row's RequestId (Ctrl+C)."""
        rows = self.selectionModel().selectedRows(REQUEST_ID_COLUMN)
        if rows:
            self.copy_request_id(rows[0].row())

    def copy_row(self, row: int) -> str:
        """Copy a row as the table shows it, one tab-separated line with a header line above."""
        model = self._log_model
        header = "\t".join(tr(name) for name in COLUMNS)
        text = header + "\n" + "\t".join(model.text_at(row, column) for column in range(len(COLUMNS)))
        QGuiApplication.clipboard().setText(text)
        self.notice.emit(tr("Copied the row."))
        return text

    def copy_row_as_json(self, row: int) -> str:
        """Copy a row as a JSON object with the journal's fields (Round included)."""
        values = self._log_model.entry_at(row).as_dict()
        values["status_shown"] = row_kind(self._log_model.entry_at(row)).word
        text = json.dumps(values, ensure_ascii=False)
        QGuiApplication.clipboard().setText(text)
        self.notice.emit(tr("Copied the row as JSON."))
        return text

    def _on_clicked(self, index: QModelIndex) -> None:
        # One click on the RequestId itself copies it: that is what support asks for.
        if index.column() == REQUEST_ID_COLUMN:
            self.copy_request_id(index.row())

    # --- context menu -------------------------------------------------------------------------

    def context_menu_for(self, row: int) -> QMenu:
        """The menu a right-click on a display row opens (built fresh each time)."""
        entry = self._log_model.entry_at(row)
        word = row_kind(entry).word
        menu = QMenu(self)
        copy_id = menu.addAction(tr("Copy RequestId"), lambda: self.copy_request_id(row))
        copy_id.setEnabled(bool(entry.request_id))
        menu.addAction(tr("Copy row"), lambda: self.copy_row(row))
        menu.addAction(tr("Copy row as JSON"), lambda: self.copy_row_as_json(row))
        menu.addSeparator()
        menu.addAction(tr("Show only {action} rows").format(action=entry.action),
                       lambda: self.set_filter(replace(self.log_filter, action=entry.action)))
        menu.addAction(tr("Show only “{status}” rows").format(status=tr(word)),
                       lambda: self.set_filter(replace(self.log_filter, status=word)))
        show_all = menu.addAction(tr("Show all rows"), self.clear_filter)
        show_all.setEnabled(self.log_filter.narrowed)
        menu.addSeparator()
        menu.addAction(self.routine_reads_action())
        return menu

    def routine_reads_action(self) -> QAction:
        """A checkable action: hide the background status and transcript reads that went well."""
        action = QAction(tr("Hide routine status and transcript reads"), self)
        action.setCheckable(True)
        action.setChecked(self.log_filter.hide_routine_reads)
        action.toggled.connect(lambda hide: self.set_filter(replace(self.log_filter, hide_routine_reads=hide)))
        return action

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            # The Menu key or Shift+F10: the menu of the row the keyboard is on, beside it.
            current = self.currentIndex()
            if current.isValid():
                self.show_context_menu_at(current.row())
            return
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        self.selectRow(index.row())
        self.context_menu_for(index.row()).popup(event.globalPos())

    def show_context_menu_at(self, row: int) -> QMenu:
        """Open the row's context menu beside its Status cell (what a right-click does); the menu shown."""
        rect = self.visualRect(self._log_model.index(row, STATUS_COLUMN))
        menu = self.context_menu_for(row)
        self.selectRow(row)
        menu.popup(self.viewport().mapToGlobal(QPoint(rect.center().x(), rect.bottom())))
        return menu

    # --- filtering ----------------------------------------------------------------------------

    def set_filter(self, log_filter: LogFilter) -> None:
        """Show only the rows the filter accepts (the model keeps paging as before)."""
        self.log_filter = log_filter
        self._apply_filter(0, self._log_model.rowCount() - 1)
        self.filter_changed.emit(log_filter)

    def clear_filter(self) -> None:
        """Show every row again (routine reads stay as the operator chose)."""
        self.set_filter(LogFilter(hide_routine_reads=self.log_filter.hide_routine_reads))

    def visible_rows(self) -> list[int]:
        """The display rows the filter shows."""
        return [row for row in range(self._log_model.rowCount()) if not self.isRowHidden(row)]

    def _apply_filter(self, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.setRowHidden(row, not self.log_filter.accepts(self._log_model.entry_at(row)))

    def _filter_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._apply_filter(first, last)
        self._grow_to_fit(first, last)

    def _filter_changed_rows(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        self._apply_filter(top_left.row(), bottom_right.row())

    # --- keeping rows in sight ----------------------------------------------------------------

    def _on_scrolled(self, value: int) -> None:
        # The model counts display rows; with rows filtered out, the scroll position is not one.
        top = 0 if value == 0 else max(0, self.rowAt(0))
        self._log_model.set_top_visible_row(top)
        # Newer rows page back where they go: at the top, or below rows kept in memory on a full disk.
        if self._log_model.can_fetch_newer() and top <= self._log_model.newer_rows_go_at():
            self._log_model.fetch_newer()

    def _keep_rows_in_sight(self, rows: int) -> None:
        self.updateGeometries()  # the scroll range must include the new rows before moving within it
        top = self._log_model.top_visible_row()
        if 0 <= top < self._log_model.rowCount():
            self.scrollTo(self._log_model.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
