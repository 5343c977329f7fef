"""The class database: students, who is connected, whose work is whose, the teacher's switches and quotas, and the
class-wide training queue. SQLite in the trained folder by default, PostgreSQL where $AE_LAB_DATABASE_URL names one;
SQLAlchemy underneath, migrated with Alembic when opened. No streamlit here; model files stay in the store.

One module per concept, each with its Usage line: database (engine, sessions, where the database is), migrate and
migrations/ (the schema's revisions), schema (the tables and ids), errors (the refusals' codes), students, presence,
ownership, switches, training_queue (submitting, claiming, progress, stopping), queued_jobs (what the pages read of
the queue), wait_estimate. docs/classroom.md says how it is used and why it is built so.

Usage: `from ae_core.classroom import open_database, students, training_queue`; `database = open_database()` (once
per process); `student = students.create_student(database)`
"""

from ae_core.classroom.database import Database, open_database
from ae_core.classroom.errors import ClassroomError

__all__ = ["ClassroomError", "Database", "open_database"]
