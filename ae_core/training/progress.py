"""Training progress as JSON lines: the one definition that the CLI writes (`--events FILE`) and the job manager reads.

Each line is one event object with a "type": "start", "batch", "epoch", "done" or "error", the fields below, and
"elapsed" (seconds since the writer was made). A reader takes only complete lines, so a line still being written
waits for the next read, and it skips a malformed line rather than fail on it.

While its writer runs, the file is locked (`hold_writer_lock`: a flock that the kernel drops when the writer ends,
killed or not), so that any process that sees the file (the server that started the training, or another one after
that server died) can tell whether more events may still come (`writer_is_running`).

Usage:
    writer = ProgressWriter(path); writer.start(epochs=10, model="my-model"); writer.on_epoch(1, 10, 0.02, 0.019, 3.1)
    events, offset = read_events(path, offset)   # [Event(type="epoch", ...)], where the next read starts
    hold_writer_lock(path) in the writer; writer_is_running(path) anywhere
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ae_core.store.files import lock_is_held
from ae_core.training.film import film_frame_text

logger = logging.getLogger(__name__)

# The fields each type of event must carry, with their types: what the reader checks before it believes a line.
_NUMBER = (int, float)
FIELDS = {
    "start": {"epochs": int, "model": str},
    "batch": {"epoch": int, "batch": int, "batches": int, "loss": _NUMBER},
    "epoch": {"epoch": int, "epochs": int, "loss": _NUMBER, "val_loss": _NUMBER},
    "done": {"epochs_completed": int, "val_mse": _NUMBER, "stopped_early": bool},
    "error": {"message": str},
}
# Batch lines at most this often: the page polls once a second, and a fast model would otherwise write thousands.
BATCH_EVENT_SECONDS = 0.2


@dataclass(frozen=True)
class Event:
    type: str
    values: dict = field(default_factory=dict)  # the fields of FIELDS[type], and any others the writer added

    def __getitem__(self, name: str):
        return self.values[name]


def parse_event(line: bytes | str) -> Event:
    """One line as an Event; ValueError when it is not JSON, has an unknown type or lacks a field of its type."""
    values = json.loads(line)
    if not isinstance(values, dict) or values.get("type") not in FIELDS:
        raise ValueError(f"Not a progress event: {str(line)[:200]!r}")
    kind = values.pop("type")
    for name, expected in FIELDS[kind].items():
        value = values.get(name)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ValueError(f"Progress event {kind!r} without a valid {name!r}: {str(line)[:200]!r}")
    return Event(kind, values)


def read_events(path: Path, offset: int = 0) -> tuple[list[Event], int]:
    """The events in complete lines after byte `offset` of `path`, and the offset to read from next time."""
    try:
        with open(path, "rb") as file:
            file.seek(offset)
            chunk = file.read()
    except FileNotFoundError:
        return [], offset
    complete = chunk[: chunk.rfind(b"\n") + 1]
    events = []
    for line in complete.splitlines():
        try:
            events.append(parse_event(line))
        except ValueError:
            logger.warning("Ignoring a malformed training event: %r", line[:200])
    return events, offset + len(complete)


_held_locks: list[int] = []  # the writer's lock descriptors: open until the process ends


def hold_writer_lock(path: Path) -> None:
    """Lock the events file (creating it) for as long as this process lives: its writer is running.

    It waits only for a reader's check (writer_is_running holds a shared lock for microseconds): one training writes
    one events file."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    _held_locks.append(descriptor)


def writer_is_running(path: Path) -> bool:
    """Whether a writer holds the events file's lock (False also when there is no such file)."""
    return lock_is_held(path)


@dataclass(frozen=True)
class EpochReport:
    """One finished epoch: the minimised loss, the test MSE, seconds since the start, a VAE's "reconstruction" and
    "kl" terms in `terms`, and the film's reconstructions (n, 28, 28) uint8 after this epoch."""

    epoch: int
    epochs: int
    loss: float
    val_loss: float
    seconds: float
    terms: dict[str, float] = field(default_factory=dict)
    film_frame: np.ndarray | None = None


class ProgressListener:
    """What a terminal, a file or a test implements to follow a train() run: override what you need. Epochs count
    from 1; `loss` in on_batch is the running mean of the epoch so far."""

    def on_batch(self, epoch: int, batch: int, batches: int, loss: float) -> None:
        pass

    def on_epoch(self, report: EpochReport) -> None:
        pass


class ProgressWriter(ProgressListener):
    """Appends events to a file, for a parent process (the app) to follow."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.last_batch_write = 0.0
        self.start_time = time.perf_counter()

    def write(self, kind: str, **values) -> None:
        if kind not in FIELDS:
            raise ValueError(f"Unknown progress event type {kind!r}")
        event = {"type": kind, **values, "elapsed": round(time.perf_counter() - self.start_time, 3)}
        with open(self.path, "a", encoding="utf-8") as file:
            file.write(json.dumps(event) + "\n")

    def start(self, epochs: int, model: str) -> None:
        self.write("start", epochs=epochs, model=model)

    def done(self, summary: dict) -> None:
        self.write("done", **summary)

    def error(self, message: str, **details) -> None:
        """Why the run could not go on: an English `message`, and for the app a `code` and what it needs to say it."""
        self.write("error", message=message, **details)

    def on_batch(self, epoch: int, batch: int, batches: int, loss: float) -> None:
        now = time.perf_counter()
        if now - self.last_batch_write >= BATCH_EVENT_SECONDS or batch == batches:
            self.last_batch_write = now
            self.write("batch", epoch=epoch, batch=batch, batches=batches, loss=loss)

    def on_epoch(self, report: EpochReport) -> None:
        film = {"film": film_frame_text(report.film_frame)} if report.film_frame is not None else {}
        self.write("epoch", epoch=report.epoch, epochs=report.epochs, loss=report.loss, val_loss=report.val_loss,
                   **report.terms, **film)
