"""The morning commands against their floor: whole processes, medians, as ratios measured in one run.

    python bench/read.py [--runs 7]

The floor is `python3` running the very SQL that `status --overdue` runs, through sqlite3, on the same
file; the peer is Taskwarrior's `task overdue` on 1.845 tasks, 72% completed, due within ±40 days
(Debian's `taskwarrior`, installed here if missing). Targets (issue 11): status --overdue ≤ 4× the
floor on the sample and ≤ 1,5× at national scale (issue 17 restates it as ≤ 2×, what this prints),
≤ 3× `task overdue`; status, org show, pilots and history --limit 20 ≤ 4× the floor; a completion
request ≤ 100 ms; --help ≤ 60 ms.
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

from common import BENCH, median_seconds, national_db

ROOT = BENCH.parent
SAMPLE = ROOT / "data" / "congress.db"
TODAY = "2026-11-21"
FLOOR = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute(sys.argv[2], {k: v for k, v in (p.split("=", 1) for p in sys.argv[3:])}).fetchall()
"""


def overdue_sql(db: Path) -> tuple[str, dict]:
    """The SQL `status --overdue` runs, as the read model writes it, with its parameters."""
    from congress.read.progress import Progress
    from congress.store.sql import Store, _bound

    seen = []

    class Recording(Store):
        def rows(self, sql, **params):
            seen.append((sql, params))
            return super().rows(sql, **params)

    store = Store.open(str(db))
    recording = Recording(store.connection, store.dialect, owned=True)
    day = dt.date.fromisoformat(TODAY)
    Progress(recording, day, today=day).listing("overdue")
    recording.close()
    sql, params = max(seen, key=lambda s: len(s[0]))  # the listing's own query, the longest
    return sql, {k: _bound(v) for k, v in params.items() if v is not None and f":{k}" in sql}


def floor_args(db: Path) -> list[str]:
    sql, params = overdue_sql(db)
    return [sys.executable, "-c", FLOOR, str(db), sql, *(f"{k}={v}" for k, v in params.items())]


def taskwarrior(folder: Path) -> list[str] | None:
    """`task overdue` on 1.845 tasks like the register's congresses; None if it cannot be installed."""
    if shutil.which("task") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "taskwarrior"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    if shutil.which("task") is None:
        return None
    rng = random.Random(1845)
    today = dt.date.today()
    tasks = []
    for n in range(1845):
        due = today + dt.timedelta(days=rng.randint(-40, 40))
        task = {"description": f"Đại hội chi bộ số {n}", "due": due.strftime("%Y%m%dT000000Z"),
                "status": "completed" if rng.random() < 0.72 else "pending",
                "entry": (today - dt.timedelta(days=60)).strftime("%Y%m%dT000000Z")}
        if task["status"] == "completed":
            task["end"] = due.strftime("%Y%m%dT000000Z")
        tasks.append(task)
    (folder / "tasks.json").write_text(json.dumps(tasks))
    (folder / "taskrc").write_text(f"data.location={folder / 'task'}\nconfirmation=off\nverbose=nothing\n")
    env = {**os.environ, "TASKRC": str(folder / "taskrc")}
    subprocess.run(["task", "import", str(folder / "tasks.json")], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return ["env", f"TASKRC={folder / 'taskrc'}", "task", "overdue"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    runs = parser.parse_args().runs
    congress = shutil.which("congress") or sys.exit("congress is not installed in this environment")
    national = national_db()
    env = {"CONGRESS_TODAY": TODAY}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        copy = folder / "log.db"
        shutil.copyfile(SAMPLE, copy)
        peer = taskwarrior(folder)

        def on(db, *args):
            return [congress, "--db", str(db), *args]

        completion = {"_CONGRESS_COMPLETE": "bash_complete", "COMP_WORDS": "congress log hai", "COMP_CWORD": "2"}
        commands = {
            "floor": (floor_args(SAMPLE), None),
            "floor national": (floor_args(national), None),
            "status --overdue, sample": (on(SAMPLE, "status", "--overdue"), None),
            "status --overdue, national": (on(national, "status", "--overdue"), None),
            "status, sample": (on(SAMPLE, "status"), None),
            "org show hai an": (on(SAMPLE, "org", "show", "hai an"), None),
            "pilots": (on(SAMPLE, "pilots"), None),
            "history --limit 20": (on(SAMPLE, "history", "--limit", "20"), None),
            "completion": ([congress, "--db", str(SAMPLE)], completion),
            "--help": ([congress, "--help"], None),
            "log": (on(copy, "log", "P.HAIAN.01", "--held", "1/7/2025", "--force"), None),
        }
        if peer:
            commands["task"] = (peer, None)
        # Round after round, each command once: a busy moment of a shared machine then slows the floor
        # and the command it is compared with alike, instead of all the runs of one of them.
        # The order changes from round to round (seeded), so that no command always follows the one that
        # reads the 21 MB national file.
        times = {name: [] for name in commands}
        order = random.Random(11)
        for _ in range(runs):
            names = list(commands)
            order.shuffle(names)
            for name in names:
                args, extra = commands[name]
                times[name].append(median_seconds(args, runs=1, env={**env, **(extra or {})}))
        t = {name: statistics.median(found) for name, found in times.items()}
        floor, floor_national = t["floor"], t["floor national"]
        print(f"load average: {', '.join(f'{x:.1f}'.replace('.', ',') for x in os.getloadavg())}")
        print(f"{'floor (python3 + sqlite3), sample':38s} {floor * 1000:7.0f} ms")
        print(f"{'floor (python3 + sqlite3), national':38s} {floor_national * 1000:7.0f} ms")
        for name, base, target in [
            ("status --overdue, sample", floor, 4), ("status --overdue, national", floor_national, 2),
            ("status, sample", floor, 4), ("org show hai an", floor, 4), ("pilots", floor, 4),
            ("history --limit 20", floor, 4),
        ]:
            ratio = t[name] / base
            verdict = "đạt" if ratio <= target else "KHÔNG ĐẠT"
            print(f"{name:38s} {t[name] * 1000:7.0f} ms  {ratio:5.1f}× sàn  (mục tiêu ≤ {target}×: {verdict})")
        if peer:
            ratio = t["status --overdue, sample"] / t["task"]
            print(f"{'task overdue (Taskwarrior)':38s} {t['task'] * 1000:7.0f} ms  status --overdue = {ratio:.1f}× "
                  f"(mục tiêu ≤ 3×: {'đạt' if ratio <= 3 else 'KHÔNG ĐẠT'})")
        print(f"{'completion request':38s} {t['completion'] * 1000:7.0f} ms  (mục tiêu ≤ 100 ms)")
        print(f"{'--help':38s} {t['--help'] * 1000:7.0f} ms  (mục tiêu ≤ 60 ms)")
        print(f"{'log (one congress)':38s} {t['log'] * 1000:7.0f} ms")

if __name__ == "__main__":
    main()
