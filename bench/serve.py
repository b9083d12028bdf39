"""Twenty working groups logging at once through `congress serve`, and the overview's server time.

    python bench/serve.py [--each 40] [--overview-runs 20]

Everything runs against 127.0.0.1 only, on copies in a temporary folder: the sample (SQLite, WAL) with
its grassroots held dates taken off, so that there is plenty to log (as tests/test_concurrency.py
does), and 20 group accounts made with `congress user add`. Each group is one thread with its own
cookie jar: it signs in, reads the CSRF token from the log form, then logs `--each` of its own
organisations one after another (each log is the form's POST and the page it leads back to, as in a
browser). Afterwards the database must hold every one of them, with one history row each. The
overview's server time is the median of the `Server-Timing: app;dur=…` header over `--overview-runs`
requests by the office, on the sample and on the national bench database.
Targets (issue 12): ≥ 50 logs/s with none lost; overview ≤ 100 ms (sample), ≤ 300 ms (national).
"""
import argparse
import datetime as dt
import http.cookiejar
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from common import BENCH, CONGRESS, national_db

ROOT = BENCH.parent
SAMPLE = ROOT / "data" / "congress.db"
TODAY = "2026-11-21"
HELD_ON = dt.date(2026, 11, 1)
HELD = f"{HELD_ON.day}/{HELD_ON.month}/{HELD_ON.year}"
GROUPS = 20
PASSWORD = "mat-khau-thu-nghiem-{}"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_TIMING = re.compile(r"app;dur=([0-9.]+)")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(db: Path):
    port = free_port()
    env = {**os.environ, "CONGRESS_TODAY": TODAY}
    said = open(db.with_suffix(".serve.log"), "w+")  # the server's own words, shown if it stops
    process = subprocess.Popen([*CONGRESS, "--db", str(db), "serve", "--port", str(port)], env=env,
                               stdout=said, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/dang-nhap", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None:
                    said.seek(0)
                    sys.exit(f"congress serve stopped (exit {process.returncode}):\n{said.read()[-2000:]}")
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C, as the office stops it
        process.wait(timeout=30)
        said.close()


def add_account(db: Path, name: str, password: str, group: int | None) -> None:
    args = [*CONGRESS, "--db", str(db), "user", "add", name, *(["--group", str(group)] if group else []),
            "--password-stdin"]
    subprocess.run(args, input=password + "\n", text=True, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "CONGRESS_TODAY": TODAY})


class Client:
    """One browser: its own cookies, the CSRF token its forms carry."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.headers, response.read().decode()

    def token(self, path: str) -> str:
        found = _CSRF.search(self.get(path)[1])
        if found is None:
            raise SystemExit(f"no CSRF token in the form at {path}")
        return found[1] or found[2]

    def post(self, path: str, fields: dict) -> int:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self, name: str, password: str) -> None:
        status = self.post("/dang-nhap", {"csrf_token": self.token("/dang-nhap"), "name": name, "password": password})
        if status != 200:
            raise SystemExit(f"signing in as {name}: HTTP {status}")


def prepare_sample(folder: Path) -> Path:
    """A copy of the sample with every grassroots congress unheld: plenty for twenty groups to log."""
    copy = folder / "serve.db"
    shutil.copyfile(SAMPLE, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE congress SET held_on = NULL WHERE organisation_id IN "
                           "(SELECT id FROM organisation WHERE level = 'grassroots')")
    connection.close()
    return copy


def own_grassroots(db: Path, group: int, each: int) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT o.code FROM organisation o JOIN organisation c ON c.id = o.parent_id "
            "JOIN workinggroup g ON g.id = c.working_group_id "
            "WHERE o.level = 'grassroots' AND g.number = ? ORDER BY o.code LIMIT ?", (group, each)).fetchall()
    connection.close()
    return [code for (code,) in rows]


def load(db: Path, base: str, each: int) -> tuple[float, int, list[str], list[str]]:
    """Every group logs its organisations at once; returns seconds, logs sent, codes, refusals."""
    work = {group: own_grassroots(db, group, each) for group in range(1, GROUPS + 1)}
    clients = {}
    for group in work:
        client = Client(base)
        client.sign_in(f"to{group}", PASSWORD.format(group))
        clients[group] = (client, client.token("/ghi-nhan"))
    start = threading.Barrier(GROUPS + 1)
    refused: list[str] = []

    def run(group: int) -> None:
        client, token = clients[group]
        start.wait()
        for code in work[group]:
            status = client.post("/ghi-nhan", {"csrf_token": token, "organisation": code, "held": HELD})
            if status != 200:
                refused.append(f"{code}: HTTP {status}")

    threads = [threading.Thread(target=run, args=(group,)) for group in work]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    codes = [code for batch in work.values() for code in batch]
    return seconds, len(codes), codes, refused


def landed(db: Path, codes: list[str]) -> tuple[int, int]:
    """How many of the codes are held on HELD, and how many log rows history has for them."""
    held_on = HELD_ON.isoformat()
    with sqlite3.connect(db) as connection:
        marks = ",".join("?" * len(codes))
        held = connection.execute(
            f"SELECT count(*) FROM congress c JOIN organisation o ON o.id = c.organisation_id "
            f"WHERE o.code IN ({marks}) AND c.held_on = ?", (*codes, held_on)).fetchone()[0]
        logged = connection.execute(
            f"SELECT count(*) FROM change h JOIN organisation o ON o.id = h.organisation_id "
            f"WHERE o.code IN ({marks}) AND h.action = 'log' AND h.new_value = ?", (*codes, held_on)).fetchone()[0]
    connection.close()
    return held, logged


def overview_ms(db: Path, runs: int) -> float:
    """The median server time of the overview, as the server itself reports it."""
    add_account(db, "vanphong", PASSWORD.format(0), None)
    with serving(db) as base:
        client = Client(base)
        client.sign_in("vanphong", PASSWORD.format(0))
        client.get("/")  # the first request warms the templates and the connection
        times = []
        for _ in range(runs):
            headers, _ = client.get("/")
            found = _TIMING.search(headers.get("Server-Timing", ""))
            if found is None:
                raise SystemExit("the overview sent no Server-Timing: app;dur=… header")
            times.append(float(found[1]))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--each", type=int, default=40, help="logs per working group")
    parser.add_argument("--overview-runs", type=int, default=20)
    arguments = parser.parse_args()
    national = national_db()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = prepare_sample(folder)
        for group in range(1, GROUPS + 1):
            add_account(db, f"to{group}", PASSWORD.format(group), group)
        with serving(db) as base:
            seconds, sent, codes, refused = load(db, base, arguments.each)
        held, logged = landed(db, codes)
        sample_copy = folder / "sample.db"
        shutil.copyfile(SAMPLE, sample_copy)
        sample_ms = overview_ms(sample_copy, arguments.overview_runs)
        national_copy = folder / "national.db"
        shutil.copyfile(national, national_copy)
        national_ms = overview_ms(national_copy, arguments.overview_runs)

    rate = sent / seconds
    lost = sent - min(held, logged)
    print(f"load average: trước {', '.join(shown(x, 1) for x in load_before)}; "
          f"sau {', '.join(shown(x, 1) for x in os.getloadavg())}")
    print(f"{GROUPS} tổ × {arguments.each} lần ghi: {sent} lần trong {shown(seconds, 2)} s = {shown(rate, 1)} lần/s "
          f"(mục tiêu ≥ 50: {verdict(rate >= 50)})")
    print(f"trong cơ sở dữ liệu: {held} đại hội đã ghi, {logged} dòng lịch sử; bị từ chối {len(refused)}, "
          f"mất {lost} ({verdict(lost == 0 and not refused)})")
    for line in refused[:10]:
        print(f"  {line}")
    print(f"tổng quan, thời gian máy chủ (trung vị {arguments.overview_runs} lần): mẫu {shown(sample_ms, 1)} ms "
          f"(mục tiêu ≤ 100: {verdict(sample_ms <= 100)}), toàn quốc {shown(national_ms, 1)} ms "
          f"(mục tiêu ≤ 300: {verdict(national_ms <= 300)})")


def shown(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def verdict(met: bool) -> str:
    return "đạt" if met else "KHÔNG ĐẠT"


if __name__ == "__main__":
    main()
