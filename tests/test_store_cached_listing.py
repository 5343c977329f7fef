"""The store's listing for page runs (store.cached_scan): a few stat calls for an unchanged store of 1,000 folders,
whatever their number, and every change the store makes (a folder added or removed, a model replaced, a name reserved
or given back, a training's process gone) in the very next listing.

File-system calls are counted, not timed: os.stat, os.lstat, os.scandir, os.listdir and os.open on this thread.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import threading
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from test_store_names import dead_pid

from ae_core import store
from ae_core.store import cached_listing

COUNTED = ("stat", "lstat", "scandir", "listdir", "open")
STORE_SIZE = 1000


def keras_like_bytes(seed: str) -> bytes:
    """A zip holding what a .keras file holds, as far as a listing looks (its directory): a few hundred bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", json.dumps({"seed": seed}))
        archive.writestr("model.weights.h5", b"weights")
    return buffer.getvalue()


def write_folder(folder: Path, val_mse: float = 0.009) -> None:
    """A model folder a listing takes as usable, written by hand (as a person would copy one in)."""
    content = keras_like_bytes(folder.name)
    digest = hashlib.sha256(content).hexdigest()
    folder.mkdir(parents=True)
    (folder / f"model-{digest[:12]}.keras").write_bytes(content)
    (folder / "metadata.json").write_text(json.dumps({
        "model_file": f"model-{digest[:12]}.keras", "model_sha256": digest, "val_mse": val_mse,
        "model_config": {"arch": "dense", "latent_dim": 64}}))


class KerasFileWriter:
    """Stands in for a Keras model in store.save_model, which only calls model.save(path): the save, its commit and
    what it tells the listings are the store's own, without TensorFlow."""

    def __init__(self, seed: str):
        self.content = keras_like_bytes(seed)

    def save(self, path) -> None:
        Path(path).write_bytes(self.content)


@contextlib.contextmanager
def file_system_calls(under: list[Path] | None = None):
    """Counts of the COUNTED os functions called inside the block (pathlib and os.path call them too): on this thread,
    or, with `under`, on any thread with a path in one of those folders (a page's script runs on a thread of its own)."""
    counts = Counter()
    thread = threading.get_ident()
    prefixes = tuple({os.path.join(resolve(folder), "") for folder in under or () for resolve in (os.path.abspath,
                                                                                               os.path.realpath)})
    originals = {name: getattr(os, name) for name in COUNTED}

    def counted(path) -> bool:
        if not under:
            return threading.get_ident() == thread
        if not isinstance(path, str | bytes | os.PathLike):
            return False
        text = os.fsdecode(os.fspath(path))
        return os.path.join(text, "").startswith(prefixes)

    def counting(name):
        def call(*args, **kwargs):
            if counted(args[0] if args else kwargs.get("path", ".")):
                counts[name] += 1
            return originals[name](*args, **kwargs)
        return call

    for name in COUNTED:
        setattr(os, name, counting(name))
    try:
        yield counts
    finally:
        for name, original in originals.items():
            setattr(os, name, original)


@pytest.fixture()
def settled(monkeypatch):
    """Scans are kept at once: RACY_SECONDS is not waited out. Safe here, since between the last change before a kept
    scan and the next change a full scan of the store runs (~20 ms at 1,000 folders), longer than a tick of the file
    system's clock (a jiffy: 1-10 ms)."""
    monkeypatch.setattr(cached_listing, "RACY_SECONDS", 0.0)


@pytest.fixture()
def big_store(private_trained_dir, settled):
    for number in range(STORE_SIZE - len(store.scan().models)):
        write_folder(private_trained_dir / f"term-{number:04d}")
    assert len(store.cached_scan().models) == STORE_SIZE  # every folder read once, and the scan kept
    return private_trained_dir


def names(found) -> set[str]:
    return {model.name for model in found.models}


def test_an_unchanged_store_of_a_thousand_folders_is_listed_with_two_stat_calls(big_store):
    with file_system_calls() as full:
        assert len(store.scan().models) == STORE_SIZE
    assert full["lstat"] >= 3 * STORE_SIZE  # what every listing of a page run cost before: the folders, one by one
    for _ in range(3):
        with file_system_calls() as kept:
            assert len(store.cached_scan().models) == STORE_SIZE
        assert kept == Counter(stat=2)  # the two roots


def test_reservations_are_looked_at_on_every_listing_and_nothing_else(big_store):
    store.reserve_name("in-training")
    assert "in-training" in store.cached_scan().reserved
    with file_system_calls() as kept:
        assert "in-training" in store.cached_scan().reserved
    assert sum(kept.values()) <= 10  # the roots, and the one reserved folder: its files and whether its process lives


@pytest.mark.parametrize("change", ["add", "remove", "rename", "replace", "reserve", "release", "training died"])
def test_a_change_shows_in_the_next_listing(big_store, change):
    folder = big_store / "term-0007"
    token = ""
    if change in ("release", "training died"):
        folder, token = store.reserve_name("in-training")
    before = store.cached_scan()
    assert store.cached_scan() is before  # kept: nothing changed
    if change == "add":
        write_folder(big_store / "new-one")
    elif change == "remove":
        shutil.rmtree(folder)
    elif change == "rename":
        folder.rename(big_store / "renamed")
    elif change == "replace":  # a retraining saved over it (the CLI's --replace): a new file, new metadata
        store.save_model(KerasFileWriter("retrained"), {"val_mse": 0.5, "model_config": {"arch": "dense", "latent_dim": 64}},
                         folder)
    elif change == "reserve":
        store.reserve_name("in-training")
    elif change == "release":
        store.release_name(folder, token)
    elif change == "training died":  # what its reservation says: a process that is gone (no file of the root changes)
        reservation = json.loads((folder / store.RESERVATION_FILE).read_text())
        (folder / store.RESERVATION_FILE).write_text(json.dumps({**reservation, "pid": dead_pid()}))
    after = store.cached_scan()
    assert after is not before
    expected = {"add": names(before) | {"new-one"}, "remove": names(before) - {"term-0007"},
                "rename": names(before) - {"term-0007"} | {"renamed"}}.get(change, names(before))
    assert names(after) == expected
    if change == "replace":
        assert after.by_name["term-0007"].val_mse == 0.5  # the new metadata, not the kept one
    assert ("in-training" in after.reserved) == (change == "reserve")
    assert ("in-training" in after.taken_names) == (change == "reserve")


def test_a_folder_edited_by_hand_shows_at_the_next_full_check(big_store, monkeypatch):
    kept = store.cached_scan()
    metadata = big_store / "term-0003" / "metadata.json"
    metadata.write_text(metadata.read_text().replace('"val_mse": 0.009', '"val_mse": 0.25'))  # in place: no root changes
    assert store.cached_scan() is kept  # the store's own writes say so; an editor does not
    monkeypatch.setattr(cached_listing, "FULL_CHECK_SECONDS", 0.0)  # the time for a full check has come
    assert store.cached_scan().by_name["term-0003"].val_mse == 0.25


def test_a_listing_made_in_the_tick_of_a_change_is_not_kept(private_trained_dir):
    write_folder(private_trained_dir / "fresh")  # the root changed just now: a second change could keep its times
    assert "fresh" in names(store.cached_scan())
    with file_system_calls() as again:
        assert "fresh" in names(store.cached_scan())
    assert again["lstat"] >= 3  # listed in full once more, folder by folder


def test_each_trained_folder_has_its_own_listing(private_trained_dir, tmp_path, monkeypatch, settled):
    write_folder(private_trained_dir / "in-the-first")
    assert "in-the-first" in names(store.cached_scan())
    other = tmp_path / "other-trained"
    write_folder(other / "in-the-other")
    monkeypatch.setenv(store.TRAINED_DIR_ENV, str(other))
    assert names(store.cached_scan()) & {"in-the-first", "in-the-other"} == {"in-the-other"}
