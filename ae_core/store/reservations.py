"""Reserving a name for a model about to be trained, handing the reservation to the training's child, giving it back.

Names are unique across the store's two folders. A training reserves its name first by creating its folder, which only
one process can do, and writes who reserved it there (ae_core/store/folders.py); a reservation whose process has died
is removed by the next listing and the name is free again.

Usage: `folder, token = reserve_name("my-model")`; in the child `claim_folder(folder, token)`; `release_name(folder, token)`
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from ae_core.store.cached_listing import mark_changed
from ae_core.store.files import ModelStoreError, folder_lock
from ae_core.store.folders import METADATA_FILE, RESERVATION_FILE, read_reservation, remove_strays, take_over, write_reservation
from ae_core.store.listing import same_folder, scan, store_roots, taken_names, trained_dir
from ae_core.store.names import validate_name


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
        write_reservation(folder, token)
    except BaseException:
        with contextlib.suppress(OSError):
            folder.rmdir()
        raise
    mark_changed(folder)  # a listing made between the folder's creation and its reservation saw it empty
    return folder, token


def claim_folder(folder: Path, token: str | None = None, replace: bool = False) -> str:
    """Make `folder` this process's to save into; returns the reservation token ("" when replacing a model).

    A folder reserved with `token` (by the app, for this child) is taken over: the reservation then names this process,
    so it outlives the parent. An existing model in `folder` is replaced only when `replace`. Otherwise the name must be
    free everywhere in the store, and is reserved here. ModelStoreError "taken" when it is not.
    """
    folder = Path(folder)
    name = validate_name(folder.name)
    if token and take_over(folder, token):
        return token
    scan()  # removes abandoned reservations, whose names are free
    for root in store_roots():
        other = root / name
        if os.path.lexists(other) and not same_folder(other, folder):
            raise ModelStoreError(f"A model or a training named {name!r} exists in {root.name}/: names are unique "
                                  "across the store.", "taken", name)
    if replace and (folder / METADATA_FILE).is_file() and read_reservation(folder) is None:
        return ""
    return reserve_name(name, folder.parent)[1]


def release_name(folder: Path, token: str) -> None:
    """Give back a reservation: the folder goes if nothing else is in it. A model committed under the reservation (a
    save killed just after its commit) stays."""
    folder = Path(folder)
    reservation = read_reservation(folder)
    if not token or not reservation or reservation.get("token") != token:
        return
    with contextlib.suppress(FileNotFoundError), folder_lock(folder):
        (folder / RESERVATION_FILE).unlink(missing_ok=True)
        remove_strays(folder)
        with contextlib.suppress(OSError):
            folder.rmdir()
