"""What one model folder holds, read and checked: a usable model (StoredModel), an unavailable one with the reason
(UnavailableModel), or a name being trained; and a cache of what was read, by the folder's file-system facts.

Usage: `found, settled = read_folder(root, name, entry.path, entry.is_symlink(), shipped)`
       # found: StoredModel | UnavailableModel | "reserved" | "gone"; settled: whether it stays so until the folder changes
"""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from ae_core.store.files import MAX_METADATA_BYTES, MAX_MODEL_BYTES, ModelStoreError, read_regular_file, sha256_of_bytes
from ae_core.store.folders import (
    METADATA_FILE,
    RESERVATION_FILE,
    clean_strays_if_idle,
    remove_abandoned_reservation,
    reservation_is_stale,
)
from ae_core.store.metadata import MetadataError, ModelRecord, parse_metadata
from ae_core.store.model_file import read_model_file
from ae_core.store.names import validate_name


@dataclass(frozen=True, kw_only=True)
class StoredModel(ModelRecord):
    """A usable model: its checked metadata (ModelRecord's fields) and where it is."""

    name: str
    path: Path  # the folder
    shipped: bool

    @property
    def model_path(self) -> Path:
        return self.path / self.model_file


@dataclass(frozen=True)
class UnavailableModel:
    """A folder in the store that holds no usable model. `reason` is a code: symlink, bad_name, no_metadata,
    unreadable, too_large, not_json, not_object, missing, wrong_type, out_of_range, bad_file_name, missing_file,
    not_a_file, checksum, not_loadable, mismatch (metadata.json describes another model than the file holds) or
    duplicate_name; `detail` says more, in English, without server paths (a
    field's name, a file's name inside the folder)."""

    name: str
    shipped: bool
    reason: str
    detail: str = ""


# Parsed folders by path, with the file-system facts they were read under: a scan rereads only what changed. A
# reservation is never kept here (whether its process still lives is not a file-system fact), nor a folder whose
# strays could not be cleaned yet (a save held its lock), so that the next listing tries again.
_folder_cache: dict[str, tuple[tuple, StoredModel | UnavailableModel]] = {}
_cache_lock = threading.Lock()


def read_folder(root: Path, name: str, path: str, is_symlink: bool,
                shipped: bool) -> tuple[StoredModel | UnavailableModel | str, bool]:
    """What the folder `path` (`root`/`name`) holds: a StoredModel, an UnavailableModel, "reserved" (being trained) or
    "gone" (an abandoned reservation, removed); and whether that is settled: it stays so until the folder's file-system
    facts change. A reservation never is (its process may die), nor a folder whose strays a save still holds."""
    if is_symlink:
        return UnavailableModel(name, shipped, "symlink", "a model folder may not be a symbolic link"), True
    # Plain strings up to the cache: this runs for every folder on every full listing, and pathlib's objects cost more
    # than the three lstat calls.
    try:
        key = (_stat_key(path), _stat_key(os.path.join(path, METADATA_FILE)),
               _stat_key(os.path.join(path, RESERVATION_FILE)))
    except OSError as error:
        return UnavailableModel(name, shipped, "unreadable", os.strerror(error.errno or errno.EIO)), True
    with _cache_lock:
        cached = _folder_cache.get(path)
    if cached and cached[0] == key:
        return cached[1], True
    try:
        validate_name(name)
    except ModelStoreError:
        found, settled = UnavailableModel(name, shipped, "bad_name", "the folder's name is not a valid model name"), True
    else:
        found, settled = _parse_folder(root / name, name, shipped)
    if settled:
        with _cache_lock:
            _folder_cache[path] = (key, found)
    return found, settled


def _stat_key(path: str) -> tuple:
    try:
        facts = os.lstat(path)
    except FileNotFoundError:
        return ()
    return facts.st_ino, facts.st_size, facts.st_mtime_ns, stat.S_IFMT(facts.st_mode)


class _UnusableError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def _parse_folder(folder: Path, name: str, shipped: bool) -> tuple[StoredModel | UnavailableModel | str, bool]:
    """What the folder holds, and whether that may be cached."""
    try:
        record = _checked_record(folder)
    except _UnusableError as unusable:
        if unusable.reason in ("reserved", "gone"):
            return unusable.reason, False
        return UnavailableModel(name, shipped, unusable.reason, unusable.detail), True
    settled = clean_strays_if_idle(folder)
    return StoredModel(**{f: getattr(record, f) for f in record.__dataclass_fields__}, name=name, path=folder,
                       shipped=shipped), settled


def _checked_record(folder: Path) -> ModelRecord:
    """The folder's metadata, checked, and its model file checked against it; _UnusableError says why not."""
    try:
        raw = read_regular_file(folder / METADATA_FILE, MAX_METADATA_BYTES)
    except FileNotFoundError as error:
        if os.path.lexists(folder / RESERVATION_FILE):
            if not reservation_is_stale(folder):
                raise _UnusableError("reserved") from error
            if remove_abandoned_reservation(folder):
                raise _UnusableError("gone") from error
        raise _UnusableError("no_metadata", f"no {METADATA_FILE} in the folder") from error
    except ModelStoreError as error:
        raise _UnusableError(error.code, str(error)) from error
    except OSError as error:
        raise _UnusableError("unreadable", os.strerror(error.errno or errno.EIO)) from error
    try:
        record = parse_metadata(json.loads(raw.decode("utf-8")))
    # ValueError covers bad UTF-8, JSON errors and integers longer than Python converts; RecursionError deep nesting.
    except (ValueError, RecursionError) as error:
        if isinstance(error, MetadataError):
            raise _UnusableError(error.code, error.field) from error
        raise _UnusableError("not_json", f"{METADATA_FILE} is not complete JSON") from error
    try:
        content = read_regular_file(folder / record.model_file, MAX_MODEL_BYTES)
    except FileNotFoundError as error:
        raise _UnusableError("missing_file", f"{record.model_file} is missing") from error
    except ModelStoreError as error:
        raise _UnusableError(error.code, record.model_file) from error
    except OSError as error:
        raise _UnusableError("unreadable", record.model_file) from error
    if sha256_of_bytes(content) != record.sha256:
        raise _UnusableError("checksum", f"{record.model_file} does not match the checksum in {METADATA_FILE}")
    facts = read_model_file(content)
    if facts is None:
        raise _UnusableError("not_loadable", f"{record.model_file} is not a .keras file (a zip with a model's config "
                                             "and weights)")
    described = {"arch": record.config.arch, "variational": record.config.variational, "latent_dim": record.latent_dim}
    for field, stated in described.items():
        actual = getattr(facts, field)
        if actual is not None and actual != stated:
            raise _UnusableError("mismatch", f"metadata.json says {field} {stated}, {record.model_file} holds {actual}")
    return record
