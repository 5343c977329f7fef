"""Where a training job's child runs: the command line it runs, and a process on this machine that yields to the server.

A training shares the cores with the students' slider moves (docs/design.md, "Trainings share the cores"), so the
child runs at a lower CPU priority (`nice`) with TensorFlow's and oneDNN's thread pools capped.

Past one machine (docs/scaling.md, "Trainings on a Ray cluster"): with `AE_LAB_RAY_ADDRESS` set, `default_runner()`
is a RayRunner, which submits the same command line as a Ray job and hands back a handle that answers like the child
process would. Everything else (the queue, progress from the events file, Stop, the store) stays as it is.

Usage: `process = default_runner().start(cli_command(request, out_dir, events, token), work_dir)`
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ae_core import PROJECT_ROOT
from ae_core.cli import setting_arguments
from ae_core.training.request import TrainingRequest

MAX_TRAININGS_ENV = "AE_LAB_MAX_TRAININGS"  # trainings run at once on a server; more wait in a queue
NICE_ENV = "AE_LAB_TRAINING_NICE"  # how much lower the trainings' priority is than the server's (0-19)
THREADS_ENV = "AE_LAB_TRAINING_THREADS"  # threads a training may use for its maths
RAY_ADDRESS_ENV = "AE_LAB_RAY_ADDRESS"  # a Ray cluster's job API (http://head:8265): trainings run there, not here
DEFAULT_NICENESS = 10

# (request, folder to save into, events file, reservation token) -> the child's command line. Tests put a fake here.
CommandFactory = Callable[[TrainingRequest, Path, Path, str], list[str]]


def cli_command(request: TrainingRequest, out_dir: Path, events_path: Path, reservation: str) -> list[str]:
    """The child's command line: `python -m ae_core train` with the request's settings (ae_core/cli.py reads them)."""
    return [sys.executable, "-m", "ae_core", "train", *setting_arguments(request.settings()), "--out", str(out_dir),
            "--events", str(events_path), "--reservation", reservation, "--parent-pid", str(os.getpid()), "--json"]


def _setting(name: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(os.environ.get(name, default))))
    except ValueError:
        return default


def max_trainings_from_env(default: int = 1) -> int:
    """The cap on concurrent trainings; one by default (a training uses the cores the students leave)."""
    return _setting(MAX_TRAININGS_ENV, default, 1, 64)


def thread_limits(threads: int) -> dict[str, str]:
    """Environment variables that cap TensorFlow's thread pools (and oneDNN's OpenMP threads) at `threads`."""
    return {"TF_NUM_INTRAOP_THREADS": str(threads), "TF_NUM_INTEROP_THREADS": str(threads),
            "OMP_NUM_THREADS": str(threads)}


class LocalRunner:
    """Starts children on this machine, `niceness` below the server, with at most `threads` threads of maths.

    By default half the cores (at least one): a class's slider moves keep the rest.
    """

    def __init__(self, niceness: int | None = None, threads: int | None = None):
        cores = os.cpu_count() or 1
        self.niceness = niceness if niceness is not None else _setting(NICE_ENV, DEFAULT_NICENESS, 0, 19)
        self.threads = threads if threads is not None else _setting(THREADS_ENV, max(1, cores // 2), 1, cores)

    def start(self, command: list[str], work_dir: Path) -> subprocess.Popen:
        """The child, with its stdout and stderr in work_dir/stdout.txt and stderr.txt; OSError if it cannot start."""
        environment = {**os.environ, **thread_limits(self.threads)}
        with open(work_dir / "stdout.txt", "wb") as stdout, open(work_dir / "stderr.txt", "wb") as stderr:
            process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=environment,
                                       cwd=PROJECT_ROOT)
        # Right after the start rather than in the child before exec: the server has threads, and running Python in a
        # forked child of a threaded process can deadlock. The child spends its first second importing anyway.
        with contextlib.suppress(OSError):  # it ended already, or the system refuses: it keeps the server's priority
            os.setpriority(os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, 0) + self.niceness)
        return process


def default_runner() -> Runner:
    """A RayRunner when AE_LAB_RAY_ADDRESS names a cluster, else children on this machine."""
    address = os.environ.get(RAY_ADDRESS_ENV, "").strip()
    return RayRunner(address) if address else LocalRunner()


RAY_STATUS_SECONDS = 1.0  # the job manager looks 4 times a second; the cluster is asked at most once a second
# Stop (SIGTERM) lets a training finish its batch and save: Ray's default of 3 s before SIGKILL can be too short for a
# save on a busy worker. The job supervisor reads this from the job's environment.
RAY_STOP_GRACE_SECONDS = 30
RAY_LOG_TAIL_CHARACTERS = 20_000  # of a job's log, kept in stderr.txt for the failure reason


class RayRunner:
    """Submits trainings to a Ray cluster through its job submission API (`JobSubmissionClient`: submit_job,
    get_job_info, get_job_logs, stop_job).

    The cluster's nodes must see this project and its virtual environment at the same paths as the server, and the
    store's trained folder (where the child saves the model, and where the job's work folder with its events file
    lives) on shared storage: a shared image and one network mount. Each job reserves
    `threads` CPUs of the cluster (entrypoint_num_cpus), so Ray queues what does not fit; it runs `niceness` below
    the worker's priority, which matters only where a Ray worker shares a machine with an app process.
    """

    def __init__(self, address: str, niceness: int | None = None, threads: int | None = None):
        self.address = address
        self.niceness = niceness if niceness is not None else _setting(NICE_ENV, DEFAULT_NICENESS, 0, 19)
        self.threads = threads if threads is not None else _setting(THREADS_ENV, 2, 1, 64)
        self._client = None

    def _job_client(self):
        if self._client is None:  # Ray is imported only by servers that use it (~1 s, ~100 MB)
            from ray.job_submission import JobSubmissionClient

            self._client = JobSubmissionClient(self.address)
        return self._client

    def entrypoint(self, command: list[str]) -> str:
        """The shell command Ray runs: the CLI's command, without the server's pid (a Ray job's parent is Ray's)."""
        arguments = list(command)
        if "--parent-pid" in arguments:
            at = arguments.index("--parent-pid")
            del arguments[at:at + 2]
        return f"cd {shlex.quote(str(PROJECT_ROOT))} && exec nice -n {self.niceness} {shlex.join(arguments)}"

    def start(self, command: list[str], work_dir: Path) -> RayJob:
        """Submits the job; OSError (as a child that cannot start) when the cluster cannot be reached or refuses."""
        environment = {**thread_limits(self.threads), "RAY_JOB_STOP_WAIT_TIME_S": str(RAY_STOP_GRACE_SECONDS),
                       **{name: os.environ[name] for name in ("AE_LAB_DATA_DIR", "KERAS_HOME", "TF_CPP_MIN_LOG_LEVEL")
                          if name in os.environ}}
        try:
            client = self._job_client()
            submission_id = client.submit_job(entrypoint=self.entrypoint(command), entrypoint_num_cpus=self.threads,
                                              runtime_env={"env_vars": environment},
                                              metadata={"app": "autoencoder-lab", "work_dir": work_dir.name})
        except Exception as error:  # the client raises ConnectionError, RuntimeError or its own errors
            raise OSError(f"Ray at {self.address} did not take the training: {error}") from error
        return RayJob(client, submission_id, work_dir)


class RayJob:
    """A training submitted to Ray, behind the part of subprocess.Popen that the job manager uses: poll(),
    returncode, terminate(), kill(), wait(); and refresh(), which asks the cluster.

    Only refresh() talks to the cluster: the job manager's watcher calls it outside the manager's lock, so a slow or
    gone cluster never stalls a page that asks the manager for its job; poll() and terminate() only read or note
    something. Stop asks Ray to stop the job (SIGTERM to the CLI, which saves what it learnt) at the next refresh. When
    the job has ended its log goes to work_dir/stderr.txt, where the failure reason is read.
    """

    pid = None  # no process of this machine

    def __init__(self, client, submission_id: str, work_dir: Path):
        self.client = client
        self.submission_id = submission_id
        self.work_dir = work_dir
        self.returncode: int | None = None
        self._asked_at = -RAY_STATUS_SECONDS
        self._stop_wanted = self._stop_sent = False

    def poll(self) -> int | None:
        return self.returncode

    def refresh(self) -> None:
        """Passes a wanted Stop on to the cluster, and asks it (at most once a second) whether the job has ended."""
        if self.returncode is not None:
            return
        if self._stop_wanted and not self._stop_sent:
            self._stop_sent = True
            with contextlib.suppress(Exception):  # ended already, or the cluster is gone: the status says which
                self.client.stop_job(self.submission_id)
        elif time.monotonic() - self._asked_at < RAY_STATUS_SECONDS:
            return
        self._asked_at = time.monotonic()
        try:
            info = self.client.get_job_info(self.submission_id)
        except Exception:  # the cluster did not answer this time: ask again at the next refresh
            return
        status = str(getattr(info.status, "value", info.status))
        if status in ("PENDING", "RUNNING"):
            return
        logs = self._save_logs()
        if info.driver_exit_code is not None:
            self.returncode = info.driver_exit_code
        elif status == "SUCCEEDED":
            self.returncode = 0
        elif status == "STOPPED":
            # Ray records no exit code for a stopped job: the CLI's closing JSON line says it ended on its own terms.
            self.returncode = 0 if _ends_with_summary(logs) else -signal.SIGTERM
        else:  # FAILED before the command ran (e.g. its environment could not be set up)
            self.returncode = 1

    def _save_logs(self) -> str:
        try:
            logs = self.client.get_job_logs(self.submission_id)
        except Exception:
            return ""
        with contextlib.suppress(OSError):
            (self.work_dir / "stderr.txt").write_text(logs[-RAY_LOG_TAIL_CHARACTERS:], encoding="utf-8")
        return logs

    def terminate(self) -> None:
        self._stop_wanted = True

    kill = terminate  # Ray escalates to SIGKILL itself after the grace period

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            self.refresh()
            if self.returncode is not None:
                return self.returncode
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.submission_id, timeout)
            time.sleep(0.2)


Runner = LocalRunner | RayRunner  # what starts a job's command: .start(command, work_dir) -> a Popen-like handle


def _ends_with_summary(logs: str) -> bool:
    """Whether the log's last line is the CLI's JSON summary (printed after the model was saved or stop was honoured)."""
    lines = logs.strip().splitlines()
    try:
        summary = json.loads(lines[-1]) if lines else None
    except ValueError:
        return False
    return isinstance(summary, dict) and "epochs_completed" in summary
