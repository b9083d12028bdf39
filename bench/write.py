"""`congress log`, `schedule` and `unlog` against `status --overdue`, whole processes on a copy of the sample.

    python bench/write.py [RUNS]

Target (issue 17): each write ≤ 1,5× `status --overdue` measured in the same run. Every run writes a value
the register does not hold yet (a new day, or a congress logged again before it is taken back), so each one
is a real change with its history row, not a write that finds nothing to do.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import CONGRESS, load_average

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "congress.db"
TARGET = 1.5
ORG = "X.VINHBAO"  # a committee: log checks its grassroots organisations too


# Compiled modules, as an installation has them: a shell that sets PYTHONDONTWRITEBYTECODE would have
# every run compile congress from source, and a write and a read compile different modules.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    print(load_average())
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "congress.db"
        shutil.copyfile(SAMPLE, db)
        congress = [*CONGRESS, "--db", str(db)]
        # the day of the month changes every run, so every run is a change; interleaved, so that a
        # slower moment of the shared machine falls on all four alike
        times: dict[str, list[float]] = {"status --overdue": [], "log": [], "schedule": [], "unlog": []}
        for run in range(-1, runs):  # the first round compiles the modules and is not counted
            day = f"{run + 2}/11/2026"
            measured = {
                "status --overdue": seconds([*congress, "status", "--overdue"]),
                "log": seconds([*congress, "log", ORG, "--held", day, "--force"]),
                "unlog": seconds([*congress, "unlog", ORG, "--reason", "đo tốc độ"]),
                "schedule": seconds([*congress, "schedule", ORG, f"{run + 2}/12/2026", "--force"]),
            }
            if run >= 0:
                for name, value in measured.items():
                    times[name].append(value)
    floor = statistics.median(times["status --overdue"])
    for name, measured in times.items():
        median = statistics.median(measured)
        ratio = median / floor
        target = f"{TARGET}".replace(".", ",")
        verdict = "" if name == "status --overdue" else f"  {'đạt' if ratio <= TARGET else 'KHÔNG ĐẠT'} (≤ {target})"
        print(f"{name:20s} {median * 1000:7.0f} ms {f'{ratio:.2f}'.replace('.', ','):>6s} ×{verdict}")
    print(load_average())


if __name__ == "__main__":
    main()
