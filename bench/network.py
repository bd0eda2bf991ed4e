"""Presses and releases on emulated networks: the app's client beside a plain requests.Session and curl.

The simulator serves HTTPS (a throw-away certificate) in its own process; a second process runs one
network lab (tests/support/netlab.py) per emulated RTT and idle mode in front of it. Each "lane" is one
client on one lab with its own agent instance. After an opening call it repeats a cycle: idle for the
lane's spell, one call (Start and Stop alternately: the first press, or release, after that much idle),
then `warm_gap_s` later the same action again on the now warm path (the warm control, measured under
the same load at the same moment). Press/release-to-receipt is the simulator's receipt stamp
(CLOCK_MONOTONIC, system-wide) minus the stamp taken just before the call began. Lanes run in parallel
threads, one process per client kind and RTT, so 5-minute idle spells fit in one run; `--quick` scales every
duration down ten-fold.

Idle modes (middlebox idle limit 30 s, as at the low end of common NAT and load balancer limits):
  none       nothing between client and server but delay (the simulator itself closes at 60 s idle)
  fin        the connection is closed with a FIN after the idle limit (load balancer, server)
  blackhole  forwarding silently stops after the idle limit (a NAT that dropped the mapping)
  reset      bytes sent after the idle limit are answered with an RST (AWS NLB style)
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from multiprocessing.managers import BaseManager
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import secrets

import requests

from common import percentiles, write_result
from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.signing import signed_params
from ptt_app.api.types import START_LISTENING, STOP_LISTENING, ApiResult, Credentials, listening_request
from ptt_app.sim import AgentApiSimulator, SimConfig
from support.netlab import LinkSettings, NetLab

KINDS = ("ptt-app client", "plain requests.Session", "curl per call")
MODES = ("none", "fin", "blackhole", "reset")
READ_TIMEOUT_S = 5.0
CONNECT_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Plan:
    """Durations and counts of one run."""

    rtts_ms: tuple[int, ...]
    middlebox_idle_s: float
    client_idle_limit_s: float
    maintain_every_s: float
    warm_gap_s: float
    idle_spells_s: tuple[float, ...]
    cycles_per_lane: tuple[int, ...]
    lanes_per_cell: tuple[int, ...]
    spread_s: float


FULL = Plan(
    rtts_ms=(0, 50, 150),
    middlebox_idle_s=30.0,
    client_idle_limit_s=15.0,
    maintain_every_s=1.0,
    warm_gap_s=1.0,
    idle_spells_s=(10.0, 60.0, 300.0),
    cycles_per_lane=(50, 8, 2),
    lanes_per_cell=(1, 4, 12),
    spread_s=60.0,
)
QUICK = Plan(
    rtts_ms=(0, 50, 150),
    middlebox_idle_s=3.0,
    client_idle_limit_s=1.5,
    maintain_every_s=0.1,
    warm_gap_s=0.25,
    idle_spells_s=(1.0, 6.0, 30.0),
    cycles_per_lane=(20, 6, 2),
    lanes_per_cell=(1, 1, 2),
    spread_s=6.0,
)


# ---- the server side, in two processes of their own ----


class TlsSimulatorHost:
    """The simulator over HTTPS, with room for one instance per lane."""

    def __init__(self, app_id: int, server_secret: str, max_instances: int) -> None:
        sys.setswitchinterval(0.0005)  # see run_lanes: many threads, one GIL
        self._sim = AgentApiSimulator(
            SimConfig(app_id=app_id, server_secret=server_secret, tls=True, max_instances=max_instances)
        )
        self._sim.start()

    def base_url(self) -> str:
        return self._sim.base_url

    def ca_certificate_path(self) -> str:
        return self._sim.ca_certificate_path or ""

    def create_instance(self, user_id: str) -> str:
        return self._sim.create_instance(agent_id="bench-agent", user_id=user_id)

    def receipts(self) -> list[tuple[str | None, str, int | None, float]]:
        """(instance, action, Sequence, received_monotonic) of every request received."""
        return [(r.agent_instance_id, r.action, r.sequence, r.received_monotonic) for r in self._sim.received()]

    def stop(self) -> None:
        self._sim.stop()


class LabHost:
    """Network labs by name, all in front of the simulator."""

    def __init__(self) -> None:
        sys.setswitchinterval(0.0005)  # see run_lanes: a dozen event loops, one GIL
        self._labs: dict[str, NetLab] = {}

    def open(self, name: str, upstream_url: str, settings: dict) -> str:
        lab = NetLab.in_front_of(upstream_url, LinkSettings(**settings))
        lab.start()
        self._labs[name] = lab
        return lab.base_url

    def counters(self) -> dict[str, dict]:
        return {name: asdict(lab.counters()) for name, lab in self._labs.items()}

    def stop(self) -> None:
        for lab in self._labs.values():
            lab.stop()


class _Hosts(BaseManager):
    pass


_Hosts.register("TlsSimulatorHost", TlsSimulatorHost)
_Hosts.register("LabHost", LabHost)


def mode_settings(mode: str, rtt_ms: int, plan: Plan) -> dict:
    """The lab settings of one RTT and idle mode."""
    settings: dict = {"delay_ms": rtt_ms / 2}
    if mode != "none":
        settings[f"idle_{mode}_s"] = plan.middlebox_idle_s
    return settings


# ---- the client side: lanes ----


@dataclass(frozen=True)
class Call:
    """One measured Start or Stop."""

    cell: tuple[int, str, str, float]  # rtt_ms, mode, kind, idle spell (s)
    warm: bool  # the warm control, warm_gap_s after the call that followed the idle spell
    instance: str
    action: str
    sequence: int
    sent_monotonic: float
    ok: bool
    resent: bool
    problem: str


@dataclass(frozen=True)
class Lane:
    """One client, on one lab, with its own instance, making `cycles` idle-then-warm call pairs."""

    rtt_ms: int
    mode: str
    kind: str
    idle_s: float
    cycles: int
    start_after_s: float
    url: str
    instance: str


def run_lanes(plan: Plan, credentials: Credentials, ca_path: str, lanes: list[Lane], start_at: float) -> list[Call]:
    """Run lanes in threads of this process (a worker per client kind) and return their calls."""
    # Hundreds of mostly idle threads share this process's GIL; the default 5 ms switch interval would
    # let one thread's Python work delay another's timestamp by up to 5 ms, which the app (one sender
    # thread per connection) never sees. 0.5 ms keeps that artefact below the figures reported.
    sys.setswitchinterval(0.0005)
    # Hundreds of lanes make this process hold far more objects than the app ever does: a full cyclic
    # collection here takes milliseconds and lands on whichever call is in flight. Reference counting
    # still frees everything acyclic; the run is short enough for the rest to wait.
    gc.disable()
    bench = Bench(plan, credentials, ca_path)
    bench.run(lanes, start_at)
    return bench.calls


class Bench:
    """Runs lanes and collects their calls."""

    def __init__(self, plan: Plan, credentials: Credentials, ca_path: str) -> None:
        self.plan = plan
        self.credentials = credentials
        self.ca_path = ca_path
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self.curl = shutil.which("curl")

    def run(self, lanes: list[Lane], start_at: float) -> None:
        threads = [threading.Thread(target=self._run_lane, args=(lane, start_at), daemon=True) for lane in lanes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _run_lane(self, lane: Lane, start_at: float) -> None:
        caller = self._caller(lane)
        sequence = 1
        try:
            time.sleep(max(0.0, start_at + lane.start_after_s - time.monotonic()))
            caller.open()
            caller.call(STOP_LISTENING, sequence)  # the opening call: the path is in use before the first spell
            for cycle in range(lane.cycles):
                action = START_LISTENING if cycle % 2 == 0 else STOP_LISTENING
                for warm, idle_s in ((False, lane.idle_s), (True, self.plan.warm_gap_s)):
                    caller.idle_until(time.monotonic() + idle_s)
                    sequence += 1
                    self._measure(caller, lane, warm, action, sequence)
        finally:
            caller.close()

    def _measure(self, caller: _Caller, lane: Lane, warm: bool, action: str, sequence: int) -> None:
        sent = time.monotonic()
        ok, resent, problem = caller.call(action, sequence)
        call = Call((lane.rtt_ms, lane.mode, lane.kind, lane.idle_s), warm, lane.instance, action, sequence, sent,
                    ok, resent, problem)
        with self._lock:
            self.calls.append(call)

    def _caller(self, lane: Lane) -> _Caller:
        if lane.kind == KINDS[0]:
            return _AppClientCaller(self, lane)
        if lane.kind == KINDS[1]:
            return _PlainSessionCaller(self, lane)
        return _CurlCaller(self, lane)


class _Caller:
    """How one kind of client idles and calls."""

    def __init__(self, bench: Bench, lane: Lane) -> None:
        self.bench = bench
        self.lane = lane

    def open(self) -> None:
        pass

    def idle_until(self, moment: float) -> None:
        time.sleep(max(0.0, moment - time.monotonic()))

    def call(self, action: str, sequence: int) -> tuple[bool, bool, str]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def signed_url(self, action: str) -> str:
        query = signed_params(self.bench.credentials.app_id, self.bench.credentials.server_secret).as_query(action)
        return f"{self.lane.url}/?{urlencode(query)}"

    def body(self, action: str, sequence: int) -> dict:
        return listening_request(action, self.lane.instance, "", sequence).body


class _AppClientCaller(_Caller):
    """The app's client as a sender thread drives it: warm_up(), then maintain() while idle."""

    def open(self) -> None:
        plan = self.bench.plan
        self.client = AgentApiClient(self.bench.credentials, self.lane.url, ca_bundle=self.bench.ca_path,
                                     connect_timeout_s=CONNECT_TIMEOUT_S, read_timeout_s=READ_TIMEOUT_S,
                                     idle_limit_s=plan.client_idle_limit_s)
        self.client.warm_up()

    def idle_until(self, moment: float) -> None:
        while (left := moment - time.monotonic()) > 0:
            time.sleep(min(left, self.bench.plan.maintain_every_s))
            self.client.maintain()

    def call(self, action: str, sequence: int) -> tuple[bool, bool, str]:
        first: list[ApiResult] = []
        result = self.client.send(listening_request(action, self.lane.instance, "", sequence), on_resend=first.append)
        problem = "" if result.ok else result.explanation()
        if first:
            problem = f"first attempt: {first[0].explanation()}" + (f"; then {problem}" if problem else "")
        return result.ok, bool(first), problem

    def close(self) -> None:
        self.client.close()


class _PlainSessionCaller(_Caller):
    """A requests.Session used the obvious way: post with timeouts, nothing else."""

    def open(self) -> None:
        self.session = requests.Session()

    def call(self, action: str, sequence: int) -> tuple[bool, bool, str]:
        try:
            answer = self.session.post(self.signed_url(action), json=self.body(action, sequence),
                                       timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S), verify=self.bench.ca_path)
            code = answer.json().get("Code")
        except (requests.RequestException, ValueError) as error:
            return False, False, type(error).__name__
        return code == 0, False, "" if code == 0 else f"Code {code}"

    def close(self) -> None:
        self.session.close()


class _CurlCaller(_Caller):
    """curl per call: a new process, TCP connection and TLS handshake every time."""

    def call(self, action: str, sequence: int) -> tuple[bool, bool, str]:
        if self.bench.curl is None:
            return False, False, "curl not installed"
        command = [self.bench.curl, "-sS", "--cacert", self.bench.ca_path, "--connect-timeout", str(CONNECT_TIMEOUT_S),
                   "--max-time", str(READ_TIMEOUT_S + CONNECT_TIMEOUT_S), "-X", "POST",
                   "-H", "Content-Type: application/json", "--data", json.dumps(self.body(action, sequence)),
                   self.signed_url(action)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            return False, False, f"curl exit {done.returncode}"
        try:
            code = json.loads(done.stdout).get("Code")
        except ValueError:
            return False, False, "answer not JSON"
        return code == 0, False, "" if code == 0 else f"Code {code}"


# ---- planning, running, reporting ----


def plan_lanes(plan: Plan, urls: dict[tuple[int, str], str], new_instance) -> list[Lane]:
    """Every (RTT, mode, kind, idle spell) cell with its lanes, start times spread so calls do not bunch."""
    lanes: list[Lane] = []
    cells = [(rtt, mode, kind) for rtt in plan.rtts_ms for mode in MODES for kind in KINDS]
    for idle_s, cycles, count in zip(plan.idle_spells_s, plan.cycles_per_lane, plan.lanes_per_cell, strict=True):
        total = len(cells) * count
        for index, (rtt, mode, kind) in enumerate(cell for cell in cells for _ in range(count)):
            start_after = plan.spread_s * ((index * 7919) % total) / total  # a fixed shuffle: neighbours apart
            lanes.append(Lane(rtt, mode, kind, idle_s, cycles, start_after, urls[(rtt, mode)],
                              new_instance(f"lane-{len(lanes)}")))
    return lanes


def summarise(calls: list[Call], receipts: list[tuple[str | None, str, int | None, float]]) -> dict:
    """Per RTT, mode, spell ("warm" pools the warm controls of every lane) and client: receipt latency of
    presses and releases (p50/p99 over calls that reached the server), and calls that failed or were resent.
    Each idle spell's entry also carries `warm_control`: the same figures for the warm controls of that
    spell's own lanes, taken warm_gap_s after each first call, under the same load."""
    first_receipt: dict[tuple[str, str, int], float] = {}
    for instance, action, sequence, received in receipts:
        if instance is None or sequence is None:
            continue
        key = (instance, action, sequence)
        first_receipt[key] = min(received, first_receipt.get(key, received))

    def latencies(group: list[Call]) -> dict:
        figures: dict = {}
        for label, action in (("press_ms", START_LISTENING), ("release_ms", STOP_LISTENING)):
            samples = [(first_receipt[(c.instance, c.action, c.sequence)] - c.sent_monotonic) * 1000
                       for c in group if c.action == action and (c.instance, c.action, c.sequence) in first_receipt]
            figures[label] = percentiles(samples) if samples else None
        return figures

    groups: dict[tuple[int, str, float, str], list[Call]] = defaultdict(list)
    controls: dict[tuple[int, str, float, str], list[Call]] = defaultdict(list)
    for call in calls:
        rtt, mode, kind, idle_s = call.cell
        groups[(rtt, mode, 0.0 if call.warm else idle_s, kind)].append(call)
        if call.warm:
            controls[(rtt, mode, idle_s, kind)].append(call)
    table: dict[str, dict] = {}
    for (rtt, mode, idle_s, kind), group in sorted(groups.items()):
        entry: dict = {"calls": len(group), "failed": sum(not c.ok for c in group), "resent": sum(c.resent for c in group),
                       "problems": sorted({c.problem for c in group if c.problem})[:3], **latencies(group)}
        if idle_s != 0.0:
            entry["warm_control"] = latencies(controls[(rtt, mode, idle_s, kind)])
        spell = "warm" if idle_s == 0.0 else f"{idle_s:g} s"
        table.setdefault(f"rtt {rtt} ms", {}).setdefault(mode, {}).setdefault(spell, {})[kind] = entry
    return table


def verdicts(table: dict) -> dict[str, bool]:
    """The issue's bar: after every idle spell, in every mode, at every RTT, our first press and release
    succeed on the first try and reach the server within 1.2x of a warm one's time (p50 against the p50 of
    every warm control in that RTT and mode)."""
    targets: dict[str, bool] = {}
    ours = KINDS[0]
    for rtt_label, modes in table.items():
        for mode, spells in modes.items():
            warm = spells.get("warm", {}).get(ours)
            for spell, kinds in spells.items():
                entry = kinds.get(ours)
                if spell == "warm" or entry is None or warm is None:
                    continue
                fine = entry["failed"] == 0 and entry["resent"] == 0
                for label in ("press_ms", "release_ms"):
                    fine = fine and bool(entry[label] and warm[label]) and entry[label]["p50"] <= 1.2 * warm[label]["p50"]
                targets[f"{rtt_label}, {mode}, after {spell} idle: first try, p50 within 1.2x warm"] = fine
    return targets


def markdown(table: dict) -> str:
    """The README table: one row per RTT, mode and idle spell; per client press and release p50 / p99 and
    how many calls failed; last, the p50s of the app client's warm controls the bar compares with."""
    header = ("| RTT | mode | idle | " + " | ".join(f"{kind}: press, release (p50 / p99 ms), failed" for kind in KINDS)
              + f" | {KINDS[0]}: its warm controls, press, release (p50 ms) |")
    lines = [header, "| --- | --- | --- | " + " | ".join("---" for _ in KINDS) + " | --- |"]
    for rtt_label, modes in table.items():
        for mode, spells in modes.items():
            for spell, kinds in sorted(spells.items(), key=lambda item: _seconds(item[0])):
                cells = [_client_cell(kinds.get(kind)) for kind in KINDS] + [_control_cell(kinds.get(KINDS[0]))]
                lines.append(f"| {rtt_label[4:]} | {mode} | {spell} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _client_cell(entry: dict | None) -> str:
    if entry is None:
        return "-"
    resent = f", {entry['resent']} resent" if entry["resent"] else ""
    return f"{_p(entry['press_ms'])}, {_p(entry['release_ms'])}; {entry['failed']}/{entry['calls']}{resent}"


def _control_cell(entry: dict | None) -> str:
    control = (entry or {}).get("warm_control")
    if not control:
        return "-"
    return ", ".join("-" if not control[label] else f"{control[label]['p50']:.1f}" for label in ("press_ms", "release_ms"))


def _seconds(spell: str) -> float:
    return 0.0 if spell == "warm" else float(spell.split()[0])


def _p(figures: dict | None) -> str:
    return "-" if not figures else f"{figures['p50']:.1f} / {figures['p99']:.1f}"



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="every duration ten-fold shorter (about 90 s); prints the table, writes no result file")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    credentials = Credentials(1234567890, secrets.token_hex(16))
    # The simulator and the labs each get a process of their own: none competes with the clients' GIL.
    simulator_process, lab_process = _Hosts(), _Hosts()
    simulator_process.start()
    lab_process.start()
    lanes_total = sum(len(plan.rtts_ms) * len(MODES) * len(KINDS) * n for n in plan.lanes_per_cell)
    simulator = simulator_process.TlsSimulatorHost(credentials.app_id, credentials.server_secret, lanes_total + 10)
    labs = lab_process.LabHost()
    try:
        base_url, ca_path = simulator.base_url(), simulator.ca_certificate_path()
        urls = {(rtt, mode): labs.open(f"{rtt}-{mode}", base_url, mode_settings(mode, rtt, plan))
                for rtt in plan.rtts_ms for mode in MODES}
        lanes = plan_lanes(plan, urls, simulator.create_instance)
        print(f"network: {len(lanes)} lanes, {sum(2 * lane.cycles for lane in lanes)} measured calls"
              f"{' (quick)' if args.quick else ''}", flush=True)
        calls = run_in_workers(plan, credentials, ca_path, lanes)
        table = summarise(calls, simulator.receipts())
        lab_counters = labs.counters()
    finally:
        labs.stop()
        simulator.stop()
        lab_process.shutdown()
        simulator_process.shutdown()
    report(plan, table, lab_counters, write=not args.quick)


def run_in_workers(plan: Plan, credentials: Credentials, ca_path: str, lanes: list[Lane]) -> list[Call]:
    """One process per client kind and RTT, so that curl's process spawning and the plain sessions do not
    compete with the app's client for one GIL, and a 0 ms RTT call (about 2 ms) does not wait for the
    GIL behind the Python work of a hundred other lanes; all start together on the system-wide monotonic clock."""
    start_at = time.monotonic() + 3.0
    groups = [(kind, rtt) for kind in KINDS for rtt in plan.rtts_ms]
    jobs = [(plan, credentials, ca_path, [lane for lane in lanes if (lane.kind, lane.rtt_ms) == group], start_at)
            for group in groups]
    with multiprocessing.get_context("fork").Pool(len(jobs)) as workers:
        results = workers.starmap(run_lanes, jobs)
    return [call for calls in results for call in calls]


def report(plan: Plan, table: dict, lab_counters: dict, write: bool) -> None:
    """Print the Markdown table and the verdicts; write bench/results/network.json for a full run."""
    targets = verdicts(table)
    text = markdown(table)
    print(text)
    failed = {kind: sum(kinds[kind]["failed"] for modes in table.values() for spells in modes.values()
                        for spell, kinds in spells.items() if spell != "warm" and kind in kinds) for kind in KINDS}
    summary = (f"{sum(targets.values())}/{len(targets)} idle cells meet the bar; failed calls: "
               + ", ".join(f"{kind} {count}" for kind, count in failed.items()) + " (after idle)")
    if not write:
        print(summary)
        for target, met in targets.items():
            if not met:
                print(f"NOT met: {target}")
        return
    figures = {"plan": asdict(plan), "cells": table, "labs": lab_counters, "table_markdown": text}
    write_result("network", figures, targets, summary)


if __name__ == "__main__":
    main()
