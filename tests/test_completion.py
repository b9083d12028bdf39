"""Tab completion through Click's own completion entry point, as bash, zsh and fish call it."""
import pytest
from click.testing import CliRunner

from congress.cli import main


def complete(*words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer after `congress WORDS…` (the last word being typed)."""
    line = " ".join(("congress", *words))
    env = {"_CONGRESS_COMPLETE": f"{shell}_complete", "COMP_WORDS": line, "COMP_CWORD": str(len(words))}
    result = CliRunner().invoke(main, [], env=env, prog_name="congress")
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line]


def values(lines: list[str]) -> list[str]:
    return [line.split(",", 1)[1] for line in lines]


CASES = [
    # (words typed, what must be offered, what must not)
    (("log", "hai"), "P.HAIAN", "X.GIALOC"),
    (("log", "P.HAIAN.0"), "P.HAIAN.01", "P.HAIAN"),
    (("org", "show", "gia loc"), "X.GIALOC", "P.HAIAN"),
    (("schedule", "kinh"), "P.KINHMON", "P.HAIAN"),
    (("status", "--committee", "vinh"), "X.VINHBAO", "X.NINHGIANG"),
    (("status", "--group", "1"), "17", "2"),
    (("log", "X.VINHBAO.08", "--group", "1"), "11", "3"),
    (("group", "assign", "3", "ninh"), "X.NINHGIANG", "X.VINHBAO"),
]


@pytest.mark.parametrize("words, offered, not_offered", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_completes_codes_names_and_groups(sample_db, words, offered, not_offered):
    found = values(complete(*words))
    assert offered in found and not_offered not in found


def test_fixed_choices_complete_too(sample_db):
    assert values(complete("status", "--level", "g")) == ["grassroots"]
    assert {"orgs", "overdue"} <= set(values(complete("export", "o")))


def test_zsh_gets_the_name_beside_the_code(sample_db):
    lines = complete("log", "hai", shell="zsh")
    assert "P.HAIAN" in lines and "Đảng bộ phường Hải An" in lines


def test_without_a_database_it_offers_nothing_and_prints_no_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("CONGRESS_DB", str(tmp_path / "none.db"))
    assert complete("log", "hai") == []


READS = [
    ("status",), ("status", "--overdue"), ("status", "--late", "--as-of", "21/8/2025"), ("status", "--at-risk"),
    ("status", "--upcoming", "7", "--as-of", "20/7/2025"), ("status", "--format", "json", "--group", "11"),
    ("org", "list", "--search", "hai an"), ("org", "show", "hai", "an"), ("org", "show", "hai an", "--format", "json"),
    ("pilots",), ("history", "--limit", "20"), ("round", "show"), ("group", "list"), ("group", "show", "3"),
    ("settings", "list"), ("brief", "--format", "txt", "--as-of", "9/7/2025"),
]
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "alembic", "openpyxl", "weasyprint")


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_read_commands_import_no_orm(sample_db, args):
    """The light read path: the backend's own driver, none of SQLAlchemy, SQLModel or pydantic."""
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import json, sys\n"
        "from congress.cli import main\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='congress')\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "sys.stdout = sys.__stdout__\n"
        f"print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})]))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**os.environ, "CONGRESS_DB": str(sample_db)})
    code, heavy = json.loads(result.stdout.strip().splitlines()[-1])
    assert code in (0, None), result.stderr
    assert heavy == []
