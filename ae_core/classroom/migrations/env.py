"""Alembic's entry for the class database: runs the migrations on the connection ae_core/classroom/migrate.py hands it,
inside that connection's transaction (all of an upgrade commits, or none of it).

Usage: not run by hand; `ae_core.classroom.migrate.upgrade(database)` (the app does it when it opens the database).
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
