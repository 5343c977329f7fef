"""What a training job looks like from outside: its state, its progress, and why it ended, in codes for the page.

Usage: `status.state`, `status.fraction`, `status.end` → EndReason("signal", {"number": 9, "name": "SIGKILL"})
"""

from __future__ import annotations

import re
import signal
import time
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from ae_core.training.progress import Event, read_events


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"


QUEUED, RUNNING, DONE, FAILED, STOPPED = JobState
FINISHED = (DONE, FAILED, STOPPED)


@dataclass(frozen=True)
class EndReason:
    """Why a job ended, as a code the page translates, and the values its message shows.

    finished, stopped (by its owner; saved what it learnt if `saved`), server_restarted (the app process that ran it
    died: it stopped with it, and saved what it learnt in full epochs if `saved`), cancelled (before it started), abandoned
    (queued, its owner gone), time_limit, out_of_memory, signal (killed by signal `number`, `name`), exit_code
    (`code`), error (`message`: the last error line of its own, without server paths), refused (the child refused its
    settings: `problems`), dataset_missing, dataset_corrupt (only damaged copies of Fashion-MNIST on the server),
    could_not_start, disk_full (its files could not be written). No value holds a server path.
    """

    code: str
    values: dict = field(default_factory=dict)


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
    terms_history: dict[str, tuple[float, ...]]  # a VAE's "reconstruction" and "kl", one value per completed epoch
    film_frames: tuple[str, ...]  # the learning film so far (ae_core.training.film.film_frame_text), one per epoch
    batch_loss: float | None  # the running mean of the epoch in progress
    elapsed_seconds: float  # since the child started (TensorFlow's start-up included); 0 while queued
    remaining_seconds: float | None  # estimated; None until there is progress to estimate from
    started: bool  # False for a job cancelled while queued
    stop_requested: bool
    end: EndReason | None  # why it ended; None while queued or running
    result: dict | None  # the CLI's summary: val_mse, epochs_completed, stopped_early, saved
    # Found in the shared trained folder rather than run by this process (ae_core/training/job_files.py): it cannot
    # be stopped from here. `server_gone`: the process that ran it has ended (killed, crashed, restarted).
    elsewhere: bool = False
    server_gone: bool = False

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
        return bool(self.result and self.result.get("saved"))


def estimate_remaining(seconds: float, fraction: float, fraction_before: float = 0.0) -> float | None:
    """Time left if the rest goes at the pace of the last `seconds`, in which the run went from fraction_before to
    fraction; None when it has not moved."""
    moved = fraction - fraction_before
    if moved <= 0:
        return None
    return max(0.0, seconds * (1 - fraction) / moved)


@dataclass
class JobProgress:
    """What a job's progress events (ae_core/training/progress.py) have said so far."""

    planned_epochs: int
    events_read: int = 0  # bytes of the events file already parsed
    epoch: int = 0
    batch: int = 0
    batches: int = 0
    batch_loss: float | None = None
    loss_history: list[float] = field(default_factory=list)
    val_loss_history: list[float] = field(default_factory=list)
    terms_history: dict[str, list[float]] = field(default_factory=dict)
    film_frames: list[str] = field(default_factory=list)
    # The "done" event: val_mse, epochs_completed, stopped_early, and saved (the CLI's "path", which is the server's
    # business: the page never gets it).
    result: dict | None = None
    child_error: dict | None = None  # the child's own "error" event
    # (time.monotonic(), fraction done) when the "start" and the first "epoch" events were seen. The pace is measured
    # from the latest: the first epoch also compiles the training step, and would make the estimate too long.
    pace_marks: list[tuple[float, float]] = field(default_factory=list)
    elapsed: float = 0.0  # the child's own clock at its latest event (for a process that did not start it)

    @property
    def saved(self) -> bool:
        return bool(self.result and self.result.get("saved"))

    def read(self, events_path: Path) -> None:
        events, self.events_read = read_events(events_path, self.events_read)
        for event in events:
            self.apply(event)

    def apply(self, event: Event) -> None:
        if isinstance(event.values.get("elapsed"), int | float):
            self.elapsed = max(self.elapsed, float(event.values["elapsed"]))
        if event.type == "start":
            self.pace_marks.append((time.monotonic(), 0.0))
        elif event.type == "batch":
            self.epoch, self.batch, self.batches, self.batch_loss = (event["epoch"], event["batch"], event["batches"],
                                                                     event["loss"])
        elif event.type == "epoch":
            self.loss_history.append(event["loss"])
            self.val_loss_history.append(event["val_loss"])
            for term in ("reconstruction", "kl"):
                if isinstance(event.values.get(term), int | float):
                    self.terms_history.setdefault(term, []).append(float(event.values[term]))
            if isinstance(event.values.get("film"), str):
                self.film_frames.append(event.values["film"])
            self.epoch, self.batch = event["epoch"], self.batches
            if event["epoch"] == 1:
                self.pace_marks.append((time.monotonic(), 1 / self.planned_epochs))
        elif event.type == "done":
            self.result = {key: value for key, value in event.values.items() if key not in ("elapsed", "path")}
            self.result["saved"] = bool(event.values.get("path"))
        elif event.type == "error":
            self.child_error = dict(event.values)

    def status(self, *, job_id: str, name: str, state: str, end: EndReason | None, queue_position: int | None,
               elapsed_seconds: float, started: bool, stop_requested: bool) -> JobStatus:
        """A snapshot of the job this progress belongs to, with what the manager knows of it."""
        status = JobStatus(
            job_id=job_id, name=name, state=state, queue_position=queue_position, epochs=self.planned_epochs,
            epoch=self.epoch, batch=self.batch, batches=self.batches, loss_history=tuple(self.loss_history),
            val_loss_history=tuple(self.val_loss_history),
            terms_history={term: tuple(values) for term, values in self.terms_history.items()},
            film_frames=tuple(self.film_frames), batch_loss=self.batch_loss, elapsed_seconds=elapsed_seconds,
            remaining_seconds=None, started=started, stop_requested=stop_requested, end=end, result=self.result)
        if state != RUNNING or stop_requested:  # a stopping run ends with its batch: no estimate to give
            return status
        return replace(status, remaining_seconds=self.remaining_seconds(status.fraction))

    def remaining_seconds(self, fraction: float) -> float | None:
        now = time.monotonic()
        estimates = (estimate_remaining(now - since, fraction, before) for since, before in reversed(self.pace_marks))
        return next((estimate for estimate in estimates if estimate is not None), None)


# The last line of a Python traceback: "SomeError: what happened" (TensorFlow's start-up lines never look like it).
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::\s*(.*))?$")
_MEMORY_ERRORS = ("MemoryError", "ResourceExhaustedError", "OutOfMemoryError")


def failure_reason(exit_code: int, child_error: dict | None, work_dir: Path) -> EndReason:
    """Why a child failed, plainly: its own refusal or error, out of memory, a signal or an exit code."""
    if child_error:
        return _child_error_reason(child_error)
    last_exception = None
    for line in _read_text(work_dir / "stderr.txt").splitlines():
        match = _EXCEPTION_LINE.match(line.strip())
        if match:
            last_exception = match
    if last_exception and last_exception.group(1).rsplit(".", 1)[-1] in _MEMORY_ERRORS:
        return EndReason("out_of_memory")
    if exit_code is not None and exit_code < 0:
        number = -exit_code
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return EndReason("signal", {"number": number, "name": name})
    if last_exception:
        message = last_exception.group(1).rsplit(".", 1)[-1] + (f": {last_exception.group(2)}" if last_exception.group(2) else "")
        return EndReason("error", {"message": _without_paths(message)})
    return EndReason("exit_code", {"code": exit_code})


def _child_error_reason(child_error: dict) -> EndReason:
    """The child's own "error" event as an EndReason."""
    code = child_error.get("code")
    if code == "refused":
        return EndReason(code, {"problems": child_error.get("problems") or []})
    if code in ("dataset_missing", "dataset_corrupt"):
        return EndReason(code)  # the child's message lists the server's folders: for its log, not for the page
    return EndReason("error", {"message": _without_paths(str(child_error.get("message", "")))})


_ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[^\s/'\"]+/)*([^\s/'\"]+)")


def _without_paths(text: str) -> str:
    """`text` with absolute paths cut to their last part: a visitor learns nothing of the server's folders."""
    return _ABSOLUTE_PATH.sub(lambda match: match.group(1), text)[:500]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
