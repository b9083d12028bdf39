"""Writes as light as reads: `log`, `schedule` and `unlog` go through the DB-API store
(congress.store.sql), so a fresh process that ran one holds no SQLAlchemy ORM, SQLModel or Pydantic."""
import pytest

from conftest import sql
from test_cli import imported_after

ORM = ("sqlalchemy", "sqlmodel", "pydantic")


@pytest.mark.parametrize("args, field, written", [
    (("log", "X.VINHBAO", "--held", "1/11/2026", "--force"), "held_on", "2026-11-01"),
    (("schedule", "X.NINHGIANG.03", "20/12/2026", "--force"), "planned_on", "2026-12-20"),
    (("unlog", "P.THUYNGUYEN.01", "--reason", "ghi nhầm"), "held_on", None),
])
def test_a_write_imports_no_orm(sample_db, args, field, written):
    modules = imported_after("--db", str(sample_db), *args)
    assert sorted(m for m in modules if m.split(".")[0] in ORM) == []
    [(stored,)] = sql(sample_db, f"SELECT c.{field} FROM congress c JOIN organisation o ON o.id = c.organisation_id"
                                 " WHERE o.code = :code", code=args[1])
    assert (None if stored is None else str(stored)) == written  # the command did write
