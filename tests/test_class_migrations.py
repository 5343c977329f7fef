"""The class database's migrations, on SQLite and PostgreSQL: an empty database to the newest schema (the very tables
ae_core/classroom/schema.py declares), a class of the first schema (revision 0001) with its data through the upgrade,
back down and up again, and a database that a newer app migrated refused."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from class_databases import url_of

from ae_core.classroom import ClassroomError, open_database, ownership, presence, queued_jobs, students, switches
from ae_core.classroom.migrate import downgrade, head, revision_of, upgrade
from ae_core.classroom.schema import Base, new_id


@pytest.fixture
def unmigrated(empty_database_url):
    database = open_database(empty_database_url, migrate=False)
    yield database
    database.close()


def test_an_empty_database_gets_the_newest_schema_which_is_the_declared_one(unmigrated):
    assert revision_of(unmigrated) is None
    upgrade(unmigrated)
    assert revision_of(unmigrated) == head() == "0002"
    with unmigrated.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       Base.metadata)
    assert differences == []
    upgrade(unmigrated)  # again: nothing to do
    assert revision_of(unmigrated) == "0002"


# The first schema's tables, as revision 0001 made them (what a class's database held before revision 0002).
_T = {name: sa.table(name, *(sa.column(column, kind) for column, kind in columns)) for name, columns in {
    "students": [("id", sa.String), ("number", sa.Integer), ("nickname", sa.String), ("created_at", sa.Float)],
    "presence": [("session_id", sa.String), ("student_id", sa.String), ("role", sa.String), ("host", sa.String),
                 ("pid", sa.Integer), ("page", sa.String), ("first_seen", sa.Float), ("last_seen", sa.Float)],
    "models": [("name", sa.String), ("owner_id", sa.String), ("shared", sa.Boolean), ("hidden", sa.Boolean),
               ("created_at", sa.Float)],
    "jobs": [("id", sa.String), ("owner_id", sa.String), ("model_name", sa.String), ("settings", sa.JSON),
             ("state", sa.String), ("epochs", sa.Integer), ("epoch", sa.Integer), ("batch", sa.Integer),
             ("batches", sa.Integer), ("batch_loss", sa.Float), ("losses", sa.JSON), ("val_losses", sa.JSON),
             ("stop_requested", sa.Boolean), ("worker", sa.String), ("created_at", sa.Float), ("started_at", sa.Float),
             ("updated_at", sa.Float), ("finished_at", sa.Float), ("end_code", sa.String)],
    "class_settings": [("name", sa.String), ("value", sa.JSON)],
}.items()}
MINJI, MINJI_AGAIN, JISOO, GIVEN = (new_id() for _ in range(4))
RUNNING_JOB = new_id()


def _a_class_of_the_first_schema(database) -> None:
    upgrade(database, "0001")
    assert revision_of(database) == "0001"
    with database.write_engine.begin() as connection:
        connection.execute(_T["students"].insert(), [
            {"id": MINJI, "number": 1, "nickname": "Minji", "created_at": 1.0},
            {"id": MINJI_AGAIN, "number": 2, "nickname": "MINJI", "created_at": 2.0},  # the first schema allowed it
            {"id": JISOO, "number": 3, "nickname": "Ｊｉｓｏｏ", "created_at": 3.0},
            {"id": GIVEN, "number": 4, "nickname": None, "created_at": 4.0}])
        connection.execute(_T["presence"].insert(), [{"session_id": "tab", "student_id": MINJI, "role": "student",
                                                      "host": "app-1", "pid": 7, "page": "explorer", "first_seen": 9.0,
                                                      "last_seen": 10.0}])
        connection.execute(_T["models"].insert(), [
            {"name": "minji-model", "owner_id": MINJI, "shared": True, "hidden": False, "created_at": 5.0},
            {"name": "jisoo-model", "owner_id": JISOO, "shared": False, "hidden": False, "created_at": 6.0},
            {"name": "vae-2", "owner_id": None, "shared": False, "hidden": True, "created_at": 7.0}])
        connection.execute(_T["jobs"].insert(), [{
            "id": RUNNING_JOB, "owner_id": JISOO, "model_name": "jisoo-model", "settings": {"epochs": 4, "arch": "dense"},
            "state": "running", "epochs": 4, "epoch": 2, "batch": 10, "batches": 1875, "batch_loss": 0.02,
            "losses": [0.03], "val_losses": [0.025], "stop_requested": False, "worker": "w:1", "created_at": 8.0,
            "started_at": 8.5, "updated_at": 9.0, "finished_at": None, "end_code": None}])
        connection.execute(_T["class_settings"].insert(), [{"name": "max_epochs", "value": 5},
                                                           {"name": "preset", "value": {"train_fraction": 0.25}}])


def _the_class_is_all_there(database) -> None:
    assert [(s.id, s.number, s.nickname) for s in students.list_students(database)] == [
        (MINJI, 1, "Minji"), (MINJI_AGAIN, 2, "MINJI"), (JISOO, 3, "Ｊｉｓｏｏ"), (GIVEN, 4, None)]
    [tab] = presence.connected(database, now=11.0)
    assert (tab.session_id, tab.student_id, tab.nickname, tab.page) == ("tab", MINJI, "Minji", "explorer")
    access = ownership.model_access(database, JISOO)
    assert [name for name in ("minji-model", "jisoo-model", "vae-2", "dense-64")
            if access.may_see(name, shipped=name in ("vae-2", "dense-64"))] == ["minji-model", "jisoo-model", "dense-64"]
    job = queued_jobs.get_job(database, RUNNING_JOB)
    assert (job.state, job.epoch, job.losses, job.settings, job.owner_id) == ("running", 2, (0.03,), {"epochs": 4,
                                                                                                     "arch": "dense"}, JISOO)
    assert ownership.may_stop_job(database, JISOO, RUNNING_JOB) and not ownership.may_stop_job(database, MINJI, RUNNING_JOB)
    assert switches.read_switches(database) == switches.Switches(max_epochs=5, preset={"train_fraction": 0.25})


def test_a_class_of_the_first_schema_keeps_everything_through_the_upgrade(unmigrated):
    _a_class_of_the_first_schema(unmigrated)
    upgrade(unmigrated)
    assert revision_of(unmigrated) == "0002"
    _the_class_is_all_there(unmigrated)
    # Revision 0002 gave each nickname its key: the first of two that share one keeps it, and so does the full-width one.
    with unmigrated.engine.connect() as connection:
        keys = dict(connection.execute(sa.text("SELECT id, nickname_key FROM students")).all())
    assert keys == {MINJI: "minji", MINJI_AGAIN: None, JISOO: "jisoo", GIVEN: None}
    for taken in ("minji", "Jisoo"):
        with pytest.raises(ClassroomError) as refused:
            students.create_student(unmigrated, taken)
        assert refused.value.code == "nickname_taken"
    # The second Minji keeps her nickname until the teacher renames her; then the name is checked as any other.
    assert students.rename_student(unmigrated, MINJI_AGAIN, "Minji B").nickname == "Minji B"
    assert students.create_student(unmigrated).number == 5


def test_the_newest_revision_goes_back_to_the_first_and_up_again_keeping_the_class(unmigrated):
    _a_class_of_the_first_schema(unmigrated)
    upgrade(unmigrated)
    downgrade(unmigrated, "0001")
    assert revision_of(unmigrated) == "0001"
    with unmigrated.engine.connect() as connection:
        assert "nickname_key" not in {column["name"] for column in sa.inspect(connection).get_columns("students")}
        assert connection.execute(sa.text("SELECT count(*) FROM students")).scalar() == 4
    upgrade(unmigrated)
    _the_class_is_all_there(unmigrated)


def test_a_database_a_newer_app_migrated_is_refused_and_left_as_it_is(unmigrated):
    upgrade(unmigrated)
    with unmigrated.write_engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(ClassroomError) as refused:
        open_database(url_of(unmigrated))
    assert (refused.value.code, refused.value.values) == ("database_newer", {"revision": "0099"})
    assert revision_of(unmigrated) == "0099"
