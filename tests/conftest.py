"""Every test runs in its own folder, on its own copy of the database, on a fixed "today"."""
import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from congress.cli import main

TODAY = "2026-11-21"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    for name in ("CONGRESS_DB", "CONGRESS_GROUP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONGRESS_TODAY", TODAY)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample database, built once per test run by the product's own command."""
    from congress.setup import initialise

    path = tmp_path_factory.mktemp("sample") / "congress.db"
    initialise(str(path), sample=True, force=False)
    return path


@pytest.fixture
def sample_db(built_sample, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "sample.db"
    shutil.copyfile(built_sample, path)
    monkeypatch.setenv("CONGRESS_DB", str(path))
    return path


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    from congress.setup import initialise

    path = tmp_path / "empty.db"
    initialise(str(path), sample=False, force=False)
    monkeypatch.setenv("CONGRESS_DB", str(path))
    return path


def run(*args: str, input: str | None = None, env: dict | None = None):
    """The real CLI, as a user calls it; stdout and stderr kept apart."""
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
