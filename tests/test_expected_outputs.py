"""What the read commands that matter print, kept as readable text in tests/expected/ and compared
exactly, so that a change shows as a diff: `status` (the summary), the four lists and `org show`, on
the sample at three days of the round (before the target, between target and deadline, after it).
tests/golden/read-outputs.json keeps its byte-for-byte guarantee for every other read output.

A change meant to alter what one of these prints records again (and its commit says why):

    python tests/test_expected_outputs.py
"""
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from congress.cli import main

EXPECTED = Path(__file__).parent / "expected"
DAYS = ("2025-08-03", "2025-08-25", "2026-11-21")
# (file name's stem, arguments)
COMMANDS = [
    ("status", ["status"]),
    ("overdue", ["status", "--overdue"]),
    ("late", ["status", "--late"]),
    ("at-risk", ["status", "--at-risk"]),
    ("upcoming-7", ["status", "--upcoming", "7"]),
    ("org-show-hai-an", ["org", "show", "hai", "an"]),
]
CASES = [(stem, args, day) for day in DAYS for stem, args in COMMANDS]


def _file(stem: str, day: str) -> Path:
    return EXPECTED / f"{stem}@{day}.txt"


def printed(db: str, args: list[str], day: str) -> str:
    """What the command prints on a day, as a clerk sees it in a terminal 100 columns wide."""
    result = CliRunner().invoke(main, ["--db", db, *args], env={"CONGRESS_TODAY": day, "COLUMNS": "100"},
                                catch_exceptions=False)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    return result.stdout


@pytest.mark.parametrize("stem, args, day", CASES, ids=[f"{stem}@{day}" for stem, _, day in CASES])
def test_it_prints_the_expected_text(sample_db, stem, args, day):
    assert printed(str(sample_db), args, day) == _file(stem, day).read_text(encoding="utf-8")


def test_every_expected_file_is_compared():
    """A file left behind by a command taken out of the list would otherwise hold nothing."""
    assert sorted(EXPECTED.glob("*.txt")) == sorted(_file(stem, day) for stem, _, day in CASES)


if __name__ == "__main__":
    from congress.writes.new_database import initialise

    with tempfile.TemporaryDirectory() as folder:
        sample = os.path.join(folder, "sample.db")
        initialise(sample, sample=True, force=False)
        EXPECTED.mkdir(exist_ok=True)
        for old in EXPECTED.glob("*.txt"):
            old.unlink()
        for stem, args, day in CASES:
            _file(stem, day).write_text(printed(sample, args, day), encoding="utf-8")
