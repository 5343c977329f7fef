"""The store's listing kept per process for the app's page runs: while nothing changed, a listing costs two stat calls,
whatever the number of model folders (docs/design.md, "A listing costs two stat calls").

A full scan (ae_core/store/listing.py) looks at every folder, three lstat calls each: at 1,000 folders, every page run
of every session paid for it. `cached_scan()` keeps the last scan and checks the store's two roots instead:

- a folder added, removed or renamed changes its root's ctime and mtime by itself, and every write of the store's own
  inside a folder (a save's commit, a reservation) sets its root's times to now (`mark_changed`), which every process
  (the other app processes, a training's child, the CLI) sees on its next listing;
- a scan made while a root had changed within RACY_SECONDS is not kept: a change in the same tick of the file
  system's clock would leave the root's times as they were;
- the few folders whose state is no file-system fact are looked at again on every listing: reservations (their
  training's process may die) and folders whose strays a save still holds;
- every FULL_CHECK_SECONDS a listing is a full scan again, for what people change inside a folder by hand.

Usage: `listing = cached_scan()`; after the store's own write into `folder`: `mark_changed(folder)`
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ae_core.store.listing import StoreListing, UnsettledFolder, scan_with_unsettled, store_roots

# A root that changed less than this before a scan began may change again within the same tick of its clock (a
# jiffy, 1-10 ms, before Linux 6.13's multigrain timestamps; FAT: 2 s) and keep its times: that scan serves its
# caller, and is not kept.
RACY_SECONDS = 2.0
# The longest a kept scan serves without a full scan: what people change inside a folder by hand (a metadata.json
# edited in place) shows within this; what the store itself writes shows in the next listing.
FULL_CHECK_SECONDS = 10.0


def cached_scan() -> StoreListing:
    """The store's listing, as listing.scan() makes it, from this process's last scan while nothing has changed since:
    the two roots' file-system facts (two stat calls), and the few folders being trained or saved into looked at."""
    kept = _kept.current()
    if kept is not None:
        return kept.listing
    with _kept.scanning:  # sessions asking at once: one scans, the others take its listing
        kept = _kept.current()
        if kept is not None:
            return kept.listing
        # The roots' facts before anything is read: a change made during the scan shows in the next listing.
        began_ns, began = time.time_ns(), time.monotonic()
        roots = _root_facts()
        listing, unsettled = scan_with_unsettled()
        racy_after_ns = began_ns - int(RACY_SECONDS * 1e9)
        trusted = all(not facts or max(facts[2:]) < racy_after_ns for _, facts in roots)
        _kept.keep(_KeptScan(roots, listing, unsettled, began) if trusted else None)
        return listing


def mark_changed(folder: Path) -> None:
    """Say that what `folder` (a model folder in the store) holds has changed, for every process's cached_scan(): sets
    its root's times to now. For the store's own writes inside a folder (adding or removing a folder changes its root
    by itself); a folder outside the store's two roots is left alone."""
    parent = Path(folder).parent
    with contextlib.suppress(OSError):
        if any(os.path.samefile(parent, root) for root in store_roots() if root.is_dir()):
            os.utime(parent)


@dataclass(frozen=True)
class _KeptScan:
    roots: tuple  # _root_facts() as the scan began
    listing: StoreListing
    unsettled: tuple[UnsettledFolder, ...]
    scanned_at: float  # time.monotonic() as the scan began

    def still_current(self) -> bool:
        return (time.monotonic() - self.scanned_at < FULL_CHECK_SECONDS and _root_facts() == self.roots
                and all(folder.unchanged() for folder in self.unsettled))


class _KeptScans:
    """This process's last scan, while it may be trusted: shared by every session's thread."""

    def __init__(self):
        self._kept: _KeptScan | None = None
        self.scanning = threading.Lock()

    def keep(self, kept: _KeptScan | None) -> None:
        self._kept = kept

    def current(self) -> _KeptScan | None:
        kept = self._kept
        return kept if kept is not None and kept.still_current() else None


_kept = _KeptScans()


def _root_facts() -> tuple:
    """Each store root's path and (device, inode, mtime, ctime), () for a missing one: what changes with any folder
    added, removed or renamed in it, and with mark_changed. ctime too: `touch -d` or `rsync -t` can set an mtime back."""
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
