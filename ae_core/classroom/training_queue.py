"""The class-wide training queue: every student's training, first come first served, whichever app process took it,
and the workers (on any machine) that claim and run them.

A job holds its owner, the model name and every training setting (ae_core/config.py, the defaults filled in), its
state (queued, running, done, failed, stopped), the progress the pages show (epoch, batch, losses) and its times.
`submit` applies the teacher's switches to a student's request (ae_core/classroom/switches.py) and records the model
name as the student's (ae_core/classroom/ownership.py) in the same transaction. A worker `claim_next`s a job
atomically: one transaction on SQLite (its write lock), SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so that two
workers never get one job and neither waits for the other. The worker reports progress (which also says whether Stop
was pressed, in whichever process) and `finish`es it; a job whose worker fell silent for LOST_SECONDS is failed by
`fail_lost_jobs` ("worker_lost"). A job that ends without a saved model gives its name back.

Usage: `job = submit(database, student.id, "my-dense", {"epochs": 5})`; in a worker: `job = claim_next(database,
worker)`, `go_on = report_progress(database, job.id, worker, epoch=1, batch=100, batches=1875)`, `finish(database,
job.id, worker, "done", end_code="finished", model_saved=True)`; `request_stop(database, job.id)`. What the pages
read of it: ae_core/classroom/queued_jobs.py
"""

from __future__ import annotations

import math
import time

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ae_core import config
from ae_core.classroom.database import Database
from ae_core.classroom.errors import ClassroomError
from ae_core.classroom.ownership import record_model
from ae_core.classroom.queued_jobs import ACTIVE, FAILED, FINISHED, QUEUED, RUNNING, STOPPED, Job, jobs_from_rows
from ae_core.classroom.schema import JobRow, ModelRow, StudentRow, is_id, new_id
from ae_core.classroom.switches import read_switches_in
from ae_core.config import ConfigError, Problem
from ae_core.store import ModelStoreError, validate_name

# A running job's worker reports at least every LOST_SECONDS / 4 (report_progress with no progress is a heartbeat);
# silent for this long, it is taken for dead (its machine stopped, or it was killed) and the job fails.
LOST_SECONDS = 120.0


def submit(database: Database, owner_id: str | None, model_name: str, settings: dict, *,
           now: float | None = None) -> Job:
    """Queue a training of `settings` (by setting name; missing ones are their defaults) for `owner_id` (None: the
    teacher, whom no switch limits). ConfigError for a bad setting or name (one another job or owner holds here; the
    caller has checked the store's own names, as the form does: ae_core/training/request.py, request_problems);
    ClassroomError for the class's rules."""
    unknown = set(settings) - set(config.BY_NAME)
    if unknown:
        raise ValueError(f"No such training settings: {sorted(unknown)}.")
    values = {**config.defaults(), **settings}
    problems = config.setting_problems(values)
    try:
        validate_name(model_name)
    except ModelStoreError:
        problems.insert(0, Problem("name", "invalid", {"value": model_name}))
    if problems:
        raise ConfigError(problems)
    now = time.time() if now is None else now
    taken = ConfigError([Problem("name", "taken", {"value": model_name})])
    try:
        with database.write() as session:
            if owner_id is not None:
                _check_student_may_queue(database, session, owner_id, values)
            busy = session.scalar(select(JobRow.id).where(JobRow.model_name == model_name, JobRow.state.in_(ACTIVE)))
            if busy or not record_model(session, model_name, owner_id, now=now):
                raise taken
            row = JobRow(id=new_id(), owner_id=owner_id, model_name=model_name, settings=values, state=QUEUED,
                         epochs=values["epochs"], epoch=0, batch=0, batches=0, losses=[], val_losses=[],
                         stop_requested=False, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return jobs_from_rows(session, [row])[0]
    except IntegrityError:  # PostgreSQL: another process recorded the same name a moment before this one
        raise taken from None


def _check_student_may_queue(database: Database, session, owner_id: str, values: dict) -> None:
    # The student's row is locked first on PostgreSQL: two tabs of one student submitting at once then count each
    # other's job (SQLite's write transactions are one at a time anyway).
    query = select(StudentRow.id).where(StudentRow.id == owner_id)
    if not is_id(owner_id) or session.scalar(query.with_for_update() if database.dialect == "postgresql" else query) is None:
        raise ClassroomError("unknown_student")
    switches = read_switches_in(session)
    if switches.training_paused:
        raise ClassroomError("training_paused")
    if switches.max_epochs is not None and values["epochs"] > switches.max_epochs:
        raise ClassroomError("epochs_over_limit", limit=switches.max_epochs, value=values["epochs"])
    active = session.scalar(select(func.count()).where(JobRow.owner_id == owner_id, JobRow.state.in_(ACTIVE)))
    if active >= switches.max_jobs_per_student:
        raise ClassroomError("job_limit", limit=switches.max_jobs_per_student)


def claim_next(database: Database, worker: str, *, now: float | None = None) -> Job | None:
    """The oldest queued job, now running for `worker` (e.g. "host:pid"); None when none may start. While training is
    paused only the teacher's jobs start."""
    now = time.time() if now is None else now
    with database.write() as session:
        query = select(JobRow).where(JobRow.state == QUEUED)
        if read_switches_in(session).training_paused:
            query = query.where(JobRow.owner_id.is_(None))
        query = query.order_by(JobRow.seq).limit(1)
        if database.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = session.scalars(query).first()
        if row is None:
            return None
        row.state, row.worker, row.started_at, row.updated_at = RUNNING, worker, now, now
        session.flush()
        return jobs_from_rows(session, [row])[0]


def report_progress(database: Database, job_id: str, worker: str, *, epoch: int | None = None, batch: int | None = None,
                    batches: int | None = None, batch_loss: float | None = None, losses=None, val_losses=None,
                    now: float | None = None) -> bool:
    """The worker's progress (what is given changes; nothing given is a heartbeat); whether to go on: False once Stop
    was pressed, or when the job is no longer this worker's (failed as lost, say)."""
    changes = {"epoch": epoch, "batch": batch, "batches": batches,
               "batch_loss": None if batch_loss is None else _json_safe(float(batch_loss)),
               "losses": None if losses is None else [_json_safe(float(value)) for value in losses],
               "val_losses": None if val_losses is None else [_json_safe(float(value)) for value in val_losses]}
    with database.write() as session:
        row = _row(database, session, job_id)
        if row is None or row.state != RUNNING or row.worker != worker:
            return False
        for name, value in changes.items():
            if value is not None:
                setattr(row, name, value)
        row.updated_at = time.time() if now is None else now
        return not row.stop_requested


def finish(database: Database, job_id: str, worker: str, state: str, *, end_code: str, end_values: dict | None = None,
           result: dict | None = None, model_saved: bool = False, now: float | None = None) -> Job | None:
    """The worker's job ended in `state` (done, failed or stopped) for `end_code` (ae_core/training/job_status.py's
    EndReason); None when it was not this worker's to finish."""
    if state not in FINISHED:
        raise ValueError(f"A job finishes as one of {FINISHED}, got {state!r}.")
    with database.write() as session:
        row = _row(database, session, job_id)
        if row is None or row.state != RUNNING or row.worker != worker:
            return None
        _end(session, row, state, end_code, end_values=_json_safe(end_values), now=time.time() if now is None else now,
             saved=model_saved)
        row.result = _json_safe(result)
        session.flush()
        return jobs_from_rows(session, [row])[0]


def request_stop(database: Database, job_id: str, *, now: float | None = None) -> Job | None:
    """Stop a job: a queued one ends now ("cancelled"); a running one is told at its worker's next report. The caller
    has checked that the asker may (ae_core/classroom/ownership.py, may_stop_job). None for no such job."""
    with database.write() as session:
        row = _row(database, session, job_id)
        if row is None:
            return None
        if row.state == QUEUED:
            _end(session, row, STOPPED, "cancelled", end_values=None, now=time.time() if now is None else now, saved=False)
        elif row.state == RUNNING:
            row.stop_requested = True
        session.flush()
        return jobs_from_rows(session, [row])[0]


def fail_lost_jobs(database: Database, *, silent_for: float = LOST_SECONDS, now: float | None = None) -> list[str]:
    """Fail the running jobs whose worker has not reported for `silent_for` seconds; their ids."""
    now = time.time() if now is None else now
    with database.write() as session:
        query = select(JobRow).where(JobRow.state == RUNNING, JobRow.updated_at < now - silent_for)
        rows = list(session.scalars(query.with_for_update(skip_locked=True) if database.dialect == "postgresql" else query))
        for row in rows:
            _end(session, row, FAILED, "worker_lost", end_values=None, now=now, saved=False)
        return [row.id for row in rows]


def _row(database: Database, session, job_id: str) -> JobRow | None:
    if not is_id(job_id):
        return None
    query = select(JobRow).where(JobRow.id == job_id)
    return session.scalar(query.with_for_update() if database.dialect == "postgresql" else query)


def _end(session, row: JobRow, state: str, end_code: str, *, end_values: dict | None, now: float, saved: bool) -> None:
    row.state, row.end_code, row.end_values, row.finished_at, row.updated_at = state, end_code, end_values, now, now
    if not saved:  # the name is given back: its row was made for this job (submit)
        session.execute(delete(ModelRow).where(ModelRow.name == row.model_name, _same_owner(row.owner_id)))


def _json_safe(value):
    """`value` with every NaN or infinity as None: a training that diverged reports a NaN loss, which JSON (and
    PostgreSQL's json type) has no way to hold."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def _same_owner(owner_id: str | None):
    return ModelRow.owner_id.is_(None) if owner_id is None else ModelRow.owner_id == owner_id
