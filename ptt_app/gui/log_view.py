"""The request log table: keeps the rows in sight while the window of rows moves, copies RequestIds."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ptt_app.gui.request_log_model import REQUEST_ID_COLUMN, RequestLogModel

ROW_HEIGHT = 22


class RequestLogView(QTableView):
    """A table over RequestLogModel; one click on a RequestId (or a double-click on a row) copies it."""

    copied = Signal(str)
    nothing_to_copy = Signal()

    def __init__(self, model: RequestLogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._log_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Scroll by rows, so keeping rows in sight after an insert above is a whole-row adjustment.
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        # Fixed row heights keep scrolling a 100k-row log cheap: Qt never measures rows.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((95, 120, 115, 85, 85, 75, 310, 200)):
            self.setColumnWidth(column, width)
        self.setToolTip("Click a RequestId (or double-click any cell of a row) to copy it")
        self.clicked.connect(self._on_clicked)
        self.doubleClicked.connect(lambda index: self.copy_request_id(index.row()))
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        model.shifted_above.connect(self._keep_rows_in_sight)

    def copy_request_id(self, row: int) -> str | None:
        """Copy the RequestId of a display row to the clipboard."""
        if not 0 <= row < self._log_model.rowCount():
            return None
        request_id = self._log_model.entry_at(row).request_id
        if not request_id:
            self.nothing_to_copy.emit()
            return None
        QGuiApplication.clipboard().setText(request_id)
        self.copied.emit(request_id)
        return request_id

    def copy_selected_request_id(self) -> None:
        """Copy the selected row's RequestId (Ctrl+C)."""
        rows = self.selectionModel().selectedRows(REQUEST_ID_COLUMN)
        if rows:
            self.copy_request_id(rows[0].row())

    def _on_clicked(self, index: QModelIndex) -> None:
        # One click on the RequestId itself copies it: that is what support asks for.
        if index.column() == REQUEST_ID_COLUMN:
            self.copy_request_id(index.row())

    def _on_scrolled(self, value: int) -> None:
        self._log_model.set_top_visible_row(value)
        if value == 0 and self._log_model.can_fetch_newer():
            self._log_model.fetch_newer()

    def _keep_rows_in_sight(self, rows: int) -> None:
        self.updateGeometries()  # the scroll range must include the new rows before moving within it
        bar = self.verticalScrollBar()
        bar.setValue(max(0, bar.value() + rows))
