"""`congress serve` as a real process on a test database, and accounts made the way the office makes them."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
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


class Client:
    """A browser as a script drives it: its own cookies, the CSRF token of its session, redirects not
    followed (a write answers 303 when done, 4xx when refused)."""

    class _Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        import http.cookiejar

        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  self._Stay)
        self.token = None

    def request(self, path: str, fields: dict | None = None) -> tuple[int, str]:
        data = None
        if fields is not None:
            data = urllib.parse.urlencode({"csrf_token": self.token or "", **fields}).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, name: str, password: str = PASSWORD) -> None:
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', self.request("/dang-nhap")[1])[1]
        status, page = self.request("/dang-nhap", {"name": name, "password": password})
        assert status == 302, page
        # signing in starts a new session, with a new token
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', self.request("/ghi-nhan")[1])[1]
