"""What every read command prints, on the sample and on the national bench database, at several days
of the round: the outputs that tests/test_read_outputs.py holds equal, byte for byte, to those
recorded in tests/golden/read-outputs.json.

The record was made by the read path as it stood before the start-up work of issue 11 (commit
0bee6df), so the test proves that the light path prints exactly what it printed. A change that is
meant to alter what a command prints records again, and its commit says why:

    python tests/read_outputs.py > tests/golden/read-outputs.json
"""
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

TODAY = "2026-11-21"
DAYS = ("9/7/2025", "3/8/2025", "21/8/2025", "21/11/2026")

# (name, arguments); "{day}" is the as-of day
SAMPLE = [
    ("status", ["status", "--as-of", "{day}"]),
    ("status json", ["status", "--as-of", "{day}", "--format", "json"]),
    ("status csv", ["status", "--as-of", "{day}", "--format", "csv"]),
    ("status group 3", ["status", "--as-of", "{day}", "--group", "3"]),
    ("status committee", ["status", "--as-of", "{day}", "--committee", "hai an"]),
    ("overdue", ["status", "--overdue", "--as-of", "{day}"]),
    ("overdue csv", ["status", "--overdue", "--as-of", "{day}", "--format", "csv"]),
    ("overdue json", ["status", "--overdue", "--as-of", "{day}", "--format", "json"]),
    ("overdue grassroots group 5", ["status", "--overdue", "--as-of", "{day}", "--level", "grassroots",
                                    "--group", "5"]),
    ("late", ["status", "--late", "--as-of", "{day}"]),
    ("at risk", ["status", "--at-risk", "--as-of", "{day}", "--format", "json"]),
    ("upcoming 7", ["status", "--upcoming", "7", "--as-of", "{day}"]),
    ("preparation", ["status", "--preparation", "--as-of", "{day}"]),
    ("preparation json", ["status", "--preparation", "--as-of", "{day}", "--format", "json"]),
    ("results", ["status", "--results", "--as-of", "{day}"]),
    ("results csv", ["status", "--results", "--as-of", "{day}", "--format", "csv"]),
    ("results json group 3", ["status", "--results", "--as-of", "{day}", "--group", "3", "--format", "json"]),
    ("as recorded", ["status", "--as-of", "{day}", "--as-recorded", "--format", "json"]),
    ("org show", ["org", "show", "hai", "an", "--as-of", "{day}"]),
    ("org show json", ["org", "show", "P.HAIAN", "--as-of", "{day}", "--format", "json"]),
    ("pilots", ["pilots", "--as-of", "{day}"]),
    ("pilots json", ["pilots", "--as-of", "{day}", "--format", "json"]),
    ("history", ["history", "--limit", "20"]),
    ("history since", ["history", "--since", "{day}", "--limit", "50", "--format", "csv"]),
    ("round show", ["round", "show", "--as-of", "{day}"]),
    ("group list", ["group", "list", "--as-of", "{day}"]),
    ("group show", ["group", "show", "3", "--as-of", "{day}"]),
    ("org list", ["org", "list", "--level", "committee", "--format", "csv"]),
]
NATIONAL = [
    ("status", ["status", "--as-of", "{day}"]),
    ("status json", ["status", "--as-of", "{day}", "--format", "json"]),
    ("overdue", ["status", "--overdue", "--as-of", "{day}"]),
    ("overdue json", ["status", "--overdue", "--as-of", "{day}", "--format", "json"]),
    ("late", ["status", "--late", "--as-of", "{day}", "--format", "csv"]),
    ("at risk", ["status", "--at-risk", "--as-of", "{day}", "--format", "csv"]),
    ("upcoming 7", ["status", "--upcoming", "7", "--as-of", "{day}"]),
    ("status group 21", ["status", "--as-of", "{day}", "--group", "21"]),
    ("preparation", ["status", "--preparation", "--as-of", "{day}", "--format", "csv"]),
    ("results", ["status", "--results", "--as-of", "{day}", "--format", "json"]),
    ("org show", ["org", "show", "T01.X001", "--as-of", "{day}"]),
    ("pilots", ["pilots", "--as-of", "{day}"]),
    ("group show", ["group", "show", "21", "--as-of", "{day}"]),
]


def outputs(db: str, commands) -> dict[str, str]:
    """Each command at each day → the sha256 of its exit code, stdout and stderr, as CliRunner gets them."""
    from click.testing import CliRunner

    from congress.cli import main

    found = {}
    for day in DAYS:
        for name, args in commands:
            argv = ["--db", db, *(a.replace("{day}", day) for a in args)]
            result = CliRunner().invoke(main, argv, env={"CONGRESS_TODAY": TODAY, "COLUMNS": "100"},
                                        catch_exceptions=False)
            body = f"{result.exit_code}\n{result.stdout}\n--stderr--\n{result.stderr}"
            found[f"{name} @ {day}"] = hashlib.sha256(body.encode()).hexdigest()
    return found


def national(folder: str) -> str:
    """The bench's national database (bench/build_national.py, seeded): 63.434 organisations."""
    import subprocess

    path = os.path.join(folder, "national.db")
    script = Path(__file__).resolve().parent.parent / "bench" / "build_national.py"
    subprocess.run([sys.executable, str(script), path], check=True, stdout=subprocess.DEVNULL)
    return path


if __name__ == "__main__":
    from congress.writes.new_database import initialise

    with tempfile.TemporaryDirectory() as folder:
        sample = os.path.join(folder, "sample.db")
        initialise(sample, sample=True, force=False)
        record = {"sample": outputs(sample, SAMPLE), "national": outputs(national(folder), NATIONAL)}
    json.dump(record, sys.stdout, indent=1, sort_keys=True)
    print()
