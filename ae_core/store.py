"""Model store: each model is a folder with a `.keras` file and the `metadata.json` that names it.

metadata.json is the commit point of a save: a new `.keras` file is written under a new name first, then
metadata.json is replaced atomically to point at it, so a crash at any moment leaves either the previous model or
the new one, never half of each; what an interrupted save left behind is removed by the next save, or by a listing
when no save holds the folder's lock.

A `.keras` file is code (docs/design.md, "Model files are code"), and the folders are written by people and by
programs that may be killed, so the store trusts nothing it reads: models load only from the project's two folders
(`models/`, shipped, and the trained folder), never through a symlink, only after the file's checksum matches its
metadata; a folder whose metadata fails its checks (ae_core/model_record.py) is listed as unavailable with a reason
and never breaks another model. Names are unique across both folders; a training reserves its name first by creating
its folder, which only one process can do, and writes who reserved it (.reservation.json: process, host, boot). A
reservation whose process has died on this machine can never be saved into: a listing removes it and the name is
free again.

Usage:
    folder, token = reserve_name("my-model")          # before training
    save_model(model, build_metadata(...), folder)      # after
    model = load_model("my-model"); listing = scan()    # listing.models, listing.unavailable, listing.reserved
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import os
import platform
import secrets
import socket
import stat
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ae_core.model_record import MODEL_FILE_PATTERN, MetadataError, ModelRecord, parse_metadata

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA_FILE = "metadata.json"
RESERVATION_FILE = ".reservation.json"  # in a folder whose model is being trained: who reserved it, and when
TEMPORARY_PREFIX = ".saving-"
# Trained models go here unless AE_LAB_TRAINED_DIR says otherwise (tests point it at a temporary folder).
TRAINED_DIR_ENV = "AE_LAB_TRAINED_DIR"
NAME_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
MAX_METADATA_BYTES = 1 << 20  # a real one is a few KB; a bigger one is not ours
MAX_MODEL_BYTES = 200 << 20  # the shipped ones are 0.4-2 MB
# What every .keras file holds (Keras 3's zip format): a zip without them is not a model, whatever its checksum says.
KERAS_CONFIG_MEMBER = "config.json"
KERAS_WEIGHTS_MEMBERS = ("model.weights.h5", "model.weights.npz")


class ModelStoreError(ValueError):
    """A model that cannot be saved or loaded. `code` says why (the page translates it); the message is English."""

    def __init__(self, message: str, code: str = "invalid", name: str = ""):
        super().__init__(message)
        self.code = code
        self.name = name


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
    not_a_file, checksum, not_loadable or duplicate_name; `detail` says more, in English, without server paths (a
    field's name, a file's name inside the folder)."""

    name: str
    shipped: bool
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class StoreListing:
    models: list[StoredModel]  # shipped first, then by name
    unavailable: list[UnavailableModel]
    reserved: list[str]  # names being trained right now

    @property
    def taken_names(self) -> set[str]:
        """Every name a new model may not use: the store's folder names are one namespace."""
        return {m.name for m in self.models} | {u.name for u in self.unavailable} | set(self.reserved)


def shipped_dir() -> Path:
    return PROJECT_ROOT / "models"


def trained_dir() -> Path:
    return Path(os.environ.get(TRAINED_DIR_ENV) or PROJECT_ROOT / "trained")


def store_roots() -> list[Path]:
    return [shipped_dir(), trained_dir()]


def validate_name(name: str) -> str:
    if not isinstance(name, str) or not name or len(name) > 64 or not set(name) <= NAME_ALLOWED or name.startswith("."):
        raise ModelStoreError(
            f"Invalid model name {name!r}: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.", "bad_name", str(name)
        )
    return name


# ---------------------------------------------------------------------------------------------------------------
# Listing


def scan() -> StoreListing:
    """Every folder in the store, each a usable model, an unavailable one (with its reason) or a reservation.

    Folders unchanged since the last scan (same modification times) are not read again: the app scans on every
    rerun of every session.
    """
    models: list[StoredModel] = []
    unavailable: list[UnavailableModel] = []
    reserved: list[str] = []
    seen: set[str] = set()
    for root in store_roots():
        shipped = root == shipped_dir()
        for name, entry in _entries(root):
            if name in seen:
                unavailable.append(UnavailableModel(name, shipped, "duplicate_name", "a model of this name is listed already"))
                continue
            seen.add(name)
            found = _read_folder(root, name, entry, shipped)
            if isinstance(found, StoredModel):
                models.append(found)
            elif found == "reserved":
                reserved.append(name)
            elif isinstance(found, UnavailableModel):
                unavailable.append(found)
            # else "gone": an abandoned reservation, removed just now; its name is free
    return StoreListing(models, unavailable, reserved)


def list_models() -> list[StoredModel]:
    """Every usable model, shipped first, then by name."""
    return scan().models


def taken_names() -> set[str]:
    return scan().taken_names


def find_model(name_or_path: str | Path) -> StoredModel:
    """A usable stored model by name, or by its folder's path (`models/dense-64`); nothing outside the store."""
    text = str(name_or_path)
    candidate = Path(text)
    listing = scan()
    for stored in listing.models:
        if text == stored.name or (len(candidate.parts) > 1 and _same_folder(stored.path, candidate)):
            return stored
    for broken in listing.unavailable:
        if text == broken.name or (candidate.name == broken.name and len(candidate.parts) > 1):
            raise ModelStoreError(f"The model {broken.name!r} is unavailable: {broken.reason}"
                                  + (f" ({broken.detail})" if broken.detail else "") + ".", broken.reason, broken.name)
    roots = ", ".join(root.name + "/" for root in store_roots())
    raise ModelStoreError(f"No stored model {text!r}. Models load only from the project's folders: {roots}.",
                          "not_found", text)


def _entries(root: Path):
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.startswith(TEMPORARY_PREFIX):
            continue
        if entry.is_symlink() or entry.is_dir(follow_symlinks=False):
            yield entry.name, entry


# Parsed folders by path, with the file-system facts they were read under: a scan rereads only what changed. A
# reservation is never kept here (whether its process still lives is not a file-system fact), nor a folder whose
# strays could not be cleaned yet (a save held its lock), so that the next listing tries again.
_folder_cache: dict[str, tuple[tuple, StoredModel | UnavailableModel]] = {}
_cache_lock = threading.Lock()


def _read_folder(root: Path, name: str, entry: os.DirEntry, shipped: bool) -> StoredModel | UnavailableModel | str:
    """A StoredModel, an UnavailableModel, "reserved" (being trained) or "gone" (an abandoned reservation, removed)."""
    if entry.is_symlink():
        return UnavailableModel(name, shipped, "symlink", "a model folder may not be a symbolic link")
    # Plain strings up to the cache: this runs for every folder on every rerun of every session, and pathlib's
    # objects cost more than the three lstat calls.
    folder_text = entry.path
    try:
        key = (_stat_key(folder_text), _stat_key(os.path.join(folder_text, METADATA_FILE)),
               _stat_key(os.path.join(folder_text, RESERVATION_FILE)))
    except OSError as error:
        return UnavailableModel(name, shipped, "unreadable", os.strerror(error.errno or errno.EIO))
    with _cache_lock:
        cached = _folder_cache.get(folder_text)
    if cached and cached[0] == key:
        return cached[1]
    try:
        validate_name(name)
    except ModelStoreError:
        found, settled = UnavailableModel(name, shipped, "bad_name", "the folder's name is not a valid model name"), True
    else:
        found, settled = _parse_folder(root / name, name, shipped)
    if settled:
        with _cache_lock:
            _folder_cache[folder_text] = (key, found)
    return found


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
    settled = _clean_strays_if_idle(folder)
    return StoredModel(**{f: getattr(record, f) for f in record.__dataclass_fields__}, name=name, path=folder,
                       shipped=shipped), settled


def _checked_record(folder: Path) -> ModelRecord:
    """The folder's metadata, checked, and its model file checked against it; _UnusableError says why not."""
    try:
        raw = _read_regular_file(folder / METADATA_FILE, MAX_METADATA_BYTES)
    except FileNotFoundError as error:
        if os.path.lexists(folder / RESERVATION_FILE):
            if not _reservation_is_stale(folder):
                raise _UnusableError("reserved") from error
            if _remove_abandoned_reservation(folder):
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
        content = _read_regular_file(folder / record.model_file, MAX_MODEL_BYTES)
    except FileNotFoundError as error:
        raise _UnusableError("missing_file", f"{record.model_file} is missing") from error
    except ModelStoreError as error:
        raise _UnusableError(error.code, record.model_file) from error
    except OSError as error:
        raise _UnusableError("unreadable", record.model_file) from error
    if hashlib.sha256(content).hexdigest() != record.sha256:
        raise _UnusableError("checksum", f"{record.model_file} does not match the checksum in {METADATA_FILE}")
    if not _looks_like_keras(content):
        raise _UnusableError("not_loadable", f"{record.model_file} is not a .keras file (a zip with a model's config "
                                             "and weights)")
    return record


def _looks_like_keras(content: bytes) -> bool:
    """Whether `content` is a zip holding what a .keras file holds; reads only the zip's directory, in memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return KERAS_CONFIG_MEMBER in names and any(name in names for name in KERAS_WEIGHTS_MEMBERS)


def _read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path`, which must be a regular file (never followed through a symlink) of at most `limit` bytes."""
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


def _same_folder(folder: Path, candidate: Path) -> bool:
    """Whether `candidate` names `folder`, a store folder, without following a link out of the store."""
    try:
        return candidate.parent.resolve() == folder.parent.resolve() and candidate.name == folder.name
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------------------------
# Loading


def load_model(name_or_path: str | Path):
    """Load a stored model as an ae_core.models.Autoencoder; the bytes loaded are the bytes whose checksum was just
    checked. ModelStoreError (with its code) for anything that stops it."""
    stored = find_model(name_or_path)
    content = model_file_bytes(stored)
    try:
        return _load_checked_bytes(content, stored.config)
    except Exception as error:  # a damaged or foreign file: Keras raises many kinds of errors
        raise ModelStoreError(f"{stored.name}/{stored.model_file} could not be loaded: {type(error).__name__}",
                              "not_loadable", stored.name) from error


def model_file_bytes(stored: StoredModel) -> bytes:
    """The bytes of a stored model's .keras file, checked against its metadata's checksum (to load, or to download:
    the file opens with plain keras.saving.load_model)."""
    where = f"{stored.name}/{stored.model_file}"
    try:
        content = _read_regular_file(stored.model_path, MAX_MODEL_BYTES)
    except ModelStoreError as error:
        raise ModelStoreError(f"{where}: {error}", error.code, stored.name) from error
    except FileNotFoundError as error:
        raise ModelStoreError(f"{where} is missing.", "missing_file", stored.name) from error
    except OSError as error:
        raise ModelStoreError(f"{where} cannot be read: {os.strerror(error.errno or errno.EIO)}.", "unreadable",
                              stored.name) from error
    if hashlib.sha256(content).hexdigest() != stored.sha256:
        raise ModelStoreError(f"{where} does not match the checksum in its {METADATA_FILE}; retrain or restore it.",
                              "checksum", stored.name)
    return content


def _load_checked_bytes(content: bytes, config):
    """An Autoencoder from the bytes of a .keras file, read from memory: nothing can change them between the checksum
    and the load, and no copy is written anywhere."""
    # Keras' public load_model takes only a path; its zip loader (the same code, pinned by requirements.txt) also
    # takes a file object. safe_mode refuses lambda layers and other deserialization that runs code.
    from keras.src.saving import saving_lib

    from ae_core.models import from_keras

    return from_keras(saving_lib.load_model(io.BytesIO(content), safe_mode=True), config)


# ---------------------------------------------------------------------------------------------------------------
# Reserving a name, saving


def reserve_name(name: str, root: Path | None = None) -> tuple[Path, str]:
    """Claim `name` for a model about to be trained: creates its folder in `root` (the trained folder by default),
    which only one process can do. Returns the folder and a token: release_name and a child's claim_folder check it.
    ModelStoreError with code "taken" when the name is in use anywhere in the store."""
    validate_name(name)
    root = Path(root) if root is not None else trained_dir()
    if name in taken_names():
        raise ModelStoreError(f"A model or a training named {name!r} already exists.", "taken", name)
    root.mkdir(parents=True, exist_ok=True)
    folder = root / name
    try:
        folder.mkdir()  # the arbiter: of processes racing for a name, exactly one creates its folder
    except FileExistsError as error:
        raise ModelStoreError(f"A model or a training named {name!r} already exists.", "taken", name) from error
    token = secrets.token_hex(8)
    try:
        _write_reservation(folder, token)
    except BaseException:
        with contextlib.suppress(OSError):
            folder.rmdir()
        raise
    return folder, token


def claim_folder(folder: Path, token: str | None = None, replace: bool = False) -> str:
    """Make `folder` this process's to save into; returns the reservation token ("" when replacing a model).

    A folder reserved with `token` (by the app, for this child) is taken over: the reservation then names this process,
    so it outlives the parent. An existing model in `folder` is replaced only when `replace`. Otherwise the name must be
    free everywhere in the store, and is reserved here. ModelStoreError "taken" when it is not.
    """
    folder = Path(folder)
    name = validate_name(folder.name)
    if token and _take_over(folder, token):
        return token
    scan()  # removes abandoned reservations, whose names are free
    for root in store_roots():
        other = root / name
        if os.path.lexists(other) and not _same_folder(other, folder):
            raise ModelStoreError(f"A model or a training named {name!r} exists in {root.name}/: names are unique "
                                  "across the store.", "taken", name)
    if replace and (folder / METADATA_FILE).is_file() and _read_reservation(folder) is None:
        return ""
    return reserve_name(name, folder.parent)[1]


def release_name(folder: Path, token: str) -> None:
    """Give back a reservation: the folder goes if nothing else is in it. A model committed under the reservation (a
    save killed just after its commit) stays."""
    folder = Path(folder)
    reservation = _read_reservation(folder)
    if not token or not reservation or reservation.get("token") != token:
        return
    with contextlib.suppress(FileNotFoundError), _folder_lock(folder):
        (folder / RESERVATION_FILE).unlink(missing_ok=True)
        _remove_strays(folder)
        with contextlib.suppress(OSError):
            folder.rmdir()


def _write_reservation(folder: Path, token: str) -> None:
    _write_json_atomic(folder / RESERVATION_FILE, {"token": token, "pid": os.getpid(), "host": socket.gethostname(),
                                                    "boot": _BOOT_ID, "created": time.time()})


def _take_over(folder: Path, token: str) -> bool:
    """Make the reservation with `token` in `folder` this process's; False when there is no such reservation."""
    try:
        with _folder_lock(folder):
            reservation = _read_reservation(folder)
            if not reservation or reservation.get("token") != token:
                return False
            _write_reservation(folder, token)
            return True
    except FileNotFoundError:  # the folder is gone: its reservation was abandoned and removed
        return False


def versions() -> dict[str, str]:
    import keras
    import numpy
    import tensorflow

    return {"python": platform.python_version(), "tensorflow": tensorflow.__version__,
            "keras": keras.__version__, "numpy": numpy.__version__}


def build_metadata(result, model_config, train_config, dataset_checksum: str) -> dict:
    """Everything needed to rebuild, compare and trust a trained model, and its learning film."""
    from ae_core.config import to_dict
    from ae_core.progress import film_frame_text

    return {
        "film": {"indices": result.film_indices, "frames": [film_frame_text(frame) for frame in result.film]},
        "model_config": to_dict(model_config),
        "train_config": to_dict(train_config),
        "history": result.history,
        "val_mse": result.val_mse,
        "training_seconds": round(result.seconds, 2),
        "epochs_completed": result.epochs_completed,
        "stopped_early": result.stopped_early,
        "dataset_checksum": dataset_checksum,
        "versions": versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def save_model(model, metadata: dict, folder: Path) -> Path:
    """Write model and metadata into `folder` atomically; return the `.keras` path.

    Only one process saves into a folder at a time (a lock on the folder); what an interrupted save left there is
    removed first. The reservation, if any, ends with the commit.
    """
    folder = Path(folder)
    validate_name(folder.name)
    folder.mkdir(parents=True, exist_ok=True)
    with _folder_lock(folder):
        previous_file = _committed_model_file(folder)
        _remove_strays(folder)
        handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=".keras", dir=folder)
        os.close(handle)
        try:
            model.save(temporary)
            digest = _sha256(Path(temporary))
            model_file = f"model-{digest[:12]}.keras"
            _fsync(temporary)
            os.chmod(temporary, 0o644)  # mkstemp makes files private; a model is meant to be read by the app's user
            os.replace(temporary, folder / model_file)
            _fsync_directory(folder)  # the file's name is on disk before metadata.json points at it
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        full_metadata = {**metadata, "model_file": model_file, "model_sha256": digest}
        try:
            _write_json_atomic(folder / METADATA_FILE, full_metadata)  # the commit point
        except BaseException:
            if model_file != previous_file:
                (folder / model_file).unlink(missing_ok=True)
            raise
        if previous_file and previous_file != model_file:
            (folder / previous_file).unlink(missing_ok=True)
        (folder / RESERVATION_FILE).unlink(missing_ok=True)
        _fsync_directory(folder)
    return folder / model_file


@contextlib.contextmanager
def _folder_lock(folder: Path, wait: bool = True):
    """An exclusive lock on the folder itself (flock on its descriptor): released by the kernel if we are killed.
    Without `wait`, BlockingIOError when another holds it. A second lock on the same folder in one process waits for
    the first, like any other: nothing that holds it may ask for it again."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        yield
    finally:
        os.close(descriptor)


def _committed_model_file(folder: Path) -> str | None:
    """The model file the folder's metadata.json names, as it is on disk now (None if there is none to trust)."""
    values = _read_json(folder / METADATA_FILE)
    model_file = values.get("model_file") if isinstance(values, dict) else None
    return model_file if isinstance(model_file, str) and MODEL_FILE_PATTERN.fullmatch(model_file) else None


def _strays(folder: Path, keep: str | None) -> list[Path]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [folder / name for name in names if name.startswith(TEMPORARY_PREFIX)
            or (name.startswith("model-") and name.endswith(".keras") and name != keep)]


def _remove_strays(folder: Path) -> None:
    """Remove what an interrupted save left: temporary files, model files metadata.json does not name, and the
    reservation of a save that was killed right after its commit. The caller holds the folder's lock: what
    metadata.json names is read here, under it, so a save that committed a moment ago keeps its new file."""
    for path in _strays(folder, _committed_model_file(folder)):
        with contextlib.suppress(OSError):
            path.unlink()
    if (folder / METADATA_FILE).is_file() and os.path.lexists(folder / RESERVATION_FILE) \
            and _reservation_is_stale(folder):
        with contextlib.suppress(OSError):
            (folder / RESERVATION_FILE).unlink()


def _clean_strays_if_idle(folder: Path) -> bool:
    """For a listing: remove strays unless a save holds the folder (its new file is no stray). Whether the folder is
    clean now."""
    if not _strays(folder, _committed_model_file(folder)) and not os.path.lexists(folder / RESERVATION_FILE):
        return True
    try:
        with _folder_lock(folder, wait=False):
            _remove_strays(folder)
            return True
    except BlockingIOError:
        return False  # a save is under way: it cleans up itself, or the next listing will
    except OSError:
        return True  # the folder went, or we may not touch it (a read-only store): nothing to try again


def _remove_abandoned_reservation(folder: Path) -> bool:
    """Remove a stale reservation and its folder, unless something other than strays is in it; whether it went."""
    try:
        with _folder_lock(folder, wait=False):
            if (folder / METADATA_FILE).exists() or not _reservation_is_stale(folder):
                return False  # looked again under the lock: a save committed, or the reservation was taken over
            (folder / RESERVATION_FILE).unlink(missing_ok=True)
            _remove_strays(folder)
            folder.rmdir()
            return True
    except FileNotFoundError:
        return True
    except OSError:  # locked by a saver, or other files in the folder: it stays, listed as it is
        return False


def _read_reservation(folder: Path) -> dict | None:
    values = _read_json(folder / RESERVATION_FILE)
    return values if isinstance(values, dict) else None


def _reservation_is_stale(folder: Path) -> bool:
    """A reservation whose process is gone (on this machine, since this boot, or from before its last boot): its
    training can never save. Unreadable counts as gone: reservations are written atomically, so it is not ours."""
    reservation = _read_reservation(folder)
    if reservation is None:
        return True
    if reservation.get("host") != socket.gethostname() or not _BOOT_ID:
        return False  # another machine's (a shared folder), or we cannot tell: trust it
    if reservation.get("boot") != _BOOT_ID:
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


def _read_boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


# Read once at import: which boot of this machine a reservation was made in (a listing then opens nothing outside the
# store's folders).
_BOOT_ID = _read_boot_id()


def _read_json(path: Path):
    try:
        return json.loads(_read_regular_file(path, MAX_METADATA_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def _write_json_atomic(path: Path, values: dict) -> None:
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


def _fsync(path: str) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
