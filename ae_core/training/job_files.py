"""A training job's files in the shared trained folder: what lets any app process find a job again after the process
that ran it died, and what cleans up after a process that was killed.

Every app process keeps its jobs' work folders in a folder of its own, `<trained>/.jobs/server-XXXX/<job id>/`
(job.json: the job's name and planned epochs; events.jsonl, stdout.txt, stderr.txt: the child's), which it holds an
flock on for as long as it lives: a killed process's lock goes with it, so any process can tell a live server's folder
from a dead one's. A training's own child locks its events file while it runs (ae_core/training/progress.py), so a
dead server's training that is still stopping, saving what it learnt, is told apart from one that has ended.

When a job ends, its outcome goes to `<trained>/.jobs/ended/` (ae_core/training/job_summary.py). `find_job` answers
for a job another process ran: from that summary, or from the job's folder while its server's child still runs;
either way marked `elsewhere` (this process cannot stop it) and `server_gone` when the process that ran it is no more
(killed, crashed, restarted). `sweep` removes the folders of servers that ended, once their trainings have, after
writing each job's summary.

Usage: `server = ServerFolder(root)`; `work_dir = server.new_job(job_id, name, epochs)`; `find_job(root, job_id)`; ...
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ae_core.store.files import lock_is_held, read_json, write_json_atomic
from ae_core.training.job_status import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    STOPPED,
    EndReason,
    JobProgress,
    JobStatus,
    failure_reason,
)
from ae_core.training.job_summary import drop_old_summaries, read_summary, write_summary
from ae_core.training.progress import writer_is_running

JOBS_FOLDER = ".jobs"  # in the trained folder: the store's listings skip dot folders
SERVER_PREFIX = "server-"
JOB_RECORD = "job.json"
EVENTS_FILE = "events.jsonl"
STARTED_MARK = "stdout.txt"  # the runner creates it as it starts the child (ae_core/training/runners.py)
# A started child locks its events file within a second of its start; one whose server is gone and that holds no lock
# this long after its start has ended (or never got going).
STARTING_SECONDS = 30.0
SWEEP_SECONDS = 300.0  # e.g. a dead server's training that was still saving at the last sweep
_JOB_ID = re.compile(r"job-[A-Za-z0-9_-]{16}")  # secrets.token_urlsafe(12), as job_manager makes them
logger = logging.getLogger(__name__)


def is_job_id(text: str) -> bool:
    """Whether `text` has the shape of a job id (a link's job=... is untrusted text: never a path)."""
    return isinstance(text, str) and _JOB_ID.fullmatch(text) is not None


def jobs_folder(root: Path) -> Path:
    return Path(root) / JOBS_FOLDER


class ServerFolder:
    """This process's folder of job work folders, locked for as long as the process lives; made after a sweep of
    what killed processes left, which it repeats every SWEEP_SECONDS (sweep_if_due)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        jobs = jobs_folder(root)
        jobs.mkdir(parents=True, exist_ok=True)
        sweep(self.root)
        self._swept_at = time.monotonic()
        for _ in range(5):
            path = Path(tempfile.mkdtemp(prefix=SERVER_PREFIX, dir=jobs))
            descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another process's sweep took the new, empty folder for a dead one's: another
                os.close(descriptor)
                continue
            self.path, self._descriptor = path, descriptor
            return
        raise OSError(f"Could not lock a job folder of its own in {jobs}")

    def new_job(self, job_id: str, name: str, epochs: int) -> Path:
        """A work folder for the job, with the record another process needs to report on it."""
        record, work_dir = {"job_id": job_id, "name": name, "epochs": epochs, "submitted": time.time()}, self.path / job_id
        work_dir.mkdir()
        try:
            write_json_atomic(work_dir / JOB_RECORD, record)
        except OSError:  # a full disk: no half-made job folder
            shutil.rmtree(work_dir, ignore_errors=True)
            raise
        return work_dir

    def record_end(self, status: JobStatus) -> None:
        """An ended job's outcome, where every process finds it (a tab that reconnected to another one asks there)."""
        try:
            write_summary(jobs_folder(self.root), status, self.path.name)
        except OSError as error:  # this process still knows it; only another one would not
            logger.warning("Could not record the end of %s: %s", status.job_id, error)

    def sweep_if_due(self) -> None:
        if time.monotonic() - self._swept_at > SWEEP_SECONDS:
            self._swept_at = time.monotonic()
            sweep(self.root)

    def close(self) -> None:
        """Remove the folder (its jobs' summaries stay in ended/) and give up its lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.close(self._descriptor)


def server_is_running(folder: Path) -> bool:
    """Whether the process that made this server folder still holds it."""
    return lock_is_held(folder, directory=True)


# --- A job from its folder ---------------------------------------------------------------------------------------

def status_from_folder(work_dir: Path, server_gone: bool) -> JobStatus | None:
    """What a job's files say of it, for a process that did not run it; None when the folder holds no job record.

    A job whose server is gone and whose child no longer runs has ended: with the child's "done" event (it stopped by
    itself when its server died, and saved what it learnt in full epochs, or it had finished), its error, or nothing
    (killed before it could say anything, or never started): EndReason "server_restarted".
    """
    record = read_json(work_dir / JOB_RECORD)
    if not (isinstance(record, dict) and is_job_id(record.get("job_id")) and isinstance(record.get("name"), str)
            and isinstance(record.get("epochs"), int) and record["epochs"] > 0):
        return None
    progress = JobProgress(record["epochs"])
    events = work_dir / EVENTS_FILE
    progress.read(events)
    started_mark = work_dir / STARTED_MARK
    try:
        started, starting = True, time.time() - started_mark.stat().st_mtime < STARTING_SECONDS
    except OSError:
        started = starting = False
    state, end = RUNNING, None
    if progress.result is not None:
        saved, stopped_early = progress.saved, bool(progress.result.get("stopped_early"))
        if saved and not stopped_early:
            state, end = DONE, EndReason("finished")
        else:
            state = STOPPED
            end = EndReason("server_restarted" if server_gone else "stopped", {"saved": saved})
    elif writer_is_running(events) or starting:
        state = RUNNING
    elif not server_gone:  # queued there; or its child just ended, and its server is about to record why
        state = RUNNING if started else QUEUED
    elif progress.child_error is not None:
        state, end = FAILED, failure_reason(1, progress.child_error, work_dir)
    else:
        state, end = FAILED, EndReason("server_restarted")
    status = progress.status(job_id=record["job_id"], name=record["name"], state=state, end=end, queue_position=None,
                             elapsed_seconds=progress.elapsed, started=started, stop_requested=False)
    return replace(status, elsewhere=True, server_gone=server_gone)


def _job_folders(root: Path, job_id: str) -> list[Path]:
    return [server / job_id for server in sorted(jobs_folder(root).glob(f"{SERVER_PREFIX}*")) if (server / job_id).is_dir()]


def find_job(root: Path, job_id: str) -> JobStatus | None:
    """A job another process ran (or runs), from the shared files; None for an id no process here has known."""
    if not is_job_id(job_id):
        return None
    if (summarised := _summarised(root, job_id)) is not None:
        return summarised
    for work_dir in _job_folders(root, job_id):
        with contextlib.suppress(OSError):
            found = status_from_folder(work_dir, server_gone=not server_is_running(work_dir.parent))
            if found is not None:
                return found
    return _summarised(root, job_id)  # a sweep may have moved it there meanwhile


def _summarised(root: Path, job_id: str) -> JobStatus | None:
    found = read_summary(jobs_folder(root), job_id)
    if found is None:
        return None
    status, server = found
    alive = server.startswith(SERVER_PREFIX) and "/" not in server and server_is_running(jobs_folder(root) / server)
    return replace(status, server_gone=not alive)


# --- Cleaning up after processes that ended ----------------------------------------------------------------------

def sweep(root: Path) -> list[Path]:
    """Remove the folders of servers that ended (killed ones included) whose trainings have all ended too, after
    writing a summary of each of their jobs; drop summaries older than SUMMARY_SECONDS. Returns the folders removed.
    Safe beside other processes doing the same: a folder is swept under its own lock."""
    jobs = jobs_folder(root)
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for folder in sorted(jobs.glob(f"{SERVER_PREFIX}*")):
            if folder.is_dir() and not folder.is_symlink() and _sweep_server_folder(root, folder):
                removed.append(folder)
    drop_old_summaries(jobs)
    return removed


def _sweep_server_folder(root: Path, folder: Path) -> bool:
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # its server lives
        if not folder.is_dir():
            return False  # another sweep removed it while this one waited
        for work_dir in [path for path in folder.iterdir() if path.is_dir()]:
            status = status_from_folder(work_dir, server_gone=True)
            if status is None:
                continue  # no job record: nothing anyone could ask about
            if not status.finished:
                return False  # its training still stops and saves: the next sweep takes the folder
            if read_summary(jobs_folder(root), status.job_id) is None:
                write_summary(jobs_folder(root), status, folder.name)
        shutil.rmtree(folder, ignore_errors=True)
        return True
    except OSError as error:
        logger.warning("Could not sweep %s: %s", folder, error)
        return False
    finally:
        os.close(descriptor)
