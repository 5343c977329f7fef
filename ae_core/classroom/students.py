"""Students: an unguessable id (the identity cookie holds it, signed), a number for the given name the page words
("학생 12" / "Student 12": only the number is stored), and a nickname if the student chose one or the teacher gave one.

A nickname is shown as plain text everywhere. It is trimmed, its runs of spaces are one space, and it is refused
(ClassroomError, with a code the page translates) when it is empty, longer than NICKNAME_MAX characters, holds a
character that is not shown as itself (control and format characters such as a right-to-left override or a
zero-width joiner, line separators, unassigned or private code points, or a pile of combining marks), looks like a
given name ("Student 3", which would pass for another student), or is another student's (compared by its key: NFKC
and case-folded, so "Minji", "MINJI" and "Ｍｉｎｊｉ" are one nickname).

Usage: `student = create_student(database)` or `create_student(database, "민지")`; `find_student(database, cookie_id)`;
`rename_student(database, student.id, "Minji")` (the teacher); `list_students(database)`
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ae_core.classroom.database import Database
from ae_core.classroom.errors import ClassroomError
from ae_core.classroom.schema import StudentRow, is_id, new_id

NICKNAME_MAX = 20  # characters (code points after NFC): a name in a list, on a leaderboard, on a projector
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_MAX_COMBINING_RUN = 3  # Vietnamese stacks two marks on a letter; more is text drawn over its neighbours
# The words of a given name in ui/strings ("학생 12", "Student 12"): a nickname like one would pass for that student.
GIVEN_NAME_WORDS = ("student", "학생")
_GIVEN_NAME = re.compile(rf"(?:{'|'.join(GIVEN_NAME_WORDS)})\s*\d+", re.IGNORECASE)
# Creating a student can meet another process taking the same number at the same moment (PostgreSQL reads the highest
# number without a lock): the loser takes the next one.
_NUMBER_ATTEMPTS = 20


@dataclass(frozen=True)
class Student:
    id: str
    number: int  # of the given name, from 1 in the order students arrived
    nickname: str | None  # None: the given name
    created_at: float


def _student(row: StudentRow) -> Student:
    return Student(row.id, row.number, row.nickname, row.created_at)


def check_nickname(text: str) -> str:
    """The nickname as it will be stored (trimmed, NFC, single spaces), or ClassroomError saying why not."""
    if not isinstance(text, str):
        raise ClassroomError("nickname_empty")
    nickname = unicodedata.normalize("NFC", text).strip()  # a line break typed or pasted at the end goes too
    combining_run = 0
    for character in nickname:
        category = unicodedata.category(character)
        combining_run = combining_run + 1 if category in ("Mn", "Me") else 0
        if category in _REFUSED_CATEGORIES or combining_run > _MAX_COMBINING_RUN:
            raise ClassroomError("nickname_characters", character=f"U+{ord(character):04X}")
    nickname = " ".join(nickname.split())  # only spaces are left to split on: each run becomes one space
    if not any(unicodedata.category(character)[0] in "LNS" for character in nickname):
        raise ClassroomError("nickname_empty")
    if len(nickname) > NICKNAME_MAX:
        raise ClassroomError("nickname_too_long", limit=NICKNAME_MAX)
    if _GIVEN_NAME.fullmatch(unicodedata.normalize("NFKC", nickname)):
        raise ClassroomError("nickname_reserved")
    return nickname


def nickname_key(nickname: str) -> str:
    """What two nicknames are compared by: NFKC, case-folded, single spaces (migration 0002 computes the same)."""
    return " ".join(unicodedata.normalize("NFKC", nickname).casefold().split())


def create_student(database: Database, nickname: str | None = None, *, now: float | None = None) -> Student:
    """A new student with the next number and `nickname` (checked; None: the given name)."""
    nickname = None if nickname is None else check_nickname(nickname)
    key = None if nickname is None else nickname_key(nickname)
    for _ in range(_NUMBER_ATTEMPTS):
        try:
            with database.write() as session:
                if key is not None and _key_taken(session, key):
                    raise ClassroomError("nickname_taken")
                number = (session.scalar(select(func.max(StudentRow.number))) or 0) + 1
                row = StudentRow(id=new_id(), number=number, nickname=nickname, nickname_key=key,
                                 created_at=time.time() if now is None else now)
                session.add(row)
            return _student(row)
        except IntegrityError:
            if key is not None and _nickname_is_taken(database, key):
                raise ClassroomError("nickname_taken") from None
    raise RuntimeError(f"No free student number after {_NUMBER_ATTEMPTS} attempts.")


def find_student(database: Database, student_id) -> Student | None:
    """The student of `student_id` (as a cookie gave it: anything), or None."""
    if not is_id(student_id):
        return None
    with database.read() as session:
        row = session.get(StudentRow, student_id)
        return _student(row) if row else None


def list_students(database: Database) -> list[Student]:
    """Every student, by number."""
    with database.read() as session:
        return [_student(row) for row in session.scalars(select(StudentRow).order_by(StudentRow.number))]


def rename_student(database: Database, student_id: str, nickname: str | None) -> Student:
    """Give the student `nickname` (checked; None: back to the given name)."""
    nickname = None if nickname is None else check_nickname(nickname)
    key = None if nickname is None else nickname_key(nickname)
    try:
        with database.write() as session:
            row = session.get(StudentRow, student_id) if is_id(student_id) else None
            if row is None:
                raise ClassroomError("unknown_student")
            if key is not None and row.nickname_key != key and _key_taken(session, key):
                raise ClassroomError("nickname_taken")
            row.nickname, row.nickname_key = nickname, key
        return _student(row)
    except IntegrityError:  # another process gave the nickname to someone else in between
        raise ClassroomError("nickname_taken") from None


def _key_taken(session, key: str) -> bool:
    return session.scalar(select(StudentRow.id).where(StudentRow.nickname_key == key)) is not None


def _nickname_is_taken(database: Database, key: str) -> bool:
    with database.read() as session:
        return _key_taken(session, key)
