"""The committed sample database is exactly what `congress init --sample` builds, and tells the reported story."""
import json
import sqlite3
from pathlib import Path

from conftest import run

COMMITTED = Path(__file__).resolve().parent.parent / "data" / "congress.db"


def dump(path: Path) -> dict:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}


def test_committed_database_is_what_the_command_builds(built_sample):
    assert COMMITTED.exists(), "data/congress.db is missing: run `congress init --sample --force`"
    committed, rebuilt = dump(COMMITTED), dump(built_sample)
    assert committed.keys() == rebuilt.keys()
    for table in rebuilt:
        assert committed[table] == rebuilt[table], f"table {table} differs: rebuild with `congress init --sample --force`"


def test_the_tree(sample_db):
    levels = {r["level"]: r["total"] for r in json.loads(run("status", "--format", "json").stdout)["levels"]}
    assert levels == {"city": 1, "committee": 118, "grassroots": 1845}
    for code, count in {"TP.QUANSU": 11, "TP.COQUANDANG": 12, "TP.UBND": 53, "TP.CONGAN": 33}.items():
        rows = json.loads(run("org", "list", "--committee", code, "--level", "grassroots", "--format", "json").stdout)
        assert len(rows) == count
    groups = json.loads(run("group", "list", "--format", "json").stdout)
    assert len(groups) == 20 and all(5 <= g["committees"] <= 7 for g in groups)


def test_reported_congress_dates(sample_db):
    committees = {r["code"]: r for r in json.loads(run("org", "list", "--level", "committee", "--format", "json").stdout)}
    assert committees["P.HAIAN"]["held_on"] == "2025-07-23"
    assert committees["X.GIALOC"]["held_on"] < "2025-08-03"
    assert committees["P.KINHMON"]["held_on"] == "2025-08-15"
    assert committees["X.ANLAO"]["held_on"] == "2025-08-09"
    assert committees["X.ANKHANH"]["held_on"] == "2025-08-19"
    held = [r["held_on"] for r in committees.values() if r["held_on"]]
    late = [d for d in held if "2025-08-20" < d <= "2025-08-31"]
    assert len([d for d in held if d <= "2025-08-20"]) > 100 and 1 <= len(late) <= 8
    assert 1 <= 118 - len(held) <= 3


def test_the_footer_marks_sample_data(sample_db):
    assert "DỮ LIỆU MẪU" in run("status").stdout
