"""The agent side of the simulator: instances, their RTC room, the Sequence rule, the turn cycle, messages.

Rules from the reference (each cited where it is applied):
- an instance lives until DeleteAgentInstance, or until its real user has been out of the room for
  AdvancedConfig.MaxIdleTime seconds; at most SimConfig.max_instances live at once (410000011);
- StartListening/StopListening need walkie-talkie mode (410001042); a Sequence not above the latest
  one of the same instance and user is ignored (410001043); StartListening needs the user publishing
  audio (410001046);
- a turn goes LISTENING -> (StopListening) THINKING -> SPEAKING -> IDLE; every turn, LLM call and TTS
  call gets a new, ascending Round; TTS and LLM are refused while listening (410001013);
- GracefulShutdown waits for IDLE (at most GracefulShutdownTimeout s); meanwhile every call is 410001041.
Where the reference is silent the choice is said in a comment. Time comes from an injected monotonic
clock and the model is brought up to date lazily, at each call, so tests step time without sleeping.
"""

from __future__ import annotations

import itertools
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ptt_app.api import codes
from ptt_app.api.types import (
    CREATE_AGENT_INSTANCE,
    DELETE_AGENT_INSTANCE,
    INTERRUPT_AGENT_INSTANCE,
    QUERY_AGENT_INSTANCE_STATUS,
    START_LISTENING,
    STOP_LISTENING,
)
from ptt_app.sim.config import RtcIdConflict, SimConfig, UserState
from ptt_app.sim.protocol import (
    GET_AGENT_INSTANCE_MSG_LIST,
    SEND_AGENT_INSTANCE_LLM,
    SEND_AGENT_INSTANCE_TTS,
    ActionResult,
    Rejected,
    invalid,
)

WALKIE_TALKIE = 2
DEFAULT_MAX_IDLE_TIME_S = 120
DEFAULT_GRACEFUL_SHUTDOWN_TIMEOUT_S = 30
# With LLM.ApiKey "zego_test" only these LLM.Url values are allowed (410001047 otherwise).
ZEGO_TEST_API_KEY = "zego_test"
ZEGO_TEST_LLM_URLS = frozenset(
    {
        "https://api.minimax.chat/v1/text/chatcompletion_v2",
        "https://ark.cn-beijing.volces.com/api/v3/chat/completions",
        "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",
        "https://api.stepfun.com/v1/chat/completions",
    }
)
_PRIORITIES = {"Low": 0, "Medium": 1, "High": 2}
# How many deleted instance ids keep their reason, for a clearer 410001002 Message.
_FORGET_DELETED_AFTER = 10_000


class AgentStatus(str, Enum):
    """QueryAgentInstanceStatus's Data.Status."""

    IDLE = "IDLE"
    LISTENING = "LISTENING"
    THINKING = "THINKING"
    SPEAKING = "SPEAKING"


class ReplyKind(str, Enum):
    """What made the agent answer: the user's turn, or an active LLM or TTS call."""

    USER_TURN = "user turn"
    LLM = "LLM"
    TTS = "TTS"


@dataclass(frozen=True)
class AgentInstance:
    """A copy of one live agent instance, as tests and the demo inspect it."""

    agent_instance_id: str
    agent_id: str
    user_id: str
    communication_mode: int
    interrupt_mode: int
    rtc: dict[str, str]
    created_wall: float
    status: str
    listening: bool
    round: int
    user_state: str
    max_idle_time_s: int
    interrupts: int
    queued: int
    shutting_down: bool
    messages: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class NewInstance:
    """What CreateAgentInstance asks for, already checked against the schema."""

    agent_id: str
    user_id: str
    rtc: dict[str, str]
    communication_mode: int = 0
    interrupt_mode: int = 0
    max_idle_time_s: int = DEFAULT_MAX_IDLE_TIME_S
    disable_tts: bool = False
    messages: tuple[dict[str, str], ...] = ()
    user_state: UserState | None = None

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> NewInstance:
        """The request of a schema-checked CreateAgentInstance body, with the documented defaults."""
        advanced = body.get("AdvancedConfig", {})
        history = body.get("MessageHistory", {})
        # SyncMode 0 (the default) loads history from In-app Chat, which the simulator has not: only
        # SyncMode 1 ("synchronize through the Messages parameter") seeds the message list.
        seeded = history.get("Messages", []) if history.get("SyncMode", 0) == 1 else []
        rtc = body["RTC"]
        return cls(
            agent_id=body["AgentId"],
            user_id=body["UserId"],
            rtc={name: rtc[name] for name in ("RoomId", "AgentStreamId", "AgentUserId", "UserStreamId")},
            communication_mode=advanced.get("CommunicationMode", 0),
            interrupt_mode=advanced.get("InterruptMode", 0),
            max_idle_time_s=advanced.get("MaxIdleTime", DEFAULT_MAX_IDLE_TIME_S),
            disable_tts=advanced.get("DisableTTS", False),
            messages=tuple({"Role": item["Role"], "Content": item["Content"]} for item in seeded),
        )


@dataclass
class _Reply:
    """One answer the agent works through: THINKING for thinking_s (none for TTS), then SPEAKING."""

    round: int
    kind: ReplyKind
    priority: int
    thinking_s: float
    speaking_s: float
    question: str | None  # the user message it adds to the history when it starts
    answer: str | None  # the assistant message it adds when it starts speaking


@dataclass
class _Instance:
    agent_instance_id: str
    spec: NewInstance
    created_wall: float
    user_states: dict[str, UserState]
    absent_since: float | None
    messages: list[dict[str, str]]
    listening_round: int | None = None
    reply: _Reply | None = None
    phase: AgentStatus = AgentStatus.IDLE
    phase_started: float = 0.0
    queue: deque[_Reply] = field(default_factory=deque)
    last_round: int = 0
    interrupts: int = 0
    graceful_deadline: float | None = None
    latest_sequence: dict[str, int] = field(default_factory=dict)

    @property
    def status(self) -> AgentStatus:
        if self.listening_round is not None:
            return AgentStatus.LISTENING
        return self.phase if self.reply is not None else AgentStatus.IDLE

    def user_state(self, user_id: str) -> UserState:
        # Only the instance's own user is in its room unless a test puts another one there.
        return self.user_states.get(user_id, UserState.ABSENT)

    def next_round(self) -> int:
        self.last_round += 1
        return self.last_round


@dataclass(frozen=True)
class _Clash:
    """A new instance's RTC id already in use: which field, its value, by what, and the other instance."""

    name: str
    value: str
    used_by: str
    other: _Instance | None


class AgentModel:
    """Every agent instance of one simulator; all methods are thread-safe."""

    def __init__(self, config: SimConfig, monotonic: Callable[[], float], wall_clock: Callable[[], float]) -> None:
        self._config = config
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._lock = threading.RLock()
        self._instances: dict[str, _Instance] = {}
        self._deleted: OrderedDict[str, str] = OrderedDict()
        self._registered_agents = set(config.registered_agents)
        self._default_user_state = config.user_state
        self._act_counter = 0
        # AgentInstanceIds look like the reference's ("1907755175297171456"): decimal and unique.
        self._instance_numbers = itertools.count(1_900_000_000_000_000_000 + secrets.randbelow(10**12) * 1000)
        self._actions: dict[str, Callable[[_Instance, dict[str, Any]], ActionResult]] = {
            START_LISTENING: self._start_listening,
            STOP_LISTENING: self._stop_listening,
            QUERY_AGENT_INSTANCE_STATUS: self._query_status,
            INTERRUPT_AGENT_INSTANCE: self._interrupt,
            SEND_AGENT_INSTANCE_TTS: self._send_tts,
            SEND_AGENT_INSTANCE_LLM: self._send_llm,
            GET_AGENT_INSTANCE_MSG_LIST: self._message_list,
            DELETE_AGENT_INSTANCE: self._delete,
        }

    # ---- the API ----

    def act(self, action: str, body: dict[str, Any]) -> ActionResult:
        """Carry out one schema-checked action; Rejected carries a refusal's Code."""
        with self._lock:
            self._catch_up()
            if action == CREATE_AGENT_INSTANCE:
                return self._create_from_body(body)
            instance = self._require(body["AgentInstanceId"])
            return self._actions[action](instance, body)

    def _require(self, agent_instance_id: str) -> _Instance:
        instance = self._instances.get(agent_instance_id)
        if instance is None:
            reason = self._deleted.get(agent_instance_id, "no such instance")
            raise Rejected(codes.INSTANCE_NOT_FOUND, f"AgentInstanceId {agent_instance_id!r} not found: {reason}")
        if instance.graceful_deadline is not None:
            raise Rejected(
                codes.GRACEFUL_SHUTDOWN,
                f"AgentInstanceId {agent_instance_id!r} is being gracefully shut down; no further operations",
            )
        return instance

    # ---- CreateAgentInstance ----

    def _create_from_body(self, body: dict[str, Any]) -> ActionResult:
        llm = body.get("LLM")
        if llm is not None and llm["ApiKey"] == ZEGO_TEST_API_KEY and llm["Url"] not in ZEGO_TEST_LLM_URLS:
            raise Rejected(
                codes.ZEGO_TEST_LLM_URL_INVALID,
                f'LLM.ApiKey is "zego_test" but LLM.Url {llm["Url"]!r} is not one of its documented URLs',
            )
        spec = NewInstance.from_body(body)
        if spec.agent_id not in self._registered_agents:
            raise Rejected(codes.AGENT_NOT_FOUND, f"AgentId {spec.agent_id!r} is not a registered agent")
        instance = self._add(spec)
        return ActionResult(data={"AgentInstanceId": instance.agent_instance_id}, user_id=spec.user_id)

    def create(self, spec: NewInstance) -> str:
        """Create an instance without the API's schema and agent checks (limit and RTC ids still apply)."""
        with self._lock:
            self._catch_up()
            self._registered_agents.add(spec.agent_id)
            return self._add(spec).agent_instance_id

    def _add(self, spec: NewInstance) -> _Instance:
        if len(self._instances) >= self._config.max_instances:
            raise Rejected(
                codes.INSTANCE_LIMIT,
                f"at most {self._config.max_instances} agent instances may exist at once; delete one first",
            )
        clashes = self._rtc_clashes(spec)
        if clashes and self._config.rtc_id_conflict is RtcIdConflict.REJECT:
            first = clashes[0]
            raise invalid(f"{first.name} {first.value!r} is already used {first.used_by}; use a unique one")
        now = self._monotonic()
        state = spec.user_state or self._default_user_state
        instance = _Instance(
            agent_instance_id=str(next(self._instance_numbers)),
            spec=spec,
            created_wall=self._wall_clock(),
            user_states={spec.user_id: state},
            absent_since=now if state is UserState.ABSENT else None,
            messages=[dict(message) for message in spec.messages],
        )
        self._instances[instance.agent_instance_id] = instance
        for clash in clashes:
            self._play_out(clash, instance, now)
        return instance

    def _rtc_clashes(self, spec: NewInstance) -> list[_Clash]:
        """Where the new instance's AgentStreamId / AgentUserId collide with live instances and users."""
        stream, agent_user = spec.rtc["AgentStreamId"], spec.rtc["AgentUserId"]
        clashes: list[_Clash] = []
        if agent_user == spec.user_id:
            clashes.append(_Clash("RTC.AgentUserId", agent_user, "as the real user's UserId", None))
        for other in self._instances.values():
            if other.spec.rtc["AgentStreamId"] == stream:
                clashes.append(_Clash("RTC.AgentStreamId", stream, "by a live instance", None))
            if other.spec.rtc["AgentUserId"] == agent_user:
                clashes.append(_Clash("RTC.AgentUserId", agent_user, "by a live instance", other))
            if other.spec.user_id == agent_user:
                clashes.append(_Clash("RTC.AgentUserId", agent_user, "as a real user's UserId", other))
        return clashes

    def _play_out(self, clash: _Clash, new: _Instance, now: float) -> None:
        """The documented consequence of a clash (SimConfig.rtc_id_conflict AS_DOCUMENTED)."""
        if clash.name == "RTC.AgentStreamId":
            # "the streaming of the later created AI agent instance will fail"
            self._remove(new, f"failed to publish: AgentStreamId {clash.value!r} is used by another instance")
        elif clash.other is None or clash.other.spec.user_id == clash.value:
            # "AgentUserId must not be the same as a real user's UserId, as this will cause mutual kicking"
            self._remove(new, f"kicked from the room: AgentUserId {clash.value!r} is a real user's UserId")
            if clash.other is not None:
                self._place_user(clash.other, clash.value, UserState.ABSENT, now)
        else:
            # "otherwise the earlier created AI agent instance will be kicked out of the RTC room"
            self._remove(clash.other, f"kicked from the room by a later instance with AgentUserId {clash.value!r}")

    # ---- StartListening / StopListening ----

    def _listening_checks(self, instance: _Instance, body: dict[str, Any]) -> tuple[str, ActionResult | None]:
        """The UserId a Start/Stop applies to, and its answer if the Sequence rule ignores it."""
        if instance.spec.communication_mode != WALKIE_TALKIE:
            raise Rejected(
                codes.NOT_WALKIE_TALKIE,
                f"AgentInstanceId {instance.agent_instance_id!r} has CommunicationMode "
                f"{instance.spec.communication_mode}, not walkie-talkie (2): StartListening/StopListening not allowed",
            )
        user_id = body.get("UserId") or instance.spec.user_id
        sequence = body.get("Sequence")
        if sequence is None:
            return user_id, None  # "If not passed, requests are processed in the order received."
        latest = instance.latest_sequence.get(user_id)
        if latest is not None and sequence <= latest:
            message = (
                f"Sequence {sequence} is outdated (the latest for UserId {user_id!r} is {latest}): request ignored"
            )
            return user_id, ActionResult(codes.SEQUENCE_OUTDATED, message, acted=False, ignored=True, user_id=user_id)
        # The Sequence is taken as soon as it passes the rule, even if the request then fails (e.g. 410001046):
        # the backend filters by Sequence before it processes a request.
        instance.latest_sequence[user_id] = sequence
        return user_id, None

    def _start_listening(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        user_id, ignored = self._listening_checks(instance, body)
        if ignored is not None:
            return ignored
        state = instance.user_state(user_id)
        if state is not UserState.PUBLISHING:
            where = "is in the room but not publishing" if state is UserState.SILENT else "is not in the room"
            raise Rejected(
                codes.USER_NOT_PUBLISHING,
                f"user {user_id!r} has not started publishing audio (the user {where} "
                f"{instance.spec.rtc['RoomId']!r}): cannot start listening",
            )
        if instance.listening_round is None:
            # The reference is silent on StartListening while the agent thinks or speaks; a press in
            # push-to-talk is an explicit request to talk, so it cuts the reply (and its queue) short.
            self._cut(instance)
            instance.listening_round = instance.next_round()
        return self._acted(user_id, instance.listening_round)

    def _stop_listening(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        user_id, ignored = self._listening_checks(instance, body)
        if ignored is not None:
            return ignored
        turn = instance.listening_round
        if turn is None:
            # Not listening: nothing to stop (the reference gives no Code for it); answered with the latest Round.
            return self._acted(user_id, instance.last_round)
        instance.listening_round = None
        speaking_s = 0.0 if instance.spec.disable_tts else self._config.speaking_s
        reply = _Reply(
            turn, ReplyKind.USER_TURN, _PRIORITIES["Medium"], self._config.thinking_s, speaking_s,
            question=f"(user speech, round {turn})", answer=f"(answer to the user, round {turn})",
        )
        self._begin(instance, reply, self._monotonic())
        return self._acted(user_id, turn)

    def _acted(self, user_id: str, round_: int) -> ActionResult:
        self._act_counter += 1
        return ActionResult(data={"Round": round_}, user_id=user_id, act_order=self._act_counter)

    # ---- the other instance actions ----

    def _query_status(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        return ActionResult(data={"Status": instance.status.value}, user_id=instance.spec.user_id)

    def _interrupt(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        """Ends thinking or speaking at once (and what was queued); listening goes on."""
        instance.interrupts += 1
        current = instance.reply.round if instance.reply is not None else None
        self._cut(instance)
        round_ = current if current is not None else instance.listening_round or instance.last_round
        return ActionResult(data={"Round": round_}, user_id=instance.spec.user_id)

    def _send_tts(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        self._refuse_while_listening(instance, "SendAgentInstanceTTS")
        if instance.spec.disable_tts:
            raise Rejected(codes.ACTIVE_TTS_FAILED, "TTS is disabled for this instance (AdvancedConfig.DisableTTS)")
        text = body["Text"]
        answer = text if body.get("AddHistory", True) else None
        reply = _Reply(0, ReplyKind.TTS, _priority(body), 0.0, self._config.speaking_s, None, answer)
        return self._offer(instance, reply, body, codes.ACTIVE_TTS_FAILED)

    def _send_llm(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        self._refuse_while_listening(instance, "SendAgentInstanceLLM")
        text = body["Text"]
        # Defaults of the API reference: AddQuestionToHistory false, AddAnswerToHistory true.
        question = text if body.get("AddQuestionToHistory", False) else None
        answer = f"(answer to: {text[:60]})" if body.get("AddAnswerToHistory", True) else None
        speaking_s = 0.0 if instance.spec.disable_tts else self._config.speaking_s
        reply = _Reply(0, ReplyKind.LLM, _priority(body), self._config.thinking_s, speaking_s, question, answer)
        return self._offer(instance, reply, body, codes.ACTIVE_LLM_FAILED)

    def _refuse_while_listening(self, instance: _Instance, action: str) -> None:
        if instance.listening_round is not None:
            raise Rejected(
                codes.AGENT_IS_LISTENING, f"the agent is listening: {action} cannot be triggered until StopListening"
            )

    def _message_list(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        messages = [dict(message) for message in instance.messages]
        return ActionResult(data={"Total": len(messages), "MessageList": messages}, user_id=instance.spec.user_id)

    def _delete(self, instance: _Instance, body: dict[str, Any]) -> ActionResult:
        now = self._monotonic()
        if body.get("GracefulShutdown", False) and instance.status is not AgentStatus.IDLE:
            timeout = body.get("GracefulShutdownTimeout", DEFAULT_GRACEFUL_SHUTDOWN_TIMEOUT_S)
            instance.graceful_deadline = now + timeout
        else:
            self._remove(instance, "deleted by DeleteAgentInstance")
        return ActionResult(user_id=instance.spec.user_id)

    # ---- replies: thinking, speaking, the queue ----

    def _offer(self, instance: _Instance, reply: _Reply, body: dict[str, Any], queue_full_code: int) -> ActionResult:
        """An LLM or TTS reply: it takes over, or waits in the queue (the reference's priority rules)."""
        current = instance.reply
        clear_and_interrupt = body.get("SamePriorityOption", "ClearAndInterrupt") == "ClearAndInterrupt"
        # Higher priority, or the same with ClearAndInterrupt, takes over at once; the same with Enqueue
        # waits. The reference does not say what a lower priority does: it waits its turn here.
        takes_over = current is None or reply.priority > current.priority or (
            reply.priority == current.priority and clear_and_interrupt
        )
        if not takes_over and len(instance.queue) >= self._config.max_queued_tasks:
            # The reference caps the queue at 5 but gives no Code; its "active TTS/LLM call failed" fits.
            raise Rejected(queue_full_code, f"the queue already holds {len(instance.queue)} tasks (at most "
                                            f"{self._config.max_queued_tasks}); try again later")
        reply.round = instance.next_round()  # assigned at once, even when queued
        if takes_over:
            self._cut(instance)
            self._begin(instance, reply, self._monotonic())
        else:
            instance.queue.append(reply)
        return ActionResult(data={"Round": reply.round}, user_id=instance.spec.user_id)

    def _cut(self, instance: _Instance) -> None:
        instance.reply = None
        instance.queue.clear()

    def _begin(self, instance: _Instance, reply: _Reply, at: float) -> None:
        instance.reply = reply
        instance.phase_started = at
        if reply.question is not None:
            instance.messages.append({"Role": "user", "Content": reply.question})
        if reply.thinking_s > 0:
            instance.phase = AgentStatus.THINKING
        else:
            self._speak(instance, at)

    def _speak(self, instance: _Instance, at: float) -> None:
        reply = instance.reply
        assert reply is not None
        instance.phase = AgentStatus.SPEAKING
        instance.phase_started = at
        if reply.answer is not None:
            instance.messages.append({"Role": "assistant", "Content": reply.answer})

    def _run_replies(self, instance: _Instance, now: float) -> None:
        """Move through every phase that has ended by `now`, in order."""
        while instance.reply is not None:
            reply = instance.reply
            length = reply.thinking_s if instance.phase is AgentStatus.THINKING else reply.speaking_s
            ends = instance.phase_started + length
            if ends > now:
                return
            if instance.phase is AgentStatus.THINKING:
                self._speak(instance, ends)
            elif instance.queue:
                self._begin(instance, instance.queue.popleft(), ends)
            else:
                instance.reply = None

    # ---- time: idle expiry, graceful shutdown ----

    def _catch_up(self) -> None:
        now = self._monotonic()
        for instance in list(self._instances.values()):
            self._run_replies(instance, now)
            if instance.absent_since is not None and now - instance.absent_since >= instance.spec.max_idle_time_s:
                self._remove(instance, f"deleted after the user was out of the room for MaxIdleTime "
                                       f"{instance.spec.max_idle_time_s} s")
            elif instance.graceful_deadline is not None and (
                instance.status is AgentStatus.IDLE or now >= instance.graceful_deadline
            ):
                self._remove(instance, "deleted by DeleteAgentInstance (graceful shutdown)")

    def _remove(self, instance: _Instance, reason: str) -> None:
        self._instances.pop(instance.agent_instance_id, None)
        self._deleted[instance.agent_instance_id] = reason
        while len(self._deleted) > _FORGET_DELETED_AFTER:
            self._deleted.popitem(last=False)

    # ---- the room, and inspection ----

    def set_user_state(self, state: UserState, agent_instance_id: str | None = None, user_id: str | None = None) -> list[str]:
        """Put a user in a room state: of one instance, or of every live one and those created later
        (agent_instance_id None). user_id None means each instance's own user. Returns the instance ids."""
        with self._lock:
            self._catch_up()
            if agent_instance_id is None:
                if user_id is None:
                    self._default_user_state = state
                targets = list(self._instances.values())
            else:
                instance = self._instances.get(agent_instance_id)
                if instance is None:
                    raise KeyError(agent_instance_id)
                targets = [instance]
            now = self._monotonic()
            for instance in targets:
                self._place_user(instance, user_id or instance.spec.user_id, state, now)
            return [instance.agent_instance_id for instance in targets]

    def _place_user(self, instance: _Instance, user_id: str, state: UserState, now: float) -> None:
        instance.user_states[user_id] = state
        if user_id != instance.spec.user_id:
            return
        # "If the user (UserId) ... exceeds the MaxIdleTime and is not in the room": silent users are in it.
        if state is UserState.ABSENT:
            if instance.absent_since is None:
                instance.absent_since = now
        else:
            instance.absent_since = None

    def register_agent(self, agent_id: str) -> None:
        """Count `agent_id` as registered, as RegisterAgent would."""
        with self._lock:
            self._registered_agents.add(agent_id)

    def snapshots(self) -> list[AgentInstance]:
        """Copies of the live instances, brought up to date."""
        with self._lock:
            self._catch_up()
            return [_snapshot(instance) for instance in self._instances.values()]

    def snapshot(self, agent_instance_id: str) -> AgentInstance | None:
        """A copy of one live instance, or None when it does not exist (any more)."""
        with self._lock:
            self._catch_up()
            instance = self._instances.get(agent_instance_id)
            return _snapshot(instance) if instance is not None else None


def _priority(body: dict[str, Any]) -> int:
    return _PRIORITIES[body.get("Priority", "Medium")]


def _snapshot(instance: _Instance) -> AgentInstance:
    spec = instance.spec
    return AgentInstance(
        agent_instance_id=instance.agent_instance_id,
        agent_id=spec.agent_id,
        user_id=spec.user_id,
        communication_mode=spec.communication_mode,
        interrupt_mode=spec.interrupt_mode,
        rtc=dict(spec.rtc),
        created_wall=instance.created_wall,
        status=instance.status.value,
        listening=instance.status is AgentStatus.LISTENING,
        round=instance.last_round,
        user_state=instance.user_state(spec.user_id).value,
        max_idle_time_s=spec.max_idle_time_s,
        interrupts=instance.interrupts,
        queued=len(instance.queue),
        shutting_down=instance.graceful_deadline is not None,
        messages=tuple(dict(message) for message in instance.messages),
    )
