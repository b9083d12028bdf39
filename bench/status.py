"""`congress status --overdue` at national scale against the sample, and `congress --help`.

    python bench/status.py

Targets (issue 2): --overdue at 60.000 organisations ≤ 1,5× its time on the sample; --help ≤ 80 ms.
Issue 17: --help ≤ 1,5× `python -c "import click"` with the same interpreter, measured in the same run.
"""
import shutil
import sys

from common import CONGRESS, national_db, median_seconds

ROOT = national_db().parent.parent.parent
SAMPLE = ROOT / "data" / "congress.db"


def main() -> None:
    national = national_db()
    script = shutil.which("congress") or sys.exit("congress is not installed in this environment")
    rows = [
        ("congress --help", median_seconds([script, "--help"], runs=9)),
        ("python -m congress --help", median_seconds([*CONGRESS, "--help"], runs=9)),
        ("status --overdue, sample (1.964)", median_seconds([script, "--db", str(SAMPLE), "status", "--overdue"])),
        ("status --overdue, national (60.000)", median_seconds([script, "--db", str(national), "status", "--overdue"])),
        ("status, sample", median_seconds([script, "--db", str(SAMPLE), "status"])),
        ("status, national", median_seconds([script, "--db", str(national), "status"])),
        ("python -c 'import click'", median_seconds([_python(script), "-c", "import click"], runs=9)),
    ]
    for name, seconds in rows:
        print(f"{name:40s} {seconds * 1000:8.0f} ms")
    ratio = rows[3][1] / rows[2][1]
    print(f"{'overdue national / sample':40s} {ratio:8.2f} ×  (mục tiêu ≤ 1,5)")
    print(f"{'--help':40s} {'đạt' if rows[0][1] <= 0.080 else 'KHÔNG ĐẠT':>8s}  (mục tiêu ≤ 80 ms)")
    print(f"{'--help / import click':40s} {rows[0][1] / rows[-1][1]:8.2f} ×  (mục tiêu ≤ 1,5)")


def _python(script: str) -> str:
    """The interpreter the installed `congress` script starts (its #! line)."""
    with open(script) as f:
        return f.readline()[2:].strip()


if __name__ == "__main__":
    main()
