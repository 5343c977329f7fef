"""Whose work is whose: a training job and the model it makes belong to the student who asked (job id → owner, model
name → owner; None is the teacher's), the teacher's shares (a model every student may see) and hiding (a model no
student sees but its owner), and the questions the pages ask: which models may this student see, may this student
stop this job or delete this model. Model files stay in the store; this is what the store does not know.

Which models a student sees: their own (hidden or not); else none that is hidden; else the shared ones and the shipped
ones. A trained model of another student or of the teacher stays unseen until the teacher shares it, and so does one
the database has no row for (trained before the class database, or on the command line): nothing a student does
reaches another student. The store lists the shipped models (they are no rows here); the caller passes its listing.
The teacher sees everything and may do anything: the caller knows who is the teacher and does not ask.

Usage: `access = model_access(database, student.id)`; `[m.name for m in listing.models if access.may_see(m.name,
shipped=m.shipped)]`; `may_stop_job(database, student.id, job_id)`; `set_shared(database, "conv-16", True)`
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import delete, select

from ae_core.classroom.database import Database, upsert
from ae_core.classroom.schema import JobRow, ModelRow, is_id


@dataclass(frozen=True)
class ModelAccess:
    """What one student may see, from the database's rows (see the module's rules)."""

    student_id: str | None
    owned: frozenset[str]  # the student's own models, hidden ones too
    shared: frozenset[str]  # shared by the teacher and not hidden
    hidden: frozenset[str]  # hidden by the teacher (shipped ones too)

    def may_see(self, name: str, *, shipped: bool) -> bool:
        if name in self.owned:
            return True
        if name in self.hidden:
            return False
        return name in self.shared or shipped


def model_access(database: Database, student_id: str | None) -> ModelAccess:
    """What `student_id` may see (None: someone who is no student of this class: the shared and shipped models)."""
    with database.read() as session:
        rows = session.execute(select(ModelRow.name, ModelRow.owner_id, ModelRow.shared, ModelRow.hidden)).all()
    student_id = student_id if is_id(student_id) else None
    return ModelAccess(
        student_id,
        owned=frozenset(name for name, owner, _, _ in rows if student_id is not None and owner == student_id),
        shared=frozenset(name for name, _, shared, hidden in rows if shared and not hidden),
        hidden=frozenset(name for name, _, _, hidden in rows if hidden))


def record_model(session, name: str, owner_id: str | None, *, now: float | None = None) -> bool:
    """In the caller's write transaction: `name` is made for `owner_id`. False when the name has a row already (the
    caller refuses the name); the row of a shipped model the teacher hid or shared is no model of anyone's to take."""
    if session.get(ModelRow, name) is not None:
        return False
    session.add(ModelRow(name=name, owner_id=owner_id, shared=False, hidden=False,
                         created_at=time.time() if now is None else now))
    session.flush()
    return True


def owner_of_model(database: Database, name: str) -> str | None:
    with database.read() as session:
        return session.scalar(select(ModelRow.owner_id).where(ModelRow.name == name))


def owner_of_job(database: Database, job_id: str) -> str | None:
    if not is_id(job_id):
        return None
    with database.read() as session:
        return session.scalar(select(JobRow.owner_id).where(JobRow.id == job_id))


def may_delete_model(database: Database, student_id: str, name: str) -> bool:
    """Only its owner deletes a model (and the teacher, who does not ask)."""
    return is_id(student_id) and owner_of_model(database, name) == student_id


def may_stop_job(database: Database, student_id: str, job_id: str) -> bool:
    """Only its owner stops a job (and the teacher, who does not ask): a job's id in another browser's address bar is
    not enough (docs/classroom.md)."""
    return is_id(student_id) and owner_of_job(database, job_id) == student_id


def set_shared(database: Database, name: str, shared: bool, *, now: float | None = None) -> None:
    """The teacher shares `name` with the class, or stops sharing it."""
    _set_flag(database, name, now, shared=shared)


def set_hidden(database: Database, name: str, hidden: bool, *, now: float | None = None) -> None:
    """The teacher hides `name` from the class (its owner still sees it), or shows it again."""
    _set_flag(database, name, now, hidden=hidden)


def forget_model(database: Database, name: str) -> None:
    """The model was deleted from the store: its name is free again, and so are the teacher's choices about it."""
    with database.write() as session:
        session.execute(delete(ModelRow).where(ModelRow.name == name))


def _set_flag(database: Database, name: str, now: float | None, **flag: bool) -> None:
    # A name without a row (a shipped model, or one from before the class database) gets one as the teacher's.
    values = {"name": name, "owner_id": None, "shared": False, "hidden": False,
              "created_at": time.time() if now is None else now} | {key: bool(value) for key, value in flag.items()}
    with database.write() as session:
        session.execute(upsert(database, ModelRow, values, key=("name",), update=tuple(flag)))
