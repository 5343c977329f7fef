"""An ended training job's outcome, kept in the shared trained folder for any app process to read back: its state,
why it ended, the CLI's result and the curves (not the learning film, which a saved model keeps in its metadata).

One small JSON file a job, `<trained>/.jobs/ended/<job id>.json`, written atomically when the job ends (by the
process that ran it, or by the sweep that cleans up after a process that was killed: ae_core/training/job_files.py),
and removed after SUMMARY_SECONDS: a tab's `job=...` link is answered for that long.

Usage: `write_summary(jobs, status, server_name)`; `status, server_name = read_summary(jobs, job_id)`
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from ae_core.store.files import TEMPORARY_PREFIX, read_json, write_json_atomic
from ae_core.training.job_status import FINISHED, EndReason, JobState, JobStatus

ENDED_FOLDER = "ended"
SUMMARY_SECONDS = 7 * 24 * 3600.0
STRAY_SECONDS = 3600.0  # an interrupted atomic write's temporary file
logger = logging.getLogger(__name__)


def write_summary(jobs: Path, status: JobStatus, server: str) -> None:
    """Keep an ended job's outcome in `jobs` (the trained folder's .jobs) under its id; `server`: the server folder's
    name of the process that ran it."""
    ended = jobs / ENDED_FOLDER
    ended.mkdir(parents=True, exist_ok=True)
    write_json_atomic(ended / f"{status.job_id}.json", {
        "job_id": status.job_id, "name": status.name, "epochs": status.epochs, "state": str(status.state),
        "end": {"code": status.end.code, "values": status.end.values} if status.end else None,
        "result": status.result, "loss_history": list(status.loss_history),
        "val_loss_history": list(status.val_loss_history),
        "terms_history": {term: list(values) for term, values in status.terms_history.items()},
        "elapsed_seconds": status.elapsed_seconds, "started": status.started, "server": server, "ended": time.time()})


def read_summary(jobs: Path, job_id: str) -> tuple[JobStatus, str] | None:
    """The job's status as its summary says (`elsewhere`), and the name of its server's folder; None when there is no
    summary, or one that is not ours (it is read from a shared folder: checked, never trusted)."""
    summary = read_json(jobs / ENDED_FOLDER / f"{job_id}.json")
    if not isinstance(summary, dict) or summary.get("job_id") != job_id:
        return None
    try:
        return _status(summary), str(summary.get("server", ""))
    except (KeyError, TypeError, ValueError) as error:
        logger.warning("Ignoring the summary of job %s: %s", job_id, error)
        return None


def drop_old_summaries(jobs: Path) -> None:
    now = time.time()
    with contextlib.suppress(FileNotFoundError):
        for path in (jobs / ENDED_FOLDER).iterdir():
            with contextlib.suppress(OSError):
                age = now - path.lstat().st_mtime
                if age > SUMMARY_SECONDS or (path.name.startswith(TEMPORARY_PREFIX) and age > STRAY_SECONDS):
                    path.unlink()


def _numbers(values) -> tuple[float, ...]:
    if not isinstance(values, list) or not all(isinstance(value, int | float) and not isinstance(value, bool)
                                               for value in values):
        raise ValueError("not a list of numbers")
    return tuple(float(value) for value in values)


def _status(summary: dict) -> JobStatus:
    state = JobState(summary["state"])
    if state not in FINISHED:
        raise ValueError(f"a summary of a job that has not ended: {state}")
    end = summary["end"]
    if not (isinstance(end, dict) and isinstance(end.get("code"), str) and isinstance(end.get("values"), dict)):
        raise ValueError("no reason for the job's end")
    result = summary["result"]
    if result is not None and not isinstance(result, dict):
        raise ValueError("a result that is no object")
    name, epochs, terms = summary["name"], summary["epochs"], summary["terms_history"]
    if not isinstance(name, str) or not isinstance(epochs, int) or isinstance(epochs, bool) or not isinstance(terms, dict):
        raise ValueError("no name, planned epochs or loss terms")
    val_loss = _numbers(summary["val_loss_history"])
    return JobStatus(
        job_id=summary["job_id"], name=name, state=state, queue_position=None, epochs=epochs, epoch=len(val_loss),
        batch=0, batches=0, loss_history=_numbers(summary["loss_history"]), val_loss_history=val_loss,
        terms_history={str(term): _numbers(values) for term, values in terms.items()}, film_frames=(), batch_loss=None,
        elapsed_seconds=float(summary["elapsed_seconds"]), remaining_seconds=None, started=bool(summary["started"]),
        stop_requested=False, end=EndReason(end["code"], end["values"]), result=result, elsewhere=True)
