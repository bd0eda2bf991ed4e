"""Starts the Qt application: the operator window, or the installer smoke test."""

from __future__ import annotations

import dataclasses
import sys

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from ptt_app import __version__
from ptt_app.api.types import ApiResult
from ptt_app.diagnostics.crash_reports import CrashReport, CrashReporter
from ptt_app.gui.gc_guard import GuiThreadCollector
from ptt_app.gui.i18n import WindowTranslators, tr, translated, window_language
from ptt_app.gui.icons import app_icon
from ptt_app.gui.termination import QuitOnSignals
from ptt_app.gui.theme import ThemeWatcher
from ptt_app.gui.thread_bridge import PostBox
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.store.paths import settings_path
from ptt_app.store.settings import SettingsStore
from ptt_app.talk.intents import ListenIntent

SMOKE_TEST_TIMEOUT_MS = 20000


def make_application(language: str | None = None) -> QApplication:
    """The QApplication with the app's names (QSettings uses them), icon, language and look. The language is
    the setting's (read once here: a change in Settings applies at the next start) unless one is given."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("ptt-app")
    app.setApplicationName("ptt-app")
    # No application display name: Qt would append it to _NET_WM_NAME only, so WM_NAME (what older
    # tools and window lists read) would lack the app's name. Titles carry it themselves.
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.ptt_app.PttApp")
    app.setWindowIcon(app_icon())
    if _Looks.translators is None:
        _Looks.translators = WindowTranslators(window_language(language or _language_setting()))
        _Looks.translators.install()
    if _Looks.theme is None:
        _Looks.theme = ThemeWatcher(app)
    return app


class _Looks:
    """The application's translators and theme watcher, set up once per process."""

    translators: WindowTranslators | None = None
    theme: ThemeWatcher | None = None


def _language_setting() -> str:
    """The saved `language` setting; "system" when there is none (a broken file is reported by the session)."""
    return SettingsStore(settings_path()).load().settings.language


# CPython hands the GIL to a waiting thread only every 5 ms by default; the worker journaling a press and the
# sender sending it each wait for the GUI thread's Python work to let go. A shorter interval keeps a press's
# hand-offs short (the request is a few hundred bytes; throughput is not what this app needs).
SWITCH_INTERVAL_S = 0.0005


def prepare_threads(app: QApplication) -> GuiThreadCollector:
    """How this process runs its threads: short GIL hand-offs, cyclic GC on the GUI thread only."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    collector = GuiThreadCollector(app)
    collector.install()
    return collector


def run_window(options: ConsoleOptions, smoke_test: bool = False, startup_notice: str | None = None,
               crash_reporter: CrashReporter | None = None) -> int:
    """Open the window and run the event loop; the exit code is the app's."""
    app = make_application()
    from ptt_app.gui.main_window import MainWindow

    if smoke_test:
        options = dataclasses.replace(options, demo=True)
    prepare_threads(app)
    window = MainWindow(options)
    if _Looks.theme is not None:
        _Looks.theme.watch(window)
    if startup_notice:
        window.add_notice(translated(startup_notice))
    if crash_reporter is not None:
        _show_crashes_in(window, crash_reporter)
    window.show()
    # A logout or `kill` quits like the Quit menu: the Stop goes out first. Held here for the whole run (its sockets
    # live in the Python object).
    _quit_on_signals = QuitOnSignals(window.close, window)
    if smoke_test:
        SmokeTest(window, app)
    return app.exec()


def _show_crashes_in(window, reporter: CrashReporter) -> None:
    """An internal error (a slot that raised, a thread that died) is reported, and the window says so."""
    post_box = PostBox(window)

    def tell(report: CrashReport) -> None:
        # On the crashing thread: only queue the message; the window shows it on its own thread.
        where = (tr("report: {path}").format(path=report.path) if report.path
                 else tr("the report could not be written"))
        text = tr("Internal error in {thread}: {summary}; {where}").format(thread=report.thread_name,
                                                                          summary=report.summary, where=where)
        post_box.post(lambda: window.show_message(text, error=True))

    reporter.on_crash = tell


class SmokeTest(QObject):
    """One press and release through the real window on the demo; prints both results, exits 0 or 1."""

    def __init__(self, window, app: QApplication) -> None:
        super().__init__(window)
        self._window = window
        self._app = app
        # An installer check must not leave its (offscreen) window size behind for the operator.
        window.remember_geometry = False
        # Bound slots of this GUI-thread object, so the worker's signals arrive queued on this thread.
        window.worker.session_ready.connect(self._on_ready)
        window.worker.session_failed.connect(self._on_failed)
        window.listen_result_shown.connect(self._on_result)
        QTimer.singleShot(SMOKE_TEST_TIMEOUT_MS, self._on_timeout)
        self._done = False
        # Quit on our own exit code, not on the last window closing.
        app.setQuitOnLastWindowClosed(False)

    @Slot(object)
    def _on_ready(self, _info: object) -> None:
        # The menu words show which language the installed window came up in (the translation is bundled).
        menus = " ".join(action.text() for action in self._window.menuBar().actions())
        print(f"window: {self._window.windowTitle()} | menus: {menus}", flush=True)
        self._window.press("smoke test")

    @Slot(object, str, bool)
    def _on_failed(self, _kind: object, message: str, _nothing_configured: bool) -> None:
        self._finish(f"session failed: {message}")

    @Slot()
    def _on_timeout(self) -> None:
        self._finish("timed out waiting for the simulator")

    @Slot(object, object)
    def _on_result(self, intent: ListenIntent, result: ApiResult) -> None:
        print(result.summary(), flush=True)
        if not result.ok:
            self._finish(f"{result.action} failed: {result.explanation()}")
        elif not intent.is_stop:
            self._window.release("smoke test")
        else:
            self._finish(None)

    def _finish(self, failure: str | None) -> None:
        if self._done:
            return
        self._done = True
        if failure:
            print(f"ptt-app: smoke test failed: {failure}", file=sys.stderr, flush=True)
        code = 1 if failure else 0
        self._exit_code = code
        self._window.worker.drained.connect(self._exit)
        self._window.close()

    @Slot()
    def _exit(self) -> None:
        self._app.exit(self._exit_code)
