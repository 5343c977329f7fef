"""Where a training job's child runs: the command line it runs, and a process on this machine that yields to the server.

A training shares the cores with the students' slider moves (docs/design.md, "Trainings share the cores"), so the
child runs at a lower CPU priority (`nice`) with TensorFlow's and oneDNN's thread pools capped.

Usage: `process = LocalRunner().start(cli_command(request, out_dir, events, token), work_dir)`
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ae_core.training_request import TrainingRequest

MAX_TRAININGS_ENV = "AE_LAB_MAX_TRAININGS"  # trainings run at once on a server; more wait in a queue
NICE_ENV = "AE_LAB_TRAINING_NICE"  # how much lower the trainings' priority is than the server's (0-19)
THREADS_ENV = "AE_LAB_TRAINING_THREADS"  # threads a training may use for its maths
DEFAULT_NICENESS = 10

# (request, folder to save into, events file, reservation token) -> the child's command line. Tests put a fake here.
CommandFactory = Callable[[TrainingRequest, Path, Path, str], list[str]]


def cli_command(request: TrainingRequest, out_dir: Path, events_path: Path, reservation: str) -> list[str]:
    options = ["--arch", request.arch, "--latent-dim", str(request.latent_dim),
               "--epochs", str(request.epochs), "--batch-size", str(request.batch_size),
               "--learning-rate", repr(float(request.learning_rate)), "--schedule", request.schedule,
               "--seed", str(request.seed), "--noise-std", repr(float(request.noise_std))]
    if request.variational:
        options += ["--vae", "--beta", repr(float(request.beta))]
    if request.exclude_class is not None:
        options += ["--exclude-class", str(request.exclude_class)]
    return [sys.executable, "-m", "ae_core", "train", *options, "--out", str(out_dir), "--events", str(events_path),
            "--reservation", reservation, "--parent-pid", str(os.getpid()), "--json"]


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
                                       cwd=Path(__file__).resolve().parent.parent)
        # Right after the start rather than in the child before exec: the server has threads, and running Python in a
        # forked child of a threaded process can deadlock. The child spends its first second importing anyway.
        with contextlib.suppress(OSError):  # it ended already, or the system refuses: it keeps the server's priority
            os.setpriority(os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, 0) + self.niceness)
        return process
