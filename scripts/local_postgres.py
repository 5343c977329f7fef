"""A throwaway PostgreSQL server on a free 127.0.0.1 port, in a temporary folder: what the class-database tests
(tests/class_databases.py) and bench/classroom.py run against. Debian's `postgresql` (./scripts/system-deps.sh
--database) provides initdb and pg_ctl; nothing else is needed, and the server is removed with its folder at the end.

It listens on 127.0.0.1 only (no Unix socket), asks for a password (scram-sha-256, as a real deployment does), and runs
with fsync off: nothing of a test or a benchmark needs to survive a power cut, and it starts in a few seconds.
PostgreSQL refuses to run as root, so under root (CI, the project's machines) it runs as the `postgres` user that the
package creates. A server that cannot start raises PostgresError with its log.

Usage: `with LocalPostgres() as server: url = server.url(server.create_database())` (an AE_LAB_DATABASE_URL)
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

POSTGRES_ROOT = Path("/usr/lib/postgresql")  # Debian installs each major version's programs in <version>/bin, off PATH
START_SECONDS = 60
# Appended to postgresql.conf; the port is added per start.
SETTINGS = ("listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", "fsync = off", "synchronous_commit = off",
            "full_page_writes = off", "max_connections = 200")


class PostgresError(RuntimeError):
    """The server could not be found, made or started; the message holds what it said."""


def postgres_programs() -> Path:
    """The folder of initdb and pg_ctl: on PATH, else the newest Debian version's."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    versions = sorted((path for path in POSTGRES_ROOT.glob("*/bin") if (path / "initdb").exists()),
                      key=lambda path: int(re.sub(r"\D", "", path.parent.name) or 0))
    if not versions:
        raise PostgresError("PostgreSQL's initdb and pg_ctl are not installed: run ./scripts/system-deps.sh --database "
                            "(Debian's postgresql).")
    return versions[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalPostgres:
    """A PostgreSQL server of this process, in its own folder, on 127.0.0.1."""

    user = "aelab"

    def __init__(self):
        self.programs = postgres_programs()
        # The account the server runs as: ourselves, or under root the package's `postgres` user.
        try:
            self.account = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        except KeyError:
            raise PostgresError("PostgreSQL refuses to run as root, and there is no user 'postgres' to run it as "
                                "(Debian's postgresql-common creates it: ./scripts/system-deps.sh --database).") from None
        self.folder = Path(tempfile.mkdtemp(prefix="ae-lab-postgres-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.password = secrets.token_hex(16)
        self.port = 0
        if self.account:
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)

    def __enter__(self) -> LocalPostgres:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exception) -> None:
        self.stop()

    def _run(self, *arguments: str, timeout: float = START_SECONDS) -> subprocess.CompletedProcess:
        as_account = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []} if self.account else {}
        return subprocess.run([str(self.programs / arguments[0]), *arguments[1:]], cwd=self.folder, capture_output=True,
                              text=True, timeout=timeout, check=False,
                              env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}, **as_account)

    def start(self) -> None:
        password_file = self.folder / "password"
        password_file.write_text(self.password)
        if self.account:
            os.chown(password_file, self.account.pw_uid, self.account.pw_gid)
        created = self._run("initdb", "-D", str(self.data), "-U", self.user, f"--pwfile={password_file}",
                            "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync")
        password_file.unlink()
        if created.returncode != 0:
            raise PostgresError(f"initdb failed ({created.returncode}):\n{created.stdout}\n{created.stderr}")
        for _attempt in range(3):  # another program may take the free port between the probe and the server's bind
            self.port = _free_port()
            with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.write("\n" + "\n".join((*SETTINGS, f"port = {self.port}")) + "\n")
            started = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_SECONDS),
                                "start", timeout=START_SECONDS + 10)
            if started.returncode == 0:
                self._wait_for_connections()
                return
            if "could not bind" not in self.server_log():
                break
        raise PostgresError(f"PostgreSQL did not start ({started.returncode}): {started.stdout}{started.stderr}\n"
                            f"server log:\n{self.server_log()}")

    def _wait_for_connections(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=5):
                    return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    raise PostgresError(f"PostgreSQL does not accept connections: {error}\n"
                                        f"server log:\n{self.server_log()}") from error
                time.sleep(0.1)

    def server_log(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return "(no log)"

    def url(self, database: str) -> str:
        """What AE_LAB_DATABASE_URL would hold for `database` on this server."""
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"class_{secrets.token_hex(6)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)
