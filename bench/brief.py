"""`congress brief` as whole processes: html and pdf on the sample, html at national scale.

    python bench/brief.py

Targets (issue 3): html ≤ 1 s on the sample and ≤ 3 s on the 60.000-organisation database;
pdf ≤ 5 s on the sample. Each figure is the median of 5 runs.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import BENCH, median_seconds

ROOT = BENCH.parent
SAMPLE = ROOT / "data" / "congress.db"
# The national database has no issuing body of its own; the brief refuses to print without one.
SETTINGS = {"issuer.name": "TỈNH ỦY", "place": "Tỉnh số 1", "signer.name": "Người ký"}


def main() -> None:
    script = shutil.which("congress") or sys.exit("congress is not installed in this environment")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        # Built afresh from the current schema, so a national.db left by an older checkout cannot skew it.
        national = folder / "national.db"
        subprocess.run([sys.executable, str(BENCH / "build_national.py"), str(national)], check=True,
                       stdout=subprocess.DEVNULL)
        for key, value in SETTINGS.items():
            subprocess.run([script, "--db", str(national), "settings", "set", key, value], check=True,
                           stdout=subprocess.DEVNULL)
        sample = folder / "sample.db"
        shutil.copyfile(SAMPLE, sample)
        out = folder / "brief"
        runs = [
            ("html, sample, as of 9/7/2025", 1.0, [script, "--db", str(sample), "brief", "--as-of", "9/7/2025"]),
            ("html, sample, today", 1.0, [script, "--db", str(sample), "brief"]),
            ("pdf, sample, as of 9/7/2025", 5.0,
             [script, "--db", str(sample), "brief", "--as-of", "9/7/2025", "--format", "pdf", "-o", f"{out}.pdf"]),
            ("pdf, sample, today", 5.0, [script, "--db", str(sample), "brief", "--format", "pdf", "-o", f"{out}.pdf"]),
            ("html, national, as of 9/7/2025", 3.0, [script, "--db", str(national), "brief", "--as-of", "9/7/2025"]),
            ("html, national, today", 3.0, [script, "--db", str(national), "brief"]),
        ]
        for name, limit, args in runs:
            seconds = median_seconds(args)
            verdict = "đạt" if seconds <= limit else "KHÔNG ĐẠT"
            print(f"{name:36s} {seconds * 1000:7.0f} ms  {verdict} (mục tiêu ≤ {limit:g} s)")


if __name__ == "__main__":
    main()
