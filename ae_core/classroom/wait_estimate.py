"""How long a queued training will wait, from the class's recent throughput: the jobs ahead of it, in order, each
taken by the first worker free, at the pace the last finished trainings went; as many workers as are running now.

A training's time is fitted on the last RECENT finished ("done") ones as `overhead + seconds_per_unit × units`, where
units = epochs × train_fraction (passes over all 60,000 images) and the overhead is what a run costs besides its
epochs (TensorFlow's start, the model's save: ~10 s here, docs/design.md). Each architecture gets its own fit once it
has MIN_SAMPLES of its own (a conv epoch costs several dense ones), else the fit of all of them. Where the recent runs
all had the same units, the overhead cannot be told apart and each is one mean duration. No finished training yet:
no estimate (None), rather than a number made up.

Usage: `seconds = estimated_wait(database, job.id)` → None, or seconds until it starts
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

from sqlalchemy import select

from ae_core.classroom.database import Database
from ae_core.classroom.queued_jobs import DONE, QUEUED, RUNNING
from ae_core.classroom.schema import JobRow, is_id

RECENT = 30  # finished trainings the pace is learnt from: about one exercise of a class
MIN_SAMPLES = 3


def work_units(settings: dict) -> float:
    """Passes over the whole training set."""
    return float(settings.get("epochs", 0)) * float(settings.get("train_fraction", 1.0))


@dataclass(frozen=True)
class Pace:
    overhead_seconds: float
    seconds_per_unit: float

    def seconds(self, settings: dict) -> float:
        return self.overhead_seconds + self.seconds_per_unit * work_units(settings)


def fit_pace(samples: list[tuple[float, float]]) -> Pace | None:
    """The least-squares line through (units, seconds) samples, both terms kept at zero or more; None without any."""
    samples = [(units, seconds) for units, seconds in samples if units > 0 and seconds >= 0]
    if not samples:
        return None
    count = len(samples)
    mean_units = sum(units for units, _ in samples) / count
    mean_seconds = sum(seconds for _, seconds in samples) / count
    spread = sum((units - mean_units) ** 2 for units, _ in samples)
    if spread <= 1e-12 * max(1.0, mean_units**2):  # one size of run: its mean duration, all of it per unit
        return Pace(0.0, mean_seconds / mean_units)
    slope = sum((units - mean_units) * (seconds - mean_seconds) for units, seconds in samples) / spread
    overhead = mean_seconds - slope * mean_units
    if slope < 0:  # longer runs were not slower: noise, so every run takes the mean
        return Pace(mean_seconds, 0.0)
    if overhead < 0:  # a line through the origin instead
        return Pace(0.0, sum(seconds for _, seconds in samples) / sum(units for units, _ in samples))
    return Pace(overhead, slope)


def recent_paces(session) -> tuple[Pace | None, dict[str, Pace]]:
    """The pace of all recent trainings, and of each architecture with enough of its own."""
    rows = session.scalars(select(JobRow).where(JobRow.state == DONE, JobRow.started_at.is_not(None))
                           .order_by(JobRow.finished_at.desc()).limit(RECENT)).all()
    samples = [(row.settings.get("arch"), work_units(row.settings), row.finished_at - row.started_at) for row in rows]
    by_arch = {}
    for arch in {arch for arch, _, _ in samples}:
        own = [(units, seconds) for sample_arch, units, seconds in samples if sample_arch == arch]
        if len(own) >= MIN_SAMPLES:
            by_arch[arch] = fit_pace(own)
    return fit_pace([(units, seconds) for _, units, seconds in samples]), by_arch


def estimated_wait(database: Database, job_id: str, *, now: float | None = None) -> float | None:
    """Seconds until the queued job `job_id` starts: 0 when it is next and a worker is free; None when it is not
    queued or nothing has finished yet to learn the pace from."""
    if not is_id(job_id):
        return None
    now = time.time() if now is None else now
    with database.read() as session:
        job = session.scalar(select(JobRow).where(JobRow.id == job_id))
        if job is None or job.state != QUEUED:
            return None
        overall, by_arch = recent_paces(session)
        if overall is None:
            return None
        running = session.scalars(select(JobRow).where(JobRow.state == RUNNING)).all()
        ahead = session.scalars(select(JobRow).where(JobRow.state == QUEUED, JobRow.seq < job.seq)).all()

    def seconds(row: JobRow) -> float:
        return by_arch.get(row.settings.get("arch"), overall).seconds(row.settings)

    # When each worker running now is free, then the jobs ahead, each to the first free one; with none running, one.
    free_at = [max(0.0, seconds(row) - (now - (row.started_at or now))) for row in running] or [0.0]
    heapq.heapify(free_at)
    for row in ahead:
        heapq.heappush(free_at, heapq.heappop(free_at) + seconds(row))
    return free_at[0]
