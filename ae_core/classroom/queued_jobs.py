"""What the pages read of the class-wide training queue: a job with its place in the queue and its progress, the
class's queue (the teacher's page), a student's latest jobs. The queue's changes are ae_core/classroom/training_queue.py.

Usage: `job = get_job(database, job_id)` → job.state, job.position, job.fraction; `class_queue(database)`;
`jobs_of(database, student.id)`
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from sqlalchemy import select

from ae_core.classroom.database import Database
from ae_core.classroom.schema import JobRow, is_id

QUEUED, RUNNING, DONE, FAILED, STOPPED = STATES = ("queued", "running", "done", "failed", "stopped")
ACTIVE = (QUEUED, RUNNING)
FINISHED = (DONE, FAILED, STOPPED)


@dataclass(frozen=True)
class Job:
    id: str
    owner_id: str | None  # None: the teacher's
    model_name: str
    settings: dict  # every training setting by name
    state: str
    position: int | None  # 1 = starts next; None unless queued
    epochs: int
    epoch: int
    batch: int
    batches: int
    batch_loss: float | None
    losses: tuple[float, ...]
    val_losses: tuple[float, ...]
    stop_requested: bool
    worker: str | None
    created_at: float
    started_at: float | None
    updated_at: float
    finished_at: float | None
    end_code: str | None
    end_values: dict | None
    result: dict | None

    @property
    def fraction(self) -> float:
        """How much of the run is done, 0..1 (as ae_core/training/job_status.py counts it)."""
        if self.state == DONE:
            return 1.0
        if not self.batches:
            return len(self.val_losses) / self.epochs if self.epochs else 0.0
        return min(1.0, (self.epoch - 1 + self.batch / self.batches) / self.epochs)


def get_job(database: Database, job_id) -> Job | None:
    """The job of `job_id` (as an address bar gave it: anything), or None."""
    if not is_id(job_id):
        return None
    with database.read() as session:
        row = session.scalar(select(JobRow).where(JobRow.id == job_id))
        return jobs_from_rows(session, [row])[0] if row else None


def class_queue(database: Database) -> list[Job]:
    """Every running job, then every queued one in its order: the teacher's view of the class's trainings."""
    with database.read() as session:
        query = select(JobRow).where(JobRow.state.in_(ACTIVE)).order_by(JobRow.state != RUNNING, JobRow.seq)
        return jobs_from_rows(session, session.scalars(query).all())


def jobs_of(database: Database, owner_id: str | None, *, limit: int = 20) -> list[Job]:
    """The owner's latest jobs (None: the teacher's), the newest first."""
    with database.read() as session:
        owner = JobRow.owner_id.is_(None) if owner_id is None else JobRow.owner_id == owner_id
        query = select(JobRow).where(owner).order_by(JobRow.seq.desc()).limit(limit)
        return jobs_from_rows(session, session.scalars(query).all())


def jobs_from_rows(session, rows) -> list[Job]:
    """The rows as Jobs, each queued one with its place in the queue."""
    queued = session.scalars(select(JobRow.seq).where(JobRow.state == QUEUED).order_by(JobRow.seq)).all() \
        if any(row.state == QUEUED for row in rows) else []  # a worker's claims and reports need no places
    return [Job(row.id, row.owner_id, row.model_name, dict(row.settings), row.state,
                bisect.bisect_left(queued, row.seq) + 1 if row.state == QUEUED else None, row.epochs, row.epoch,
                row.batch, row.batches, row.batch_loss, tuple(row.losses), tuple(row.val_losses), row.stop_requested,
                row.worker, row.created_at, row.started_at, row.updated_at, row.finished_at, row.end_code,
                None if row.end_values is None else dict(row.end_values),
                None if row.result is None else dict(row.result)) for row in rows]
