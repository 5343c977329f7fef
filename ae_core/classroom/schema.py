"""The class database's tables as the newest migration leaves them, for the queries of this package; and its ids.

A migration never imports this file: each one in ae_core/classroom/migrations/versions/ keeps the shape of its own
time, and a test compares what the migrations make with what is declared here, on SQLite and on PostgreSQL.

Times are seconds since the epoch (time.time()) as floats, the same on both backends and in the store's own files
(ae_core/store/folders.py); the app processes of a class read one clock per machine, so several machines keep theirs
in sync (NTP), as presence's expiry compares them.

Usage: `select(StudentRow).where(StudentRow.id == student_id)`; `new_id()`; `is_id(text)`
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): 128 random bits
NAME_LENGTH = 64  # a model's name (ae_core/store/names.py)
# Constraint names that both backends share, so that a later migration can name a constraint to drop or change.
NAMING = {"ix": "ix_%(table_name)s_%(column_0_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s", "pk": "pk_%(table_name)s"}


def new_id() -> str:
    """An id nobody can guess (a student's goes into a signed cookie; a job's into the address bar)."""
    return secrets.token_urlsafe(16)


def is_id(text) -> bool:
    """Whether `text` has the shape of an id: what a query is given from outside is checked before it is looked up."""
    return isinstance(text, str) and ID_PATTERN.fullmatch(text) is not None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class StudentRow(Base):
    """A student: an id, the number of their given name ("Student 12", which the page words), a nickname if chosen."""

    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("number"), Index("ix_students_nickname_key", "nickname_key", unique=True))
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    nickname: Mapped[str | None] = mapped_column(String(64))
    # The nickname as compared for uniqueness (ae_core/classroom/students.py, nickname_key); revision 2.
    nickname_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)


class PresenceRow(Base):
    """One browser session (a tab) of a student or of the teacher, in whichever app process serves it."""

    __tablename__ = "presence"
    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    student_id: Mapped[str | None] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # "student" or "teacher"
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    page: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[float] = mapped_column(Float)
    last_seen: Mapped[float] = mapped_column(Float, index=True)


class ModelRow(Base):
    """A trained model's name, its owner (None: the teacher's) and the teacher's choices about it. Shipped models have
    a row only when the teacher hid or shared one."""

    __tablename__ = "models"
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), primary_key=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("students.id", ondelete="SET NULL"), index=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(Float)


class JobRow(Base):
    """A training in the class-wide queue: who asked, what (the settings), where it stands, and how it ended."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_seq", "state", "seq"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # first come, first served
    id: Mapped[str] = mapped_column(String(32), unique=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("students.id", ondelete="SET NULL"), index=True)
    model_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    settings: Mapped[dict] = mapped_column(JSON)  # every training setting by name (ae_core/config.py)
    state: Mapped[str] = mapped_column(String(16))  # queued, running, done, failed, stopped
    epochs: Mapped[int] = mapped_column(Integer)  # planned
    epoch: Mapped[int] = mapped_column(Integer, default=0)  # in progress (or the last one finished), from 1
    batch: Mapped[int] = mapped_column(Integer, default=0)  # batches done in that epoch
    batches: Mapped[int] = mapped_column(Integer, default=0)  # batches in an epoch; 0 until the first report
    batch_loss: Mapped[float | None] = mapped_column(Float)  # the running mean of the epoch in progress
    losses: Mapped[list] = mapped_column(JSON)  # one per finished epoch
    val_losses: Mapped[list] = mapped_column(JSON)
    stop_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    worker: Mapped[str | None] = mapped_column(String(255))  # who claimed it: host:pid
    created_at: Mapped[float] = mapped_column(Float)
    started_at: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)  # the last change: a running job's worker reports at least this often
    finished_at: Mapped[float | None] = mapped_column(Float)
    end_code: Mapped[str | None] = mapped_column(String(32))  # ae_core/training/job_status.py, EndReason
    end_values: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    result: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # the CLI's summary: val_mse, saved, ...


class SettingRow(Base):
    """One of the teacher's switches (ae_core/classroom/switches.py), by name, as JSON."""

    __tablename__ = "class_settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
