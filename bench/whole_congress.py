"""The whole congress's reads against their floors: whole processes, medians, as ratios measured in one run.

    python bench/whole_congress.py [--runs 9]

The floor of `status --preparation` and of `status --results` is `python3` running, through sqlite3 on the
same file, every statement the command's read job runs (recorded from the read model itself, with its
parameters). The brief's html is compared with the brief as it was before its two new sections (the
commit BEFORE, checked out into a temporary worktree and installed in a virtual environment of its own).
Targets (issue 18): both lists ≤ 4× their floor on the sample and ≤ 2× at national scale (63.434
organisations); the brief's html ≤ 1,2× the brief before.
"""
import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import BENCH, load_average, median_seconds, national_db

ROOT = BENCH.parent
SAMPLE = ROOT / "data" / "congress.db"
TODAY = "2026-11-21"
BEFORE = "c8147f2"  # the reads of issue 18 landed, the brief not yet given its two sections
FLOOR = """
import json, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
for sql, params in json.load(open(sys.argv[2])):
    connection.execute(sql, params).fetchall()
"""


def statements(db: Path, job) -> list[tuple[str, dict]]:
    """Every statement `job(store)` runs, with its parameters as sqlite3 binds them."""
    from congress.store.sql import Store, _bound

    seen = []

    class Recording(Store):
        def _execute(self, sql, params):
            seen.append((sql, {k: _bound(v) for k, v in params.items()}))
            return super()._execute(sql, params)

    store = Store.open(str(db))
    recording = Recording(store.connection, store.dialect, owned=True)
    job(recording)
    recording.close()
    return seen


def floor_args(db: Path, job, folder: Path, name: str) -> list[str]:
    recorded = folder / f"{name}.json"
    recorded.write_text(json.dumps(statements(db, job)))
    return [sys.executable, "-c", FLOOR, str(db), str(recorded)]


def main() -> None:
    from congress.application import reads
    from congress.presentation.listings import PREPARATION

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    congress = shutil.which("congress") or sys.exit("congress is not installed in this environment")
    national = national_db()
    today = dt.date.fromisoformat(TODAY)
    env = {"CONGRESS_TODAY": TODAY}
    preparation = lambda store: reads.listing(store, PREPARATION, today=today)  # noqa: E731
    results = lambda store: reads.results(store, today=today)  # noqa: E731
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        before = folder / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), BEFORE], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # installed, as the current one is (an installation maps templates/ to congress.templates)
            subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
            subprocess.run([str(folder / "venv" / "bin" / "pip"), "install", "-q", str(before)], check=True,
                           stdout=subprocess.DEVNULL)

            def brief(script: str) -> list[str]:
                return [script, "--db", str(SAMPLE), "brief", "--format", "html"]

            commands = {
                "floor preparation, sample": floor_args(SAMPLE, preparation, folder, "ps"),
                "floor preparation, national": floor_args(national, preparation, folder, "pn"),
                "floor results, sample": floor_args(SAMPLE, results, folder, "rs"),
                "floor results, national": floor_args(national, results, folder, "rn"),
                "status --preparation, sample": [congress, "--db", str(SAMPLE), "status", "--preparation"],
                "status --preparation, national": [congress, "--db", str(national), "status", "--preparation"],
                "status --results, sample": [congress, "--db", str(SAMPLE), "status", "--results"],
                "status --results, national": [congress, "--db", str(national), "status", "--results"],
                "brief html": brief(congress),
                "brief html, before": brief(str(folder / "venv" / "bin" / "congress")),
            }
            # Round after round, each command once, in a seeded order that changes: a busy moment of the
            # shared machine slows a command and its floor alike.
            times = {name: [] for name in commands}
            order = random.Random(18)
            for _ in range(runs):
                names = list(commands)
                order.shuffle(names)
                for name in names:
                    times[name].append(median_seconds(commands[name], runs=1, env=env))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=True)
    t = {name: statistics.median(found) for name, found in times.items()}
    print(load_average())
    for name, base, target in [
        ("status --preparation, sample", "floor preparation, sample", 4),
        ("status --preparation, national", "floor preparation, national", 2),
        ("status --results, sample", "floor results, sample", 4),
        ("status --results, national", "floor results, national", 2),
        ("brief html", "brief html, before", 1.2),
    ]:
        ratio = t[name] / t[base]
        verdict = "đạt" if ratio <= target else "KHÔNG ĐẠT"
        print(f"{name:32s} {t[name] * 1000:6.0f} ms  {base:28s} {t[base] * 1000:6.0f} ms"
              f"  {ratio:4.2f}×  (mục tiêu ≤ {str(target).replace('.', ',')}×: {verdict})")


if __name__ == "__main__":
    main()
