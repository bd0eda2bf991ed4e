"""`ptt-app COMMAND`: the scriptable commands (the launcher opens the window when there is none)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ptt_app.cli import agent_commands, log_commands, settings_commands
from ptt_app.cli.output import EXIT_BAD_INPUT, EXIT_CALL_FAILED, EXIT_CREDENTIALS, CommandError, fail
from ptt_app.cli.parser import build_parser
from ptt_app.session.demo import DemoStartFailed
from ptt_app.session.runtime import ConsoleOptions
from ptt_app.store.credentials import CredentialError, InvalidCredential
from ptt_app.store.journal import JournalError
from ptt_app.store.settings import InvalidSettings

__all__ = ["build_parser", "console_options", "run_command"]

_HANDLERS: dict[str, Callable[[argparse.Namespace, ConsoleOptions], int]] = {
    "credentials": settings_commands.credentials,
    "config": settings_commands.config,
    "start": agent_commands.start,
    "stop": agent_commands.stop,
    "talk": agent_commands.talk,
    "status": agent_commands.status,
    "interrupt": agent_commands.interrupt,
    "say": agent_commands.say,
    "transcript": agent_commands.transcript,
    "instance": agent_commands.instance,
    "log": log_commands.log,
}
# The demo runs its own simulator and instance: these one-run overrides would be silently ignored.
_NOT_WITH_DEMO = (("endpoint", "--endpoint"), ("agent_instance_id", "--agent-instance-id"))


def console_options(args: argparse.Namespace) -> ConsoleOptions:
    """The choices every command and the window share; CommandError for a combination that makes no sense."""
    for field, flag in _NOT_WITH_DEMO:
        if args.demo and getattr(args, field) is not None:
            raise CommandError(f"{flag}: cannot be combined with --demo (the demo runs its own simulator and "
                               f"instance); drop one of them")
    return ConsoleOptions(args.demo, args.profile, args.endpoint, args.agent_instance_id, args.user_id)


def run_command(args: argparse.Namespace) -> int:
    """Run one parsed command; the exit code says how it ended."""
    try:
        return _HANDLERS[args.command](args, console_options(args))
    except CommandError as error:
        fail(str(error))
        return error.exit_code
    except InvalidCredential as error:
        fail(str(error))
        return EXIT_BAD_INPUT
    except CredentialError as error:
        fail(str(error))
        return EXIT_CREDENTIALS
    except InvalidSettings as error:
        fail(f"invalid settings: {error}")
        return EXIT_BAD_INPUT
    except (DemoStartFailed, JournalError) as error:
        fail(str(error))
        return EXIT_CALL_FAILED
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
