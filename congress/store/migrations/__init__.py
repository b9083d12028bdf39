"""Alembic migrations. Revisions are ordered files in versions/; the database records which ran."""
