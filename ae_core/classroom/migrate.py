"""Brings the class database to the newest schema with Alembic, at start-up: an upgrade keeps a class's data.

The migrations are in ae_core/classroom/migrations/versions/, one file per revision, each with its `upgrade` and
`downgrade`; a new one is written by hand on the last (copy its head: `revision`, `down_revision`). On SQLite a
migration changes tables in place (add or drop a column, an index) and never in Alembic's batch mode, which copies a
table and drops the old one: with foreign keys on, that drop would cascade into the rows that point at it (the test of
revision 0002's downgrade found it deleting every student's presence). Every process runs
`upgrade` when it opens the database (ae_core/classroom/database.py, open_database): the first one migrates, inside
one transaction; the others wait for it (SQLite: the write lock; PostgreSQL: an advisory lock) and then find nothing
to do. A database that a newer version of the app migrated is refused (ClassroomError "database_newer") rather than
used with tables this code does not know.

Usage: `upgrade(database)`; `upgrade(database, "0001")` (tests); `revision_of(database)` → "0002"; `head()`
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text

from ae_core import PROJECT_ROOT
from ae_core.classroom.database import Database
from ae_core.classroom.errors import ClassroomError

MIGRATIONS = PROJECT_ROOT / "ae_core" / "classroom" / "migrations"
# Any fixed number: every process that migrates a PostgreSQL database takes this lock for the migration's transaction.
_MIGRATION_LOCK = 0x4145_4C41_4201


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this code knows."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def revision_of(database: Database) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, revision: str = "head") -> None:
    """Migrate to `revision` (default: the newest), in one transaction."""
    scripts = ScriptDirectory.from_config(_config())
    with database.write_engine.begin() as connection:
        if database.dialect == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        current = MigrationContext.configure(connection).get_current_revision()
        if current is not None and _unknown(scripts, current):
            raise ClassroomError("database_newer", revision=current)
        if current != scripts.get_current_head() or revision != "head":  # at head already: every start but the first
            command.upgrade(_config(connection), revision)


def downgrade(database: Database, revision: str) -> None:
    """Migrate back to `revision`, in one transaction (for tests, and for going back to an older app by hand)."""
    with database.write_engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def _unknown(scripts: ScriptDirectory, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is None
    except CommandError:
        return True
