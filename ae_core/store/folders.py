"""What a model folder holds beside its model: the reservation of a training in progress, and the strays an
interrupted save leaves.

A training reserves its name by creating its folder (ae_core/store/reservations.py) and writes who reserved it in
.reservation.json (process, host, boot). A reservation whose process has died on this machine can never be saved into:
it is stale, and a listing removes it with its folder. A save writes its new `.keras` file under a temporary name
first, then commits by replacing metadata.json (ae_core/store/saving.py); a save killed on the way leaves temporary
files, or model files that metadata.json does not name: strays, removed by the next save, or by a listing when no
save holds the folder's lock.

Usage: `reservation_is_stale(folder)`; `with folder_lock(folder): remove_strays(folder)`
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from pathlib import Path

from ae_core.store.files import TEMPORARY_PREFIX, folder_lock, read_json, write_json_atomic
from ae_core.store.metadata import MODEL_FILE_PATTERN

METADATA_FILE = "metadata.json"
RESERVATION_FILE = ".reservation.json"  # in a folder whose model is being trained: who reserved it, and when


def _read_boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


# Read once at import: which boot of this machine a reservation was made in (a listing then opens nothing outside the
# store's folders).
BOOT_ID = _read_boot_id()


# --- Reservations -------------------------------------------------------------------------------------------------

def write_reservation(folder: Path, token: str) -> None:
    write_json_atomic(folder / RESERVATION_FILE, {"token": token, "pid": os.getpid(), "host": socket.gethostname(),
                                                  "boot": BOOT_ID, "created": time.time()})


def read_reservation(folder: Path) -> dict | None:
    values = read_json(folder / RESERVATION_FILE)
    return values if isinstance(values, dict) else None


def take_over(folder: Path, token: str) -> bool:
    """Make the reservation with `token` in `folder` this process's; False when there is no such reservation."""
    try:
        with folder_lock(folder):
            reservation = read_reservation(folder)
            if not reservation or reservation.get("token") != token:
                return False
            write_reservation(folder, token)
            return True
    except FileNotFoundError:  # the folder is gone: its reservation was abandoned and removed
        return False


def reservation_is_stale(folder: Path) -> bool:
    """A reservation whose process is gone (on this machine, since this boot, or from before its last boot): its
    training can never save. Unreadable counts as gone: reservations are written atomically, so it is not ours."""
    reservation = read_reservation(folder)
    if reservation is None:
        return True
    if reservation.get("host") != socket.gethostname() or not BOOT_ID:
        return False  # another machine's (a shared folder), or we cannot tell: trust it
    if reservation.get("boot") != BOOT_ID:
        return True  # this machine has restarted since: no process of then is alive
    return _process_is_gone(reservation.get("pid"))


def _process_is_gone(pid) -> bool:
    if isinstance(pid, bool) or not isinstance(pid, int) or not 0 < pid < 1 << 31:
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, as another user's
        return False
    return False


def remove_abandoned_reservation(folder: Path) -> bool:
    """Remove a stale reservation and its folder, unless something other than strays is in it; whether it went."""
    try:
        with folder_lock(folder, wait=False):
            if (folder / METADATA_FILE).exists() or not reservation_is_stale(folder):
                return False  # looked again under the lock: a save committed, or the reservation was taken over
            (folder / RESERVATION_FILE).unlink(missing_ok=True)
            remove_strays(folder)
            folder.rmdir()
            return True
    except FileNotFoundError:
        return True
    except OSError:  # locked by a saver, or other files in the folder: it stays, listed as it is
        return False


# --- Strays -------------------------------------------------------------------------------------------------------

def committed_model_file(folder: Path) -> str | None:
    """The model file the folder's metadata.json names, as it is on disk now (None if there is none to trust)."""
    values = read_json(folder / METADATA_FILE)
    model_file = values.get("model_file") if isinstance(values, dict) else None
    return model_file if isinstance(model_file, str) and MODEL_FILE_PATTERN.fullmatch(model_file) else None


def _strays(folder: Path, keep: str | None) -> list[Path]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [folder / name for name in names if name.startswith(TEMPORARY_PREFIX)
            or (name.startswith("model-") and name.endswith(".keras") and name != keep)]


def remove_strays(folder: Path) -> None:
    """Remove what an interrupted save left: temporary files, model files metadata.json does not name, and the
    reservation of a save that was killed right after its commit. The caller holds the folder's lock: what
    metadata.json names is read here, under it, so a save that committed a moment ago keeps its new file."""
    for path in _strays(folder, committed_model_file(folder)):
        with contextlib.suppress(OSError):
            path.unlink()
    if (folder / METADATA_FILE).is_file() and os.path.lexists(folder / RESERVATION_FILE) \
            and reservation_is_stale(folder):
        with contextlib.suppress(OSError):
            (folder / RESERVATION_FILE).unlink()


def clean_strays_if_idle(folder: Path) -> bool:
    """For a listing: remove strays unless a save holds the folder (its new file is no stray). Whether the folder is
    clean now."""
    if not _strays(folder, committed_model_file(folder)) and not os.path.lexists(folder / RESERVATION_FILE):
        return True
    try:
        with folder_lock(folder, wait=False):
            remove_strays(folder)
            return True
    except BlockingIOError:
        return False  # a save is under way: it cleans up itself, or the next listing will
    except OSError:
        return True  # the folder went, or we may not touch it (a read-only store): nothing to try again
