"""Commands that talk to the agent: start, stop, talk, status, interrupt, say, transcript, instance."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable

from ptt_app.api import codes
from ptt_app.api.types import (
    DELETE_AGENT_INSTANCE,
    GET_AGENT_INSTANCE_MSG_LIST,
    INTERRUPT_AGENT_INSTANCE,
    QUERY_AGENT_INSTANCE_STATUS,
    SEND_AGENT_INSTANCE_TTS,
    ApiRequest,
    ApiResult,
    instance_request,
)
from ptt_app.cli.output import EXIT_CALL_FAILED, EXIT_OK, CommandError, fail, failure_parts, report
from ptt_app.cli.parser import MAX_SAY_CHARS
from ptt_app.cli.settings_commands import save_profile_field
from ptt_app.session.command_console import CommandConsole
from ptt_app.session.runtime import ConsoleOptions, instance_spec, resolve_profile
from ptt_app.store.settings import creation_problems
from ptt_app.talk.advice import TalkContext
from ptt_app.talk.intents import ListenIntent


def with_console(options: ConsoleOptions, work: Callable[[CommandConsole], int]) -> int:
    """Open the session, run the command, and close it (waiting for Stops in the air)."""
    console = CommandConsole(options)
    try:
        for warning in console.take_warnings():
            fail(warning)
        return work(console)
    finally:
        console.close()
        for warning in console.take_warnings():
            fail(warning)


def context_of(console: CommandConsole) -> TalkContext:
    """The names advice quotes: the profile's instance, user and room."""
    profile = console.info.profile
    return TalkContext(profile.agent_instance_id, profile.user_id, profile.rtc_room_id)


def require_instance(console: CommandConsole) -> str:
    """The profile's AgentInstanceId, or a CommandError saying how to set one."""
    instance = console.info.profile.agent_instance_id
    if not instance:
        raise CommandError("AgentInstanceId: not set; pass --agent-instance-id, or run `ptt-app instance create --use`")
    return instance


def _printer(console: CommandConsole, statuses: list[int]) -> Callable[[ListenIntent, ApiResult, bool], None]:
    def show(intent: ListenIntent, result: ApiResult, final: bool) -> None:
        if final:
            statuses.append(report(result, context_of(console)))
        else:
            reason, details = failure_parts(result, context_of(console))
            fail(f"{result.action} failed: {reason.rstrip('.')}; sending it again ({details})")

    return show


def start(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """StartListening."""
    def run(console: CommandConsole) -> int:
        require_instance(console)
        statuses: list[int] = []
        console.press(_printer(console, statuses))
        return max(statuses, default=EXIT_CALL_FAILED)

    return with_console(options, run)


def stop(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """StopListening, numbered above every Sequence used before, so it ends any listening turn."""
    def run(console: CommandConsole) -> int:
        require_instance(console)
        statuses: list[int] = []
        console.release(_printer(console, statuses))
        return max(statuses, default=EXIT_CALL_FAILED)

    return with_console(options, run)


def talk(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """StartListening, wait, StopListening; the Stop goes out whatever happens, Ctrl+C included."""
    if not 0 <= args.hold <= 600:
        raise CommandError(f"--hold: must be from 0 to 600 seconds, got {args.hold:g}")

    def run(console: CommandConsole) -> int:
        require_instance(console)
        statuses: list[int] = []
        show = _printer(console, statuses)
        try:
            console.press(show)
            console.hold(args.hold)
        finally:
            console.release(show)
        return max(statuses, default=EXIT_CALL_FAILED)

    return with_console(options, run)


def status(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """QueryAgentInstanceStatus of the profile's instance: Status=..."""
    def run(console: CommandConsole) -> int:
        result = console.call(instance_request(QUERY_AGENT_INSTANCE_STATUS, require_instance(console)))
        code = report(result, context_of(console))
        if code == EXIT_OK:
            print(f"Status={(result.data or {}).get('Status', '-')}")
        return code

    return with_console(options, run)


def interrupt(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """InterruptAgentInstance: the agent stops its current answer."""
    return with_console(options, lambda console: report(
        console.call(instance_request(INTERRUPT_AGENT_INSTANCE, require_instance(console))), context_of(console)))


def say(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """SendAgentInstanceTTS: the agent speaks the text (the server refuses it while listening)."""
    text = args.text.strip()
    if not text:
        raise CommandError("TEXT: is empty; give what the agent should say")
    if len(text) > MAX_SAY_CHARS:
        raise CommandError(f"TEXT: must be at most {MAX_SAY_CHARS} characters, got {len(text)}")

    def run(console: CommandConsole) -> int:
        body = {"AgentInstanceId": require_instance(console), "Text": text, "Priority": args.priority}
        return report(console.call(ApiRequest(SEND_AGENT_INSTANCE_TTS, body)), context_of(console))

    return with_console(options, run)


def transcript(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """GetAgentInstanceMsgList: what the agent heard and answered."""
    def run(console: CommandConsole) -> int:
        result = console.call(instance_request(GET_AGENT_INSTANCE_MSG_LIST, require_instance(console)))
        code = report(result, context_of(console))
        if code != EXIT_OK:
            return code
        messages = [m for m in (result.data or {}).get("MessageList", []) if isinstance(m, dict)]
        if args.json:
            print(json.dumps(messages, indent=2, ensure_ascii=False))
        for message in [] if args.json else messages:
            print(f"{message.get('Role', '?')}: {message.get('Content', '')}")
        return EXIT_OK

    return with_console(options, run)


def instance(args: argparse.Namespace, options: ConsoleOptions) -> int:
    """instance create / status / delete."""
    def run(console: CommandConsole) -> int:
        if args.instance_action == "create":
            return _create_instance(console, args, options)
        target = args.instance_id or require_instance(console)
        action = QUERY_AGENT_INSTANCE_STATUS if args.instance_action == "status" else DELETE_AGENT_INSTANCE
        result = console.call(instance_request(action, target))
        profile = console.info.profile
        code = report(result, TalkContext(target, profile.user_id, profile.rtc_room_id))  # advice names the asked id
        if code == EXIT_OK and result.data:
            print(json.dumps(result.data, indent=2))
        # Deleted now, or already gone (deleted elsewhere, or idle past MaxIdleTime): either way the id is dead.
        if action == DELETE_AGENT_INSTANCE and (code == EXIT_OK or result.code == codes.INSTANCE_NOT_FOUND):
            _forget_deleted_instance(console, options, target)
        return code

    return with_console(options, run)


def _forget_deleted_instance(console: CommandConsole, options: ConsoleOptions, deleted: str) -> None:
    """Clear the profile's saved AgentInstanceId if it is the one that no longer exists, and say so."""
    if console.info.demo:
        return
    saved = resolve_profile(options)
    if saved.app_settings.profile(saved.name).agent_instance_id != deleted:
        return
    save_profile_field(options, "agent_instance_id", "")
    print(f"cleared AgentInstanceId {deleted} from profile {saved.name!r}: it no longer exists")


def _create_instance(console: CommandConsole, args: argparse.Namespace, options: ConsoleOptions) -> int:
    profile = console.info.profile
    if args.agent_id:
        profile = dataclasses.replace(profile, agent_id=args.agent_id)
    missing = creation_problems(profile)
    if missing:
        fields = ", ".join(problem.field for problem in missing)
        raise CommandError(f"{fields}: required to create an instance; set them with `ptt-app config set FIELD VALUE`")
    spec = instance_spec(profile)
    result = console.call(spec.as_request())
    code = report(result, context_of(console))
    instance_id = (result.data or {}).get("AgentInstanceId")
    if code == EXIT_OK and instance_id:
        print(f"AgentInstanceId={instance_id}")
        if args.use and options.demo:
            print("not saved (--use): the demo's simulator and its instances end with this command")
        elif args.use:
            save_profile_field(options, "agent_instance_id", str(instance_id))
            print(f"saved as the AgentInstanceId of profile {console.info.profile_name!r}")
    return code
