"""`ptt-app`: the operator window with no subcommand, scriptable commands with one."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ptt_app import __version__
from ptt_app.api.types import (
    START_LISTENING,
    STOP_LISTENING,
    ApiResult,
    Credentials,
    instance_request,
    listening_request,
)
from ptt_app.session.runtime import (
    ConsoleOptions,
    ConsoleSession,
    DemoStartFailed,
    instance_spec,
    open_session,
    resolve_profile,
)
from ptt_app.store.credentials import (
    CredentialError,
    InvalidCredential,
    KeyringCredentialStore,
    check_server_secret,
    parse_app_id,
)
from ptt_app.store.journal import JournalEntry, RequestJournal
from ptt_app.store.paths import journal_path, settings_path
from ptt_app.store.settings import (
    InvalidSettings,
    ProfileSettings,
    SettingsStore,
    validate_profile,
)

EXIT_OK = 0
EXIT_CALL_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_CREDENTIALS = 3


class CommandError(Exception):
    """A failure with a one-line reason for stderr and an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, subcommands included."""
    parser = argparse.ArgumentParser(
        prog="ptt-app",
        description="Push-to-talk console for ZEGOCLOUD AI agents in walkie-talkie mode. "
        "With no command it opens the operator window.",
    )
    parser.add_argument("--version", action="version", version=f"ptt-app {__version__}")
    parser.add_argument("--demo", action="store_true", help="use an embedded simulator with throw-away credentials")
    parser.add_argument("--profile", help="settings and credentials profile (default: the active one)")
    parser.add_argument("--endpoint", help="API endpoint URL for this run")
    parser.add_argument("--agent-instance-id", help="AgentInstanceId for this run")
    parser.add_argument("--user-id", help="UserId for this run")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, press and release once on the demo, print both RequestIds, quit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    credentials = commands.add_parser("credentials", help="AppId and ServerSecret in the system keyring")
    cred_actions = credentials.add_subparsers(dest="credentials_action", metavar="ACTION", required=True)
    cred_set = cred_actions.add_parser(
        "set", help="save AppId and ServerSecret (the secret is read from stdin or a hidden prompt)"
    )
    cred_set.add_argument("--app-id", required=True, help="AppId from the ZEGOCLOUD console")
    cred_set.add_argument("--secret-stdin", action="store_true", help="read the ServerSecret from one line of stdin")
    cred_actions.add_parser("check", help="say whether credentials are saved and the keyring works")
    cred_actions.add_parser("clear", help="delete this profile's credentials from the keyring")

    commands.add_parser("start", help="send StartListening")
    commands.add_parser("stop", help="send StopListening")
    talk = commands.add_parser("talk", help="StartListening, wait, StopListening (Stop is sent even on Ctrl+C)")
    talk.add_argument("--hold", type=float, required=True, metavar="SECONDS", help="how long to hold, 0 to 600 s")

    log = commands.add_parser("log", help="show the latest requests from the journal")
    log.add_argument("--last", type=int, default=20, metavar="N", help="how many rows (default 20)")
    log.add_argument("--json", action="store_true", help="print JSON instead of text")
    log.add_argument("--export", metavar="FILE", help="write the whole journal to FILE (.csv or .json) instead")

    instance = commands.add_parser("instance", help="walkie-talkie agent instances")
    inst_actions = instance.add_subparsers(dest="instance_action", metavar="ACTION", required=True)
    create = inst_actions.add_parser("create", help="CreateAgentInstance in walkie-talkie mode")
    create.add_argument("--agent-id", help="AgentId (default: the profile's)")
    create.add_argument("--use", action="store_true", help="save the new AgentInstanceId in the profile")
    for name, text in (("status", "QueryAgentInstanceStatus"), ("delete", "DeleteAgentInstance")):
        action = inst_actions.add_parser(name, help=text)
        action.add_argument("instance_id", nargs="?", help="AgentInstanceId (default: the profile's)")

    config = commands.add_parser("config", help="non-secret settings of a profile")
    config_actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    config_actions.add_parser("show", help="print the profile's settings")
    config_set = config_actions.add_parser("set", help="change one setting (validated before saving)")
    config_set.add_argument("field", help="setting name, e.g. agent_instance_id")
    config_set.add_argument("value")
    return parser


def console_options(args: argparse.Namespace) -> ConsoleOptions:
    """The choices every command and the window share, from parsed arguments."""
    return ConsoleOptions(args.demo, args.profile, args.endpoint, args.agent_instance_id, args.user_id)


def run_command(args: argparse.Namespace) -> int:
    """Run one parsed subcommand; the exit code says how it ended (EXIT_*)."""
    options = console_options(args)
    handler = _HANDLERS[args.command]
    try:
        return handler(args, options)
    except CommandError as error:
        _fail(str(error))
        return error.exit_code
    except InvalidCredential as error:
        _fail(str(error))
        return EXIT_BAD_INPUT
    except CredentialError as error:
        _fail(str(error))
        return EXIT_CREDENTIALS
    except InvalidSettings as error:
        _fail(f"invalid settings: {error}")
        return EXIT_BAD_INPUT
    except DemoStartFailed as error:
        _fail(str(error))
        return EXIT_CALL_FAILED
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130


def _fail(message: str) -> None:
    print(f"ptt-app: {message}", file=sys.stderr)


def _credentials(args: argparse.Namespace, options: ConsoleOptions) -> int:
    if options.demo:
        raise CommandError("credentials: --demo uses throw-away credentials; nothing to manage")
    profile = resolve_profile(options).name
    store = KeyringCredentialStore()
    if args.credentials_action == "set":
        app_id = parse_app_id(args.app_id)
        secret = check_server_secret(_read_secret(args.secret_stdin))
        store.save(profile, Credentials(app_id, secret))
        print(f"saved AppId {app_id} and the ServerSecret for profile {profile!r} in the {store.backend_name()} keyring")
        return EXIT_OK
    if args.credentials_action == "check":
        credentials = store.load(profile)
        print(
            f"profile {profile!r}: AppId {credentials.app_id} and a ServerSecret are saved in the {store.backend_name()} keyring"
        )
        return EXIT_OK
    removed = store.clear(profile)
    print(f"profile {profile!r}: credentials {'deleted' if removed else 'were not saved'}")
    return EXIT_OK


def _read_secret(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return getpass.getpass("ServerSecret (hidden): ")


def _with_session(options: ConsoleOptions, work: Callable[[ConsoleSession], int]) -> int:
    session = open_session(options)
    try:
        return work(session)
    finally:
        session.close()


def _require_instance(session: ConsoleSession) -> str:
    if not session.profile.agent_instance_id:
        raise CommandError("AgentInstanceId: not set; pass --agent-instance-id, or run `ptt-app instance create --use`")
    return session.profile.agent_instance_id


def _report(result: ApiResult) -> int:
    print(result.summary())
    if result.ok:
        return EXIT_OK
    _fail(f"{result.action} failed: {result.explanation()}")
    return EXIT_CALL_FAILED


def _listen(session: ConsoleSession, action: str) -> int:
    instance = _require_instance(session)
    target = session.api.target(instance, session.profile.user_id)
    request = listening_request(action, target.agent_instance_id, target.user_id, session.sequence_source().next())
    return _report(session.api.call(target, request))


def _start(args: argparse.Namespace, options: ConsoleOptions) -> int:
    return _with_session(options, lambda session: _listen(session, START_LISTENING))


def _stop(args: argparse.Namespace, options: ConsoleOptions) -> int:
    return _with_session(options, lambda session: _listen(session, STOP_LISTENING))


def _talk(args: argparse.Namespace, options: ConsoleOptions) -> int:
    if not 0 <= args.hold <= 600:
        raise CommandError(f"--hold: must be from 0 to 600 seconds, got {args.hold:g}")

    def talk(session: ConsoleSession) -> int:
        instance = _require_instance(session)
        target = session.api.target(instance, session.profile.user_id)
        sequences = session.sequence_source()
        start_status = EXIT_CALL_FAILED
        try:
            start = listening_request(START_LISTENING, instance, target.user_id, sequences.next())
            start_status = _report(session.api.call(target, start))
            time.sleep(args.hold)
        finally:
            # Stop goes out whatever happened above, so the agent is never left listening.
            stop = listening_request(STOP_LISTENING, instance, target.user_id, sequences.next())
            stop_status = _report(session.api.call(target, stop))
        return start_status or stop_status

    return _with_session(options, talk)


def _log(args: argparse.Namespace, options: ConsoleOptions) -> int:
    if args.export:
        return _export_log(args.export)
    if args.last < 1:
        raise CommandError(f"--last: must be 1 or more, got {args.last}")
    with RequestJournal(journal_path()) as journal:
        entries = list(reversed(journal.recent(args.last)))
    if args.json:
        print(json.dumps([entry.as_dict() for entry in entries], indent=2))
    else:
        for entry in entries:
            print(format_entry(entry))
    return EXIT_OK


def _export_log(destination: str) -> int:
    path = Path(destination)
    if path.suffix.lower() not in (".csv", ".json"):
        raise CommandError(f"--export: the file must end in .csv or .json, got {path.name!r}")
    try:
        with RequestJournal(journal_path()) as journal:
            (journal.export_json if path.suffix.lower() == ".json" else journal.export_csv)(path)
            print(f"exported {journal.count()} rows to {path}")
    except OSError as error:
        raise CommandError(f"--export: cannot write {path}: {error.strerror or error}") from None
    return EXIT_OK


def format_entry(entry: JournalEntry) -> str:
    """One journal row as a line of text: time, action, Sequence, status, Code, RequestId, latency."""
    when = datetime.fromtimestamp(entry.sent_at).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if entry.sent_at else "-"
    latency = f"{entry.latency_ms:.1f}ms" if entry.latency_ms is not None else "-"
    code = entry.code if entry.code is not None else "-"
    return (
        f"{when} {entry.action} Sequence={entry.sequence if entry.sequence is not None else '-'} "
        f"status={entry.status.value} Code={code} RequestId={entry.request_id or '-'} latency={latency} "
        f"{entry.message}".rstrip()
    )


def _instance(args: argparse.Namespace, options: ConsoleOptions) -> int:
    def run(session: ConsoleSession) -> int:
        if args.instance_action == "create":
            return _create_instance(session, args, options)
        instance = args.instance_id or _require_instance(session)
        action = "QueryAgentInstanceStatus" if args.instance_action == "status" else "DeleteAgentInstance"
        result = session.api.call(session.api.target(instance, ""), instance_request(action, instance))
        status = _report(result)
        if result.ok and result.data:
            print(json.dumps(result.data, indent=2))
        return status

    return _with_session(options, run)


def _create_instance(session: ConsoleSession, args: argparse.Namespace, options: ConsoleOptions) -> int:
    profile = session.profile
    if args.agent_id:
        profile = dataclasses.replace(profile, agent_id=args.agent_id)
    if not profile.agent_id:
        raise CommandError("AgentId: not set; pass --agent-id or `ptt-app config set agent_id ID`")
    spec = instance_spec(profile)
    result = session.api.call(session.api.target("", spec.user_id), spec.as_request())
    status = _report(result)
    instance_id = (result.data or {}).get("AgentInstanceId")
    if result.ok and instance_id:
        print(f"AgentInstanceId={instance_id}")
        if args.use and not options.demo:
            _save_profile_field(options, "agent_instance_id", instance_id)
            print(f"saved as the AgentInstanceId of profile {session.profile_name!r}")
    return status


def _config(args: argparse.Namespace, options: ConsoleOptions) -> int:
    resolved = resolve_profile(options)
    if args.config_action == "show":
        print(json.dumps({"profile": resolved.name, **dataclasses.asdict(resolved.settings)}, indent=2))
        for warning in resolved.warnings:
            _fail(warning)
        return EXIT_OK
    _save_profile_field(options, args.field, args.value)
    print(f"saved {args.field} for profile {resolved.name!r}")
    return EXIT_OK


def _save_profile_field(options: ConsoleOptions, field: str, text: str) -> None:
    store = SettingsStore(settings_path())
    app_settings = store.load().settings
    name = options.profile or app_settings.active_profile
    profile = app_settings.profiles.get(name, ProfileSettings())
    fields = {f.name: f for f in dataclasses.fields(ProfileSettings)}
    if field not in fields:
        raise CommandError(f"{field}: no such setting; known: {', '.join(sorted(fields))}")
    updated = dataclasses.replace(profile, **{field: _convert(field, getattr(profile, field), text)})
    problems = validate_profile(updated)
    if problems:
        raise InvalidSettings(problems)
    store.save(app_settings.with_profile(name, updated))


def _convert(field: str, current: object, text: str) -> object:
    try:
        if isinstance(current, bool):
            raise CommandError(f"{field}: not settable from the command line")
        if isinstance(current, int):
            return int(text)
        if isinstance(current, float):
            return float(text)
    except ValueError:
        raise CommandError(f"{field}: must be a number, got {text!r}") from None
    return text


_HANDLERS: dict[str, Callable[[argparse.Namespace, ConsoleOptions], int]] = {
    "credentials": _credentials,
    "start": _start,
    "stop": _stop,
    "talk": _talk,
    "log": _log,
    "instance": _instance,
    "config": _config,
}

