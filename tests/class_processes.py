"""Other app processes and workers for the class-database tests (tests/test_class_concurrency.py, test_class_database.py):
each opens the database at a URL, waits for a common start time so that they all begin together, does one thing many
times and prints what it got as one line of JSON.

Usage: `python tests/class_processes.py MODE URL START_AT [ARGUMENTS...]`; modes: claim, students, submit, open, moved
"""

import json
import os
import sys
import time

from ae_core.classroom import ClassroomError, open_database, ownership, presence, queued_jobs, students, training_queue


def claim(database, worker: str) -> dict:
    """Claim, work 20 ms, finish, until the queue is empty."""
    claimed = []
    while (job := training_queue.claim_next(database, worker)) is not None:
        claimed.append(job.id)
        time.sleep(0.02)
        assert training_queue.report_progress(database, job.id, worker, epoch=1, batch=1, batches=1)
        assert training_queue.finish(database, job.id, worker, "done", end_code="finished", model_saved=True)
    return {"claimed": claimed}


def create_students(database, count: str, nickname: str) -> dict:
    try:
        raced = students.create_student(database, nickname).id
    except ClassroomError as error:
        raced = error.code
    made = [students.create_student(database) for _ in range(int(count))]
    return {"raced": raced, "students": [[student.id, student.number] for student in made]}


def submit(database, student_id: str, count: str) -> dict:
    outcomes = []
    for index in range(int(count)):
        try:
            training_queue.submit(database, student_id, f"p{os.getpid()}-{index}", {"epochs": 1})
            outcomes.append("queued")
        except ClassroomError as error:
            outcomes.append(error.code)
    return {"outcomes": outcomes}


def moved(database, student_id: str, job_id: str, other_id: str, model_name: str) -> dict:
    """A student's tab reconnected to this process: who they are, what they may do, and a heartbeat from here."""
    student = students.find_student(database, student_id)
    presence.heartbeat(database, "moved-tab", role="student", student_id=student_id, page="models")
    access = ownership.model_access(database, student_id)
    return {"nickname": student.nickname, "number": student.number,
            "may_stop_own": ownership.may_stop_job(database, student_id, job_id),
            "may_stop_as_other": ownership.may_stop_job(database, other_id, job_id),
            "sees_own": access.may_see(model_name, shipped=False),
            "other_sees": ownership.model_access(database, other_id).may_see(model_name, shipped=False),
            "job_state": queued_jobs.get_job(database, job_id).state, "pid": os.getpid()}


MODES = {"claim": claim, "students": create_students, "submit": submit, "moved": moved}


def main(mode: str, url: str, start_at: str, *arguments: str) -> None:
    if mode == "open":  # the migration itself is what races
        time.sleep(max(0.0, float(start_at) - time.time()))
        from ae_core.classroom import migrate

        print(json.dumps({"revision": migrate.revision_of(open_database(url))}))
        return
    database = open_database(url)
    time.sleep(max(0.0, float(start_at) - time.time()))
    print(json.dumps(MODES[mode](database, *arguments)))


if __name__ == "__main__":
    main(*sys.argv[1:])
