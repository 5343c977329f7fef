"""A training job's two folders: the model's, whose name it reserves in the store, and its work folder (the events,
the child's output). Both are made or neither: a request that the disk cannot hold changes nothing, and says why.

Usage: `out_dir, reservation, work_dir = make_job_folders(request, store.trained_dir(), lambda: server.new_job(...))`
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ae_core import store
from ae_core.training.request import InvalidRequestError, TrainingRequest, request_problems


def make_job_folders(request: TrainingRequest, output_root: Path, make_work_dir: Callable[[], Path]
                     ) -> tuple[Path, str, Path]:
    """The model's folder (reserved), its token, and the work folder `make_work_dir()` made (all of it or nothing on
    failure, job_files.ServerFolder.new_job). InvalidRequestError when another process took
    the name a moment ago; ModelStoreError "disk_full" or "not_writable" when the file system refuses the writes
    (store.write_refusal); any other OSError as it is. Nothing is left reserved when it raises."""
    try:
        out_dir, reservation = store.reserve_name(request.name, output_root)
    except store.ModelStoreError as error:
        raise InvalidRequestError(request_problems(request, {request.name})) from error
    except OSError as error:  # reserve_name leaves nothing behind
        raise _explained(error, request.name) from error
    try:
        work_dir = make_work_dir()
    except OSError as error:
        store.release_name(out_dir, reservation)  # its name is free again
        raise _explained(error, request.name) from error
    return out_dir, reservation, work_dir


def _explained(error: OSError, name: str) -> store.ModelStoreError:
    """The page's explanation of a refused write; any other error is no state a person can fix, raised as it is."""
    refusal = store.write_refusal(error, name)
    if refusal is None:
        raise error
    return refusal
