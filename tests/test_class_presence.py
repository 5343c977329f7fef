"""Presence in the class database, on SQLite and PostgreSQL: a heartbeat per browser session with its process and
page, who is connected within the window, expiry, and the throttle that keeps slider moves from writing."""

import pytest

from ae_core.classroom import ClassroomError
from ae_core.classroom.presence import (
    CONNECTED_SECONDS,
    HeartbeatThrottle,
    connected,
    expire,
    heartbeat,
    leave,
)
from ae_core.classroom.students import create_student


def test_a_heartbeat_records_the_session_and_a_later_one_updates_it(database):
    student = create_student(database, "Minji")
    heartbeat(database, "tab-1", role="student", student_id=student.id, page="explorer", host="app-a", pid=11, now=1000.0)
    heartbeat(database, "tab-1", role="student", student_id=student.id, page="latent_map", host="app-b", pid=22,
              now=1010.0)
    [seen] = connected(database, now=1020.0)
    assert (seen.session_id, seen.role, seen.student_id, seen.number, seen.nickname) == (
        "tab-1", "student", student.id, 1, "Minji")
    # The tab moved to another process (its old one died, the proxy sent it on): the latest process and page count.
    assert (seen.host, seen.pid, seen.page, seen.first_seen, seen.last_seen) == ("app-b", 22, "latent_map", 1000.0, 1010.0)


def test_connected_lists_the_sessions_seen_within_the_window_newest_first(database):
    first, second = create_student(database), create_student(database, "Jisoo")
    heartbeat(database, "old", role="student", student_id=first.id, page="home", now=1000.0)
    heartbeat(database, "tab-a", role="student", student_id=first.id, page="home", now=1100.0)
    heartbeat(database, "tab-b", role="student", student_id=second.id, page="explorer", now=1130.0)
    heartbeat(database, "teacher", role="teacher", page="class", now=1120.0)
    now = 1100.0 + CONNECTED_SECONDS - 1
    listed = connected(database, now=now)
    assert [seen.session_id for seen in listed] == ["tab-b", "teacher", "tab-a"]
    teacher = listed[1]
    assert (teacher.role, teacher.student_id, teacher.number, teacher.nickname) == ("teacher", None, None, None)
    assert [seen.session_id for seen in connected(database, now=now + 2)] == ["tab-b", "teacher"]
    assert [seen.session_id for seen in connected(database, within=1000, now=now)] == ["tab-b", "teacher", "tab-a", "old"]


def test_a_heartbeat_takes_this_process_by_default(database):
    import os
    import socket

    heartbeat(database, "tab", role="teacher", page="class")
    [seen] = connected(database)
    assert (seen.host, seen.pid) == (socket.gethostname(), os.getpid())


def test_leave_and_expire_remove_sessions(database):
    student = create_student(database)
    for index, seen_at in enumerate((1000.0, 2000.0, 5000.0)):
        heartbeat(database, f"tab-{index}", role="student", student_id=student.id, page="home", now=seen_at)
    assert expire(database, older_than=3600, now=5000.0 + 1) == 1  # tab-0, seen 4001 s ago
    leave(database, "tab-2")
    assert [seen.session_id for seen in connected(database, within=10_000, now=5001.0)] == ["tab-1"]


def test_a_heartbeat_of_no_student_is_refused_and_writes_nothing(database):
    with pytest.raises(ClassroomError) as refused:
        heartbeat(database, "tab", role="student", student_id="A" * 22, page="home")
    assert refused.value.code == "unknown_student"
    assert connected(database) == []


@pytest.mark.parametrize("bad", [{"role": "admin"}, {"role": "student"}, {"session_id": ""}, {"session_id": "x" * 65},
                                 {"page": "p" * 65}])
def test_a_heartbeat_the_code_got_wrong_raises(database, bad):
    values = {"session_id": "tab", "role": "teacher", "page": "home", **bad}
    with pytest.raises(ValueError, match=r"role|session_id|page|student"):
        heartbeat(database, values.pop("session_id"), **values)
    assert connected(database) == []


def test_the_throttle_writes_a_first_beat_a_new_page_and_one_beat_per_interval():
    throttle = HeartbeatThrottle(every=20)
    assert throttle.due("tab", "explorer", now=0.0)
    assert not throttle.due("tab", "explorer", now=5.0)  # slider moves on the same page
    assert throttle.due("other", "explorer", now=5.0)
    assert throttle.due("tab", "latent_map", now=6.0)  # a new page is news for the teacher
    assert not throttle.due("tab", "latent_map", now=25.9)
    assert throttle.due("tab", "latent_map", now=26.0)
    throttle.forget("tab")
    assert throttle.due("tab", "latent_map", now=27.0)


def test_the_throttle_forgets_sessions_long_gone():
    throttle = HeartbeatThrottle(every=20)
    for index in range(300):
        throttle.due(f"tab-{index}", "home", now=float(index))
    assert len(throttle._written) < 300  # the ones not seen for an interval went when it passed 256
    assert not throttle.due("tab-299", "home", now=300.0)  # a recent one is remembered
