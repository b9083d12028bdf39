"""`congress serve` as a real process on a test database, and accounts made the way the office makes them."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_account(db, name: str, password: str, group: int | None = None) -> None:
    """`congress user add`, as the office types it, the password on stdin."""
    args = [sys.executable, "-m", "congress", "--db", str(db), "user", "add", name]
    if group is not None:
        args += ["--group", str(group)]
    done = subprocess.run([*args, "--password-stdin"], input=password + "\n", capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


@contextmanager
def serving(db, *, env: dict | None = None, timeout: float = 30):
    """Starts `congress serve` on a free loopback port; yields its base URL; stops it at the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "congress", "--db", str(db), "serve", "--port", str(port)],
        env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(process, base + "/login", timeout)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(process: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"congress serve stopped (exit {process.returncode}):\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"congress serve did not answer {url} within {timeout:.0f} s")
