"""Nicknames unique within the class: a key for each (its NFKC case-folded form, so that "Minji", "MINJI" and the
full-width "Ｍｉｎｊｉ" are one nickname) with a unique index; the first schema let two students share a nickname.

What the class had is kept: each student's key is computed from their nickname here; where two already shared one, the
first (by number) gets the key and the others keep their nickname without one, until the teacher renames them.

Revision 0002, after 0001. Migrations never import the app's tables nor its functions (the key is computed here as
ae_core/classroom/students.py computes it at this revision): each keeps the shape of its own time.
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _nickname_key(nickname: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", nickname).casefold().split())


def upgrade() -> None:
    op.add_column("students", sa.Column("nickname_key", sa.Text(), nullable=True))
    students = sa.table("students", sa.column("id", sa.String), sa.column("number", sa.Integer),
                        sa.column("nickname", sa.String), sa.column("nickname_key", sa.Text))
    connection = op.get_bind()
    taken = set()
    rows = connection.execute(sa.select(students.c.id, students.c.nickname).where(students.c.nickname.is_not(None))
                              .order_by(students.c.number)).all()
    for student_id, nickname in rows:
        key = _nickname_key(nickname)
        if key and key not in taken:
            taken.add(key)
            connection.execute(students.update().where(students.c.id == student_id).values(nickname_key=key))
    op.create_index("ix_students_nickname_key", "students", ["nickname_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_students_nickname_key", table_name="students")
    # In place (SQLite 3.35 and later drop a column so): a batch operation would copy the table and drop the old one,
    # and that drop would delete every student's presence and un-own every model through their foreign keys.
    op.drop_column("students", "nickname_key")
