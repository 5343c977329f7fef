"""Fixtures of the class-database suite (tests/test_class_*.py): every test gets a fresh database on each backend, a
SQLite file in its temporary folder and a database on a real PostgreSQL server that the session starts.

The server is Debian's `postgresql` (./scripts/system-deps.sh --database), started with initdb and pg_ctl in a
temporary folder, listening on a free 127.0.0.1 port only (no Unix socket), with a password (scram-sha-256) as a
real deployment has one; fsync off, since nothing of a test needs to survive a power cut. PostgreSQL refuses to run
as root, so under root (CI, the project's machines) it runs as the `postgres` user the package creates. Nothing is
skipped: a server that cannot start fails the tests that need it, with its log. `-m "not postgres"` leaves them out.

Usage: a test takes `database` (open, migrated, empty; `url_of(database)` for another process to open it too) or
`empty_database_url` (a database never migrated).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from ae_core.classroom.database import open_database, sqlite_url
from ae_core.classroom.schema import Base

POSTGRES_ROOT = Path("/usr/lib/postgresql")  # Debian installs each major version's programs in <version>/bin
START_SECONDS = 60


def postgres_programs() -> Path:
    """The folder of initdb and pg_ctl: on PATH, else the newest Debian version's."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    versions = sorted((path for path in POSTGRES_ROOT.glob("*/bin") if (path / "initdb").exists()),
                      key=lambda path: int(re.sub(r"\D", "", path.parent.name) or 0))
    if not versions:
        pytest.fail("PostgreSQL's initdb and pg_ctl are not installed: run ./scripts/system-deps.sh --database "
                    "(Debian's postgresql), or deselect these tests with -m 'not postgres'.")
    return versions[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """A PostgreSQL server of this test session, in its own folder, on 127.0.0.1."""

    user = "aelab"

    def __init__(self):
        self.programs = postgres_programs()
        self.folder = Path(tempfile.mkdtemp(prefix="ae-lab-postgres-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.password = secrets.token_hex(16)
        self.port = 0
        # The account the server runs as: ourselves, or under root the package's `postgres` user.
        self.account = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self.account:
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)

    def _run(self, *arguments: str, timeout: float = START_SECONDS) -> subprocess.CompletedProcess:
        as_account = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []} if self.account else {}
        return subprocess.run([str(self.programs / arguments[0]), *arguments[1:]], cwd=self.folder, capture_output=True,
                              text=True, timeout=timeout, check=False, env={"PATH": os.environ.get("PATH", ""),
                                                                            "LANG": "C.UTF-8"}, **as_account)

    def start(self) -> None:
        password_file = self.folder / "password"
        password_file.write_text(self.password)
        if self.account:
            os.chown(password_file, self.account.pw_uid, self.account.pw_gid)
        created = self._run("initdb", "-D", str(self.data), "-U", self.user, f"--pwfile={password_file}",
                            "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync")
        password_file.unlink()
        if created.returncode != 0:
            pytest.fail(f"initdb failed ({created.returncode}):\n{created.stdout}\n{created.stderr}")
        for _attempt in range(3):  # another program may take the free port between the probe and the server's bind
            self.port = _free_port()
            with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = ''\n"
                           "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n")
            started = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_SECONDS),
                                "start", timeout=START_SECONDS + 10)
            if started.returncode == 0:
                self._wait_for_connections()
                return
            if "could not bind" not in self.server_log():
                break
        pytest.fail(f"PostgreSQL did not start ({started.returncode}): {started.stdout}{started.stderr}\n"
                    f"server log:\n{self.server_log()}")

    def _wait_for_connections(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=5):
                    return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    pytest.fail(f"PostgreSQL does not accept connections: {error}\nserver log:\n{self.server_log()}")
                time.sleep(0.1)

    def server_log(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return "(no log)"

    def dsn(self, database: str) -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def url(self, database: str) -> str:
        """What AE_LAB_DATABASE_URL would hold."""
        return self.dsn(database)

    def create_database(self) -> str:
        name = f"class_{secrets.token_hex(6)}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


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
