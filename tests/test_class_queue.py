"""The class-wide training queue, on SQLite and PostgreSQL: submitting under the teacher's switches, claiming in
order, progress and Stop across processes, endings that give a name back, lost workers, and the wait estimate."""

import pytest

from ae_core import config
from ae_core.classroom import ClassroomError
from ae_core.classroom.ownership import owner_of_model
from ae_core.classroom.queued_jobs import class_queue, get_job, jobs_of
from ae_core.classroom.students import create_student
from ae_core.classroom.switches import set_switches
from ae_core.classroom.training_queue import (
    claim_next,
    fail_lost_jobs,
    finish,
    report_progress,
    request_stop,
    submit,
)
from ae_core.classroom.wait_estimate import Pace, estimated_wait, fit_pace
from ae_core.config import ConfigError


@pytest.fixture
def class_of_three(database):
    set_switches(database, max_jobs_per_student=10)
    return database, [create_student(database) for _ in range(3)]


def test_a_submitted_job_holds_every_setting_and_waits_its_turn(class_of_three):
    database, (minji, jisoo, _) = class_of_three
    first = submit(database, minji.id, "first", {"epochs": 3, "arch": "conv"}, now=100.0)
    second = submit(database, jisoo.id, "second", {}, now=101.0)
    assert first.settings == {**config.defaults(), "epochs": 3, "arch": "conv"}
    assert (first.state, first.position, first.epochs, first.epoch, first.owner_id) == ("queued", 1, 3, 0, minji.id)
    assert (second.position, second.created_at, second.updated_at) == (2, 101.0, 101.0)
    assert get_job(database, second.id) == second
    assert owner_of_model(database, "second") == jisoo.id


@pytest.mark.parametrize(("name", "settings", "problems"), [
    ("ok-name", {"epochs": 0}, [("epochs", "range")]),
    ("ok-name", {"arch": "lstm", "train_fraction": 0.0}, [("arch", "choice"), ("train_fraction", "range")]),
    ("../escape", {}, [("name", "invalid")]),
    ("", {"epochs": 1.5}, [("name", "invalid"), ("epochs", "whole_number")]),
])
def test_a_bad_request_gets_its_problems_and_queues_nothing(class_of_three, name, settings, problems):
    database, (minji, *_) = class_of_three
    with pytest.raises(ConfigError) as refused:
        submit(database, minji.id, name, settings)
    assert [(problem.field, problem.code) for problem in refused.value.problems] == problems
    assert class_queue(database) == []
    assert owner_of_model(database, name) is None


def test_a_name_in_use_by_another_job_is_taken(class_of_three):
    database, (minji, jisoo, _) = class_of_three
    submit(database, minji.id, "shared-name", {})
    with pytest.raises(ConfigError) as refused:
        submit(database, jisoo.id, "shared-name", {})
    assert refused.value.problems[0].code == "taken"
    assert [job.owner_id for job in class_queue(database)] == [minji.id]


def test_a_student_has_one_training_at_a_time_by_default(database):
    student = create_student(database)
    first = submit(database, student.id, "one", {})
    with pytest.raises(ClassroomError) as refused:
        submit(database, student.id, "two", {})
    assert (refused.value.code, refused.value.values) == ("job_limit", {"limit": 1})
    submit(database, None, "teacher-one", {})  # the teacher has no quota
    submit(database, None, "teacher-two", {})
    claim_next(database, "worker")
    finish(database, first.id, "worker", "done", end_code="finished", model_saved=True)
    assert submit(database, student.id, "two", {}).state == "queued"


def test_the_teachers_maximum_of_epochs_holds_for_students_only(database):
    student = create_student(database)
    set_switches(database, max_epochs=5)
    with pytest.raises(ClassroomError) as refused:
        submit(database, student.id, "long", {"epochs": 6})
    assert (refused.value.code, refused.value.values) == ("epochs_over_limit", {"limit": 5, "value": 6})
    assert submit(database, student.id, "just-right", {"epochs": 5}).epochs == 5
    assert submit(database, None, "teacher-long", {"epochs": 50}).epochs == 50


def test_a_paused_class_queues_no_students_training_and_starts_only_the_teachers(class_of_three):
    database, (minji, jisoo, _) = class_of_three
    waiting = submit(database, minji.id, "waiting", {})
    set_switches(database, training_paused=True)
    with pytest.raises(ClassroomError) as refused:
        submit(database, jisoo.id, "during-pause", {})
    assert refused.value.code == "training_paused"
    demo = submit(database, None, "demo", {})
    assert claim_next(database, "worker").id == demo.id
    assert claim_next(database, "worker") is None  # Minji's waits for the pause to end
    set_switches(database, training_paused=False)
    assert claim_next(database, "worker").id == waiting.id


def test_jobs_are_claimed_first_come_first_served_and_report_their_progress(class_of_three):
    database, students = class_of_three
    jobs = [submit(database, student.id, f"job-{index}", {"epochs": 2}, now=100.0 + index)
            for index, student in enumerate(students)]
    claimed = claim_next(database, "host-a:1", now=200.0)
    assert (claimed.id, claimed.state, claimed.worker, claimed.started_at, claimed.position) == (
        jobs[0].id, "running", "host-a:1", 200.0, None)
    assert [job.position for job in class_queue(database)] == [None, 1, 2]
    assert report_progress(database, claimed.id, "host-a:1", epoch=1, batch=900, batches=1875, batch_loss=0.02, now=201.0)
    assert report_progress(database, claimed.id, "host-a:1", epoch=2, batch=10, batches=1875, losses=[0.018],
                           val_losses=[0.015], now=210.0)
    assert report_progress(database, claimed.id, "host-a:1", now=215.0)  # a heartbeat: nothing else changes
    job = get_job(database, claimed.id)
    assert (job.epoch, job.batch, job.batches, job.batch_loss, job.losses, job.val_losses, job.updated_at) == (
        2, 10, 1875, 0.02, (0.018,), (0.015,), 215.0)
    assert job.fraction == pytest.approx((1 + 10 / 1875) / 2)
    # Another worker's report about it changes nothing and tells it to stop.
    assert not report_progress(database, claimed.id, "host-b:2", epoch=9)
    assert get_job(database, claimed.id).epoch == 2
    assert finish(database, claimed.id, "host-b:2", "done", end_code="finished") is None


def test_a_training_that_diverged_reports_and_ends_with_its_nan_losses_as_none(class_of_three):
    database, (minji, *_) = class_of_three
    job = submit(database, minji.id, "diverged", {})
    claim_next(database, "worker")
    nan, inf = float("nan"), float("inf")
    assert report_progress(database, job.id, "worker", epoch=2, batch_loss=nan, losses=[0.5, inf], val_losses=[nan])
    reported = get_job(database, job.id)
    assert (reported.batch_loss, reported.losses, reported.val_losses) == (None, (0.5, None), (None,))
    ended = finish(database, job.id, "worker", "done", end_code="finished", result={"val_mse": nan, "epochs": [1, inf]},
                   model_saved=True)
    assert ended.result == {"val_mse": None, "epochs": [1, None]}


def test_stop_ends_a_queued_job_now_and_tells_a_running_ones_worker(class_of_three):
    database, (minji, jisoo, other) = class_of_three
    running = submit(database, minji.id, "running", {})
    queued = submit(database, jisoo.id, "queued", {})
    behind = submit(database, other.id, "behind", {})
    claim_next(database, "worker")
    stopped = request_stop(database, queued.id, now=300.0)
    assert (stopped.state, stopped.end_code, stopped.finished_at) == ("stopped", "cancelled", 300.0)
    assert owner_of_model(database, "queued") is None  # its name is free again
    assert get_job(database, behind.id).position == 1
    assert request_stop(database, running.id).stop_requested
    assert not report_progress(database, running.id, "worker", epoch=1)  # the worker learns of Stop, wherever pressed
    ended = finish(database, running.id, "worker", "stopped", end_code="stopped", end_values={"saved": True},
                   result={"epochs_completed": 1, "saved": True}, model_saved=True, now=400.0)
    assert (ended.state, ended.end_values, ended.result["epochs_completed"], ended.finished_at) == (
        "stopped", {"saved": True}, 1, 400.0)
    assert owner_of_model(database, "running") == minji.id  # what it learnt was saved: still hers
    assert request_stop(database, running.id).state == "stopped"  # a finished job stays as it ended
    assert request_stop(database, "nope") is None


def test_a_failed_job_gives_its_name_back(class_of_three):
    database, (minji, *_) = class_of_three
    job = submit(database, minji.id, "unlucky", {})
    claim_next(database, "worker")
    failed = finish(database, job.id, "worker", "failed", end_code="out_of_memory")
    assert (failed.state, failed.end_code) == ("failed", "out_of_memory")
    assert owner_of_model(database, "unlucky") is None
    assert submit(database, minji.id, "unlucky", {}).state == "queued"
    with pytest.raises(ValueError, match="finishes as one of"):
        finish(database, job.id, "worker", "running", end_code="x")


def test_a_job_whose_worker_fell_silent_fails_as_lost(class_of_three):
    database, (minji, jisoo, _) = class_of_three
    silent = submit(database, minji.id, "silent", {})
    alive = submit(database, jisoo.id, "alive", {})
    claim_next(database, "dead-worker", now=1000.0)
    claim_next(database, "live-worker", now=1000.0)
    report_progress(database, alive.id, "live-worker", epoch=1, now=1100.0)
    assert fail_lost_jobs(database, silent_for=120, now=1150.0) == [silent.id]
    lost = get_job(database, silent.id)
    assert (lost.state, lost.end_code, owner_of_model(database, "silent")) == ("failed", "worker_lost", None)
    assert not report_progress(database, silent.id, "dead-worker", epoch=2)  # it wakes up: told to stop
    assert get_job(database, alive.id).state == "running"


def test_the_class_queue_and_a_students_jobs(class_of_three):
    database, (minji, jisoo, _) = class_of_three
    done = submit(database, minji.id, "done", {})
    claim_next(database, "worker")
    finish(database, done.id, "worker", "done", end_code="finished", model_saved=True)
    later = submit(database, minji.id, "later", {})
    hers = submit(database, jisoo.id, "hers", {})
    claim_next(database, "worker")
    teachers = submit(database, None, "demo", {})
    assert [job.id for job in class_queue(database)] == [later.id, hers.id, teachers.id]
    assert [job.id for job in jobs_of(database, minji.id)] == [later.id, done.id]
    assert [job.id for job in jobs_of(database, minji.id, limit=1)] == [later.id]
    assert [job.id for job in jobs_of(database, None)] == [teachers.id]
    assert get_job(database, "../etc") is None


def test_a_job_of_no_student_is_refused(database):
    with pytest.raises(ClassroomError) as refused:
        submit(database, "A" * 22, "orphan", {})
    assert refused.value.code == "unknown_student"
    with pytest.raises(ValueError, match="No such training settings"):
        submit(database, None, "typo", {"epoch": 3})


def _finished(database, owner, name, settings, *, started, seconds):
    job = submit(database, owner, name, settings, now=started)
    claim_next(database, "worker", now=started)
    finish(database, job.id, "worker", "done", end_code="finished", model_saved=True, now=started + seconds)


def test_the_wait_follows_the_recent_pace_of_the_queue(class_of_three):
    database, (minji, jisoo, other) = class_of_three
    early = submit(database, minji.id, "early", {})
    assert estimated_wait(database, early.id) is None  # nothing has finished yet to learn the pace from
    request_stop(database, early.id)
    # Trainings of 10 s of start-up plus 2 s an epoch: 2 epochs took 14 s, 5 took 20 s, 10 took 30 s.
    for index, epochs in enumerate((2, 5, 10)):
        _finished(database, None, f"past-{index}", {"epochs": epochs}, started=1000.0 + 100 * index, seconds=10 + 2 * epochs)
    running = submit(database, minji.id, "running", {"epochs": 10}, now=2000.0)
    claim_next(database, "worker", now=2000.0)
    ahead = submit(database, jisoo.id, "ahead", {"epochs": 5, "train_fraction": 0.5}, now=2001.0)
    mine = submit(database, other.id, "mine", {"epochs": 2}, now=2002.0)
    # At 2010: the running job has 30 - 10 = 20 s left, then the one ahead takes 10 + 2 * 2.5 = 15 s.
    assert estimated_wait(database, mine.id, now=2010.0) == pytest.approx(35.0)
    assert estimated_wait(database, ahead.id, now=2010.0) == pytest.approx(20.0)
    assert estimated_wait(database, running.id, now=2010.0) is None  # not waiting
    assert estimated_wait(database, mine.id, now=2100.0) == pytest.approx(15.0)  # overdue: the next one is not


def test_two_workers_take_the_queue_two_at_a_time(class_of_three):
    database, students = class_of_three
    for index in range(3):
        _finished(database, None, f"past-{index}", {"epochs": 10}, started=1000.0 + 100 * index, seconds=20.0)
    for index in range(2):
        submit(database, None, f"running-{index}", {"epochs": 10}, now=2000.0)
        claim_next(database, f"worker-{index}", now=2000.0)
    queued = [submit(database, student.id, f"queued-{index}", {"epochs": 10}, now=2001.0)
              for index, student in enumerate(students)]
    # Both workers free at 20 s; the first two queued run 20-40 s, the third starts at 40 s.
    assert [estimated_wait(database, job.id, now=2000.0) for job in queued] == pytest.approx([20.0, 20.0, 40.0])


def test_the_pace_by_architecture_once_it_has_its_own_samples(class_of_three):
    database, (minji, *_) = class_of_three
    for index in range(3):
        _finished(database, None, f"dense-{index}", {"epochs": 10}, started=1000.0 + index, seconds=20.0)
        _finished(database, None, f"conv-{index}", {"arch": "conv", "epochs": 10}, started=2000.0 + index, seconds=100.0)
    first = submit(database, None, "conv-next", {"arch": "conv", "epochs": 10}, now=3000.0)
    mine = submit(database, minji.id, "mine", {}, now=3001.0)
    assert estimated_wait(database, mine.id, now=3000.0) == pytest.approx(100.0)
    assert estimated_wait(database, first.id, now=3000.0) == 0.0


def test_fitting_the_pace():
    assert fit_pace([]) is None
    assert fit_pace([(2, 14.0), (5, 20.0), (10, 30.0)]) == Pace(pytest.approx(10.0), pytest.approx(2.0))
    assert fit_pace([(10, 30.0), (10, 32.0)]) == Pace(0.0, pytest.approx(3.1))  # one size: its mean, per unit
    assert fit_pace([(1, 40.0), (10, 20.0)]) == Pace(pytest.approx(30.0), 0.0)  # longer was quicker: noise
    assert fit_pace([(1, 1.0), (10, 30.0)]) == Pace(0.0, pytest.approx(31 / 11))  # a negative start-up: through 0
