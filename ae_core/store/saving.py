"""Saving a model into its folder atomically: the new `.keras` file under a new name first, then metadata.json
replaced to point at it. That replacement is the commit point: a crash at any moment leaves either the previous model
or the new one, never half of each, and what the interrupted save left behind is a stray (ae_core/store/folders.py).
A commit marks the store changed (ae_core/store/cached_listing.py, mark_changed): every process's next listing shows it.

Usage: `save_model(model, metadata, folder)` with metadata from ae_core/store/metadata.build_metadata
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ae_core.store import files, folders
from ae_core.store.cached_listing import mark_changed
from ae_core.store.folders import METADATA_FILE, RESERVATION_FILE
from ae_core.store.names import validate_name


def save_model(model, metadata: dict, folder: Path) -> Path:
    """Write model and metadata into `folder` atomically; return the `.keras` path.

    Only one process saves into a folder at a time (a lock on the folder); what an interrupted save left there is
    removed first. The reservation, if any, ends with the commit.
    """
    folder = Path(folder)
    validate_name(folder.name)
    folder.mkdir(parents=True, exist_ok=True)
    with files.folder_lock(folder):
        previous_file = folders.committed_model_file(folder)
        folders.remove_strays(folder)
        handle, temporary = tempfile.mkstemp(prefix=files.TEMPORARY_PREFIX, suffix=".keras", dir=folder)
        os.close(handle)
        try:
            model.save(temporary)
            digest = files.sha256_of_file(Path(temporary))
            model_file = f"model-{digest[:12]}.keras"
            files.fsync_file(temporary)
            os.chmod(temporary, 0o644)  # mkstemp makes files private; a model is meant to be read by the app's user
            os.replace(temporary, folder / model_file)
            files.fsync_directory(folder)  # the file's name is on disk before metadata.json points at it
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        full_metadata = {**metadata, "model_file": model_file, "model_sha256": digest}
        try:
            files.write_json_atomic(folder / METADATA_FILE, full_metadata)  # the commit point
        except BaseException:
            if model_file != previous_file:
                (folder / model_file).unlink(missing_ok=True)
            raise
        mark_changed(folder)  # every process's next listing reads the folder again (a replaced model among them)
        if previous_file and previous_file != model_file:
            (folder / previous_file).unlink(missing_ok=True)
        (folder / RESERVATION_FILE).unlink(missing_ok=True)
        files.fsync_directory(folder)
    return folder / model_file
