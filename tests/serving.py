"""`congress serve` as a real process on a test database, and accounts made the way the office makes them."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PASSWORD = "mat-khau-thu-nghiem"


def account(group: int | None, name: str | None = None) -> str:
    """An account made as the office makes one, with PASSWORD: `congress user add` on SQLite; on
    PostgreSQL a login is the server's own role, which `congress db grant-group` creates and maps to its
    group (the test server trusts every password). The sample's invented history was written by users
    named to1…to20, so `name` can keep an account apart from it."""
    from conftest import ON_POSTGRES, run

    if ON_POSTGRES:
        if group is None:
            return "postgres"  # the test server's owner: no working group, so the office
        name = f"{name or f'to{group}'}_{uuid.uuid4().hex[:6]}"
        result = run("db", "grant-group", str(group), name)
        assert result.exit_code == 0, result.stderr
        return name
    name = name or (f"to{group}" if group is not None else "vanphong")
    result = run("user", "add", name, *(["--group", str(group)] if group is not None else []), "--password-stdin",
                 input=PASSWORD + "\n")
    assert result.exit_code == 0, result.stderr
    return name


@contextmanager
def serving(db, *, env: dict | None = None, timeout: float = 30):
    """Starts `congress serve` on a free loopback port; yields its base URL; stops it at the end. What the
    server prints goes to a file (a pipe nobody reads would stall it once full), shown if it fails to start."""
    port = free_port()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "congress", "--db", str(db), "serve", "--port", str(port)],
            env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(process, output, base + "/dang-nhap", timeout)
            yield base
        finally:
            process.send_signal(signal.SIGINT)  # Ctrl-C, as the office stops it: the server cleans up after itself
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait(process: subprocess.Popen, output, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output.seek(0)
            raise AssertionError(f"congress serve stopped (exit {process.returncode}):\n{output.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"congress serve did not answer {url} within {timeout:.0f} s")
