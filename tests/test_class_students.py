"""Students in the class database, on SQLite and PostgreSQL: given names stored as a number, nicknames checked as
text shown everywhere, unguessable ids, renames by the teacher, nicknames unique by their key."""

import pytest

from ae_core.classroom import ClassroomError
from ae_core.classroom.schema import is_id
from ae_core.classroom.students import (
    NICKNAME_MAX,
    check_nickname,
    create_student,
    find_student,
    list_students,
    nickname_key,
    rename_student,
)


def test_a_student_without_a_nickname_gets_the_next_number_and_an_unguessable_id(database):
    first, second, third = (create_student(database, now=100.0 + index) for index in range(3))
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert first.nickname is None  # the page words the given name: only its number is stored
    assert first.created_at == 100.0
    assert len({first.id, second.id, third.id}) == 3
    assert all(is_id(student.id) for student in (first, second, third))
    assert find_student(database, second.id) == second


def test_a_nickname_is_stored_trimmed_and_normalised(database):
    student = create_student(database, "  Min   ji \n")
    assert student.nickname == "Min ji"
    decomposed = "\u1100\u1161\u11a8"  # 각 as three jamo: NFC composes them into one syllable
    assert create_student(database, decomposed).nickname == "각"
    assert find_student(database, student.id).nickname == "Min ji"


@pytest.mark.parametrize("student_id", [None, "", "x", 12, "a" * 22 + "'", "../../etc/passwd", "A" * 22, "A" * 200])
def test_looking_up_anything_that_is_no_student_finds_none(database, student_id):
    create_student(database)
    assert find_student(database, student_id) is None


REFUSED = [
    ("", "nickname_empty"),
    ("   ", "nickname_empty"),
    ("...", "nickname_empty"),
    (None, None),  # None is the given name: not refused (see below)
    ("a" * (NICKNAME_MAX + 1), "nickname_too_long"),
    ("Min\nji", "nickname_characters"),
    ("Min\tji", "nickname_characters"),
    ("evil\u202egnp.exe", "nickname_characters"),  # right-to-left override: shows as "evilexe.png"
    ("zero\u200bwidth", "nickname_characters"),
    ("joined\u200dtext", "nickname_characters"),
    ("line\u2028break", "nickname_characters"),
    ("private\ue000", "nickname_characters"),
    ("unassigned\u0378", "nickname_characters"),
    ("nul\x00", "nickname_characters"),
    ("Z\u0301\u0302\u0303\u0304\u0305\u0306algo", "nickname_characters"),
    ("Student 3", "nickname_reserved"),
    ("student3", "nickname_reserved"),
    ("학생 12", "nickname_reserved"),
    ("Ｓｔｕｄｅｎｔ １", "nickname_reserved"),  # full width: NFKC makes it "Student 1"
]


@pytest.mark.parametrize(("nickname", "code"), [case for case in REFUSED if case[0] is not None],
                         ids=[repr(case[0])[:24] for case in REFUSED if case[0] is not None])
def test_a_refused_nickname_says_why_and_creates_no_one(database, nickname, code):
    create_student(database, "Kept")
    with pytest.raises(ClassroomError) as refused:
        create_student(database, nickname)
    assert refused.value.code == code
    assert [student.nickname for student in list_students(database)] == ["Kept"]


def test_the_refusal_names_the_character_and_the_limit():
    with pytest.raises(ClassroomError) as refused:
        check_nickname("evil\u202egnp")
    assert refused.value.values == {"character": "U+202E"}
    with pytest.raises(ClassroomError) as refused:
        check_nickname("x" * 21)
    assert refused.value.values == {"limit": NICKNAME_MAX}


@pytest.mark.parametrize("nickname", ["민지", "김" * NICKNAME_MAX, "Student Council", "학생회", "🐱 cat", "Nguyễn Thị",
                                      "José", "O'Brien", "3", "R2-D2"])
def test_ordinary_nicknames_pass(nickname):
    assert check_nickname(nickname) == nickname


def test_nicknames_are_unique_by_their_key_and_a_taken_one_changes_nothing(database):
    create_student(database, "Minji")
    for same in ("minji", "MINJI", "Ｍｉｎｊｉ", " Minji "):
        with pytest.raises(ClassroomError) as refused:
            create_student(database, same)
        assert refused.value.code == "nickname_taken"
    assert len(list_students(database)) == 1
    assert nickname_key("Ｍｉｎ  ｊｉ") == nickname_key("min ji") == "min ji"


def test_the_teacher_renames_a_student_and_can_give_the_given_name_back(database):
    student = create_student(database, "Minji")
    other = create_student(database)
    renamed = rename_student(database, other.id, "Jisoo")
    assert (renamed.id, renamed.number, renamed.nickname) == (other.id, other.number, "Jisoo")
    assert find_student(database, other.id).nickname == "Jisoo"
    assert rename_student(database, student.id, "MINJI").nickname == "MINJI"  # its own nickname, written otherwise
    with pytest.raises(ClassroomError) as refused:
        rename_student(database, other.id, "minji")
    assert refused.value.code == "nickname_taken"
    assert find_student(database, other.id).nickname == "Jisoo"
    assert rename_student(database, student.id, None).nickname is None
    assert rename_student(database, other.id, "Minji").nickname == "Minji"  # freed by the rename


def test_renaming_no_student_or_to_a_bad_nickname_is_refused(database):
    student = create_student(database, "Minji")
    with pytest.raises(ClassroomError) as refused:
        rename_student(database, "A" * 22, "Jisoo")
    assert refused.value.code == "unknown_student"
    with pytest.raises(ClassroomError) as refused:
        rename_student(database, student.id, "bad\u202e")
    assert refused.value.code == "nickname_characters"
    assert find_student(database, student.id).nickname == "Minji"


def test_the_students_are_listed_by_number(database):
    made = [create_student(database, nickname) for nickname in ("C", None, "A")]
    assert list_students(database) == made
