"""`congress import orgs` of 60.000 organisations from CSV and from xlsx, as whole processes.

    python bench/import.py [--runs 3] [--csv-only]

Targets (issue 4): CSV ≤ 5 s, xlsx ≤ 20 s, peak memory < 300 MB; issue 17: the CSV ≤ 1× `sqlite-utils
insert` of the same rows into a new table (unvalidated, `pip install .[bench]`) and ≤ 2× its peak
memory, the two taking turns in the same run. Each run starts from a fresh empty register (20
working groups), so every organisation is new; a re-import of the same file (all unchanged) is
timed too. Files and databases live in a temporary folder.
"""
import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import CONGRESS

COMMITTEES, PER_COMMITTEE = 300, 199  # 1 city + 300 + 300 × 199 = 60.001 organisations


def rows():
    yield ["Mã", "Tên tổ chức", "Cấp", "Loại", "Cấp trên", "Tổ công tác", "Số đảng viên"]
    yield ["QG", "Đảng bộ quốc gia (thử)", "city", "đảng bộ tỉnh, thành phố", "", "", ""]
    for c in range(COMMITTEES):
        code = f"DB{c:03d}"
        yield [code, f"Đảng bộ xã Thử Nghiệm {c}", "committee", "xã", "QG", str(c % 20 + 1), ""]
        for g in range(PER_COMMITTEE):
            yield [f"{code}.{g:03d}", f"Chi bộ thôn {g}, xã Thử Nghiệm {c}", "grassroots", "chi bộ cơ sở", code, "",
                   str(20 + g % 300)]


def write_files(folder: Path) -> tuple[Path, Path]:
    from openpyxl import Workbook

    csv_path, xlsx_path = folder / "orgs.csv", folder / "orgs.xlsx"
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tổ chức")
    for i, row in enumerate(rows()):
        sheet.append(row if i == 0 else row[:-1] + [int(row[-1]) if row[-1] else None])
    workbook.save(xlsx_path)
    return csv_path, xlsx_path


def empty_register(path: Path) -> None:
    env = {**os.environ, "CONGRESS_DB": str(path)}
    subprocess.run([*CONGRESS, "init"], check=True, env=env, stdout=subprocess.DEVNULL)
    for n in range(1, 21):
        subprocess.run([*CONGRESS, "group", "add", str(n), f"Tổ {n}"], check=True, env=env, stdout=subprocess.DEVNULL)


def timed(args: list[str], db: Path) -> tuple[float, float, str, float]:
    """Seconds, peak resident memory (MB), stdout and CPU seconds (user + system) of one process: on a
    shared machine the CPU time moves less than the wall clock."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *args], env={**os.environ, "CONGRESS_DB": str(db)},
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(done.stderr)
    user, system, peak = done.stderr.strip().splitlines()[-1].split()
    return seconds, int(peak) / 1024, done.stdout.strip(), float(user) + float(system)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--csv-only", action="store_true")
    asked = parser.parse_args()
    runs = asked.runs
    peer = shutil.which("sqlite-utils") or sys.exit("sqlite-utils is not installed: pip install .[bench]")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path, xlsx_path = write_files(folder)
        template = folder / "empty.db"
        empty_register(template)
        print(f"{'':28s} {'median':>9s} {'peak':>9s}")
        for label, path, target in (("CSV", csv_path, 5), ("xlsx", xlsx_path, 20))[:1 if asked.csv_only else 2]:
            times, peaks, cpus, peer_times, peer_peaks, peer_cpus = [], [], [], [], [], []
            for _ in range(runs):
                db = folder / "run.db"
                shutil.copyfile(template, db)
                seconds, peak, out, cpu = timed([*CONGRESS, "import", "orgs", str(path)], db)
                times.append(seconds)
                peaks.append(peak)
                cpus.append(cpu)
                if label == "CSV":  # the same rows, unvalidated, into a new table of a new file
                    (folder / "peer.db").unlink(missing_ok=True)
                    seconds, peak, _, cpu = timed([peer, "insert", str(folder / "peer.db"), "organisation",
                                                   str(path), "--csv"], db)
                    peer_times.append(seconds)
                    peer_peaks.append(peak)
                    peer_cpus.append(cpu)
            again, again_peak, again_out, _ = timed([*CONGRESS, "import", "orgs", str(path)], db)
            print(f"{'import ' + label + ' (60.001 new)':28s} {statistics.median(times):8.2f}s {max(peaks):6.0f} MB"
                  f"   mục tiêu ≤ {target} s, < 300 MB — {out}")
            print(f"{'  again (all unchanged)':28s} {again:8.2f}s {again_peak:6.0f} MB   {again_out}")
            if peer_times:
                ratio = statistics.median(times) / statistics.median(peer_times)
                print(f"{'sqlite-utils insert (CSV)':28s} {statistics.median(peer_times):8.2f}s {max(peer_peaks):6.0f} MB"
                      f"   import ÷ sqlite-utils: {ratio:.2f}× time (≤ 1×), "
                      f"{max(peaks) / max(peer_peaks):.2f}× memory (≤ 2×); CPU {statistics.median(cpus):.2f} ÷ "
                      f"{statistics.median(peer_cpus):.2f} s = "
                      f"{statistics.median(cpus) / statistics.median(peer_cpus):.2f}×")


if __name__ == "__main__":
    main()
