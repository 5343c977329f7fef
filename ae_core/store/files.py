"""The store's file primitives: read a file that must be a regular one of bounded size, write JSON atomically, lock a
folder, make a write durable.

Everything the store reads was written by people or by programs that may have been killed, so a read never follows a
symbolic link, never blocks on a FIFO and never takes more than its limit; a write goes to a temporary file in the same
folder and is renamed into place, so a reader sees the old file or the new one, never half of one.

Usage: `content = read_regular_file(path, MAX_METADATA_BYTES)`; `write_json_atomic(path, values)`;
`with folder_lock(folder): ...`
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

TEMPORARY_PREFIX = ".saving-"  # what a write in progress is called; listings skip it, the next save removes it
MAX_METADATA_BYTES = 1 << 20  # a real metadata.json is a few KB; a bigger one is not ours
MAX_MODEL_BYTES = 200 << 20  # the shipped models are 0.4-2 MB
# A write the store cannot make, by what a person can do about it: make room, or give the server a folder it may write.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
NOT_WRITABLE_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


class ModelStoreError(ValueError):
    """A model that cannot be saved or loaded. `code` says why (the page translates it); the message is English."""

    def __init__(self, message: str, code: str = "invalid", name: str = ""):
        super().__init__(message)
        self.code = code
        self.name = name


def write_refusal(error: OSError, name: str = "") -> ModelStoreError | None:
    """The ModelStoreError a page can explain for a write the file system refused: code "disk_full" (no space, or the
    quota is used up) or "not_writable" (a read-only or forbidden folder); None for any other error. Names no path."""
    if error.errno in DISK_FULL_ERRNOS:
        return ModelStoreError("The server's disk is full: the model store cannot be written.", "disk_full", name)
    if error.errno in NOT_WRITABLE_ERRNOS:
        return ModelStoreError("The server may not write to the model store.", "not_writable", name)
    return None


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path`, which must be a regular file (never followed through a symlink) of at most `limit` bytes.

    ModelStoreError "symlink", "not_a_file" or "too_large"; OSError (FileNotFoundError among them) as open() raises it.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ModelStoreError(f"{path.name} is a symbolic link", "symlink") from error
        raise
    try:
        facts = os.fstat(descriptor)  # of what was opened: nothing can be swapped in between
        if not stat.S_ISREG(facts.st_mode):
            raise ModelStoreError(f"{path.name} is not a regular file", "not_a_file")
        if facts.st_size > limit:
            raise ModelStoreError(f"{path.name} is larger than {limit} bytes", "too_large")
        with os.fdopen(descriptor, "rb") as file:
            descriptor = None  # the file object closes it now
            content = file.read(limit + 1)
    finally:
        if descriptor is not None:
            os.close(descriptor)
    if len(content) > limit:  # it grew after the check
        raise ModelStoreError(f"{path.name} is larger than {limit} bytes", "too_large")
    return content


def read_json(path: Path):
    """The JSON value in `path` (a small regular file), or None when it is missing, unreadable or not JSON."""
    try:
        return json.loads(read_regular_file(path, MAX_METADATA_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def write_json_atomic(path: Path, values: dict) -> None:
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(values, file, indent=2, ensure_ascii=False)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def folder_lock(folder: Path, wait: bool = True):
    """An exclusive lock on the folder itself (flock on its descriptor): released by the kernel if we are killed.
    Without `wait`, BlockingIOError when another holds it. A second lock on the same folder in one process waits for
    the first, like any other: nothing that holds it may ask for it again."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        yield
    finally:
        os.close(descriptor)


def lock_is_held(path: Path, directory: bool = False) -> bool:
    """Whether a live process holds an flock on the file (or, with `directory`, the folder) at `path`: a killed
    holder's lock went with it. False also when there is no such file."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_DIRECTORY if directory else 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)  # closing drops the shared lock this check took
    return False


def fsync_file(path: str) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_of_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
