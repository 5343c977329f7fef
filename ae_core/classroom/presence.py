"""Who is connected: one heartbeat per browser session (a student's or the teacher's tab) with the app process that
serves it (host and process id), the page it shows and when it was last seen, so that the teacher's page sees every
tab of the class across all the app processes behind the proxy (and all the machines, on PostgreSQL).

A session counts as connected while its last heartbeat is younger than CONNECTED_SECONDS. A heartbeat is one upsert;
the page beats on its runs, through HeartbeatThrottle, which lets a session write when it changes page or once every
BEAT_SECONDS, not on every slider move (a class of 300 moving sliders would otherwise write 150 times a second).
`expire` removes sessions gone for longer than FORGET_SECONDS; `leave` one whose tab closed.

Usage: `throttle = HeartbeatThrottle()` (one per process); `if throttle.due(session_id, "explorer"):
heartbeat(database, session_id, role="student", student_id=student.id, page="explorer")`; `connected(database)`
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ae_core.classroom.database import Database, upsert
from ae_core.classroom.errors import ClassroomError
from ae_core.classroom.schema import PresenceRow, StudentRow

ROLES = ("student", "teacher")
BEAT_SECONDS = 20.0  # a tab's heartbeat, at most this far apart while it is used
CONNECTED_SECONDS = 60.0  # three beats missed: the tab is gone (closed, or its process died)
FORGET_SECONDS = 3600.0  # a session gone this long is removed from the table
_TEXT_LIMITS = {"session_id": 64, "page": 64, "host": 255}


@dataclass(frozen=True)
class Presence:
    session_id: str
    role: str
    student_id: str | None  # None for the teacher's tabs
    number: int | None  # the student's given name's number, and their nickname (None: the given name)
    nickname: str | None
    host: str  # the app process serving the tab
    pid: int
    page: str
    first_seen: float
    last_seen: float


def heartbeat(database: Database, session_id: str, *, role: str, student_id: str | None = None, page: str = "",
              host: str | None = None, pid: int | None = None, now: float | None = None) -> None:
    """Record that `session_id` is open on `page` now, in this process (or `host`/`pid`)."""
    now = time.time() if now is None else now
    values = {"session_id": session_id, "student_id": student_id, "role": role, "page": page,
              "host": socket.gethostname() if host is None else host, "pid": os.getpid() if pid is None else pid,
              "first_seen": now, "last_seen": now}
    _check(values)
    statement = upsert(database, PresenceRow, values, key=("session_id",),
                       update=("student_id", "role", "page", "host", "pid", "last_seen"))
    try:
        with database.write() as session:
            session.execute(statement)
    except IntegrityError:  # the student's foreign key: no such student (the session outlived them, or a forged id)
        raise ClassroomError("unknown_student") from None


def connected(database: Database, *, within: float = CONNECTED_SECONDS, now: float | None = None) -> list[Presence]:
    """Every session seen in the last `within` seconds, the most recent first."""
    since = (time.time() if now is None else now) - within
    query = (select(PresenceRow, StudentRow.number, StudentRow.nickname)
             .outerjoin(StudentRow, StudentRow.id == PresenceRow.student_id)
             .where(PresenceRow.last_seen >= since).order_by(PresenceRow.last_seen.desc(), PresenceRow.session_id))
    with database.read() as session:
        return [Presence(row.session_id, row.role, row.student_id, number, nickname, row.host, row.pid, row.page,
                         row.first_seen, row.last_seen) for row, number, nickname in session.execute(query)]


def leave(database: Database, session_id: str) -> None:
    """Forget a session whose tab closed."""
    with database.write() as session:
        session.execute(delete(PresenceRow).where(PresenceRow.session_id == session_id))


def expire(database: Database, *, older_than: float = FORGET_SECONDS, now: float | None = None) -> int:
    """Remove the sessions not seen for `older_than` seconds; how many went."""
    before = (time.time() if now is None else now) - older_than
    with database.write() as session:
        return session.execute(delete(PresenceRow).where(PresenceRow.last_seen < before)).rowcount


def _check(values: dict) -> None:
    # These come from the app, never from a visitor: a wrong one is the code's mistake, not the user's.
    if values["role"] not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {values['role']!r}.")
    if values["role"] == "student" and not values["student_id"]:
        raise ValueError("A student's heartbeat needs the student's id.")
    for name, limit in _TEXT_LIMITS.items():
        if not isinstance(values[name], str) or len(values[name]) > limit or (name == "session_id" and not values[name]):
            raise ValueError(f"{name} must be a text of at most {limit} characters, got {values[name]!r}.")


class HeartbeatThrottle:
    """Which heartbeats are worth writing: a session's first, a change of page, or one BEAT_SECONDS after the last.
    One per process (its memory is the sessions this process serves); thread-safe."""

    def __init__(self, every: float = BEAT_SECONDS):
        self.every = every
        self._written: dict[str, tuple[str, float]] = {}  # session id -> (page, when written)
        self._lock = threading.Lock()
        self._prune_at = 256  # sessions remembered before the ones not seen for a while are forgotten

    def due(self, session_id: str, page: str, *, now: float | None = None) -> bool:
        """Whether to write this heartbeat; counts it as written when it says so."""
        now = time.monotonic() if now is None else now
        with self._lock:
            last = self._written.get(session_id)
            if last is not None and last[0] == page and now - last[1] < self.every:
                return False
            self._written[session_id] = (page, now)
            if len(self._written) > self._prune_at:
                self._written = {key: value for key, value in self._written.items() if now - value[1] < self.every}
                self._prune_at = max(256, 2 * len(self._written))
            return True

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._written.pop(session_id, None)
