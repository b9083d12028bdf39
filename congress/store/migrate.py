"""Bringing a database to the current schema with Alembic; no alembic.ini, the revisions ship in the package."""
from __future__ import annotations

from sqlalchemy import inspect, text


def _config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "congress.store:migrations")
    config.attributes["connection"] = connection
    return config


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config(None)).get_current_head()


def upgrade(engine) -> tuple[str | None, str]:
    """Runs every revision the database lacks, in one transaction; returns (before, after)."""
    from alembic import command

    with engine.begin() as connection:
        before = current_revision(connection)
        config = _config(connection)
        if before is None and inspect(connection).has_table("organisation"):
            # made before migrations existed: its tables are the baseline's
            command.stamp(config, "0001")
        command.upgrade(config, "head")
        after = current_revision(connection)
    return before, after


def current_revision(connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
