"""The class database's engine, on SQLite and PostgreSQL: where it is by default and with AE_LAB_DATABASE_URL, the
SQLite settings that make it safe for several processes, transactions that leave nothing when they fail, and what a
class made surviving a restart and a student's tab moving to another app process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import local_postgres
import pytest
from class_databases import url_of
from sqlalchemy.engine import make_url

from ae_core import store
from ae_core.classroom import ClassroomError, open_database, ownership, presence, queued_jobs, switches, training_queue
from ae_core.classroom.database import BUSY_TIMEOUT_MS, DATABASE_URL_ENV, SQLITE_FILE, database_url, sqlite_url
from ae_core.classroom.schema import StudentRow, new_id
from ae_core.classroom.students import create_student, find_student, list_students

PROJECT = Path(__file__).resolve().parent.parent
HELPER = Path(__file__).resolve().parent / "class_processes.py"


def test_by_default_the_class_is_a_sqlite_file_in_the_trained_folder_that_the_store_does_not_list(
        monkeypatch, private_trained_dir):
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    url = make_url(database_url())
    assert (url.get_backend_name(), url.database) == ("sqlite", str(private_trained_dir / SQLITE_FILE))
    database = open_database()
    try:
        create_student(database, "Minji")
        with database.engine.connect() as connection:
            pragmas = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                       for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")}
        assert pragmas == {"journal_mode": "wal", "busy_timeout": BUSY_TIMEOUT_MS, "foreign_keys": 1, "synchronous": 1}
    finally:
        database.close()
    assert (private_trained_dir / SQLITE_FILE).is_file()
    listing = store.scan()  # the file and its -wal and -shm companions are no models, nor broken ones
    assert [m.name for m in listing.models if not m.shipped] == [] and listing.unavailable == [] and listing.reserved == []


def test_the_environment_names_the_database(database, monkeypatch):
    student = create_student(database, "Minji")
    monkeypatch.setenv(DATABASE_URL_ENV, url_of(database))
    elsewhere = open_database()
    try:
        assert elsewhere.dialect == database.dialect
        assert find_student(elsewhere, student.id) == student
    finally:
        elsewhere.close()


@pytest.mark.postgres
def test_a_postgres_url_of_the_short_form_uses_psycopg(postgres_class_database):
    database = open_database(postgres_class_database.replace("postgresql://", "postgres://", 1))
    try:
        assert (database.dialect, database.engine.driver) == ("postgresql", "psycopg")
        assert "***" in database.url  # the password stays out of logs
    finally:
        database.close()


def test_a_sqlite_file_may_have_any_path(tmp_path):
    folder = tmp_path / "a class? #1"
    folder.mkdir()
    database = open_database(sqlite_url(folder / "class.sqlite3"))
    try:
        create_student(database, "Minji")
    finally:
        database.close()
    assert (folder / "class.sqlite3").is_file()


@pytest.mark.parametrize("url", ["mysql://user@host/db", "sqlite://", "sqlite:///:memory:", "not a url"])
def test_a_database_this_app_cannot_share_is_refused(url):
    with pytest.raises(ClassroomError) as refused:
        open_database(url)
    assert refused.value.code == "unsupported_database"


def test_a_write_that_fails_leaves_nothing(database):
    create_student(database, "Kept")
    with pytest.raises(RuntimeError), database.write() as session:
        session.add(StudentRow(id=new_id(), number=2, nickname="Lost", created_at=0.0))
        session.flush()
        raise RuntimeError("the request broke half-way")
    assert [student.nickname for student in list_students(database)] == ["Kept"]


def _a_class(database) -> dict:
    minji, jisoo = create_student(database, "Minji"), create_student(database, "Jisoo")
    switches.set_switches(database, max_epochs=8, preset={"epochs": 3})
    job = training_queue.submit(database, minji.id, "minji-model", {"epochs": 3})
    training_queue.claim_next(database, "worker")
    training_queue.report_progress(database, job.id, "worker", epoch=2, batch=5, batches=10, losses=[0.02])
    ownership.set_shared(database, "minji-model", True)
    ownership.set_hidden(database, "vae-2", True)
    presence.heartbeat(database, "tab", role="student", student_id=jisoo.id, page="explorer")
    return {"minji": minji, "jisoo": jisoo, "job": job}


def test_a_restarted_process_finds_the_class_as_it_was(database):
    made = _a_class(database)
    url = url_of(database)
    database.close()
    restarted = open_database(url)
    try:
        assert list_students(restarted) == [made["minji"], made["jisoo"]]
        assert switches.read_switches(restarted) == switches.Switches(max_epochs=8, preset={"epochs": 3})
        job = queued_jobs.get_job(restarted, made["job"].id)
        assert (job.state, job.owner_id, job.epoch, job.losses) == ("running", made["minji"].id, 2, (0.02,))
        assert ownership.owner_of_model(restarted, "minji-model") == made["minji"].id
        access = ownership.model_access(restarted, made["jisoo"].id)
        assert access.may_see("minji-model", shipped=False) and not access.may_see("vae-2", shipped=True)
        assert [seen.session_id for seen in presence.connected(restarted)] == ["tab"]
    finally:
        restarted.close()


def test_a_student_whose_tab_moves_to_another_process_keeps_her_work_and_nobody_gets_it(database):
    # The proxy sends a tab whose process died to another one; the cookie brings the student's id along. That process
    # (a real one here) finds her, lets her stop her training and not Jisoo, and reports her tab from there.
    made = _a_class(database)
    ownership.set_shared(database, "minji-model", False)
    completed = subprocess.run([sys.executable, str(HELPER), "moved", url_of(database), "0", made["minji"].id,
                                made["job"].id, made["jisoo"].id, "minji-model"], cwd=PROJECT, capture_output=True,
                               text=True, timeout=120, env={"PYTHONPATH": str(PROJECT), "PATH": ""}, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    seen = json.loads(completed.stdout.strip().splitlines()[-1])
    assert seen == {"nickname": "Minji", "number": 1, "may_stop_own": True, "may_stop_as_other": False,
                    "sees_own": True, "other_sees": False, "job_state": "running", "pid": seen["pid"]}
    tabs = {tab.session_id: tab for tab in presence.connected(database)}
    assert tabs["moved-tab"].student_id == made["minji"].id
    assert tabs["moved-tab"].pid == seen["pid"] != os.getpid()  # the teacher sees which process serves each tab
    assert tabs["tab"].pid == os.getpid()



@pytest.mark.postgres
def test_a_postgres_server_that_cannot_start_says_why_with_its_log(monkeypatch):
    # What the suite's fixture turns into a failure (never a skip) when the server on CI does not come up.
    monkeypatch.setattr(local_postgres, "SETTINGS", (*local_postgres.SETTINGS, "no_such_setting = on"))
    with pytest.raises(local_postgres.PostgresError) as failed, local_postgres.LocalPostgres():
        pass
    assert "did not start" in str(failed.value)
    assert 'unrecognized configuration parameter "no_such_setting"' in str(failed.value)
