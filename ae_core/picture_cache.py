"""Untrusted pictures prepared once per content: what came of a picture's bytes (its result, or its refusal), kept by
their SHA-256, within a bound on entries and on the memory of the results.

A Streamlit page runs again on every interaction, and the garment page hands the same upload (or the same drawing)
to ae_core.garment on each run: without this, every click near a picture decoded it again. One process serves a
class from many threads, so a picture being prepared is prepared once: a second request for the same bytes waits for
the first one's outcome instead of decoding beside it. A refusal (ImageRejectedError) is kept as its code and values
and raised afresh each time, so that no traceback grows on a shared exception.

Usage: `cache = PictureCache(); prepared = cache.get(data, prepare)`  # prepare(data) runs once per content
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

import numpy as np

from ae_core.uploads import ImageRejectedError

Result = TypeVar("Result")

MAX_ENTRIES = 512  # results and refusals; a refusal is a few hundred bytes
# The results' arrays: 2 full 4-megapixel uploads, or 160 drawings of 280 pixels a side (0.4 MB), 40 of 560 (a screen
# of twice the pixel density: 1.6 MB).
MAX_BYTES = 64 * 1024 * 1024
_REFUSAL_BYTES = 512  # what a kept refusal is counted as


@dataclass(frozen=True)
class _Refusal:
    code: str
    values: dict

    def raise_again(self):
        raise ImageRejectedError(self.code, **self.values)


class PictureCache(Generic[Result]):
    """Outcomes of `prepare(data)` by the SHA-256 of `data`, least recently used first out; safe across threads."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._outcomes: OrderedDict[bytes, tuple[Result | _Refusal, int]] = OrderedDict()
        self._in_progress: dict[bytes, threading.Event] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, data: bytes, prepare: Callable[[bytes], Result]) -> Result:
        """`prepare(data)`'s result, from the cache when these bytes were prepared before; its ImageRejectedError,
        raised again, when they were refused. Any other exception is not kept: the next call tries again."""
        key = hashlib.sha256(data).digest()
        while True:
            with self._lock:
                if key in self._outcomes:
                    self._outcomes.move_to_end(key)
                    return self._unwrap(self._outcomes[key][0])
                running = self._in_progress.get(key)
                if running is None:
                    self._in_progress[key] = threading.Event()
                    break
            running.wait()  # then look again: kept by now, unless it failed or was too big to keep
        try:
            try:
                outcome: Result | _Refusal = prepare(data)
            except ImageRejectedError as rejected:
                outcome = _Refusal(rejected.code, dict(rejected.values))
            self._keep(key, outcome)
        finally:
            with self._lock:
                self._in_progress.pop(key).set()
        return self._unwrap(outcome)

    def clear(self) -> None:
        with self._lock:
            self._outcomes.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._outcomes)

    @property
    def size_bytes(self) -> int:
        """What the kept outcomes are counted as: their arrays' bytes (a refusal's few hundred)."""
        return self._bytes

    def _keep(self, key: bytes, outcome: Result | _Refusal) -> None:
        size = _REFUSAL_BYTES if isinstance(outcome, _Refusal) else _array_bytes(outcome)
        if size > self.max_bytes:
            return
        with self._lock:
            self._outcomes[key] = (outcome, size)
            self._bytes += size
            while len(self._outcomes) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._outcomes.popitem(last=False)
                self._bytes -= dropped

    @staticmethod
    def _unwrap(outcome: Result | _Refusal) -> Result:
        if isinstance(outcome, _Refusal):
            outcome.raise_again()
        return outcome


def _array_bytes(result) -> int:
    """The bytes of the NumPy arrays a result holds: itself, or the fields of a dataclass (a PreparedImage)."""
    if isinstance(result, np.ndarray):
        return result.nbytes
    if hasattr(result, "__dataclass_fields__"):
        return sum(value.nbytes for value in (getattr(result, field.name) for field in fields(result))
                   if isinstance(value, np.ndarray)) + _REFUSAL_BYTES
    return _REFUSAL_BYTES
