"""A training job's two folders: the model's, whose name it reserves in the store, and its work folder (the events,
the child's output). Both are made or neither: a request that the disk cannot hold changes nothing, and says why.

Usage: `out_dir, reservation = make_job_folders(request, store.trained_dir(), work_root / job_id)`
"""

from __future__ import annotations

from pathlib import Path

from ae_core import store
from ae_core.training.request import InvalidRequestError, TrainingRequest, request_problems


def make_job_folders(request: TrainingRequest, output_root: Path, work_dir: Path) -> tuple[Path, str]:
    """The model's folder (reserved) and its token, with `work_dir` made. InvalidRequestError when another process took
    the name a moment ago; ModelStoreError "disk_full" or "not_writable" when the file system refuses the writes
    (store.write_refusal); any other OSError as it is. Nothing is left reserved when it raises."""
    try:
        out_dir, reservation = store.reserve_name(request.name, output_root)
    except store.ModelStoreError as error:
        raise InvalidRequestError(request_problems(request, {request.name})) from error
    except OSError as error:  # reserve_name leaves nothing behind
        raise _explained(error, request.name) from error
    try:
        work_dir.mkdir()
    except OSError as error:
        store.release_name(out_dir, reservation)  # its name is free again
        raise _explained(error, request.name) from error
    return out_dir, reservation


def _explained(error: OSError, name: str) -> store.ModelStoreError:
    """The page's explanation of a refused write; any other error is no state a person can fix, raised as it is."""
    refusal = store.write_refusal(error, name)
    if refusal is None:
        raise error
    return refusal
