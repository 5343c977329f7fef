"""What the store holds: every model folder, each a usable model, an unavailable one with its reason, or a name being
trained; and finding one model by name.

The store is two folders: `models/` (shipped) and the trained folder (`trained/`, or $AE_LAB_TRAINED_DIR). Names are
unique across both. A folder is read only when it changed since the last listing (its own, its metadata's and its
reservation's file-system facts); even so a scan looks at every folder. The app's page runs list the store through
ae_core/store/cached_listing.py instead, which keeps a scan while the store's two roots are unchanged.

Usage: `listing = scan()` → listing.models, listing.unavailable, listing.reserved; `stored = find_model("dense-64")`
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ae_core import PROJECT_ROOT
from ae_core.store.files import TEMPORARY_PREFIX, ModelStoreError
from ae_core.store.records import StoredModel, UnavailableModel, read_folder

# Trained models go here unless AE_LAB_TRAINED_DIR says otherwise (tests point it at a temporary folder).
TRAINED_DIR_ENV = "AE_LAB_TRAINED_DIR"


@dataclass(frozen=True)
class StoreListing:
    """One scan of the store. The app's sessions share one (ae_core/store/cached_listing.py): never changed in place."""

    models: list[StoredModel]  # shipped first, then by name
    unavailable: list[UnavailableModel]
    reserved: list[str]  # names being trained right now

    @property
    def taken_names(self) -> set[str]:
        """Every name a new model may not use: the store's folder names are one namespace."""
        return {m.name for m in self.models} | {u.name for u in self.unavailable} | set(self.reserved)

    @cached_property
    def by_name(self) -> dict[str, StoredModel]:
        """The usable models by name (made once per listing: one listing serves many page runs)."""
        return {model.name: model for model in self.models}


@dataclass(frozen=True)
class UnsettledFolder:
    """A folder whose state may change while no file-system fact of it does, and what a scan found there: a
    reservation ("reserved": its training's process may die) or a StoredModel whose strays a save still held."""

    root: Path
    name: str
    shipped: bool
    found: object

    def unchanged(self) -> bool:
        """Whether the folder still holds the same, and is still unsettled (once settled, a scan caches it)."""
        path = os.path.join(self.root, self.name)
        try:
            is_symlink = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            return False
        found, settled = read_folder(self.root, self.name, path, is_symlink, self.shipped)
        return not settled and found == self.found


def shipped_dir() -> Path:
    return PROJECT_ROOT / "models"


def trained_dir() -> Path:
    return Path(os.environ.get(TRAINED_DIR_ENV) or PROJECT_ROOT / "trained")


def store_roots() -> list[Path]:
    return [shipped_dir(), trained_dir()]


def scan() -> StoreListing:
    """Every folder in the store, each a usable model, an unavailable one (with its reason) or a reservation.

    Folders unchanged since the last scan (same file-system facts) are not read again.
    """
    return scan_with_unsettled()[0]


def scan_with_unsettled() -> tuple[StoreListing, tuple[UnsettledFolder, ...]]:
    """scan()'s listing, and the folders in it whose state may change while no file of theirs does."""
    models: list[StoredModel] = []
    unavailable: list[UnavailableModel] = []
    reserved: list[str] = []
    unsettled: list[UnsettledFolder] = []
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
                unsettled.append(UnsettledFolder(root, name, shipped, found))
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


