"""`ptt-app-sim` / `python -m ptt_app.sim`: serve the simulator on loopback until Ctrl+C (or SIGTERM)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from ptt_app.api.types import START_LISTENING
from ptt_app.sim.config import DEFAULT_AGENT_ID, DEMO_APP_ID, DEMO_SERVER_SECRET, SimConfig, UserState
from ptt_app.sim.control import USER_STATE_PATH
from ptt_app.sim.faults import Fault, FaultKind
from ptt_app.sim.simulator import AgentApiSimulator


def run(argv: list[str] | None = None) -> int:
    """Parse the command line, serve, and return the exit status."""
    args = _argument_parser().parse_args(argv)
    if args.secret_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
        if not secret:
            print("ptt-app-sim: --secret-stdin given but stdin had no secret line", file=sys.stderr)
            return 2
    else:
        secret = DEMO_SERVER_SECRET
    try:
        config = SimConfig(
            app_id=args.app_id,
            server_secret=secret,
            host=args.host,
            port=args.port,
            tls=args.tls,
            rate_limit_per_s=args.rate_limit,
            registered_agents=(DEFAULT_AGENT_ID, *args.agent),
            max_instances=args.max_instances,
            user_state=UserState(args.user_state),
            thinking_s=args.thinking,
            speaking_s=args.speaking,
        )
        simulator = AgentApiSimulator(config)
        if args.delay > 0:
            simulator.add_fault(Fault(FaultKind.DELAY, seconds=args.delay))
        if args.stall_start > 0:
            simulator.add_fault(Fault(FaultKind.STALL, action=START_LISTENING, seconds=args.stall_start))
        simulator.start()
    except (ValueError, OSError) as error:
        print(f"ptt-app-sim: {error}", file=sys.stderr)
        return 2
    source = "secret from stdin" if args.secret_stdin else "demo secret DEMO_SERVER_SECRET"
    print(f"ptt-app-sim serving {simulator.base_url} AppId={config.app_id} ({source}); Ctrl+C stops", flush=True)
    if simulator.ca_certificate_path:
        print(f"TLS certificate to trust: {simulator.ca_certificate_path}", flush=True)
    print(f"agents: {', '.join(config.registered_agents)}; user state: {config.user_state.value} "
          f"(change it: POST {simulator.base_url}{USER_STATE_PATH})", flush=True)
    _wait_for_interrupt()
    simulator.stop()
    return 0


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ptt-app-sim",
        description="Local simulator of the ZEGOCLOUD AI Agent API (loopback only). "
        "The ServerSecret is never taken from the command line.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (printed)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--app-id", type=int, default=DEMO_APP_ID, help=f"AppId to accept (default {DEMO_APP_ID})")
    parser.add_argument(
        "--secret-stdin", action="store_true", help="read the ServerSecret from one stdin line, not the demo secret"
    )
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throw-away certificate (path printed)")
    parser.add_argument(
        "--user-state",
        choices=[state.value for state in UserState],
        default=UserState.PUBLISHING.value,
        help="where the real user of each new instance is in its RTC room (default publishing)",
    )
    parser.add_argument(
        "--agent", action="append", default=[], metavar="AGENT_ID",
        help=f"register this AgentId besides {DEFAULT_AGENT_ID} (repeatable)",
    )
    parser.add_argument("--max-instances", type=int, default=10, help="live agent instances allowed (default 10)")
    parser.add_argument("--thinking", type=_seconds, default=1.0, metavar="S", help="THINKING time of a turn")
    parser.add_argument("--speaking", type=_seconds, default=2.0, metavar="S", help="SPEAKING time of a turn")
    parser.add_argument(
        "--stall-start", type=_seconds, default=0.0, metavar="S", help="hold every StartListening answer S seconds"
    )
    parser.add_argument(
        "--delay", type=_seconds, default=0.0, metavar="S", help="delay every request S seconds before acting"
    )
    parser.add_argument(
        "--rate-limit", type=float, default=None, metavar="N",
        help="requests per second per Action, answered HTTP 429 beyond (default off)",
    )
    return parser


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"seconds must not be negative, got {text}")
    return value


def _wait_for_interrupt() -> None:
    """Block until Ctrl+C or SIGTERM, so a supervisor's stop also closes connections cleanly."""
    stop_requested = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stop_requested.set())
    try:
        while not stop_requested.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    raise SystemExit(run())
