"""`ptt-app`: the operator window with no command, a scriptable command otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from ptt_app import cli


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ptt-app` console script and of the installed bundle."""
    args = cli.build_parser().parse_args(argv)
    if args.command is None:
        from ptt_app.gui.app import run_window

        return run_window(cli.console_options(args), smoke_test=args.smoke_test)
    return cli.run_command(args)
