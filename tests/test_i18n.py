"""The window in Simplified Chinese: the language it picks, a catalogue that is complete and compiled, sentences
from the Qt-free modules translated with their values kept, and no English left in any widget, menu or dialog."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

from ptt_app.api.types import ApiResult, Outcome
from ptt_app.gui.i18n import ENGLISH, SIMPLIFIED_CHINESE, WindowTranslators, translated, window_language
from ptt_app.store.credentials import (
    InvalidCredential,
    KeyringCredentialStore,
    check_server_secret,
    parse_app_id,
)
from ptt_app.store.settings import AppSettings
from ptt_app.talk.advice import TalkContext, advise

ROOT = Path(__file__).resolve().parent.parent
# Latin words that stay Latin in a Chinese technical UI: API and product names, field names of the API, key
# names, units, file formats, libraries, desktops, and the English language's own name in the language list.
ALLOWED_WORDS = frozenset("""
    ZEGOCLOUD AppId ServerSecret AgentInstanceId RequestId Sequence Round Code Message Data AgentId UserId RoomId
    InterruptMode ConfigId DigitalHumanId MaxIdleTime ApiKey Url LLM TTS RTC HTTP API AI Agent JSON CSV URL ID
    StartListening StopListening CreateAgentInstance QueryAgentInstanceStatus DeleteAgentInstance
    InterruptAgentInstance SendAgentInstanceTTS SendAgentInstanceLLM GetAgentInstanceMsgList AdvancedConfig
    CommunicationMode Signature SignatureNonce SignatureVersion Timestamp Action Host App PTT
    Space Ctrl Shift Alt Super Tab Enter Esc Return Backspace Insert Home End PgUp PgDown Pause ScrollLock
    CapsLock Menu F F13 Mouse Ins Del
    ms s Qt PySide Python LGPL requests keyring Linux English X11 xev xmodmap GNOME KDE Plasma Hyprland
    Secret Service KWallet gnome D-Bus xdg-desktop-portal GlobalShortcuts pynput macOS Windows libpulse-simple
    ptt-app zego_test https http SecretService Status Window WAYLAND_DISPLAY DISPLAY
""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
_URL_OR_PATH = re.compile(r"\w+://\S+|(?<![\w])/[^\s，。：；）)]+")
_TAG = re.compile(r"<[^>]+>")


def english_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The words of a visible text that are English: everything Latin that is not an allowed name, an
    identifier (camelCase, snake_case, CAPITALS), a number, a URL, a path or one of the test's own data values."""
    text = _TAG.sub(" ", text).replace("&", "")
    for value in sorted(data, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    text = _URL_OR_PATH.sub(" ", text)
    found = []
    for word in _WORD.findall(text):
        bare = word.strip("'-")
        if (not bare or bare in ALLOWED_WORDS or bare.isupper() or "_" in bare or any(c.isdigit() for c in bare)
                or re.search(r"[a-z][A-Z]", bare) or len(bare) == 1):
            continue
        found.append(word)
    return found


def visible_texts(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a widget and its children show or say to a screen reader."""
    found: list[tuple[str, str]] = []
    for item in [widget, *widget.findChildren(QWidget)]:
        name = f"{type(item).__name__}#{item.objectName()}"
        texts = [item.toolTip(), item.accessibleName(), item.accessibleDescription(), item.windowTitle()
                 if item.isWindow() else ""]
        if isinstance(item, (QLabel, QAbstractButton, QLineEdit)):
            texts.append(item.text())
        if isinstance(item, (QLineEdit, QPlainTextEdit, QTextBrowser)):
            texts.append(item.placeholderText())
        if isinstance(item, QComboBox) and not item.isEditable():
            texts += [item.itemText(index) for index in range(item.count())]
        if isinstance(item, QTabWidget):
            texts += [item.tabText(index) for index in range(item.count())]
            texts += [item.tabToolTip(index) for index in range(item.count())]
        if isinstance(item, QMenu):
            texts += menu_texts(item)
        header = getattr(item, "horizontalHeader", None)
        if callable(header) and item.model() is not None:
            model = item.model()
            texts += [str(model.headerData(column, Qt.Orientation.Horizontal)) for column in range(model.columnCount())]
        found += [(name, text) for text in texts if text]
    return found


def menu_texts(menu: QMenu) -> list[str]:
    """Every entry of a menu and its submenus: text and tooltip."""
    texts = [menu.title()]
    for action in menu.actions():
        texts += [action.text(), action.toolTip()]
        if action.menu() is not None:
            texts += menu_texts(action.menu())
    return texts


def untranslated(pairs: list[tuple[str, str]], data: tuple[str, ...] = ()) -> list[str]:
    """The texts that still contain English words, with where they are."""
    return [f"{where}: {text!r} ({', '.join(words)})" for where, text in pairs if (words := english_words(text, data))]


@pytest.fixture
def chinese(qapp) -> Iterator[WindowTranslators]:
    """The zh_CN translators installed for one test (the window's widgets read them as they are built)."""
    translators = WindowTranslators(SIMPLIFIED_CHINESE)
    assert translators.install(), "resources/translations/ptt_app_zh_CN.qm is missing"
    yield translators
    translators.remove()


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps entries in memory: the real credential store's words without a desktop keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


# --- the language ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "system", "expected"), [
    ("system", "zh_CN", SIMPLIFIED_CHINESE),
    ("system", "zh_SG", SIMPLIFIED_CHINESE),
    ("system", "zh_TW", ENGLISH),
    ("system", "de_DE", ENGLISH),
    ("zh_CN", "en_US", SIMPLIFIED_CHINESE),
    ("en", "zh_CN", ENGLISH),
])
def test_the_window_language_follows_the_system_locale_unless_settings_choose_one(setting, system, expected):
    assert window_language(setting, QLocale(system)) == expected


def test_the_catalogue_is_complete_and_its_compiled_copy_is_up_to_date():
    check = subprocess.run([sys.executable, str(ROOT / "packaging" / "update_translations.py"), "--check"],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stderr


def test_qt_s_own_words_are_translated_too(chinese):
    assert chinese.qt_catalogue_loaded
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert [button.text() for button in box.buttons()] and not untranslated(
        [("button", button.text()) for button in box.buttons()])


# --- sentences from the Qt-free modules -------------------------------------------------------------------


def test_a_documented_code_is_explained_in_chinese_with_the_server_s_message_verbatim(chinese):
    result = ApiResult("StartListening", 7, 0.0, 12.0, Outcome.API_ERROR, 200, 410001046, "user not publishing", "rid-1")
    text = translated(result.explanation())
    assert text.startswith("Code 410001046：user not publishing（") and "推送" in text
    assert english_words(text, ("user not publishing",)) == []


def test_advice_keeps_the_operator_s_names(chinese):
    result = ApiResult("StartListening", 7, 0.0, 12.0, Outcome.API_ERROR, 200, 410001046, "x", "rid-1")
    advice = advise(result, TalkContext("inst-9", "alice", "room-3"))
    assert advice is not None
    text = translated(advice.text)
    assert "alice" in text and "room-3" in text and english_words(text, ("alice", "room-3")) == []


def test_the_credential_store_s_sentences_are_translated_as_it_words_them(chinese):
    store = KeyringCredentialStore(MemoryKeyring())
    problems = []
    for attempt in (lambda: store.load("night-shift"), lambda: parse_app_id(""), lambda: parse_app_id("12ab"),
                    lambda: parse_app_id("99999999999"), lambda: check_server_secret("a b"),
                    lambda: check_server_secret("abc"), lambda: check_server_secret("!" * 32)):
        with pytest.raises(Exception) as raised:
            attempt()
        error = raised.value
        problems.append(error.problem if isinstance(error, InvalidCredential) else str(error.args[0]))
    shown = [(problem, translated(problem)) for problem in problems]
    assert not untranslated([(english, chinese_text) for english, chinese_text in shown], ("night-shift", "12ab", "a b"))


def test_a_sentence_no_template_covers_keeps_its_english_rather_than_being_mangled(chinese):
    assert translated("The operator typed this themselves.") == "The operator typed this themselves."


# --- the whole window ---------------------------------------------------------------------------------------


def test_every_widget_menu_and_dialog_of_the_window_is_in_chinese(chinese, qtbot, open_window, instance_id):
    from ptt_app.gui.settings_dialog import SettingsDialog, ask_first_run

    window = open_window()
    data = (instance_id, "default", "test-user", "test", "test-agent")
    seen: list[tuple[str, str]] = []

    window.press("test")
    qtbot.waitUntil(lambda: window.log_model.rowCount() > 0, timeout=5000)
    window.release("test")
    qtbot.waitUntil(lambda: window.talk.look.style_state == "Idle", timeout=5000)
    seen += visible_texts(window)
    seen += [("menu", text) for top in window.menuBar().actions() if top.menu() for text in menu_texts(top.menu())]
    seen += visible_texts(window.log_view.context_menu_for(0))

    window.instance_dock.show()
    seen += visible_texts(window.instance_panel)
    window.talk.mini_window_action.setChecked(True)
    seen += visible_texts(window.talk.mini_window)

    dialog = SettingsDialog(AppSettings(), "default", True, window)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        seen += visible_texts(dialog)
    dialog.reject()

    about = window.help.show_about()
    seen += visible_texts(about)
    about.close()
    shortcuts = window.help.show_shortcuts()
    seen += visible_texts(shortcuts)
    shortcuts.close()

    reason = translated(_credentials_missing_sentence())
    first_run: list[tuple[str, str]] = []

    def read_and_quit() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QDialog):
            first_run.extend(visible_texts(box))
            box.reject()

    QTimer.singleShot(200, read_and_quit)
    ask_first_run(window, "default", reason)
    assert any("default" in text for _, text in first_run), "the first-run question was not read"
    seen += first_run

    assert not untranslated(seen, data), "\n".join(untranslated(seen, data))


def test_the_banner_s_states_are_in_chinese(chinese, qtbot, open_window, instance_id):
    from ptt_app.talk.advice import Advice, Remedy

    window = open_window()
    banner = window.agent.banner
    seen = []
    for code in (410001046, 410001042, 410001002):
        result = ApiResult("StartListening", 3, 0.0, 10.0, Outcome.API_ERROR, 200, code, "server words", "rid")
        advice = advise(result, TalkContext(instance_id, "test-user", "room-1"))
        assert isinstance(advice, Advice) and advice.remedy in (Remedy.CREATE_INSTANCE, Remedy.START_VOICE_CLIENT)
        for demo in (False, True):
            banner.show_advice(advice, demo)
            seen += visible_texts(banner)
    assert banner.text_label.text() and not untranslated(seen, (instance_id, "test-user", "room-1", "server words"))


def _credentials_missing_sentence() -> str:
    from ptt_app.session.console import describe_open_failure

    store = KeyringCredentialStore(MemoryKeyring())
    try:
        store.load("default")
    except Exception as error:  # CredentialsMissing, worded by the real store
        return describe_open_failure(error)[1]
    raise AssertionError("an empty keyring had credentials")


def test_the_language_comes_from_lang_when_the_setting_is_system(tmp_path):
    probe = ("from PySide6.QtWidgets import QApplication; from ptt_app.gui.app import make_application; "
             "from ptt_app.gui.i18n import current_language, tr; make_application(); "
             "print(current_language(), tr('&File'))")
    env = {"QT_QPA_PLATFORM": "offscreen", "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LANGUAGE": "",
           "PTT_APP_CONFIG_DIR": str(tmp_path / "config"), "PTT_APP_DATA_DIR": str(tmp_path / "data"),
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env)
    assert shown.stdout.split() == ["zh_CN", "文件(&F)"], shown.stderr


def test_an_input_method_can_type_chinese_into_the_settings_text_fields(chinese, qtbot):
    from PySide6.QtGui import QInputMethodEvent

    from ptt_app.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppSettings(), "default", True)
    qtbot.addWidget(dialog)
    fields = [field for field in dialog.findChildren(QLineEdit)  # the text fields, not the number boxes' insides
              if not field.isReadOnly() and field.echoMode() == QLineEdit.EchoMode.Normal
              and not isinstance(field.parentWidget(), QAbstractSpinBox)]
    assert len(fields) >= 8
    for field in fields:
        # What IBus (or any input method) delivers when the operator picks 你好 from its candidate list.
        assert field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
        field.clear()
        QApplication.sendEvent(field, QInputMethodEvent("", []))
        commit = QInputMethodEvent()
        commit.setCommitString("你好")
        QApplication.sendEvent(field, commit)
        assert field.text() == "你好", field.accessibleName()


def test_the_engine_s_not_connected_reason_is_translated(chinese):
    from ptt_app.talk.engine import NOT_CONNECTED

    assert english_words(translated(NOT_CONNECTED)) == []
