"""Training jobs: each run is a child process `python -m ae_core train`, at most `max_concurrent` at once, the rest queued.

Why a child: Streamlit resets Keras' global state after every rerun of every session (docs/design.md, "Streamlit
clears Keras after every rerun"). The child writes its progress (ae_core/training/progress.py) and saves the model into the
store itself; the manager reserves the name, starts, watches and stops children. The app keeps one manager per server
(st.cache_resource), so the cap holds across every session and a job outlives the reruns of the page that started it.

A job does not need its owner. A running job whose browser tab was closed trains to its end (or to `max_seconds`,
then stops as if Stop was pressed) and saves its model, which then appears in everyone's list: a training is small
(the form's limits) and what it learnt is worth keeping. A queued job whose owner has not been seen for
`abandon_seconds` (the page calls `touch` on every rerun) is cancelled, so it does not hold a place in the queue for
nobody. The server going away ends its jobs the same way, never leaving a child to run for nobody: `close()` (at
exit) cancels the queue and stops the children, who save what they learnt (or are killed after `timeout`); a server
that is killed outright cannot, so each child watches its parent (`--parent-pid`) and stops by itself when it dies.
The name a job reserved is given back whenever it ends without a saved model. A job's files and outcome stay in the
shared trained folder, for another process to find it and to clean up after a killed one (training/job_files.py).

Usage: `manager = TrainingJobManager(max_concurrent=2); job_id = manager.submit(TrainingRequest("my-dense"))`, then
`manager.status(job_id).state` ("queued", "running", "done", "failed" or "stopped") and `manager.stop(job_id)`.
"""

from __future__ import annotations

import atexit
import logging
import secrets
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ae_core import store
from ae_core.store.files import DISK_FULL_ERRNOS
from ae_core.training import job_files
from ae_core.training.job_folders import make_job_folders
from ae_core.training.job_status import FINISHED, EndReason, JobProgress, JobState, JobStatus, failure_reason
from ae_core.training.request import InvalidRequestError, TrainingRequest, request_problems
from ae_core.training.runners import CommandFactory, Runner, cli_command, default_runner

QUEUED, RUNNING, DONE, FAILED, STOPPED = JobState
logger = logging.getLogger(__name__)
# A queued job nobody has looked at for this long is cancelled; a running one is stopped after MAX_SECONDS (keeping what
# it learnt). The form's limits keep a run within minutes; these catch what goes wrong anyway.
ABANDON_SECONDS = 600.0
MAX_SECONDS = 3600.0


@dataclass
class _Job:
    job_id: str
    request: TrainingRequest
    out_dir: Path
    reservation: str
    work_dir: Path  # events.jsonl, stdout.txt, stderr.txt
    progress: JobProgress
    state: JobState = QUEUED
    process: subprocess.Popen | None = None
    stop_requested: bool = False
    limit_hit: bool = False  # stopped for running longer than max_seconds
    last_seen: float = field(default_factory=time.monotonic)  # when its owner last asked about it
    started: float | None = None  # time.monotonic() when the child was started
    finished: float | None = None
    end: EndReason | None = None

    events_path = property(lambda self: self.work_dir / job_files.EVENTS_FILE)


class TrainingJobManager:
    """Runs training requests as child processes, `max_concurrent` at a time, first come first served. Thread-safe."""

    def __init__(self, max_concurrent: int = 1, *, command: CommandFactory = cli_command, runner: Runner | None = None,
                 output_root: Callable[[], Path] = store.trained_dir, poll_seconds: float = 0.25,
                 abandon_seconds: float = ABANDON_SECONDS, max_seconds: float = MAX_SECONDS):
        if max_concurrent < 1:
            raise ValueError(f"max_concurrent must be at least 1, got {max_concurrent}.")
        self.max_concurrent = max_concurrent
        self.abandon_seconds = abandon_seconds
        self.max_seconds = max_seconds
        self._command = command
        self._runner = runner or default_runner()  # Ray when AE_LAB_RAY_ADDRESS is set
        self._output_root = output_root
        self._lock = threading.RLock()
        self._jobs: dict[str, _Job] = {}  # in submission order, which is also the queue's order
        # Work folders in the store, which every machine sees: written where a job runs (Ray), read here and by others.
        self._server = job_files.ServerFolder(Path(output_root()))  # cleans up after killed ones first
        self._closed = threading.Event()
        # Queued jobs must start when a slot frees even if no page is open to ask: a small thread keeps watch.
        self._watcher = threading.Thread(target=self._watch, args=(poll_seconds,), name="training-jobs", daemon=True)
        self._watcher.start()
        # A server that shuts down stops its children (who save what they learnt) rather than leave orphans.
        atexit.register(self.close)

    def submit(self, request: TrainingRequest) -> str:
        """Reserve the name and queue a training; InvalidRequestError or ModelStoreError (a full disk) when it cannot run."""
        with self._lock:
            if self._closed.is_set():
                raise RuntimeError("This job manager is closed.")
            problems = request_problems(request, self._taken_names())
            if problems:
                raise InvalidRequestError(problems)
            job_id = f"job-{secrets.token_urlsafe(12)}"  # unguessable: the page keeps it in its URL (ui/url_state.py)
            out_dir, reservation, work_dir = make_job_folders(
                request, Path(self._output_root()), lambda: self._server.new_job(job_id, request.name, request.epochs))
            self._jobs[job_id] = _Job(job_id, request, out_dir, reservation, work_dir, JobProgress(request.epochs))
            self._advance()
            return job_id

    def status(self, job_id: str) -> JobStatus | None:
        """A snapshot of the job (one another process ran: from the shared folder, `elsewhere`); None if unknown."""
        with self._lock:
            self._advance()
            if job := self._jobs.get(job_id):
                return self._snapshot(job)
        return job_files.find_job(Path(self._output_root()), job_id)

    def touch(self, job_id: str) -> None:
        """Its owner is still here (called on every rerun of the owner's session)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                job.last_seen = time.monotonic()

    def stop(self, job_id: str) -> None:
        """Cancel a queued job; ask a running one to stop (SIGTERM: it saves what it learnt if an epoch completed)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state in FINISHED:
                return
            job.stop_requested = True
            if job.state == QUEUED:
                self._end_unstarted(job, EndReason("cancelled"))
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
        """Names a new job may not use: the store's (its kept listing: a form asks every run) and unfinished jobs'."""
        with self._lock:
            return self._taken_names(store.cached_scan())

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
        self._server.close()

    # -- internals; every one runs with the lock held -----------------------------------------------------------

    def _watch(self, poll_seconds: float) -> None:
        while not self._closed.wait(poll_seconds):
            try:
                with self._lock:
                    self._advance()
                    running = [job.process for job in self._jobs.values() if job.state == RUNNING]
                for process in running:  # a cluster's answer (RayJob.refresh), outside the lock: it can be slow
                    getattr(process, "refresh", lambda: None)()
                self._server.sweep_if_due()  # e.g. a dead server's training that was still saving at the last sweep
            except Exception:  # the watcher must outlive any one bad job, or the queue would stall
                logger.exception("Training job watcher")

    def _taken_names(self, listing: store.StoreListing | None = None) -> set[str]:
        active = {job.request.name for job in self._jobs.values() if job.state in (QUEUED, RUNNING)}
        return active | (listing or store.scan()).taken_names

    def _advance(self) -> None:
        """Read new events, notice children that ended or ran too long, drop abandoned queued jobs, fill free slots."""
        now = time.monotonic()
        for job in self._jobs.values():
            if job.state == RUNNING:
                job.progress.read(job.events_path)
                if job.process.poll() is not None:
                    self._finish(job)
                elif now - job.started > self.max_seconds and not job.limit_hit:
                    job.limit_hit = True
                    job.process.terminate()
            elif job.state == QUEUED and now - job.last_seen > self.abandon_seconds:
                self._end_unstarted(job, EndReason("abandoned"))
        running = sum(job.state == RUNNING for job in self._jobs.values())
        for job in self._jobs.values():
            if running >= self.max_concurrent or self._closed.is_set():
                break
            if job.state == QUEUED:
                self._start(job)
                running += job.state == RUNNING

    def _start(self, job: _Job) -> None:
        command = self._command(job.request, job.out_dir, job.events_path, job.reservation)
        job.started = time.monotonic()
        try:
            job.process = self._runner.start(command, job.work_dir)
        except OSError as error:
            logger.error("Could not start a training: %s", error)
            self._end_unstarted(job, EndReason("disk_full" if error.errno in DISK_FULL_ERRNOS else "could_not_start"), FAILED)
            return
        job.state = RUNNING

    def _end_unstarted(self, job: _Job, reason: EndReason, state: JobState = STOPPED) -> None:
        job.state, job.finished, job.end = state, time.monotonic(), reason
        store.release_name(job.out_dir, job.reservation)
        self._server.record_end(self._snapshot(job))

    def _finish(self, job: _Job) -> None:
        progress = job.progress
        progress.read(job.events_path)  # whatever the child wrote just before it exited
        job.finished = time.monotonic()
        exit_code = job.process.returncode
        if exit_code == 0 and progress.result is not None and not progress.result.get("stopped_early"):
            job.state, job.end = DONE, EndReason("finished")
        elif exit_code == 0 and progress.result is not None:
            job.state = STOPPED
            job.end = EndReason("time_limit" if job.limit_hit else "stopped", {"saved": progress.saved})
        else:
            job.state, job.end = FAILED, failure_reason(exit_code, progress.child_error, job.work_dir)
        # Gives the name back unless a model was committed under it (then the reservation is gone already, or it
        # lingers after a child killed just after its commit and release_name keeps the model).
        store.release_name(job.out_dir, job.reservation)
        self._server.record_end(self._snapshot(job))

    def _snapshot(self, job: _Job) -> JobStatus:
        queued = [other.job_id for other in self._jobs.values() if other.state == QUEUED]
        elapsed = ((job.finished or time.monotonic()) - job.started) if job.started else 0.0
        return job.progress.status(job_id=job.job_id, name=job.request.name, state=job.state, end=job.end,
                                   queue_position=queued.index(job.job_id) + 1 if job.state == QUEUED else None,
                                   elapsed_seconds=elapsed, started=job.started is not None,
                                   stop_requested=job.stop_requested)
