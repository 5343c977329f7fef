"""The teacher's switches and the class's quotas: training paused, a maximum of epochs for students' trainings, how
many trainings a student may have queued or running at once (one by default), and a class preset: setting values
(ae_core/config.py's names, e.g. epochs and train_fraction) that the training form starts from.

Each switch is a row of its own (name, JSON value): a switch added later needs no migration, and a missing row is its
default. The training queue applies them (ae_core/classroom/training_queue.py): a paused class queues no student's
training and starts none (the teacher's still run), a student's training over the maximum or past the quota is
refused with its code. A switch set to a value out of its range is refused and changes nothing.

Usage: `switches = read_switches(database)`; `set_switches(database, training_paused=True, max_epochs=5)`;
`set_switches(database, preset={"epochs": 3, "train_fraction": 0.25})`
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sqlalchemy import select

from ae_core import config
from ae_core.classroom.database import Database, upsert
from ae_core.classroom.errors import ClassroomError
from ae_core.classroom.schema import SettingRow

EPOCHS_BOUNDS = config.BY_NAME["epochs"].bounds  # a maximum is a number of epochs the form itself allows
JOBS_PER_STUDENT_BOUNDS = (1, 10)


@dataclass(frozen=True)
class Switches:
    training_paused: bool = False
    max_epochs: int | None = None  # None: only the form's own limit (ae_core/config.py)
    max_jobs_per_student: int = 1  # queued or running at once: one student cannot fill the class's queue
    preset: dict = field(default_factory=dict)  # setting name -> value; the form's defaults for this class


SWITCH_NAMES = tuple(item.name for item in dataclasses.fields(Switches))


def read_switches(database: Database) -> Switches:
    with database.read() as session:
        return _from_rows(session)


def set_switches(database: Database, **changes) -> Switches:
    """Set the switches named (the others keep their values); all of them, or none when one is refused."""
    unknown = set(changes) - set(SWITCH_NAMES)
    if unknown:
        raise ValueError(f"No such switches: {sorted(unknown)}; the switches are {SWITCH_NAMES}.")
    checked = {name: _CHECKS[name](value) for name, value in changes.items()}
    with database.write() as session:
        for name, value in checked.items():
            session.execute(upsert(database, SettingRow, {"name": name, "value": value}, key=("name",), update=("value",)))
        return _from_rows(session)


def read_switches_in(session) -> Switches:
    """The switches as the caller's transaction sees them (the training queue decides on them in its own)."""
    return _from_rows(session)


def _from_rows(session) -> Switches:
    stored = {row.name: row.value for row in session.scalars(select(SettingRow).where(SettingRow.name.in_(SWITCH_NAMES)))}
    return Switches(**{name: (dict(value) if name == "preset" else value) for name, value in stored.items()})


def _paused(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"training_paused is True or False, got {value!r}.")
    return value


def _max_epochs(value) -> int | None:
    low, high = EPOCHS_BOUNDS
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
        raise ClassroomError("max_epochs_range", low=low, high=high, value=value)
    return value


def _jobs_per_student(value) -> int:
    low, high = JOBS_PER_STUDENT_BOUNDS
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ClassroomError("job_limit_range", low=low, high=high, value=value)
    return value


def _preset(value) -> dict:
    """Setting values, each checked as the form checks it (a bad one raises ConfigError with its Problems)."""
    if not isinstance(value, dict):
        raise ValueError(f"preset is a dict of setting values, got {value!r}.")
    for name in value:
        if name not in config.BY_NAME:
            raise ClassroomError("preset_unknown_setting", name=str(name))
    problems = [problem for problem in config.setting_problems({**config.defaults(), **value}) if problem.field in value]
    if problems:
        raise config.ConfigError(problems)
    return dict(value)


_CHECKS = {"training_paused": _paused, "max_epochs": _max_epochs, "max_jobs_per_student": _jobs_per_student,
           "preset": _preset}
