"""The app's log file and crash reports, with real processes that crash in every way they can."""

from __future__ import annotations

import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ptt_app.diagnostics import app_log
from ptt_app.diagnostics.crash_reports import KILLED_NOTICE

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# One run of the app as far as diagnostics go: the same calls the app makes at start, then one way to end.
RUN = """
import ctypes, logging, os, signal, sys, threading
from pathlib import Path
from ptt_app.diagnostics import app_log, crash_reports

folder, ending, secret = Path(sys.argv[1]), sys.argv[2], sys.stdin.readline().strip()
app_log.register_secret(secret)
app_log.configure(folder)
if ending == "clean-on-a-full-disk":  # every write fails from here on, as on a full disk
    import resource
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
reporter = crash_reports.install(folder, "9.9.9", {"PySide6": "6.11.0"},
                                 on_crash=lambda report: print("on_crash:", report.path, flush=True))
print("notice:", reporter.previous_run_notice(), flush=True)
logging.getLogger("ptt_app.session").info(
    "signing with %s for https://api.example/?Action=StartListening&SignatureNonce=n0nce&Signature=s1gn", secret)

def fail():
    raise RuntimeError(f"the signer choked on {secret}")

if ending == "thread":
    worker = threading.Thread(target=fail, name="sender-1")
    worker.start()
    worker.join()
    print("still running", flush=True)
elif ending == "main":
    fail()
elif ending == "segfault":
    ctypes.string_at(0)
elif ending == "abort":
    os.abort()
elif ending == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
elif ending == "wait":
    print("ready", flush=True)
    sys.stdin.readline()
    reporter.mark_clean_exit()
elif ending in ("clean", "clean-on-a-full-disk"):
    reporter.mark_clean_exit()
elif ending == "thread-then-clean":
    worker = threading.Thread(target=fail, name="sender-1")
    worker.start()
    worker.join()
    reporter.mark_clean_exit()
"""


class Runs:
    """Runs of the app on one diagnostics folder, all with the same secret."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.secret = secrets.token_hex(16)
        self.outputs: list[str] = []

    def run(self, ending: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-c", RUN, str(self.folder), ending], input=self.secret + "\n",
                              capture_output=True, text=True, timeout=60)
        self.outputs += [done.stdout, done.stderr]
        return done

    def start(self, ending: str) -> subprocess.Popen:
        running = subprocess.Popen([sys.executable, "-c", RUN, str(self.folder), ending], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        running.stdin.write(self.secret + "\n")
        running.stdin.flush()
        return running

    def notice_at_next_start(self) -> str:
        done = self.run("clean")
        assert done.returncode == 0, done.stderr
        return re.search(r"^notice: (.*)$", done.stdout, re.MULTILINE).group(1)

    def reports(self) -> list[Path]:
        return sorted(self.folder.glob("crash-*.txt"))


@pytest.fixture
def runs(tmp_path: Path) -> Runs:
    return Runs(tmp_path / "diagnostics")


def named_report(notice: str) -> Path:
    match = re.fullmatch(r"The last session ended unexpectedly; report: (\S+)", notice)
    assert match, notice
    return Path(match.group(1))


# --- crash reports ---------------------------------------------------------------------------------------


def test_an_exception_in_a_thread_is_reported_and_the_run_goes_on(runs) -> None:
    done = runs.run("thread")
    assert done.returncode == 0 and "still running" in done.stdout
    [report] = runs.reports()
    assert f"on_crash: {report}" in done.stdout
    text = report.read_text()
    assert "Thread: sender-1" in text and "ptt-app 9.9.9" in text and "PySide6 6.11.0" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: the signer choked on" in text
    assert f"crash report: {report}" in done.stderr


def test_the_next_start_names_the_report_of_a_thread_exception(runs) -> None:
    runs.run("thread")
    [report] = runs.reports()
    assert named_report(runs.notice_at_next_start()) == report


def test_an_exception_in_main_is_reported_and_named_at_the_next_start(runs) -> None:
    done = runs.run("main")
    assert done.returncode == 1
    [report] = runs.reports()
    assert "Thread: MainThread" in report.read_text() and f"crash report: {report}" in done.stderr
    assert named_report(runs.notice_at_next_start()) == report


@posix_only
@pytest.mark.parametrize(("ending", "signal_number", "fatal_error"), [
    ("segfault", signal.SIGSEGV, "Fatal Python error: Segmentation fault"),
    ("abort", signal.SIGABRT, "Fatal Python error: Aborted"),
])
def test_a_fatal_signal_leaves_a_report_with_the_stack(runs, ending, signal_number, fatal_error) -> None:
    assert runs.run(ending).returncode == -signal_number
    report = named_report(runs.notice_at_next_start())
    text = report.read_text()
    assert fatal_error in text and 'File "<string>"' in text and "ptt-app 9.9.9" in text
    assert list(runs.folder.glob("runs/*.fault")) == []  # turned into the report


@posix_only
def test_a_killed_run_is_named_as_such_with_no_report(runs) -> None:
    assert runs.run("kill").returncode == -signal.SIGKILL
    assert runs.notice_at_next_start() == KILLED_NOTICE
    assert runs.reports() == []


def test_a_report_is_named_once(runs) -> None:
    runs.run("main")
    assert runs.notice_at_next_start().startswith("The last session ended unexpectedly; report: ")
    assert runs.notice_at_next_start() == "None"
    assert len(runs.reports()) == 1  # named once, kept


def test_a_clean_exit_leaves_no_notice_and_no_files_of_the_run(runs) -> None:
    runs.run("clean")
    assert runs.notice_at_next_start() == "None"
    assert list((runs.folder / "runs").iterdir()) == []


@posix_only
def test_a_clean_run_on_a_full_disk_is_not_taken_for_one_that_was_killed(runs) -> None:
    assert runs.run("clean-on-a-full-disk").returncode == 0
    assert runs.notice_at_next_start() == "None"


def test_a_run_still_going_is_not_taken_for_one_that_ended(runs) -> None:
    window = runs.start("wait")
    try:
        assert window.stdout.readline().startswith("notice:")
        assert window.stdout.readline() == "ready\n"
        assert runs.notice_at_next_start() == "None"  # a command run while the window is open
    finally:
        window.stdin.write("\n")
        window.stdin.close()
        assert window.wait(timeout=60) == 0
        window.stdout.close()
    assert runs.notice_at_next_start() == "None"


@posix_only
def test_processes_starting_together_name_an_unexpected_end_once(runs) -> None:
    runs.run("kill")
    starting = [runs.start("clean") for _ in range(3)]
    notices = []
    for process in starting:
        out, _ = process.communicate(timeout=60)
        notices.append(re.search(r"^notice: (.*)$", out, re.MULTILINE).group(1))
    assert sorted(notices) == ["None", "None", KILLED_NOTICE]


def test_reports_and_markers_older_than_the_limit_are_pruned(runs) -> None:
    runs.run("main")
    runs.run("kill" if sys.platform != "win32" else "main")
    month_ago = time.time() - 40 * 86400
    for path in [*runs.reports(), *(runs.folder / "runs").iterdir()]:
        os.utime(path, (month_ago, month_ago))
    assert runs.notice_at_next_start() == "None"
    assert runs.reports() == []


@posix_only
def test_a_registered_secret_reaches_no_file_and_no_output(runs) -> None:
    texts: dict[Path, str] = {}  # every file as it was after each run: a start turns fault files into reports
    for ending in ("thread", "main", "segfault", "abort", "clean"):
        runs.run(ending)
        texts.update({p: p.read_text(errors="replace") for p in runs.folder.rglob("*") if p.is_file()})
    assert len([p for p, text in texts.items() if p.suffix == ".fault" and "Fatal Python error" in text]) == 2
    assert len(runs.reports()) == 4
    for path, text in texts.items():
        assert runs.secret not in text, path
    assert all(runs.secret not in output for output in runs.outputs)
    log = (runs.folder / "ptt-app.log").read_text()
    assert "signing with [redacted] for https://api.example/?[redacted]" in log
    assert "RuntimeError: the signer choked on [redacted]" in log


# --- the log file ----------------------------------------------------------------------------------------


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder for the log; the root logger is put back as it was afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield tmp_path / "logs"
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def test_a_log_line_has_iso_time_level_thread_and_logger_name(log_folder) -> None:
    path = app_log.configure(log_folder)
    worker = threading.Thread(target=lambda: logging.getLogger("ptt_app.talk").warning("released late"),
                              name="ptt-worker")
    worker.start()
    worker.join()
    [line] = path.read_text().splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d WARNING \[ptt-worker\] ptt_app\.talk: released late", line)


def test_configuring_twice_writes_each_line_once(log_folder) -> None:
    assert app_log.configure(log_folder) == app_log.configure(log_folder) == log_folder / "ptt-app.log"
    logging.getLogger("ptt_app").info("once")
    assert (log_folder / "ptt-app.log").read_text().count("once") == 1


def test_the_log_redacts_secrets_in_the_message_its_arguments_and_exceptions(log_folder) -> None:
    secret = secrets.token_hex(16)
    app_log.register_secret(secret)
    path = app_log.configure(log_folder)
    log = logging.getLogger("ptt_app.api")
    log.info(f"key {secret} in the message")
    log.info("key %s in an argument", secret)
    log.info("query %s", "https://h.example/path?Action=Stop&Signature=s1gnature%2F&SignatureNonce=n0nce")
    log.info("fields %s", {"Signature": "s1gnature", "SignatureNonce": "n0nce", "Action": "Stop"})
    try:
        raise ValueError(f"bad key {secret}")
    except ValueError:
        log.exception("failed")
    text = path.read_text()
    assert secret not in text and "s1gnature" not in text and "n0nce" not in text
    assert "key [redacted] in the message" in text and "key [redacted] in an argument" in text
    assert "https://h.example/path?[redacted]" in text
    assert "'Signature': '[redacted]', 'SignatureNonce': '[redacted]', 'Action': 'Stop'" in text
    assert "ValueError: bad key [redacted]" in text


def test_signature_values_are_redacted_outside_urls_too() -> None:
    assert app_log.redact("Action=Stop&Signature=abc&SignatureNonce=9&SignatureVersion=2.0") == (
        "Action=Stop&Signature=[redacted]&SignatureNonce=[redacted]&SignatureVersion=2.0")


def test_the_log_rotates_at_1_mib_and_keeps_five_files(log_folder) -> None:
    path = app_log.configure(log_folder)
    line = "x" * 1000
    for _ in range(6 * 1100):
        logging.getLogger("ptt_app").info(line)
    names = sorted(p.name for p in log_folder.glob("ptt-app.log*") if not p.name.endswith(".lock"))
    assert names == ["ptt-app.log", "ptt-app.log.1", "ptt-app.log.2", "ptt-app.log.3", "ptt-app.log.4"]
    assert all((log_folder / name).stat().st_size <= app_log.MAX_LOG_BYTES for name in names)
    assert path.stat().st_size > 0


WRITER = """
import logging, sys
from pathlib import Path
from ptt_app.diagnostics import app_log
app_log.configure(Path(sys.argv[1]))
for n in range(3000):
    logging.getLogger("ptt_app").info("%s %05d %s", sys.argv[2], n, "y" * 200)
"""


def test_two_processes_share_one_log_through_rotation_without_losing_a_line(tmp_path) -> None:
    folder = tmp_path / "logs"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(folder), name]) for name in ("cli", "gui")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    files = [p for p in folder.glob("ptt-app.log*") if not p.name.endswith(".lock")]
    lines = [line for p in files for line in p.read_text().splitlines()]
    backups = [p for p in files if p.name != "ptt-app.log"]
    # Rotated only when the shared file was full, not once per process.
    assert backups and all(p.stat().st_size > app_log.MAX_LOG_BYTES - 1000 for p in backups)
    for name in ("cli", "gui"):
        numbers = sorted(int(m.group(1)) for line in lines if (m := re.search(rf" {name} (\d{{5}}) y{{200}}$", line)))
        assert numbers == list(range(3000))


def test_an_error_reported_in_a_run_that_then_quit_normally_is_named_at_the_next_start(runs) -> None:
    first = runs.run("thread-then-clean")
    assert first.returncode == 0
    notice = runs.run("clean").stdout
    assert "notice: The last session had an internal error; report: " in notice
    report = Path(re.search(r"report: (\S+)", notice).group(1))
    assert "RuntimeError" in report.read_text()
    assert "notice: None" in runs.run("clean").stdout, "named once"


_CORE_STATE = """
import ctypes, resource, sys
from ptt_app.launcher import main
try:
    main(["--version"])
except SystemExit:
    pass
print(resource.getrlimit(resource.RLIMIT_CORE), ctypes.CDLL(None).prctl(3, 0, 0, 0, 0), file=sys.stderr)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_every_run_forbids_core_dumps_before_reading_any_secret() -> None:
    """A core dump of a process that held the ServerSecret would keep it in clear text (systemd-coredump, apport)."""
    done = subprocess.run([sys.executable, "-c", _CORE_STATE], capture_output=True, text=True, timeout=60,
                          preexec_fn=lambda: __import__("resource").setrlimit(
                              __import__("resource").RLIMIT_CORE, (-1, -1)))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "(0, 0) 0", "RLIMIT_CORE 0 and PR_GET_DUMPABLE 0"
