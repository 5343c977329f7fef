"""Ownership in the class database, on SQLite and PostgreSQL: a job and its model belong to the student who asked,
the teacher shares and hides, and a student sees their own work, the shared and the shipped models, nobody else's."""

import pytest

from ae_core.classroom import ownership, training_queue
from ae_core.classroom.ownership import (
    may_delete_model,
    may_stop_job,
    model_access,
    owner_of_job,
    owner_of_model,
    set_hidden,
    set_shared,
)
from ae_core.classroom.students import create_student
from ae_core.classroom.switches import set_switches
from ae_core.config import ConfigError


@pytest.fixture
def class_with_models(database):
    """Minji and Jisoo have trained a model each, the teacher one; dense-64 and vae-2 are shipped."""
    minji, jisoo = create_student(database, "Minji"), create_student(database, "Jisoo")
    jobs = {name: training_queue.submit(database, owner, name, {"epochs": 1})
            for name, owner in (("minji-model", minji.id), ("jisoo-model", jisoo.id), ("teacher-demo", None))}
    return database, minji, jisoo, jobs


STORE = [("dense-64", True), ("vae-2", True), ("minji-model", False), ("jisoo-model", False), ("teacher-demo", False),
         ("from-the-cli", False)]


def seen_by(access) -> list[str]:
    return [name for name, shipped in STORE if access.may_see(name, shipped=shipped)]


def test_a_job_and_its_model_belong_to_the_student_who_asked(class_with_models):
    database, minji, _, jobs = class_with_models
    assert owner_of_job(database, jobs["minji-model"].id) == minji.id
    assert owner_of_model(database, "minji-model") == minji.id
    assert owner_of_model(database, "teacher-demo") is None
    assert owner_of_job(database, "not an id") is None


def test_a_student_sees_their_own_models_and_the_shipped_ones_not_another_students(class_with_models):
    database, minji, jisoo, _ = class_with_models
    assert seen_by(model_access(database, minji.id)) == ["dense-64", "vae-2", "minji-model"]
    assert seen_by(model_access(database, jisoo.id)) == ["dense-64", "vae-2", "jisoo-model"]
    # Someone who is no student of the class (no cookie, a forged id) sees what the class is shown.
    assert seen_by(model_access(database, None)) == ["dense-64", "vae-2"]
    assert seen_by(model_access(database, "A" * 22)) == ["dense-64", "vae-2"]


def test_the_teacher_shares_a_model_with_the_class_and_can_take_it_back(class_with_models):
    database, minji, jisoo, _ = class_with_models
    set_shared(database, "minji-model", True)
    set_shared(database, "teacher-demo", True)
    assert seen_by(model_access(database, jisoo.id)) == ["dense-64", "vae-2", "minji-model", "jisoo-model", "teacher-demo"]
    set_shared(database, "minji-model", False)
    assert seen_by(model_access(database, jisoo.id)) == ["dense-64", "vae-2", "jisoo-model", "teacher-demo"]
    assert owner_of_model(database, "minji-model") == minji.id  # sharing gives nothing away


def test_a_hidden_model_is_seen_by_its_owner_only_and_a_shipped_one_by_nobody(class_with_models):
    database, minji, jisoo, _ = class_with_models
    set_shared(database, "minji-model", True)
    set_hidden(database, "minji-model", True)  # hidden wins over shared
    set_hidden(database, "vae-2", True)  # before the lesson that needs it
    assert seen_by(model_access(database, jisoo.id)) == ["dense-64", "jisoo-model"]
    assert seen_by(model_access(database, minji.id)) == ["dense-64", "minji-model"]
    assert owner_of_model(database, "vae-2") is None  # the teacher's choice about a shipped model makes it no one's
    set_hidden(database, "vae-2", False)
    assert "vae-2" in seen_by(model_access(database, jisoo.id))


def test_only_the_owner_may_stop_a_job_or_delete_a_model(class_with_models):
    database, minji, jisoo, jobs = class_with_models
    assert may_stop_job(database, minji.id, jobs["minji-model"].id)
    assert not may_stop_job(database, jisoo.id, jobs["minji-model"].id)  # the job id in her address bar is not enough
    assert not may_stop_job(database, minji.id, jobs["teacher-demo"].id)
    assert not may_stop_job(database, minji.id, "garbage")
    assert may_delete_model(database, minji.id, "minji-model")
    assert not may_delete_model(database, jisoo.id, "minji-model")
    assert not may_delete_model(database, minji.id, "dense-64")
    assert not may_delete_model(database, None, "teacher-demo")


def test_a_name_someone_owns_cannot_be_taken_until_the_model_is_forgotten(class_with_models):
    database, minji, jisoo, jobs = class_with_models
    training_queue.claim_next(database, "worker")
    training_queue.finish(database, jobs["minji-model"].id, "worker", "done", end_code="finished", model_saved=True)
    set_switches(database, max_jobs_per_student=2)  # Jisoo's own training is still queued
    with pytest.raises(ConfigError) as refused:
        training_queue.submit(database, jisoo.id, "minji-model", {})
    assert [(problem.field, problem.code) for problem in refused.value.problems] == [("name", "taken")]
    ownership.forget_model(database, "minji-model")  # the model was deleted from the store
    assert owner_of_model(database, "minji-model") is None
    with database.write() as session:
        assert ownership.record_model(session, "minji-model", jisoo.id)
        assert not ownership.record_model(session, "minji-model", minji.id)
    assert owner_of_model(database, "minji-model") == jisoo.id
