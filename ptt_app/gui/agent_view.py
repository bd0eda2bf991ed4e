"""A live view of the agent: its status light, Interrupt, the banner that says what to fix, the transcript and
the Say box. Widgets only: the window sends their requests and hands them the answers."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ptt_app.api import codes
from ptt_app.api.types import INTERRUPT_AGENT_INSTANCE, SEND_AGENT_INSTANCE_TTS, ApiRequest, ApiResult, instance_request
from ptt_app.gui.i18n import tr, translated
from ptt_app.gui.icons import icon
from ptt_app.gui.style_property import set_style_property
from ptt_app.talk.advice import Advice, Remedy, TalkContext, advise
from ptt_app.talk.intents import ListenIntent, confirms
from ptt_app.talk.status_poller import (
    STATUS_PURPOSE,
    TRANSCRIPT_PURPOSE,
    AgentStatus,
    PollSettings,
    TranscriptMessage,
    status_of,
    transcript_of,
)
from ptt_app.translatable import QT_TR_NOOP

# SendAgentInstanceTTS: "The text content used for TTS, with a maximum of 300 characters."
SAY_MAX_CHARS = 300
LIGHT_PX = 16
_LIGHT_ICONS = {
    AgentStatus.IDLE: "agent-idle.svg",
    AgentStatus.LISTENING: "agent-listening.svg",
    AgentStatus.THINKING: "agent-thinking.svg",
    AgentStatus.SPEAKING: "agent-speaking.svg",
}
_UNKNOWN_ICON = "agent-unknown.svg"
# The word the light shows for each status (status_poller's words are English).
_STATUS_WORDS = {
    AgentStatus.IDLE: QT_TR_NOOP("Idle"),
    AgentStatus.LISTENING: QT_TR_NOOP("Listening"),
    AgentStatus.THINKING: QT_TR_NOOP("Thinking"),
    AgentStatus.SPEAKING: QT_TR_NOOP("Speaking"),
}
NO_SESSION = QT_TR_NOOP("No session")
NO_INSTANCE = QT_TR_NOOP("No instance")
ASKING = QT_TR_NOOP("Asking…")
UNKNOWN = QT_TR_NOOP("Unknown")
INSTANCE_GONE = QT_TR_NOOP("Instance gone")
# Every word the light shows: the statuses, and what it says without one.
_LIGHT_WORDS = [*_STATUS_WORDS.values(), NO_SESSION, NO_INSTANCE, ASKING, UNKNOWN, INSTANCE_GONE]
_ROLE_WORDS = {"user": (QT_TR_NOOP("Heard"), QT_TR_NOOP("user")),
               "assistant": (QT_TR_NOOP("Answered"), QT_TR_NOOP("agent"))}
SAY_PURPOSE = "agent-say"
INTERRUPT_PURPOSE = "agent-interrupt"
LISTENING_REFUSAL = QT_TR_NOOP("Release the talk button first: the agent cannot speak while it listens.")


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")


class AgentStatusLight(QWidget):
    """Idle, Listening, Thinking or Speaking, as QueryAgentInstanceStatus last answered: an icon with its own
    shape per status, and the word beside it (never colour alone); the latest Round after it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.light = QLabel()
        self.light.setFixedSize(LIGHT_PX, LIGHT_PX)
        self.word_label = QLabel()
        self.word_label.setObjectName("agentStatusWord")
        # As wide as the widest word, so the row does not shift each time the status changes.
        metrics = self.word_label.fontMetrics()
        self.word_label.setMinimumWidth(max(metrics.horizontalAdvance(tr(word)) for word in _LIGHT_WORDS) + 4)
        self.round_label = QLabel()
        self.round_label.setObjectName("agentRound")
        self.round_label.setToolTip(tr("The turn number (Data.Round) of the latest answer that carried one"))
        self.light.setAccessibleName(tr("Agent status icon"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Agent:")))
        row.addWidget(self.light)
        row.addWidget(self.word_label)
        row.addSpacing(8)
        row.addWidget(self.round_label)
        self.status: AgentStatus | None = None
        self.show_unknown(NO_SESSION)

    def show_status(self, status: AgentStatus) -> None:
        """What the agent is doing, from a QueryAgentInstanceStatus answer."""
        self.status = status
        self._show(_LIGHT_ICONS[status], tr(_STATUS_WORDS[status]),
                   tr("QueryAgentInstanceStatus answered {status} at {time}. {poll}").format(
                       status=status.value, time=_clock(), poll=_poll_note()))

    def show_unknown(self, word: str, why: str = "") -> None:
        """No status to show: no session, the instance is gone, or the last query failed (why); `word` is one
        of the light's marked words, translated here."""
        self.status = None
        self._show(_UNKNOWN_ICON, tr(word), why or _poll_note())

    def show_round(self, round_: int | None) -> None:
        """The latest Round an answer carried."""
        self.round_label.setText(tr("Round {round}").format(round=round_) if round_ is not None else "")

    def _show(self, icon_name: str, word: str, tip: str) -> None:
        self.light.setPixmap(icon(icon_name).pixmap(LIGHT_PX, LIGHT_PX))
        self.word_label.setText(word)
        self.word_label.setAccessibleName(tr("Agent status: {status}").format(status=word))
        self.word_label.setAccessibleDescription(tip)
        self.setToolTip(tip)


def _poll_note() -> str:
    settings = PollSettings()
    return tr("Asked about every {active} s during a turn and every {idle} s while idle.").format(
        active=f"{settings.active_interval_s:g}", idle=f"{settings.idle_interval_s:g}")


class AgentBanner(QFrame):
    """A problem the operator can fix, in one sentence, with the button that fixes it (when there is one)."""

    remedy_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agentBanner")
        # Amber like a warning light; the icon and the words carry it without colour too.
        # Amber like a warning light (resources/console.qss); the icon and the words carry it without colour too.
        self.setAccessibleName(tr("Problem to fix"))
        self.icon_label = QLabel()
        self.icon_label.setPixmap(icon("banner-warning.svg").pixmap(24, 24))
        self.icon_label.setFixedSize(24, 24)
        self.text_label = QLabel()
        self.text_label.setObjectName("agentBannerText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.remedy_button = QPushButton()
        self.remedy_button.clicked.connect(lambda: self.remedy_requested.emit(self.remedy))
        self.dismiss_button = QToolButton()
        self.dismiss_button.setText("✕")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setToolTip(tr("Dismiss: hide this notice (it comes back if the problem happens again)"))
        self.dismiss_button.setAccessibleName(tr("Dismiss"))
        self.dismiss_button.setAccessibleDescription(self.dismiss_button.toolTip())
        self.dismiss_button.clicked.connect(lambda: self.clear())
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text_label, 1)
        row.addWidget(self.remedy_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.remedy: Remedy | None = None
        self.hide()

    def show_advice(self, advice: Advice, demo: bool) -> None:
        """Show the advice, with its remedy as a button when this window can carry it out."""
        self.remedy = advice.remedy
        text = translated(advice.text)
        self.text_label.setText(text)
        self.setAccessibleDescription(text)
        label = _remedy_label(advice.remedy, demo)
        self.remedy_button.setText(label)
        self.remedy_button.setAccessibleDescription(text)
        self.remedy_button.setVisible(bool(label))
        self.show()

    def clear(self, remedy: Remedy | None = None) -> None:
        """Hide the banner (only if it shows `remedy`, when one is given)."""
        if remedy is not None and remedy != self.remedy:
            return
        self.remedy = None
        self.hide()


def _remedy_label(remedy: Remedy | None, demo: bool) -> str:
    if remedy is Remedy.CREATE_INSTANCE:
        return tr("Create instance")
    if remedy is Remedy.START_VOICE_CLIENT and demo:
        return tr("Start demo voice client")
    return ""  # a real user's voice client runs on their own device: the banner says what to ask for


class AgentControls(QWidget):
    """The status light and the Interrupt button, in one row under the talk button."""

    interrupt_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.light = AgentStatusLight()
        self.interrupt_button = QPushButton(tr("Interrupt"))
        self.interrupt_button.setToolTip(tr("InterruptAgentInstance: stop the agent thinking or speaking now"))
        self.interrupt_button.setAccessibleDescription(self.interrupt_button.toolTip())
        self.interrupt_button.clicked.connect(self.interrupt_requested)
        self.result_label = QLabel()
        self.result_label.setObjectName("agentResultLabel")
        self.result_label.setWordWrap(True)
        self.result_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.light)
        row.addWidget(self.result_label, 1)
        row.addWidget(self.interrupt_button)
        self.set_connected(False)

    def set_connected(self, connected: bool) -> None:
        """Interrupt needs an open session with an instance."""
        self.interrupt_button.setEnabled(connected)

    def show_result(self, text: str) -> None:
        """The latest Interrupt's outcome, or "" to clear it."""
        self.result_label.setText(text)
        self.result_label.setToolTip(text)


# The agent's history grows by two messages a turn all day; the pane shows (and keeps) only its latest part, so
# a refresh stays quick and memory stays flat however long the instance lives.
TRANSCRIPT_SHOWN = 200


class TranscriptPane(QWidget):
    """What the agent heard and answered (GetAgentInstanceMsgList), refreshed after each turn, and the Say box
    (SendAgentInstanceTTS) underneath, as in a chat."""

    say_requested = Signal(str)
    refresh_requested = Signal()
    updated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages: list[TranscriptMessage] = []  # the shown tail of the agent's history
        self._total = 0  # how many messages the agent's history had at the last refresh
        self.view = QTextBrowser()
        self.view.setObjectName("transcriptView")
        self.view.setPlaceholderText(tr("What the agent heard and answered appears here after each turn."))
        self.view.setAccessibleName(tr("Transcript"))
        self.view.setAccessibleDescription(tr("What the agent heard and answered (GetAgentInstanceMsgList)"))
        self.state_label = QLabel(tr("No transcript yet."))
        self.state_label.setObjectName("transcriptState")
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.setToolTip(tr("GetAgentInstanceMsgList now"))
        self.refresh_button.setAccessibleName(tr("Refresh the transcript"))
        self.refresh_button.setAccessibleDescription(self.refresh_button.toolTip())
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.say_field = QLineEdit()
        self.say_field.setPlaceholderText(tr("Text for the agent to say (at most {count} characters)").format(
            count=SAY_MAX_CHARS))
        self.say_field.setToolTip(tr("SendAgentInstanceTTS: the agent says this text in the room"))
        self.say_field.setAccessibleName(tr("Text for the agent to say"))
        self.say_field.setAccessibleDescription(self.say_field.toolTip())
        self.say_field.textChanged.connect(self._update_say)
        self.say_field.returnPressed.connect(self._say)
        self.count_label = QLabel()
        self.count_label.setObjectName("sayCount")
        self.say_button = QPushButton(tr("Say"))
        self.say_button.clicked.connect(self._say)
        self.say_note = QLabel()
        self.say_note.setObjectName("sayNote")
        self.say_note.setWordWrap(True)
        self._lay_out()
        self._connected = False
        self._listening = False
        self._saying = False
        self._update_say()

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.state_label, 1)
        head.addWidget(self.refresh_button)
        say_row = QHBoxLayout()
        say_row.addWidget(self.say_field, 1)
        say_row.addWidget(self.count_label)
        say_row.addWidget(self.say_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addLayout(say_row)
        layout.addWidget(self.say_note)

    # --- transcript -----------------------------------------------------------------------------

    def show_transcript(self, messages: list[TranscriptMessage]) -> None:
        """Show the latest TRANSCRIPT_SHOWN messages of the list (oldest first); updated(new) says how many
        messages are new since the last list."""
        count = len(messages)
        # The last list's shown tail still in place means the history only grew: the rest is new.
        tail_start = self._total - len(self.messages)
        grew = count >= self._total and messages[tail_start:self._total] == self.messages
        new = count - self._total if grew else count
        self.messages = list(messages[-TRANSCRIPT_SHOWN:])
        self._total = count
        self.view.setHtml("".join(_message_html(message) for message in self.messages))
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())
        if count > len(self.messages):
            text = tr("Updated at {time}: {count} messages, the latest {shown} shown.").format(
                time=_clock(), count=count, shown=len(self.messages))
        elif count == 1:
            text = tr("Updated at {time}: {count} message.").format(time=_clock(), count=count)
        else:
            text = tr("Updated at {time}: {count} messages.").format(time=_clock(), count=count)
        self.state_label.setText(text)
        self.updated.emit(new)

    def show_failure(self, result: ApiResult) -> None:
        """A transcript read failed: say why, and keep what was shown (marked as not current)."""
        self.state_label.setText(tr("Not updated at {time}: {why}").format(time=_clock(), why=result.explanation(tr)))
        self.state_label.setToolTip(self.state_label.text())

    # --- the Say box ----------------------------------------------------------------------------

    def set_connected(self, connected: bool) -> None:
        """Say and Refresh need an open session with an instance."""
        self._connected = connected
        self.refresh_button.setEnabled(connected)
        self._update_say()

    def set_listening(self, listening: bool) -> None:
        """While the talk button is held the agent refuses TTS (410001013): Say waits, and says why."""
        self._listening = listening
        self._update_say()

    def show_say_result(self, result: ApiResult) -> None:
        """The answer to the last Say: the field is cleared once the agent took the text."""
        self._saying = False
        if result.ok:
            self.say_field.clear()
            if result.round is not None:
                self._note(tr("The agent is saying it (Round {round}).").format(round=result.round), problem=False)
            else:
                self._note(tr("The agent is saying it."), problem=False)
        else:
            self._note(tr("Not said: {why}").format(why=result.explanation(tr)), problem=True)
        self._update_say(keep_note=True)

    def _say(self) -> None:
        if not self.say_button.isEnabled():
            return
        self._saying = True
        self._update_say()
        self.say_requested.emit(self.say_field.text().strip())

    def _update_say(self, _text: str = "", keep_note: bool = False) -> None:
        text = self.say_field.text().strip()
        over = len(text) - SAY_MAX_CHARS
        self.count_label.setText(f"{len(text)}/{SAY_MAX_CHARS}")
        self.count_label.setAccessibleName(tr("{count} of at most {limit} characters").format(count=len(text),
                                                                                          limit=SAY_MAX_CHARS))
        set_style_property(self.count_label, "outcome", "problem" if over > 0 else "")
        reason = self._refusal(text, over)
        self.say_button.setEnabled(reason is None and not self._saying)
        self.say_button.setToolTip(reason or tr("SendAgentInstanceTTS with this text"))
        self.say_button.setAccessibleDescription(self.say_button.toolTip())
        if reason and (text or self._listening):
            self._note(reason, problem=True)
        elif not keep_note and not self._saying:
            self._note("", problem=False)

    def _refusal(self, text: str, over: int) -> str | None:
        if not self._connected:
            return tr("No agent instance to speak: open a session with an instance first.")
        if self._listening:
            return tr(LISTENING_REFUSAL)
        if not text:
            return tr("Type what the agent should say.")
        if over > 0:
            template = (tr("Too long by {over} character: the agent says at most {limit}.") if over == 1
                        else tr("Too long by {over} characters: the agent says at most {limit}."))
            return template.format(over=over, limit=SAY_MAX_CHARS)
        return None

    def _note(self, text: str, problem: bool) -> None:
        self.say_note.setText(text)
        self.say_note.setVisible(bool(text))
        set_style_property(self.say_note, "outcome", "problem" if problem else "ok")


def _message_html(message: TranscriptMessage) -> str:
    heading, who = _ROLE_WORDS.get(message.role, (message.role or QT_TR_NOOP("Message"), message.role or QT_TR_NOOP("unknown")))
    # No colour of its own: the text keeps the palette's contrast in every theme.
    return (f"<p style='margin:0 0 6px 0'><b>{html.escape(tr(heading))}</b> <i>({html.escape(tr(who))})"
            f"</i><br>{html.escape(message.content)}</p>")


class AgentView(QObject):
    """The window's live view of the agent: its widgets, the calls they make (call_requested) and what every
    answer means for them. The banner reuses talk.advice, so the window and the command line say the same."""

    call_requested = Signal(object, str)
    refresh_requested = Signal()
    create_instance_requested = Signal()
    demo_user_state_requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.banner = AgentBanner()
        self.controls = AgentControls()
        self.transcript = TranscriptPane()
        self.light = self.controls.light
        self._context: TalkContext | None = None
        self._demo = False
        self.banner.remedy_requested.connect(self._carry_out)
        self.controls.interrupt_requested.connect(self._interrupt)
        self.transcript.say_requested.connect(self._say)
        self.transcript.refresh_requested.connect(self.refresh_requested)

    # --- the session --------------------------------------------------------------------------

    def session_ready(self, instance_id: str, user_id: str, room_id: str, demo: bool) -> None:
        """A session (or another instance) is in use: a banner about the old instance no longer applies."""
        changed = self._context is None or self._context.agent_instance_id != instance_id
        self._context = TalkContext(instance_id, user_id, room_id)
        self._demo = demo
        if changed:
            self.banner.clear(Remedy.CREATE_INSTANCE)
            self.light.show_unknown(ASKING if instance_id else NO_INSTANCE)
            self.light.show_round(None)
        connected = bool(instance_id)
        self.controls.set_connected(connected)
        self.transcript.set_connected(connected)

    def session_lost(self) -> None:
        """No session: nothing to show or send."""
        self._context = None
        self.light.show_unknown(NO_SESSION)
        self.controls.set_connected(False)
        self.transcript.set_connected(False)

    def set_listening(self, held: bool) -> None:
        """The operator holds the talk button (or key): Say must wait."""
        self.transcript.set_listening(held)

    # --- answers ------------------------------------------------------------------------------

    def listen_answered(self, intent: ListenIntent, result: ApiResult) -> None:
        """A Start/Stop's answer: the banner, and the Round."""
        if result.round is not None:
            self.light.show_round(result.round)
        if confirms(result) and not intent.is_stop:
            self.banner.clear(Remedy.START_VOICE_CLIENT)  # the user publishes again: the press got through
            self.banner.clear(Remedy.CREATE_INSTANCE)
        self._advise(result)

    def call_answered(self, purpose: str, result: ApiResult) -> bool:
        """An answer to one of this view's calls (or a background read); False for other purposes."""
        handlers = {
            STATUS_PURPOSE: self._show_status,
            TRANSCRIPT_PURPOSE: self._show_transcript,
            SAY_PURPOSE: self._show_said,
            INTERRUPT_PURPOSE: self._show_interrupted,
        }
        handler = handlers.get(purpose)
        if handler is None:
            return False  # the instance panel's and the settings dialog's calls say their own results
        if result.round is not None:
            self.light.show_round(result.round)
        handler(result)
        self._advise(result)
        return True

    def _show_status(self, result: ApiResult) -> None:
        status = status_of(result)
        if status is not None:
            self.light.show_status(status)
        elif result.code == codes.INSTANCE_NOT_FOUND:
            self.light.show_unknown(INSTANCE_GONE, result.explanation(tr))
        else:
            self.light.show_unknown(UNKNOWN, tr("The last status query failed: {why}").format(why=result.explanation(tr)))

    def _show_transcript(self, result: ApiResult) -> None:
        messages = transcript_of(result)
        if messages is None:
            self.transcript.show_failure(result)
        else:
            self.transcript.show_transcript(messages)

    def _show_said(self, result: ApiResult) -> None:
        self.transcript.show_say_result(result)

    def _show_interrupted(self, result: ApiResult) -> None:
        if result.ok:
            self.controls.show_result(tr("Interrupted."))
        else:
            self.controls.show_result(tr("Interrupt failed: {why}").format(why=result.explanation(tr)))

    def _advise(self, result: ApiResult) -> None:
        if self._context is None:
            return
        advice = advise(result, self._context)
        if advice is not None and advice.remedy is not None:
            self.banner.show_advice(advice, self._demo)

    # --- the operator's actions ------------------------------------------------------------------

    def _interrupt(self) -> None:
        if self._context is not None and self._context.agent_instance_id:
            self.controls.show_result(tr("Interrupting…"))
            self.call_requested.emit(instance_request(INTERRUPT_AGENT_INSTANCE, self._context.agent_instance_id),
                                     INTERRUPT_PURPOSE)

    def _say(self, text: str) -> None:
        if self._context is None or not self._context.agent_instance_id:
            return
        body = {"AgentInstanceId": self._context.agent_instance_id, "Text": text}
        self.call_requested.emit(ApiRequest(SEND_AGENT_INSTANCE_TTS, body), SAY_PURPOSE)

    def _carry_out(self, remedy: Remedy | None) -> None:
        if remedy is Remedy.CREATE_INSTANCE:
            self.banner.clear()
            self.create_instance_requested.emit()
        elif remedy is Remedy.START_VOICE_CLIENT and self._demo:
            self.banner.text_label.setText(tr("The demo user's voice client is publishing again: press again to talk."))
            self.banner.remedy_button.hide()
            self.demo_user_state_requested.emit("publishing")
