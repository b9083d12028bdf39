"""Runs migrations on the connection congress.store.migrate hands over (no alembic.ini)."""
from alembic import context
from sqlmodel import SQLModel

from congress.store import schema  # noqa: F401  (registers the tables for autogenerate)

connection = context.config.attributes["connection"]
# batch mode lets ALTER TABLE work on SQLite as on PostgreSQL
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
