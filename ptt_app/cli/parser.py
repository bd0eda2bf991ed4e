"""The command line's grammar: every command and option, and errors that never echo a secret."""

from __future__ import annotations

import argparse
import re
from typing import Any, NoReturn

from ptt_app import __version__

SAY_PRIORITIES = ("Low", "Medium", "High")
MAX_SAY_CHARS = 300
# An option whose name says it holds a secret: its value is never repeated in an error message.
_SECRET_OPTION = re.compile(r"secret|passw|token|key|credential", re.IGNORECASE)
_UNRECOGNIZED = "unrecognized arguments: "


def redact_arguments(tokens: list[str]) -> list[str]:
    """The tokens as an error may show them: a value given to a secret-like option becomes "…"."""
    shown: list[str] = []
    hide_next = False
    for token in tokens:
        if token.startswith("-"):
            name, has_value, _value = token.partition("=")
            secret = bool(_SECRET_OPTION.search(name))
            shown.append(f"{name}=…" if secret and has_value else token if not secret else name)
            hide_next = secret and not has_value
        else:
            shown.append("…" if hide_next else token)
            hide_next = False
    return shown


class SafeArgumentParser(argparse.ArgumentParser):
    """No abbreviated options (`--secret` must not quietly mean `--secret-stdin`), and errors that name
    unknown options without echoing what was given to a secret-like one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        if message.startswith(_UNRECOGNIZED):
            tokens = message[len(_UNRECOGNIZED):].split(" ")
            message = _UNRECOGNIZED + " ".join(redact_arguments(tokens))
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, subcommands included."""
    parser = SafeArgumentParser(
        prog="ptt-app",
        description="Push-to-talk console for ZEGOCLOUD AI agents in walkie-talkie mode. "
        "With no command it opens the operator window.",
    )
    parser.add_argument("--version", action="version", version=f"ptt-app {__version__}")
    parser.add_argument("--demo", action="store_true", help="use an embedded simulator with throw-away credentials")
    parser.add_argument("--profile", help="settings and credentials profile (default: the active one)")
    parser.add_argument("--endpoint", help="API endpoint URL for this run (not with --demo)")
    parser.add_argument("--agent-instance-id", help="AgentInstanceId for this run (not with --demo)")
    parser.add_argument("--user-id", help="UserId for this run")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the window, press and release once on the demo, print both RequestIds, quit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _credentials_commands(commands)
    _talk_commands(commands)
    _agent_commands(commands)
    _log_command(commands)
    _instance_commands(commands)
    _config_commands(commands)
    return parser


def _credentials_commands(commands: Any) -> None:
    credentials = commands.add_parser("credentials", help="AppId and ServerSecret in the system keyring")
    actions = credentials.add_subparsers(dest="credentials_action", metavar="ACTION", required=True)
    save = actions.add_parser("set", help="save AppId and ServerSecret (the secret is read from stdin or a hidden prompt)")
    save.add_argument("--app-id", required=True, help="AppId from the ZEGOCLOUD console")
    save.add_argument("--secret-stdin", action="store_true", help="read the ServerSecret from one line of stdin")
    actions.add_parser("check", help="say whether credentials are saved and the keyring works")
    actions.add_parser("clear", help="delete this profile's credentials from the keyring")


def _talk_commands(commands: Any) -> None:
    commands.add_parser("start", help="send StartListening")
    commands.add_parser("stop", help="send StopListening")
    talk = commands.add_parser("talk", help="StartListening, wait, StopListening (Stop is sent even on Ctrl+C)")
    talk.add_argument("--hold", type=float, required=True, metavar="SECONDS", help="how long to hold, 0 to 600 s")


def _agent_commands(commands: Any) -> None:
    commands.add_parser("status", help="QueryAgentInstanceStatus: prints Status=IDLE|LISTENING|THINKING|SPEAKING")
    commands.add_parser("interrupt", help="InterruptAgentInstance: stop the agent's current answer")
    say = commands.add_parser("say", help="SendAgentInstanceTTS: the agent speaks TEXT (refused while listening)")
    say.add_argument("text", metavar="TEXT", help=f"what the agent says, at most {MAX_SAY_CHARS} characters")
    say.add_argument("--priority", choices=SAY_PRIORITIES, default="Medium", help="default Medium")
    transcript = commands.add_parser("transcript", help="GetAgentInstanceMsgList: what the agent heard and answered")
    transcript.add_argument("--json", action="store_true", help="print JSON instead of text")


def _log_command(commands: Any) -> None:
    log = commands.add_parser("log", help="show the latest requests from the journal")
    log.add_argument("--last", type=int, default=20, metavar="N", help="how many rows (default 20)")
    log.add_argument("--json", action="store_true", help="print JSON (times as ISO 8601 beside the epoch values)")
    log.add_argument("--export", metavar="FILE", help="write the whole journal to FILE (.csv or .json) instead")


def _instance_commands(commands: Any) -> None:
    instance = commands.add_parser("instance", help="walkie-talkie agent instances")
    actions = instance.add_subparsers(dest="instance_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="CreateAgentInstance in walkie-talkie mode")
    create.add_argument("--agent-id", help="AgentId (default: the profile's)")
    create.add_argument("--use", action="store_true", help="save the new AgentInstanceId in the profile")
    for name, text in (("status", "QueryAgentInstanceStatus"), ("delete", "DeleteAgentInstance")):
        action = actions.add_parser(name, help=text)
        action.add_argument("instance_id", nargs="?", help="AgentInstanceId (default: the profile's)")


def _config_commands(commands: Any) -> None:
    config = commands.add_parser("config", help="non-secret settings of a profile")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    actions.add_parser("show", help="print the profile's settings")
    change = actions.add_parser("set", help="change one setting (validated before saving)")
    change.add_argument("field", help="setting name, e.g. agent_instance_id, region, hold_key, hotkey_scope, language")
    change.add_argument("value")
