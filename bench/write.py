"""`congress log`, `schedule` and `unlog` against `status --overdue`, whole processes on a copy of the sample.

    python bench/write.py [RUNS]

Target (issue 17): each write ≤ 1,5× `status --overdue` measured in the same run. Every run writes a value
the register does not hold yet (a new day, or a congress logged again before it is taken back), so each one
is a real change with its history row, not a write that finds nothing to do.
"""
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import CONGRESS

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "congress.db"
TARGET = 1.5
ORG = "X.VINHBAO"  # a committee: log checks its grassroots organisations too


def seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "congress.db"
        shutil.copyfile(SAMPLE, db)
        congress = [*CONGRESS, "--db", str(db)]
        # the day of the month changes every run, so every run is a change; interleaved, so that a
        # slower moment of the shared machine falls on all four alike
        times: dict[str, list[float]] = {"status --overdue": [], "log": [], "schedule": [], "unlog": []}
        for run in range(runs):
            day = f"{run + 1}/11/2026"
            times["status --overdue"].append(seconds([*congress, "status", "--overdue"]))
            times["log"].append(seconds([*congress, "log", ORG, "--held", day, "--force"]))
            times["unlog"].append(seconds([*congress, "unlog", ORG, "--reason", "đo tốc độ"]))
            times["schedule"].append(seconds([*congress, "schedule", ORG, f"{run + 1}/12/2026", "--force"]))
    floor = statistics.median(times["status --overdue"])
    for name, measured in times.items():
        median = statistics.median(measured)
        ratio = median / floor
        verdict = "" if name == "status --overdue" else f"  {'đạt' if ratio <= TARGET else 'KHÔNG ĐẠT'} (≤ {TARGET})"
        print(f"{name:20s} {median * 1000:7.0f} ms {ratio:6.2f} ×{verdict}")


if __name__ == "__main__":
    main()
