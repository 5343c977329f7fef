"""The class database's engine and sessions: SQLite in the trained folder by default, PostgreSQL where
$AE_LAB_DATABASE_URL names one, brought to the newest schema when opened (ae_core/classroom/migrate.py).

SQLite is for the app processes of one machine. Its file is `.classroom.sqlite3` in the trained folder (the store's
listing skips dot-names), in WAL mode: readers never wait for a writer and a writer never waits for readers. Every
write transaction begins IMMEDIATE, taking the file's write lock before it reads anything: a deferred transaction that
read first and then wrote would fail at once (SQLITE_BUSY, which no timeout helps) when another process had written
in between. The busy timeout then makes a writer wait its turn behind another process's write instead of failing.
A network file system breaks SQLite's locks: app processes on several machines share a PostgreSQL server instead.

PostgreSQL: `postgresql://user:password@host:5432/database` (psycopg 3 is the driver; `postgres://` is taken too).
Each process keeps a few connections (POOL_SIZE, up to MAX_OVERFLOW more at a peak) and checks one before using it,
so a restarted server costs no request an error. Write transactions run at READ COMMITTED, PostgreSQL's default; the
modules lock the rows a decision depends on (a student's row before counting their jobs, the next queued job with
SKIP LOCKED), so that app processes and workers on every machine agree.

Usage: `database = open_database()` (once per process); `with database.write() as session: session.add(row)` commits
at the end, `with database.read() as session: session.scalars(select(...))` reads one consistent snapshot on SQLite.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy
import sqlalchemy.exc
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from ae_core.classroom.errors import ClassroomError
from ae_core.store import trained_dir

DATABASE_URL_ENV = "AE_LAB_DATABASE_URL"
SQLITE_FILE = ".classroom.sqlite3"
# A writer waits this long for another process's write before failing. Writes here take milliseconds; a whole class
# beating at once queues a few hundred of them.
BUSY_TIMEOUT_MS = 30_000
# Connections per app process on PostgreSQL: a Streamlit process runs every session's script on its own thread, but
# a query is milliseconds. 16 processes x (3 + 5) stays under PostgreSQL's default max_connections of 100.
POOL_SIZE = 3
MAX_OVERFLOW = 5


def database_url() -> str:
    """$AE_LAB_DATABASE_URL, else the SQLite file in the trained folder (which is made if it is missing)."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    folder = trained_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return sqlite_url(folder / SQLITE_FILE)


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file, whatever its path holds ('?', '#', spaces)."""
    return URL.create("sqlite", database=str(path)).render_as_string()


class Database:
    """One process's way into the class database: its engine, and sessions for reading and for writing."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name  # "sqlite" or "postgresql"
        # The write engine shares the pool; its connections carry an option that makes SQLite begin IMMEDIATE.
        self.write_engine = engine.execution_options(class_write=True)
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)
        self._writer = sessionmaker(bind=self.write_engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back when it raises."""
        with self._writer.begin() as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction for reading: one consistent snapshot on SQLite (and it changes nothing)."""
        with self._reader() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exception) -> None:
        self.close()


def upsert(database: Database, table, values: dict, *, key: tuple[str, ...], update: tuple[str, ...]):
    """INSERT of `values` into `table` (a mapped class) that, where a row of the same `key` exists, updates its `update`
    columns instead: one statement, so that two processes writing the same row at once do not collide."""
    dialect_insert = postgresql.insert if database.dialect == "postgresql" else sqlite.insert
    statement = dialect_insert(table).values(**values)
    return statement.on_conflict_do_update(index_elements=list(key),
                                           set_={name: statement.excluded[name] for name in update})


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """The class database at `url` (default: database_url()), migrated to the newest schema unless `migrate` is False
    (the migration tests open a database to migrate it step by step)."""
    database = Database(make_engine(url or database_url()))
    if migrate:
        from ae_core.classroom.migrate import upgrade

        upgrade(database)
    return database


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except sqlalchemy.exc.ArgumentError:
        raise ClassroomError("unsupported_database", scheme=url.split(":", 1)[0][:20]) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        return sqlalchemy.create_engine(parsed, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, pool_pre_ping=True)
    if backend != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise ClassroomError("unsupported_database", scheme=parsed.drivername if backend != "sqlite" else ":memory:")
    engine = sqlalchemy.create_engine(parsed.set(drivername="sqlite+pysqlite"),
                                      connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(connection, _record) -> None:
    # Python's sqlite3 module begins its transactions itself, and only before a write: the "begin" listener below does
    # it instead, so that a write transaction takes the lock first.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable across a crash of the app in WAL mode; only a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite_transaction(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get("class_write") else "BEGIN")
