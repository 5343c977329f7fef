"""Fixtures of the class-database suite (tests/test_class_*.py): every test gets a fresh database on each backend, a
SQLite file in its temporary folder and a database on a real PostgreSQL server that the session starts.

The server is Debian's `postgresql` (./scripts/system-deps.sh --database), started by scripts/local_postgres.py with
initdb and pg_ctl in a temporary folder, on a free 127.0.0.1 port, with a password; under root it runs as the
`postgres` user. Nothing is skipped: a server that cannot start fails the tests that need it, with its log.
`-m "not postgres"` leaves them out.

Usage: a test takes `database` (open, migrated, empty; `url_of(database)` for another process to open it too) or
`empty_database_url` (a database never migrated).
"""

from __future__ import annotations

import psycopg
import pytest
from local_postgres import LocalPostgres, PostgresError

from ae_core.classroom.database import open_database, sqlite_url
from ae_core.classroom.schema import Base


@pytest.fixture(scope="session")
def postgres_server():
    try:
        with LocalPostgres() as server:
            yield server
    except PostgresError as error:
        pytest.fail(f"{error}\n(Deselect the tests that need PostgreSQL with -m 'not postgres'.)")


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_class_database(postgres_server) -> str:
    """The URL of one migrated database of the session's server, which `database` empties before each test (a new
    database and its migration per test took ~0.8 s on the busy machine)."""
    name = postgres_server.create_database()
    open_database(postgres_server.url(name)).close()
    return postgres_server.url(name)


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    """A class database at the newest schema, with nothing in it, opened as a process of the app opens it."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "class.sqlite3")
    else:
        url = request.getfixturevalue("postgres_class_database")
        with psycopg.connect(url) as connection:  # one transaction; DELETE is quicker than TRUNCATE on small tables
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(f"DELETE FROM {table.name}")
    opened = open_database(url)
    yield opened
    opened.close()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    """The URL of a new, empty database (never migrated) on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "class.sqlite3")
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


def url_of(database) -> str:
    """The URL `database` was opened with, password included (for another process to open it too)."""
    return database.engine.url.render_as_string(hide_password=False)
