"""What the class database refuses, as a code the page translates and the values its message shows.

Codes: unknown_student; nickname_empty, nickname_too_long (`limit`), nickname_characters (`character`, as U+XXXX),
nickname_reserved, nickname_taken; training_paused, epochs_over_limit (`limit`, `value`), job_limit (`limit`);
max_epochs_range and job_limit_range (`low`, `high`, `value`); preset_unknown_setting (`name`); database_newer
(`revision`: the database was migrated by a newer version of the app); unsupported_database (`scheme`). A training
request's own problems (a setting out of range, a name that is invalid or taken) are ae_core/config.py's Problems,
raised as its ConfigError, as the training form already shows them.

Usage: `except ClassroomError as error: show(t(f"class.error.{error.code}", **error.values))`
"""

from __future__ import annotations

_MESSAGES = {  # in English, for logs and the command line; the page has its own
    "unknown_student": "No such student.",
    "nickname_empty": "A nickname needs at least one letter, digit or symbol.",
    "nickname_too_long": "A nickname has at most {limit} characters.",
    "nickname_characters": "A nickname cannot hold the character {character}.",
    "nickname_reserved": "A nickname cannot look like a given name (a word for 'student' and a number).",
    "nickname_taken": "Another student has this nickname.",
    "training_paused": "The teacher has paused training.",
    "epochs_over_limit": "The teacher allows at most {limit} epochs, got {value}.",
    "job_limit": "At most {limit} training(s) of a student may be queued or running at once.",
    "max_epochs_range": "The maximum of epochs must be between {low} and {high}, got {value}.",
    "job_limit_range": "The trainings a student may queue must be between {low} and {high}, got {value}.",
    "preset_unknown_setting": "The class preset names no training setting {name!r}.",
    "database_newer": "The class database was upgraded by a newer version of the app (revision {revision!r}).",
    "unsupported_database": "AE_LAB_DATABASE_URL must name a PostgreSQL or SQLite database, got {scheme!r}.",
}


class ClassroomError(ValueError):
    """A refusal of the class database: `code` (one of the codes above) and `values` for its message."""

    def __init__(self, code: str, **values):
        super().__init__(_MESSAGES[code].format(**values))
        self.code = code
        self.values = values
