"""Where the database is and how to open it."""
from __future__ import annotations

import os
from pathlib import Path

from congress.errors import CongressError

DEFAULT_PATH = Path("data") / "congress.db"
MARK = ("app", "congress")  # a Setting row that tells our database from any other


def locate(option: str | None) -> str:
    """--db wins, then CONGRESS_DB, then data/congress.db under the current directory."""
    return option or os.environ.get("CONGRESS_DB") or str(DEFAULT_PATH)


def url_for(location: str) -> str:
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).resolve()}"


def sqlite_path(location: str) -> Path | None:
    if "://" not in location:
        return Path(location)
    if location.startswith("sqlite:///"):
        return Path(location.removeprefix("sqlite:///"))
    return None


def make_engine(location: str):
    from sqlalchemy import event
    from sqlmodel import create_engine

    engine = create_engine(url_for(location))
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):
            cursor = conn.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.close()

    return engine


def open_database(location: str):
    """An engine on an existing congress database; never creates a file."""
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    from congress.models import Setting

    path = sqlite_path(location)
    if path is not None and not path.is_file():
        raise CongressError(
            f"Không tìm thấy cơ sở dữ liệu {location}.\n"
            "Tạo mới bằng «congress init» (trống) hoặc «congress init --sample» (dữ liệu mẫu), "
            "hoặc chỉ đường dẫn bằng --db hay biến môi trường CONGRESS_DB."
        )
    engine = make_engine(location)
    try:
        with Session(engine) as session:
            mark = session.get(Setting, MARK[0])
    except DBAPIError:
        mark = None
    if mark is None or mark.value != MARK[1]:
        engine.dispose()
        raise CongressError(f"{location} không phải cơ sở dữ liệu của congress.")
    return engine


def create_database(location: str, *, force: bool):
    from sqlmodel import SQLModel

    from congress import models  # noqa: F401  (registers the tables)

    path = sqlite_path(location)
    if path is not None:
        if path.exists():
            if not force:
                raise CongressError(f"{location} đã có. Dùng --force để xóa và tạo lại.")
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(location)
    if path is None and force:
        SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    return engine
