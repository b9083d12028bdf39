"""Timing whole processes: the median of several runs, since the machine is shared and noisy."""
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# pip compiles an installation's bytecode; with PYTHONDONTWRITEBYTECODE (set on some machines) every run
# would compile the sources again and the timings would measure the compiler, not the command.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
# The installed command, as users run it; `python -m congress` from the repository's root would import the
# source tree instead, where the templates are not the package congress.templates of an installation.
CONGRESS = [shutil.which("congress") or sys.exit("congress is not installed in this environment")]


def national_db() -> Path:
    """The 60.000-organisation database, built once and kept in bench/out/."""
    path = OUT / "national.db"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(BENCH / "build_national.py"), str(path)], check=True)
    # one built by an older congress is brought to the current schema, as an office's would be
    subprocess.run([*CONGRESS, "--db", str(path), "db", "upgrade"], check=True, stdout=subprocess.DEVNULL)
    return path


def load_average() -> str:
    """The machine's load, printed beside every measurement made on it."""
    return "load average: " + ", ".join(f"{x:.1f}".replace(".", ",") for x in os.getloadavg())


def median_seconds(args: list[str], runs: int = 5, env: dict | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - start)
    return statistics.median(times)
