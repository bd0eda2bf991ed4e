"""What one command-line call talks through: the window's ConsoleService and dispatch engine, run on a
blocking loop, so a command gets the same journal rows, Stop deadline and Stop retries as the window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ptt_app.api.types import ApiRequest, ApiResult, Outcome
from ptt_app.session.console import ConsoleService, SessionInfo
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.store.credentials import KeyringCredentialStore
from ptt_app.store.journal import JournalEntry
from ptt_app.talk.blocking_loop import BlockingLoop
from ptt_app.talk.intents import ListenIntent, TalkController

# How long a command waits for the Stops in the air before it exits anyway (the journal keeps the rows).
DRAIN_GRACE_S = 1.0


@dataclass
class _Answers:
    """What the engine reported during one command."""

    listen: list[tuple[ListenIntent, ApiResult, bool]] = field(default_factory=list)
    calls: list[tuple[str, ApiResult]] = field(default_factory=list)
    journal_problems: list[str] = field(default_factory=list)
    drain_done: bool = False

    def journal_changed(self, entry: JournalEntry) -> None:
        """Rows are read back from the journal by `ptt-app log`; nothing to show here."""

    def listen_answered(self, intent: ListenIntent, result: ApiResult, final: bool) -> None:
        self._said_by(result)
        self.listen.append((intent, result, final))

    def call_answered(self, purpose: str, result: ApiResult) -> None:
        self._said_by(result)
        self.calls.append((purpose, result))

    def journal_failed(self, message: str) -> None:
        self.journal_problems.append(message)

    def _said_by(self, result: ApiResult) -> None:
        # A call the journal refused comes back "not sent" with the journal's reason as its message, and the
        # command prints that failure: the same sentence need not be said again as a warning.
        if result.outcome is Outcome.NOT_SENT and result.message in self.journal_problems:
            self.journal_problems.remove(result.message)

    def journal_renumbered(self, provisional_id: int, entry: JournalEntry) -> None:
        """A command's journal never keeps rows in memory (it refuses instead)."""

    def journal_health(self, problem: str | None) -> None:
        """See journal_renumbered."""

    def drained(self) -> None:
        self.drain_done = True


class CommandConsole:
    """Opens a session for one command and sends its calls through the dispatch engine."""

    def __init__(self, options: ConsoleOptions, credential_store: KeyringCredentialStore | None = None) -> None:
        self._loop = BlockingLoop()
        self._answers = _Answers()
        # A command cannot keep rows in memory past its exit: an unwritable journal refuses the call instead.
        self._service = ConsoleService(self._loop, self._loop.post, self._answers,
                                       credential_store or KeyringCredentialStore(), buffer_journal=False)
        try:
            self.info: SessionInfo = self._service.open(options)
        except BaseException:
            self._service.close()
            raise
        # Kept so that its warnings can be read after close() without opening the journal again.
        self._journal = self._service.journal
        self._controller = TalkController(self.info.sequences)
        self._closed = False
        self._opening_warnings_taken = False

    def take_warnings(self) -> list[str]:
        """Sentences the operator has not been given yet: settings or journal files set aside, and journal
        failures that no printed answer already says. No I/O, so it is safe after close()."""
        fresh = [] if self._opening_warnings_taken else [*self.info.warnings, *self._journal.warnings]
        self._opening_warnings_taken = True
        fresh += self._answers.journal_problems
        self._answers.journal_problems.clear()
        return fresh

    def press(self, on_answer: Callable[[ListenIntent, ApiResult, bool], None]) -> ApiResult:
        """StartListening; every answer (retries included) goes to on_answer; returns the final one."""
        intent = self._controller.press("command line")
        assert intent is not None
        return self._listen(intent, on_answer)

    def release(self, on_answer: Callable[[ListenIntent, ApiResult, bool], None]) -> ApiResult:
        """StopListening, retried by the engine's rules, whether or not this command pressed; returns the
        final answer."""
        return self._listen(self._controller.stop("command line"), on_answer)

    def hold(self, seconds: float) -> None:
        """Keep talking for this long (answers keep arriving meanwhile)."""
        self._loop.run_for(seconds)

    def call(self, request: ApiRequest, purpose: str | None = None) -> ApiResult:
        """Any other call; returns its answer."""
        purpose = purpose or request.action
        seen = len(self._answers.calls)
        self._service.call(request, purpose)
        self._loop.run_until(lambda: len(self._answers.calls) > seen)
        return self._answers.calls[-1][1]

    def save_instance_id(self, agent_instance_id: str) -> None:
        """Keep an AgentInstanceId in the profile's settings."""
        self._service.save_instance_id(agent_instance_id)

    def close(self) -> None:
        """Wait (briefly) for Stops in the air, then release everything; nothing is opened again after."""
        if self._closed:
            return
        self._closed = True
        deadline_s = self.info.profile.read_timeout_s + DRAIN_GRACE_S
        self._service.drain(deadline_s)
        self._loop.run_until(lambda: self._answers.drain_done, timeout_s=deadline_s + 1.0)
        self._service.close()

    def _listen(self, intent: ListenIntent, on_answer: Callable[[ListenIntent, ApiResult, bool], None]) -> ApiResult:
        seen = len(self._answers.listen)
        self._service.listen(intent)
        final: list[ApiResult] = []

        def settled() -> bool:
            while len(self._answers.listen) > seen + len(reported):
                answered, result, is_final = self._answers.listen[seen + len(reported)]
                reported.append(result)
                on_answer(answered, result, is_final)
                if is_final and self._controller.is_latest(answered):
                    final.append(result)
            return bool(final)

        reported: list[ApiResult] = []
        self._loop.run_until(settled)
        return final[0]
