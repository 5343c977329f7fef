"""Training jobs: each run is a child process `python -m ae_core train`, at most `max_concurrent` at once, the rest queued.

Why a child process: Streamlit resets Keras' global state after every rerun of every session (DESIGN.md fact 3),
so a model cannot be trained inside the server while people use it. The child writes its progress as JSON lines
into an events file (see ae_core/__main__.py) and saves the model into the store itself; the manager only starts,
watches and stops children. It never imports streamlit: the app keeps one manager per server (st.cache_resource),
so the cap holds across every session, and a job outlives the reruns of the page that started it.

Usage:
    manager = TrainingJobManager(max_concurrent=max_trainings_from_env())
    job_id = manager.submit(TrainingRequest(name="my-dense", latent_dim=32, epochs=5))
    manager.status(job_id).state  # "queued", "running", "done", "failed" or "stopped"
    manager.stop(job_id)
"""

from __future__ import annotations

import atexit
import itertools
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from ae_core import store
from ae_core.config import ARCHITECTURES, LATENT_DIM_RANGE, ModelConfig, TrainConfig

logger = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED, STOPPED = "queued", "running", "done", "failed", "stopped"
FINISHED = (DONE, FAILED, STOPPED)

MAX_TRAININGS_ENV = "AE_LAB_MAX_TRAININGS"

# What the page's form accepts. The configs allow more (500 epochs, batch 1), but on a shared 2-core server a
# class would wait hours behind such a run, so a run started from the browser stays within minutes.
EPOCH_RANGE = (1, 100)
BATCH_SIZES = (16, 32, 64, 128, 256, 512)
LEARNING_RATE_RANGE = (1e-5, 0.1)
SEED_RANGE = (0, 2**31 - 1)


def max_trainings_from_env(default: int = 1) -> int:
    """The cap on concurrent trainings from AE_LAB_MAX_TRAININGS; one by default (a training uses both cores here)."""
    try:
        return max(1, int(os.environ.get(MAX_TRAININGS_ENV, default)))
    except ValueError:
        return default


# ---------------------------------------------------------------------------------------------------------------
# What a person asks for, and what is wrong with it


@dataclass(frozen=True)
class TrainingRequest:
    name: str
    arch: str = "dense"
    latent_dim: int = 64
    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    seed: int = 0
    schedule: str = "constant"  # or "cosine": the learning rate decays to zero over the run (conv-64's recipe)

    def model_config(self) -> ModelConfig:
        return ModelConfig(arch=self.arch, latent_dim=self.latent_dim)

    def train_config(self) -> TrainConfig:
        return TrainConfig(epochs=self.epochs, batch_size=self.batch_size, learning_rate=self.learning_rate,
                           seed=self.seed, schedule=self.schedule)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: a UI string key (ae_core/strings/models.py) and the values it shows."""

    key: str
    values: dict = field(default_factory=dict)


class InvalidRequestError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.key for problem in problems))
        self.problems = problems


def request_problems(request: TrainingRequest, taken_names: Iterable[str]) -> list[Problem]:
    """Everything wrong with `request`, as messages the page can show in the user's language; empty when it is fine."""
    problems = []
    try:
        store.validate_name(request.name)
    except store.ModelStoreError:
        problems.append(Problem("models.error.bad_name", {"name": request.name}))
    if request.name in set(taken_names):
        problems.append(Problem("models.error.name_taken", {"name": request.name}))
    if request.arch not in ARCHITECTURES:
        problems.append(Problem("models.error.arch", {"value": request.arch}))
    ranges = {"latent_dim": LATENT_DIM_RANGE, "epochs": EPOCH_RANGE, "batch_size": (BATCH_SIZES[0], BATCH_SIZES[-1]),
              "learning_rate": LEARNING_RATE_RANGE, "seed": SEED_RANGE}
    for name, (low, high) in ranges.items():
        value = getattr(request, name)
        if not low <= value <= high:
            problems.append(Problem(f"models.error.{name}", {"low": low, "high": high, "value": value}))
    if not problems:
        try:  # the configs' own checks, should the ranges above ever allow something they refuse
            request.model_config()
            request.train_config()
        except ValueError as error:
            problems.append(Problem("models.error.invalid", {"detail": str(error)}))
    return problems


def free_name(base: str, taken: Iterable[str]) -> str:
    """`base-1`, `base-2`, ...: the first that is not taken (the form's name when the field is left empty)."""
    taken = set(taken)
    return next(f"{base}-{number}" for number in itertools.count(1) if f"{base}-{number}" not in taken)


# ---------------------------------------------------------------------------------------------------------------
# What a job looks like from outside


@dataclass(frozen=True)
class JobStatus:
    job_id: str
    name: str
    state: str
    queue_position: int | None  # 1 = starts next; None unless queued
    epochs: int  # planned
    epoch: int  # the epoch in progress (or the last one finished), counted from 1
    batch: int  # batches done in that epoch
    batches: int  # batches in an epoch; 0 until the child reports its first
    loss_history: tuple[float, ...]  # one value per completed epoch
    val_loss_history: tuple[float, ...]
    batch_loss: float | None  # the running mean of the epoch in progress
    elapsed_seconds: float  # since the child started (TensorFlow's start-up included); 0 while queued
    remaining_seconds: float | None  # estimated; None until there is progress to estimate from
    started: bool  # False for a job cancelled while queued
    stop_requested: bool
    error: str | None  # why a failed job failed, in the child's words
    result: dict | None  # the CLI's summary: val_mse, epochs_completed, stopped_early, path where saved

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def fraction(self) -> float:
        """How much of the run is done, 0..1, batches included."""
        if self.state == DONE:
            return 1.0
        if not self.batches or not self.epochs:
            return len(self.val_loss_history) / self.epochs if self.epochs else 0.0
        return min(1.0, (self.epoch - 1 + self.batch / self.batches) / self.epochs)

    @property
    def saved(self) -> bool:
        return bool(self.result and self.result.get("path"))


def estimate_remaining(seconds: float, fraction: float, fraction_before: float = 0.0) -> float | None:
    """Time left if the rest goes at the pace of the last `seconds`, in which the run went from fraction_before to
    fraction; None when it has not moved."""
    progress = fraction - fraction_before
    if progress <= 0:
        return None
    return max(0.0, seconds * (1 - fraction) / progress)


def format_duration(seconds: float | None) -> str:
    """`0:07`, `12:34`, `1:02:03`; `–` for an unknown duration."""
    if seconds is None:
        return "–"
    minutes, whole_seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{whole_seconds:02d}" if hours else f"{minutes}:{whole_seconds:02d}"


# ---------------------------------------------------------------------------------------------------------------
# The manager

# (request, folder to save into, events file) -> the child's command line. Tests put a tiny fake trainer here.
CommandFactory = Callable[[TrainingRequest, Path, Path], list[str]]


def cli_command(request: TrainingRequest, out_dir: Path, events_path: Path) -> list[str]:
    return [sys.executable, "-m", "ae_core", "train", "--arch", request.arch, "--latent-dim", str(request.latent_dim),
            "--epochs", str(request.epochs), "--batch-size", str(request.batch_size),
            "--learning-rate", repr(float(request.learning_rate)), "--schedule", request.schedule,
            "--seed", str(request.seed),
            "--out", str(out_dir), "--events", str(events_path), "--json"]


@dataclass
class _Job:
    job_id: str
    request: TrainingRequest
    out_dir: Path
    work_dir: Path  # events.jsonl, stdout.txt, stderr.txt
    state: str = QUEUED
    process: subprocess.Popen | None = None
    stop_requested: bool = False
    started: float | None = None  # time.monotonic() when the child was started
    # (time.monotonic(), fraction done) when the "start" and the first "epoch" events were seen. The pace is measured
    # from the latest: the first epoch also compiles the training step, and would make the estimate too long.
    pace_marks: list[tuple[float, float]] = field(default_factory=list)
    finished: float | None = None
    events_read: int = 0  # bytes of the events file already parsed
    epoch: int = 0
    batch: int = 0
    batches: int = 0
    batch_loss: float | None = None
    loss_history: list[float] = field(default_factory=list)
    val_loss_history: list[float] = field(default_factory=list)
    result: dict | None = None
    error: str | None = None

    @property
    def events_path(self) -> Path:
        return self.work_dir / "events.jsonl"


class TrainingJobManager:
    """Runs training requests as child processes, `max_concurrent` at a time, first come first served. Thread-safe."""

    def __init__(self, max_concurrent: int = 1, command: CommandFactory = cli_command,
                 output_root: Callable[[], Path] = store.trained_dir, poll_seconds: float = 0.25):
        if max_concurrent < 1:
            raise ValueError(f"max_concurrent must be at least 1, got {max_concurrent}.")
        self.max_concurrent = max_concurrent
        self._command = command
        self._output_root = output_root
        self._lock = threading.RLock()
        self._jobs: dict[str, _Job] = {}  # in submission order, which is also the queue's order
        self._ids = itertools.count(1)
        self._work_dir = tempfile.TemporaryDirectory(prefix="ae-lab-jobs-")
        self._closed = threading.Event()
        # Queued jobs must start when a slot frees even if no page is open to ask: a small thread keeps watch.
        self._watcher = threading.Thread(target=self._watch, args=(poll_seconds,), name="training-jobs", daemon=True)
        self._watcher.start()
        # A server that shuts down stops its children (who save what they learnt) rather than leave orphans.
        atexit.register(self.close)

    def submit(self, request: TrainingRequest) -> str:
        """Queue a training; raises InvalidRequestError (with the problems to show) when it cannot run."""
        with self._lock:
            if self._closed.is_set():
                raise RuntimeError("This job manager is closed.")
            problems = request_problems(request, self._taken_names())
            if problems:
                raise InvalidRequestError(problems)
            job_id = f"job-{next(self._ids)}"
            work_dir = Path(self._work_dir.name) / job_id
            work_dir.mkdir()
            self._jobs[job_id] = _Job(job_id, request, Path(self._output_root()) / request.name, work_dir)
            self._advance()
            return job_id

    def status(self, job_id: str) -> JobStatus | None:
        """A snapshot of the job, or None for an id this manager does not know (e.g. after a server restart)."""
        with self._lock:
            self._advance()
            job = self._jobs.get(job_id)
            return self._snapshot(job) if job else None

    def stop(self, job_id: str) -> None:
        """Cancel a queued job; ask a running one to stop (SIGTERM: it saves what it learnt if an epoch completed)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state in FINISHED:
                return
            job.stop_requested = True
            if job.state == QUEUED:
                job.state, job.finished = STOPPED, time.monotonic()
            else:
                job.process.terminate()
            self._advance()

    def counts(self) -> tuple[int, int]:
        """(running, queued) over every session."""
        with self._lock:
            self._advance()
            states = [job.state for job in self._jobs.values()]
            return states.count(RUNNING), states.count(QUEUED)

    def taken_names(self) -> set[str]:
        """Names a new job may not use: stored models and jobs not yet finished."""
        with self._lock:
            return self._taken_names()

    def close(self, timeout: float = 10.0) -> None:
        """Stop watching, cancel queued jobs, stop running children and wait up to `timeout` s for each."""
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
            for job in self._jobs.values():
                if job.state in (QUEUED, RUNNING):
                    self.stop(job.job_id)
            running = [job for job in self._jobs.values() if job.state == RUNNING]
        for job in running:
            try:
                job.process.wait(timeout)
            except subprocess.TimeoutExpired:
                job.process.kill()
                job.process.wait()
        with self._lock:
            self._advance()
        self._work_dir.cleanup()

    # -- internals; every one runs with the lock held -----------------------------------------------------------

    def _watch(self, poll_seconds: float) -> None:
        while not self._closed.wait(poll_seconds):
            try:
                with self._lock:
                    self._advance()
            except Exception:  # the watcher must outlive any one bad job, or the queue would stall
                logger.exception("Training job watcher")

    def _taken_names(self) -> set[str]:
        active = {job.request.name for job in self._jobs.values() if job.state in (QUEUED, RUNNING)}
        return active | {stored.name for stored in store.list_models()}

    def _advance(self) -> None:
        """Read new events, notice children that ended, and start queued jobs while slots are free."""
        for job in self._jobs.values():
            if job.state == RUNNING:
                self._read_events(job)
                if job.process.poll() is not None:
                    self._finish(job)
        running = sum(job.state == RUNNING for job in self._jobs.values())
        for job in self._jobs.values():
            if running >= self.max_concurrent or self._closed.is_set():
                break
            if job.state == QUEUED:
                self._start(job)
                running += job.state == RUNNING

    def _start(self, job: _Job) -> None:
        command = self._command(job.request, job.out_dir, job.events_path)
        job.out_dir.parent.mkdir(parents=True, exist_ok=True)
        job.started = time.monotonic()
        try:
            with open(job.work_dir / "stdout.txt", "wb") as stdout, open(job.work_dir / "stderr.txt", "wb") as stderr:
                job.process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                                               cwd=store.PROJECT_ROOT)
        except OSError as error:
            job.state, job.finished, job.error = FAILED, time.monotonic(), f"Could not start the training: {error}"
            return
        job.state = RUNNING

    def _read_events(self, job: _Job) -> None:
        try:
            with open(job.events_path, "rb") as file:
                file.seek(job.events_read)
                chunk = file.read()
        except FileNotFoundError:
            return
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits for the next read
        job.events_read += len(complete)
        for line in complete.splitlines():
            try:
                self._apply(job, json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError):
                logger.warning("Ignoring a malformed training event: %r", line[:200])

    @staticmethod
    def _apply(job: _Job, event: dict) -> None:
        kind = event.get("type")
        if kind == "start":
            job.pace_marks.append((time.monotonic(), 0.0))
        elif kind == "batch":
            job.epoch, job.batch, job.batches, job.batch_loss = event["epoch"], event["batch"], event["batches"], event["loss"]
        elif kind == "epoch":
            job.loss_history.append(event["loss"])
            job.val_loss_history.append(event["val_loss"])
            job.epoch, job.batch = event["epoch"], job.batches
            if event["epoch"] == 1:
                job.pace_marks.append((time.monotonic(), 1 / job.request.epochs))
        elif kind == "done":
            job.result = {key: value for key, value in event.items() if key not in ("type", "elapsed")}
        elif kind == "error":
            job.error = event.get("message")

    def _finish(self, job: _Job) -> None:
        job.finished = time.monotonic()
        exit_code = job.process.returncode
        if job.stop_requested or (exit_code == 0 and job.result and job.result.get("stopped_early")):
            job.state = STOPPED
        elif exit_code == 0 and job.result is not None:
            job.state = DONE
        else:
            job.state = FAILED
            job.error = job.error or _error_from_output(job.work_dir) or f"The training ended with exit code {exit_code}."

    def _snapshot(self, job: _Job) -> JobStatus:
        now = time.monotonic()
        queued = [other.job_id for other in self._jobs.values() if other.state == QUEUED]
        elapsed = ((job.finished or now) - job.started) if job.started else 0.0
        status = JobStatus(
            job_id=job.job_id, name=job.request.name, state=job.state,
            queue_position=queued.index(job.job_id) + 1 if job.state == QUEUED else None,
            epochs=job.request.epochs, epoch=job.epoch, batch=job.batch, batches=job.batches,
            loss_history=tuple(job.loss_history), val_loss_history=tuple(job.val_loss_history),
            batch_loss=job.batch_loss, elapsed_seconds=elapsed, remaining_seconds=None,
            started=job.started is not None, stop_requested=job.stop_requested, error=job.error, result=job.result,
        )
        if job.state == RUNNING:
            estimates = (estimate_remaining(now - since, status.fraction, before) for since, before in reversed(job.pace_marks))
            status = replace(status, remaining_seconds=next((e for e in estimates if e is not None), None))
        return status


def _error_from_output(work_dir: Path) -> str | None:
    """The child's own words: the CLI's {"error": ...} line on stdout, else the end of its stderr."""
    for line in reversed(_read_text(work_dir / "stdout.txt").splitlines()):
        try:
            message = json.loads(line).get("error")
        except (ValueError, AttributeError):
            continue
        if message:
            return message
    tail = [line for line in _read_text(work_dir / "stderr.txt").splitlines() if line.strip()][-5:]
    return "\n".join(tail) or None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------------------------
# The stored models as a table


def model_table(models: Iterable[store.StoredModel], active_name: str | None, label: Callable[[str], str]) -> list[dict]:
    """One row per stored model for st.dataframe; `label(key)` translates architecture and origin names."""
    rows = []
    for model in models:
        metadata = model.metadata
        config = metadata.get("model_config", {})
        rows.append({
            "active": model.name == active_name,
            "name": model.name,
            "arch": label(f"arch.{config['arch']}") if config.get("arch") in ARCHITECTURES else config.get("arch"),
            "latent_dim": config.get("latent_dim"),
            "val_mse": model.val_mse,
            "epochs": metadata.get("epochs_completed"),
            "training_seconds": metadata.get("training_seconds"),
            "created": _short_time(metadata.get("created")),
            "origin": label("model.shipped" if model.shipped else "model.trained"),
        })
    return rows


def _short_time(iso_time: str | None) -> str | None:
    """'2026-05-01T12:34:56+00:00' -> '2026-05-01 12:34 UTC' (the store writes UTC times)."""
    if not iso_time:
        return None
    try:
        moment = datetime.fromisoformat(iso_time)
    except ValueError:
        return iso_time
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo else "")
