"""The class database shared by several processes at once, on SQLite (one file, WAL) and PostgreSQL: workers claim
each job exactly once, students created at the same moment get distinct numbers and one nickname one owner, a
student's two tabs cannot get past the quota together, and app processes starting together migrate once.

Each process is a real one (tests/class_processes.py); they start their loops at one moment.
"""

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from class_databases import url_of

from ae_core.classroom import ClassroomError, migrate, open_database, queued_jobs, students, training_queue
from ae_core.classroom.schema import is_id
from ae_core.config import ConfigError

PROJECT = Path(__file__).resolve().parent.parent
HELPER = Path(__file__).resolve().parent / "class_processes.py"
TIMEOUT = 120


def run_together(url: str, mode: str, *argument_lists: list[str]) -> list[dict]:
    """One process per argument list, started together about 3 s from now (time to import); what each printed."""
    start_at = time.time() + 3.0
    processes = [subprocess.Popen([sys.executable, str(HELPER), mode, url, str(start_at), *arguments], cwd=PROJECT,
                                  env={"PYTHONPATH": str(PROJECT), "PATH": ""}, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for arguments in argument_lists]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_workers_in_three_processes_claim_each_job_exactly_once(database):
    jobs = [training_queue.submit(database, None, f"job-{index}", {"epochs": 1}) for index in range(60)]
    results = run_together(url_of(database), "claim", ["worker-a"], ["worker-b"], ["worker-c"])
    claimed = [job_id for result in results for job_id in result["claimed"]]
    assert Counter(claimed).most_common(1)[0][1] == 1, "a job was claimed twice"
    assert sorted(claimed) == sorted(job.id for job in jobs)
    assert all(result["claimed"] for result in results), [len(result["claimed"]) for result in results]
    for worker, result in zip(("worker-a", "worker-b", "worker-c"), results, strict=True):
        for job_id in result["claimed"]:
            job = queued_jobs.get_job(database, job_id)
            assert (job.state, job.worker) == ("done", worker)
    # First come, first served: each worker took its jobs in the queue's order.
    order = {job.id: index for index, job in enumerate(jobs)}
    assert all([order[job_id] for job_id in result["claimed"]] == sorted(order[job_id] for job_id in result["claimed"])
               for result in results)


def test_students_created_in_two_processes_at_once_get_distinct_numbers_and_one_gets_the_nickname(database):
    results = run_together(url_of(database), "students", ["30", "Racer"], ["30", "Racer"])
    made = [student for result in results for student in result["students"]]
    assert len({student_id for student_id, _ in made}) == 60
    raced = [result["raced"] for result in results]
    assert raced.count("nickname_taken") == 1 and sum(is_id(outcome) for outcome in raced) == 1, raced
    everyone = students.list_students(database)
    assert [student.number for student in everyone] == list(range(1, 62))
    assert [student.nickname for student in everyone if student.nickname] == ["Racer"]


def test_a_students_two_tabs_submitting_at_once_get_one_training_past_the_quota(database):
    student = students.create_student(database)
    results = run_together(url_of(database), "submit", [student.id, "5"], [student.id, "5"])
    outcomes = Counter(outcome for result in results for outcome in result["outcomes"])
    assert outcomes == {"queued": 1, "job_limit": 9}
    assert len(queued_jobs.class_queue(database)) == 1


def test_app_processes_starting_together_migrate_an_empty_database_once(empty_database_url):
    results = run_together(empty_database_url, "open", [], [], [])
    assert [result["revision"] for result in results] == [migrate.head()] * 3
    database = open_database(empty_database_url)
    try:
        assert students.create_student(database).number == 1
    finally:
        database.close()


def race_two_submits(url: str, submits: list[tuple[str | None, str]]) -> list[str]:
    """Two submits (owner, name) held together at their INSERT into jobs by a lock on that table, then let go: the
    race made certain, on PostgreSQL. What each got: the job's state or the refusal's code."""
    database = open_database(url)
    outcomes = []

    def submit(owner_id: str | None, name: str) -> None:
        try:
            outcomes.append(training_queue.submit(database, owner_id, name, {}).state)
        except ClassroomError as error:
            outcomes.append(error.code)
        except ConfigError as error:
            outcomes.extend(problem.code for problem in error.problems)

    try:
        with psycopg.connect(url) as blocker, psycopg.connect(url, autocommit=True) as watcher:
            blocker.execute("LOCK TABLE jobs IN SHARE MODE")
            threads = [threading.Thread(target=submit, args=arguments) for arguments in submits]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 60
            # Both submits wait, one way or the other (the watcher's own transactions see a new snapshot each time).
            while watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone()[0] < 2:
                assert time.monotonic() < deadline, "the two submits never both waited"
                time.sleep(0.02)
            blocker.rollback()
        for thread in threads:
            thread.join(timeout=60)
        return sorted(outcomes)
    finally:
        database.close()


@pytest.mark.postgres
def test_on_postgres_a_students_second_submit_waits_for_the_first_and_then_counts_it(postgres_class_database):
    # Both have counted the student's jobs before either inserts: without the lock on the student's row each would
    # have counted none, and both would be queued.
    with open_database(postgres_class_database) as database:
        student = students.create_student(database)
    assert race_two_submits(postgres_class_database, [(student.id, "first"), (student.id, "second")]) == [
        "job_limit", "queued"]


@pytest.mark.postgres
def test_on_postgres_two_submits_of_one_name_at_once_queue_one_and_refuse_the_other(postgres_class_database):
    # The second waits on the first's uncommitted row of the name, then meets it: "taken", not a database error.
    assert race_two_submits(postgres_class_database, [(None, "same-name"), (None, "same-name")]) == ["queued", "taken"]
