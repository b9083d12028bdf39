"""The Party round's read commands on a register that also holds the Front's round, against the same
register with the Party's round alone: whole processes, medians of runs taken in turn, as ratios.

    python bench/rounds.py [--runs 7] [--sample-only]

Target (issue 19): every ratio ≤ 1,1 at the sample's size (the sample itself, with its Front round of
115 units, against a copy with the Front taken out) and at national scale (the 63.434-organisation
database against a copy given a Front round of one unit per committee and the city, all held).
"""
import argparse
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import BENCH, CONGRESS, load_average, national_db

ROOT = BENCH.parent
SAMPLE = ROOT / "data" / "congress.db"
TODAY = "2026-11-21"
COMMANDS = [
    ["status"],
    ["status", "--overdue"],
    ["status", "--format", "json"],
    ["status", "--preparation"],
    ["status", "--results"],
    ["pilots"],
    ["history", "--limit", "20"],
    ["org", "show", "{committee}"],
]


def without_the_front(source: Path, target: Path) -> None:
    """A copy of the sample holding the Party's round alone, as a register was before issue 19."""
    shutil.copyfile(source, target)
    with sqlite3.connect(target) as conn:
        front = [row[0] for row in conn.execute("SELECT id FROM round WHERE kind <> 'dang'")]
        for round_id in front:
            for table in ("change", "congress", "roundlevel", "congress_step", "preparation_step"):
                conn.execute(f"DELETE FROM {table} WHERE round_id = ?", (round_id,))
            conn.execute("DELETE FROM round WHERE id = ?", (round_id,))
        conn.execute("DELETE FROM organisation WHERE body <> 'dang'")
    with sqlite3.connect(target) as conn:
        conn.execute("VACUUM")


def with_a_front(source: Path, target: Path) -> None:
    """A copy of a one-round register given a Front round over one unit per committee and the city."""
    shutil.copyfile(source, target)
    with sqlite3.connect(target) as conn:
        (round_id,) = conn.execute(
            "INSERT INTO round (name, kind, term, closed, starts_on, target_on, deadline_on)"
            " VALUES ('MTTQ 2025-2030', 'mttq', '2025–2030', 0, '2025-07-01', '2025-10-31', '2025-10-31')"
            " RETURNING id").fetchone()
        places = conn.execute("SELECT id, code, name, level, parent_id FROM organisation"
                              " WHERE level IN ('city', 'committee') ORDER BY level = 'committee', id").fetchall()
        units = {}
        for id_, code, name, level, parent_id in places:
            (unit,) = conn.execute(
                "INSERT INTO organisation (code, name, search_name, level, kind, parent_id, body, same_place_id)"
                " VALUES (?, ?, ?, ?, 'ủy ban MTTQ', ?, 'mttq', ?) RETURNING id",
                (f"MT.{code}", f"Ủy ban MTTQ {name}", f"uy ban mttq {code.lower()}", level, units.get(parent_id),
                 id_)).fetchone()
            units[id_] = unit
            conn.execute("INSERT INTO congress (round_id, organisation_id, planned_on, held_on, is_pilot)"
                         " VALUES (?, ?, '2025-10-20', '2025-10-20', 0)", (round_id, unit))
            conn.execute("INSERT INTO change (at, user, organisation_id, action, field, new_value, round_id)"
                         " VALUES ('2025-10-20 10:00:00', 'vanphong', ?, 'log', 'held_on', '2025-10-20', ?)",
                         (unit, round_id))


def committee(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT code FROM organisation WHERE level = 'committee' AND body = 'dang'"
                            " ORDER BY id LIMIT 1").fetchone()[0]


def ratios(one: Path, two: Path, runs: int) -> list[tuple[str, float, float]]:
    found = []
    code = committee(one)
    for command in COMMANDS:
        args = [part.format(committee=code) for part in command]
        times = {one: [], two: []}
        for _ in range(runs):  # in turn, so a busy moment of the machine weighs on both
            for db in (one, two):
                start = time.perf_counter()
                subprocess.run([*CONGRESS, "--db", str(db), *args], check=True, stdout=subprocess.DEVNULL,
                               env={"CONGRESS_TODAY": TODAY, "PATH": "/usr/bin:/bin"})
                times[db].append(time.perf_counter() - start)
        found.append((" ".join(args), statistics.median(times[one]), statistics.median(times[two])))
    return found


def report(title: str, rows) -> None:
    print(f"\n{title} ({load_average()})")
    print(f"{'lệnh':32} {'một nhiệm kỳ':>14} {'hai nhiệm kỳ':>14} {'tỷ lệ':>7}")
    for name, one, two in rows:
        ratio = two / one
        mark = "" if ratio <= 1.1 else "  > 1,1"
        figures = f"{one * 1000:11.0f} ms {two * 1000:11.0f} ms {ratio:7.2f}".replace(".", ",")
        print(f"{name:32} {figures}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sample-only", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        alone = folder / "party-only.db"
        without_the_front(SAMPLE, alone)
        report("Mẫu Hải Phòng: 1.964 tổ chức của Đảng, thêm 115 của MTTQ", ratios(alone, SAMPLE, options.runs))
        if options.sample_only:
            return
        national = national_db()
        both = folder / "national-front.db"
        with_a_front(national, both)
        report("Quy mô toàn quốc: 63.434 tổ chức, thêm MTTQ mỗi đảng bộ trực thuộc", ratios(national, both, options.runs))


if __name__ == "__main__":
    main()
