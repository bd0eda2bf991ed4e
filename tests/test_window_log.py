"""The request log in the real window (pytest-qt, offscreen) against the real simulator: columns that fit,
no sideways jump, the context menu, filters, failed rows that stand out without colour, superseded rows'
times, and background reads kept out of the way."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QRegion
from PySide6.QtWidgets import QApplication
from test_journal import fill_journal

from ptt_app.gui.log_view import ROW_HEIGHT
from ptt_app.gui.request_log_model import COLUMNS, ENTRY_ROLE, MESSAGE_COLUMN, REQUEST_ID_COLUMN, STATUS_COLUMN, RowKind
from ptt_app.gui.theme import Theme
from ptt_app.sim import Fault, FaultKind
from ptt_app.store.journal import JournalStatus, RequestJournal
from ptt_app.store.paths import journal_path
from ptt_app.talk.intents import TalkState

START, STOP = "StartListening", "StopListening"


def rows(window) -> list:
    model = window.log_model
    return [model.entry_at(row) for row in range(model.rowCount())]


def row_of(window, action: str) -> int:
    """The newest display row of an action."""
    return next(row for row, entry in enumerate(rows(window)) if entry.action == action)


def talk_once(qtbot, window) -> None:
    window.press("test")
    window.release("test")
    qtbot.waitUntil(lambda: window.talk.controller.state is TalkState.IDLE, timeout=3000)
    qtbot.waitUntil(lambda: all(e.status is not JournalStatus.PENDING for e in rows(window)), timeout=3000)


def cell_rect(window, row: int, column: int):
    return window.log_view.visualRect(window.log_model.index(row, column))


def menu_action(menu, text: str):
    return next(action for action in menu.actions() if action.text() == text)


@pytest.mark.parametrize(("panel_open", "in_view", "message_px"),
                         [(False, ("Time", "Action", "Status", "Code", "Round", "RequestId"), 250),
                          (True, ("Time", "Action", "Status", "Code", "Round"), 200)],
                         ids=["without the instance panel", "with the instance panel"])
def test_at_the_default_size_the_columns_that_matter_and_the_message_are_in_view(qtbot, open_window, panel_open, in_view,
                                                                                 message_px) -> None:
    window = open_window()
    window.remember_geometry = False
    window.instance_dock.setVisible(panel_open)
    window.resize(1060, 700)
    talk_once(qtbot, window)
    viewport = window.log_view.viewport().rect()
    row = row_of(window, STOP)
    for name in in_view:
        assert viewport.contains(cell_rect(window, row, COLUMNS.index(name))), f"{name} is not wholly in view"
    message = cell_rect(window, row, MESSAGE_COLUMN).intersected(viewport)
    assert message.width() >= message_px, "Message is mostly out of view"


def test_every_fixed_column_shows_its_widest_text_whole(qtbot, open_window, simulator) -> None:
    window = open_window()
    talk_once(qtbot, window)
    metrics = window.log_view.fontMetrics()
    for row in range(window.log_model.rowCount()):
        for column, name in enumerate(COLUMNS):
            if column == MESSAGE_COLUMN:
                continue
            needed = metrics.horizontalAdvance(window.log_model.text_at(row, column))
            if column == STATUS_COLUMN:
                needed += 22  # its icon
            assert needed < window.log_view.columnWidth(column), f"{name} cut in row {row}"
    longest_action = max(("CreateAgentInstance", "QueryAgentInstanceStatus", "GetAgentInstanceMsgList"), key=len)
    assert metrics.horizontalAdvance(longest_action) < window.log_view.columnWidth(COLUMNS.index("Action"))


def test_clicking_a_request_id_copies_it_without_sliding_the_table_sideways(qtbot, open_window) -> None:
    window = open_window()
    window.remember_geometry = False
    window.instance_dock.hide()
    window.resize(1060, 700)
    talk_once(qtbot, window)
    QGuiApplication.clipboard().clear()
    bar = window.log_view.horizontalScrollBar()
    assert bar.value() == 0
    stop_id = rows(window)[row_of(window, STOP)].request_id
    clicked = []
    for column in (REQUEST_ID_COLUMN, MESSAGE_COLUMN, COLUMNS.index("Sequence")):
        # Looked up right before the click: background reads may have added rows above it meanwhile.
        row = next(r for r, entry in enumerate(rows(window)) if entry.request_id == stop_id)
        rect = cell_rect(window, row, column).intersected(window.log_view.viewport().rect())
        if rect.isEmpty():
            continue  # out of view at this size: nothing to click
        qtbot.mouseClick(window.log_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        clicked.append(COLUMNS[column])
        assert bar.value() == 0, f"clicking {COLUMNS[column]} scrolled the table sideways"
    assert clicked[:2] == ["RequestId", "Message"]
    assert QGuiApplication.clipboard().text() == stop_id


def test_the_context_menu_copies_the_request_id_the_row_and_the_row_as_json(qtbot, open_window) -> None:
    window = open_window()
    talk_once(qtbot, window)
    row = row_of(window, STOP)
    entry = rows(window)[row]
    menu = window.log_view.context_menu_for(row)
    menu_action(menu, "Copy RequestId").trigger()
    assert QGuiApplication.clipboard().text() == entry.request_id
    menu_action(menu, "Copy row").trigger()
    header, line = QGuiApplication.clipboard().text().split("\n")
    assert header.split("\t") == list(COLUMNS)
    assert dict(zip(COLUMNS, line.split("\t"), strict=True))["RequestId"] == entry.request_id
    menu_action(menu, "Copy row as JSON").trigger()
    copied = json.loads(QGuiApplication.clipboard().text())
    assert copied["request_id"] == entry.request_id and copied["action"] == STOP
    assert entry.round is not None and copied["round"] == entry.round and copied["status_shown"] == "OK"
    assert window.shown_message() == "Copied the row as JSON."


def test_a_right_click_opens_the_menu_on_that_row(qtbot, open_window) -> None:
    window = open_window()
    talk_once(qtbot, window)
    menu = window.log_view.show_context_menu_at(row_of(window, START))
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    assert menu_action(menu, f"Show only {START} rows").isEnabled()
    selected = window.log_view.selectionModel().selectedRows()
    assert [rows(window)[index.row()].action for index in selected] == [START]
    menu.close()


def test_filtering_by_action_and_by_status_and_back_to_all(qtbot, open_window, simulator) -> None:
    window = open_window()
    simulator.add_fault(Fault(FaultKind.FORCED_CODE, action=START, code=410001044, times=1))
    talk_once(qtbot, window)
    talk_once(qtbot, window)
    view = window.log_view
    menu_action(view.context_menu_for(row_of(window, STOP)), f"Show only {STOP} rows").trigger()
    assert {rows(window)[r].action for r in view.visible_rows()} == {STOP}
    assert window.filter_bar.isVisible() and window.filter_label.text() == f"Only {STOP}"
    assert window.filter_label.toolTip() == f"Showing only rows with action {STOP}."
    window.show_all_button.click()
    failed_start = next(r for r, e in enumerate(rows(window)) if e.action == START and e.code == 410001044)
    menu_action(view.context_menu_for(failed_start), "Show only “Error” rows").trigger()
    assert [rows(window)[r].code for r in view.visible_rows()] == [410001044]
    menu_action(view.context_menu_for(failed_start), "Show all rows").trigger()
    assert not window.filter_bar.isVisible()
    assert {rows(window)[r].action for r in view.visible_rows()} >= {START, STOP}


def test_rows_arriving_while_filtered_follow_the_filter(qtbot, open_window) -> None:
    window = open_window()
    talk_once(qtbot, window)
    menu_action(window.log_view.context_menu_for(row_of(window, START)), f"Show only {START} rows").trigger()
    talk_once(qtbot, window)
    shown = [rows(window)[r] for r in window.log_view.visible_rows()]
    assert len(shown) == 2 and {e.action for e in shown} == {START}


def test_routine_status_reads_are_hidden_unless_asked_for_and_failed_ones_always_show(qtbot, open_window, simulator) -> None:
    window = open_window()
    talk_once(qtbot, window)
    qtbot.waitUntil(lambda: any(e.action == "QueryAgentInstanceStatus" for e in rows(window)), timeout=3000)
    shown = {rows(window)[r].action for r in window.log_view.visible_rows()}
    assert "QueryAgentInstanceStatus" not in shown and "GetAgentInstanceMsgList" not in shown
    window.routine_reads_action.trigger()
    shown = {rows(window)[r].action for r in window.log_view.visible_rows()}
    assert "QueryAgentInstanceStatus" in shown
    window.routine_reads_action.trigger()
    simulator.add_fault(Fault(FaultKind.FORCED_CODE, action="QueryAgentInstanceStatus", code=410000001, times=1))
    window.press("test")  # a press brings the next poll forward
    window.release("test")
    qtbot.waitUntil(lambda: any(e.action == "QueryAgentInstanceStatus" and e.code == 410000001 for e in rows(window)),
                    timeout=3000)
    failed = next(r for r, e in enumerate(rows(window)) if e.code == 410000001)
    assert not window.log_view.isRowHidden(failed)


def test_failed_rows_stand_out_by_icon_and_word_not_colour_alone(qtbot, open_window, simulator) -> None:
    window = open_window()
    simulator.add_fault(Fault(FaultKind.FORCED_CODE, action=START, code=410001044, times=1))
    talk_once(qtbot, window)
    model = window.log_model
    failed, fine = row_of(window, START), row_of(window, STOP)
    assert model.text_at(failed, STATUS_COLUMN) == "Error" and model.text_at(fine, STATUS_COLUMN) == "OK"
    failed_icon = model.data(model.index(failed, STATUS_COLUMN), Qt.ItemDataRole.DecorationRole)
    fine_icon = model.data(model.index(fine, STATUS_COLUMN), Qt.ItemDataRole.DecorationRole)
    as_gray = [icon.pixmap(16, 16).toImage().convertToFormat(icon.pixmap(16, 16).toImage().Format.Format_Grayscale8)
               for icon in (failed_icon, fine_icon)]
    assert as_gray[0] != as_gray[1], "the two icons differ only by colour"
    assert model.data(model.index(failed, STATUS_COLUMN), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(failed, STATUS_COLUMN), ENTRY_ROLE).code == 410001044
    assert RowKind.ERROR.failed and not RowKind.IGNORED.failed


def test_superseded_rows_show_the_time_the_operator_acted(qtbot, open_window, simulator) -> None:
    window = open_window(max_in_flight=1)
    simulator.add_fault(Fault(FaultKind.STALL, action=START, seconds=1.0, times=1))
    acted = time.time()
    for _ in range(3):
        window.press("test")
        window.release("test")
    qtbot.waitUntil(lambda: sum(e.status is JournalStatus.SUPERSEDED for e in rows(window)) == 4, timeout=5000)
    model = window.log_model
    for row, entry in enumerate(rows(window)):
        if entry.status is JournalStatus.SUPERSEDED:
            assert entry.sent_at is not None and abs(entry.sent_at - acted) < 1.0
            assert model.text_at(row, 0) != "" and model.text_at(row, STATUS_COLUMN) == "Superseded"
            tip = model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
            assert f"{entry.action} acted at" in tip


def test_the_log_keeps_following_the_newest_row_while_routine_rows_are_hidden(qtbot, open_window) -> None:
    window = open_window()
    talk_once(qtbot, window)
    qtbot.waitUntil(lambda: any(e.action == "QueryAgentInstanceStatus" for e in rows(window)), timeout=3000)
    talk_once(qtbot, window)
    view = window.log_view
    top = view.rowAt(0)
    assert view.verticalScrollBar().value() == 0
    assert rows(window)[top].action == STOP and top == view.visible_rows()[0]
    assert view.indexAt(QPoint(2, 2)).row() == top


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK, Theme.HIGH_CONTRAST], ids=lambda theme: theme.value)
def test_a_scroll_step_repaints_only_the_rows_it_brings_into_view(qtbot, open_window, themes, theme) -> None:
    # A 5,000-row log scrolls all day: moving the pixels and painting three new rows, not every visible cell.
    # Each theme's style sheet gives the table a frame, which is what used to make Qt repaint it all.
    themes.apply(theme)
    RequestJournal(journal_path()).close()
    fill_journal(journal_path(), 300)
    window = open_window()
    window.resize(1060, 700)
    view, scrollbar = window.log_view, window.log_view.verticalScrollBar()
    qtbot.waitUntil(lambda: scrollbar.maximum() > 20, timeout=3000)
    painted = PaintedRegions(view.viewport())
    heights = []
    for _ in range(3):
        QApplication.processEvents()
        painted.regions.clear()
        scrollbar.setValue(scrollbar.value() + 3)
        qtbot.waitUntil(lambda: bool(painted.regions), timeout=2000)
        heights.append(max(region.boundingRect().height() for region in painted.regions))
    assert min(heights) <= 3 * ROW_HEIGHT + 2 < view.viewport().height() // 2, heights


class PaintedRegions(QObject):
    """The regions of the paint events a widget gets."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.regions: list = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(event.region()))
        return False
