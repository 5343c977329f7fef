"""What the store holds: every model folder, each a usable model, an unavailable one with its reason, or a name being
trained; finding one model by name; and a listing kept per process that costs two stat calls while nothing changed.

The store is two folders: `models/` (shipped) and the trained folder (`trained/`, or $AE_LAB_TRAINED_DIR). Names are
unique across both. `scan()` looks at every folder and reads one again only when it changed since the last scan (its
own, its metadata's and its reservation's file-system facts): a few stat calls per folder. The app lists the store on
every page run of every session, so it asks `cached_scan()` instead, which keeps the last scan and looks at the two
roots only (docs/design.md, "A listing costs two stat calls"):

- a folder added, removed or renamed changes its root's change time (ctime) by itself, and every write of the store's
  own into a folder (a save's commit, a reservation) sets its root's times to now (`mark_changed`);
- a listing made while a root had changed within RACY_SECONDS is not kept: a change in the same tick of the file
  system's clock would leave the root's times as they were;
- the folders whose state is no file-system fact are looked at again on every listing: reservations (their training's
  process may die) and folders whose strays a save still holds;
- and every FULL_CHECK_SECONDS a listing is a full scan again, for what people change inside a folder by hand.

Usage: `listing = scan()` → listing.models, listing.unavailable, listing.reserved; `listing = cached_scan()`;
`stored = find_model("dense-64")`; after a write into `folder`: `mark_changed(folder)`
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ae_core import PROJECT_ROOT
from ae_core.store.files import TEMPORARY_PREFIX, ModelStoreError
from ae_core.store.records import StoredModel, UnavailableModel, read_folder

# Trained models go here unless AE_LAB_TRAINED_DIR says otherwise (tests point it at a temporary folder).
TRAINED_DIR_ENV = "AE_LAB_TRAINED_DIR"
# A root that changed less than this before a scan began may change again within the same tick of its clock (ext4:
# ~4 ms; FAT: 2 s) and keep its times: a listing made then is used once, not kept.
RACY_SECONDS = 2.0
# The longest a kept listing is used without a full scan: what people change inside a folder by hand (a metadata.json
# edited in place) shows within this; what the store itself writes shows in the next listing.
FULL_CHECK_SECONDS = 10.0


@dataclass(frozen=True)
class StoreListing:
    models: list[StoredModel]  # shipped first, then by name
    unavailable: list[UnavailableModel]
    reserved: list[str]  # names being trained right now

    @property
    def taken_names(self) -> set[str]:
        """Every name a new model may not use: the store's folder names are one namespace."""
        return {m.name for m in self.models} | {u.name for u in self.unavailable} | set(self.reserved)

    @cached_property
    def by_name(self) -> dict[str, StoredModel]:
        """The usable models by name (made once per listing: a listing is shared by every page run that uses it)."""
        return {model.name: model for model in self.models}


def shipped_dir() -> Path:
    return PROJECT_ROOT / "models"


def trained_dir() -> Path:
    return Path(os.environ.get(TRAINED_DIR_ENV) or PROJECT_ROOT / "trained")


def store_roots() -> list[Path]:
    return [shipped_dir(), trained_dir()]


def scan() -> StoreListing:
    """Every folder in the store, each a usable model, an unavailable one (with its reason) or a reservation.

    Folders unchanged since the last scan (same file-system facts) are not read again; the listing is kept for
    cached_scan().
    """
    # The roots' facts before anything is read: a change made during the scan shows in the next listing.
    began_ns, began = time.time_ns(), time.monotonic()
    roots = _root_facts()
    listing, unsettled = _read_store()
    racy_after_ns = began_ns - int(RACY_SECONDS * 1e9)
    if all(not facts or max(facts[2:]) < racy_after_ns for _, facts in roots):
        _kept.keep(_KeptListing(roots, listing, unsettled, began))
    else:
        _kept.keep(None)
    return listing


def cached_scan() -> StoreListing:
    """The store's listing, as scan() makes it, from this process's last scan while nothing changed since: the two
    roots' file-system facts (two stat calls), and the few folders being trained or saved into looked at again."""
    kept = _kept.current()
    if kept is not None:
        return kept.listing
    with _kept.scanning:  # sessions asking at once: one scans, the others take its listing
        kept = _kept.current()
        return kept.listing if kept is not None else scan()


def mark_changed(folder: Path) -> None:
    """Say that what `folder` (a model folder in the store) holds has changed, for every process's cached_scan(): sets
    its root's times to now. Called by the store's own writes inside a folder (adding or removing a folder changes
    its root by itself); a folder outside the store's two roots is left alone."""
    parent = Path(folder).parent
    with contextlib.suppress(OSError):
        if any(os.path.samefile(parent, root) for root in store_roots() if root.is_dir()):
            os.utime(parent)


@dataclass(frozen=True)
class _Unsettled:
    """A folder whose state may change with no file-system fact of the store changing, and what it held."""

    root: Path
    name: str
    shipped: bool
    found: object  # "reserved", or a StoredModel whose strays a save held

    def unchanged(self) -> bool:
        """Whether the folder holds the same, and is still unsettled (once settled, a scan keeps it in its cache)."""
        path = os.path.join(self.root, self.name)
        try:
            is_symlink = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            return False
        found, settled = read_folder(self.root, self.name, path, is_symlink, self.shipped)
        return not settled and found == self.found


@dataclass(frozen=True)
class _KeptListing:
    roots: tuple  # each root's path and facts, as _root_facts() gives them, taken before the scan
    listing: StoreListing
    unsettled: tuple[_Unsettled, ...]
    scanned_at: float  # time.monotonic() as the scan began

    def still_current(self) -> bool:
        return (time.monotonic() - self.scanned_at < FULL_CHECK_SECONDS and _root_facts() == self.roots
                and all(folder.unchanged() for folder in self.unsettled))


class _KeptListings:
    """This process's last scan, while it may be trusted: shared by every session's thread."""

    def __init__(self):
        self._kept: _KeptListing | None = None
        self.scanning = threading.Lock()

    def keep(self, kept: _KeptListing | None) -> None:
        self._kept = kept

    def current(self) -> _KeptListing | None:
        kept = self._kept
        return kept if kept is not None and kept.still_current() else None


_kept = _KeptListings()


def _root_facts() -> tuple:
    """Each store root's path and (device, inode, mtime, ctime), () for a missing one: what changes with any folder
    added, removed or renamed in it, and with mark_changed."""
    facts = []
    for root in store_roots():
        text = os.fspath(root)
        try:
            found = os.stat(text)  # a root may be a link (a trained folder on another disk): its target's facts
        except OSError:
            facts.append((text, ()))
            continue
        facts.append((text, (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)))
    return tuple(facts)


def _read_store() -> tuple[StoreListing, tuple[_Unsettled, ...]]:
    models: list[StoredModel] = []
    unavailable: list[UnavailableModel] = []
    reserved: list[str] = []
    unsettled: list[_Unsettled] = []
    seen: set[str] = set()
    for root in store_roots():
        shipped = root == shipped_dir()
        for name, entry in _entries(root):
            if name in seen:
                unavailable.append(UnavailableModel(name, shipped, "duplicate_name", "a model of this name is listed already"))
                continue
            seen.add(name)
            found, settled = read_folder(root, name, entry.path, entry.is_symlink(), shipped)
            if not settled and found != "gone":
                unsettled.append(_Unsettled(root, name, shipped, found))
            if isinstance(found, StoredModel):
                models.append(found)
            elif found == "reserved":
                reserved.append(name)
            elif isinstance(found, UnavailableModel):
                unavailable.append(found)
            # else "gone": an abandoned reservation, removed just now; its name is free
    return StoreListing(models, unavailable, reserved), tuple(unsettled)


def list_models() -> list[StoredModel]:
    """Every usable model, shipped first, then by name."""
    return scan().models


def taken_names() -> set[str]:
    return scan().taken_names


def find_model(name_or_path: str | Path, listing: StoreListing | None = None) -> StoredModel:
    """A usable stored model by name, or by its folder's path (`models/dense-64`); nothing outside the store.

    `listing`: a listing made already (a page run's); else the store is listed now.
    """
    text = str(name_or_path)
    candidate = Path(text)
    listing = listing or scan()
    for stored in listing.models:
        if text == stored.name or (len(candidate.parts) > 1 and same_folder(stored.path, candidate)):
            return stored
    for broken in listing.unavailable:
        if text == broken.name or (candidate.name == broken.name and len(candidate.parts) > 1):
            raise ModelStoreError(f"The model {broken.name!r} is unavailable: {broken.reason}"
                                  + (f" ({broken.detail})" if broken.detail else "") + ".", broken.reason, broken.name)
    roots = ", ".join(root.name + "/" for root in store_roots())
    raise ModelStoreError(f"No stored model {text!r}. Models load only from the project's folders: {roots}.",
                          "not_found", text)


def same_folder(folder: Path, candidate: Path) -> bool:
    """Whether `candidate` names `folder`, a store folder, without following a link out of the store."""
    try:
        return candidate.parent.resolve() == folder.parent.resolve() and candidate.name == folder.name
    except OSError:
        return False


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


