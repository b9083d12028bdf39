"""Where the database is, how to open it, and what its errors mean to a user."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import TYPE_CHECKING

from congress.domain import vn
from congress.domain.errors import Allow, CongressError

if TYPE_CHECKING:
    from pathlib import Path

# pathlib is imported only where a write or a file operation needs it: with urllib.parse and
# ipaddress it costs the read path (congress.store.sql) about 3 ms at each start
DEFAULT_PATH = os.path.join("data", "congress.db")
MARK = ("app", "congress")  # a Setting row that tells our database from any other
SCHEMA_REVISION = "0009"  # the newest migration in congress/migrations/versions (a test keeps them equal)
BUSY_TIMEOUT_MS = 30_000
# Every server session waits for a lock 5 s at most and runs a statement 60 s at most: a lock held by
# another session (an office that walked away, or a role locking on purpose) ends in a message, not
# in a command that never returns. Store.open (congress.store.sql) passes the same.
SERVER_OPTIONS = "-c lock_timeout=5000 -c statement_timeout=60000"


def locate(option: str | None) -> str:
    """--db wins, then CONGRESS_DB, then data/congress.db under the current directory."""
    return option or os.environ.get("CONGRESS_DB") or str(DEFAULT_PATH)


def shown(location: str) -> str:
    """A location as any message may print it: a URL's password masked (***), a path as it is."""
    if "://" not in location:
        return location
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(location).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL SQLAlchemy reads: nothing of it is shown
        return location.split("://", 1)[0] + "://***"


def url_for(location: str) -> str:
    if location.startswith(("postgresql://", "postgres://")):
        # psycopg 3, not SQLAlchemy's default psycopg2
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    if "://" in location:
        return location
    return f"sqlite:///{os.path.realpath(location)}"


# Read with a light parser (urllib), since the read path (congress.store.sql) does not import SQLAlchemy.
SUPPORTED = ("một tệp SQLite (đường dẫn, hoặc sqlite:///đường/dẫn) hoặc PostgreSQL "
             "(postgresql://người_dùng@máy_chủ:cổng/tên)")
_SCHEMES = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")


def check_address(location: str) -> None:
    """A database address names a backend we support, and its port is a number: refused here, in
    Vietnamese, rather than by a driver. The message never repeats the address (it may hold a password)."""
    if "://" not in location:
        return
    scheme = location.split("://", 1)[0].lower()
    if scheme not in _SCHEMES or (scheme == "sqlite" and not location.startswith("sqlite:///")):
        raise CongressError(f"Không hỗ trợ địa chỉ cơ sở dữ liệu «{scheme}://…»; congress dùng {SUPPORTED}.")
    if scheme != "sqlite":
        from urllib.parse import urlsplit

        try:
            urlsplit(location).port
        except ValueError:
            raise CongressError(
                f"Địa chỉ cơ sở dữ liệu «{scheme}://…» có cổng không hợp lệ: cổng là một số từ 1 đến 65535."
            ) from None


def sqlite_path(location: str) -> Path | None:
    """sqlite_file as a Path."""
    from pathlib import Path

    found = sqlite_file(location)
    return None if found is None else Path(found)


def sqlite_file(location: str) -> str | None:
    """The SQLite file of an address, None for a server; every opening passes here, so the address is
    checked here too."""
    check_address(location)
    if "://" not in location:
        return location
    if location.startswith("sqlite:///"):
        return location.removeprefix("sqlite:///")
    return None


def make_engine(location: str, *, write: bool = False, **pool):
    """SQLite: WAL and a busy timeout, and a write takes the lock when it begins (BEGIN IMMEDIATE),
    so two offices logging at once wait for each other instead of failing half-way. `pool`: SQLAlchemy's
    pool options, for a server that keeps engines open (congress serve)."""
    from sqlalchemy import event
    from sqlmodel import create_engine

    url = url_for(location)
    engine = create_engine(url, connect_args={"options": SERVER_OPTIONS} if url.startswith("postgresql") else {},
                           **pool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _connect(conn, _record):
            conn.isolation_level = None  # we issue BEGIN ourselves, below
            cursor = conn.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def open_database(location: str, *, write: bool = False, check_schema: bool = True):
    """An engine on an existing congress database at the current schema; never creates a file."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    path = sqlite_path(location)
    if path is not None and not path.is_file():
        raise missing_file(location)
    engine = make_engine(location, write=write)
    try:
        with engine.connect() as conn:
            mark = conn.execute(text("SELECT value FROM setting WHERE key = :key"), {"key": MARK[0]}).scalar()
            revision = _revision(conn)
    except DBAPIError as error:
        engine.dispose()
        known = explain(error)
        if known is not None and "không phải" not in str(known):
            raise known from None
        mark = revision = None
    try:
        check_opened(location, mark, revision if check_schema else SCHEMA_REVISION)
    except CongressError:
        engine.dispose()
        raise
    return engine


@contextmanager
def session_scope(engine, *, write: bool):
    """A session on an engine; a write commits once at the end, or not at all. A database error the
    user can act on (locked, read-only, disk full, refused by the server's rights) becomes its message."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm.exc import StaleDataError
    from sqlmodel import Session

    try:
        with explained(DBAPIError), Session(engine) as session:
            yield session
            if write:
                session.commit()
    except StaleDataError:
        # PostgreSQL's row-level security hides a row from an UPDATE rather than refusing it
        raise NOT_PERMITTED from None


def missing_file(location: str) -> CongressError:
    return CongressError(f"Không tìm thấy cơ sở dữ liệu {shown(location)}.", allow=Allow.CREATE)


def check_opened(location: str, mark: str | None, revision: str | None) -> None:
    """Ours, and at the schema this congress knows: every opening, ORM or not, asks the same."""
    if mark != MARK[1]:
        raise CongressError(f"{shown(location)} không phải cơ sở dữ liệu của congress.")
    if revision != SCHEMA_REVISION:
        if revision is not None and revision > SCHEMA_REVISION:
            raise CongressError(f"{shown(location)} do phiên bản congress mới hơn tạo ({revision}); hãy cập nhật congress.")
        raise CongressError(
            f"Cơ sở dữ liệu {shown(location)} ở phiên bản cũ ({revision or 'trước khi có phiên bản'}).",
            allow=Allow.UPGRADE,
        )


def _revision(conn) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


NOT_PERMITTED = CongressError(
    "Tài khoản cơ sở dữ liệu này không được phép ghi việc này (tổ công tác chỉ ghi được đại hội của "
    "các tổ chức thuộc tổ mình). Không có gì thay đổi."
)


@contextmanager
def explained(catching: type[Exception] = Exception):
    """A driver's error the user can act on, raised as its message (explain); any other, as it is."""
    try:
        yield
    except CongressError:
        raise
    except catching as error:
        known = explain(error)
        if known is None:
            raise
        raise known from None


def explain(error) -> CongressError | None:
    """What a database error means for the user, in Vietnamese; None when it is not one we know."""
    message = str(getattr(error, "orig", error)).lower()
    if "database is locked" in message or "database table is locked" in message:
        return CongressError(
            "Cơ sở dữ liệu đang bận (một máy khác đang ghi quá lâu). Không có gì thay đổi; hãy thử lại sau ít phút."
        )
    if "lock timeout" in message:
        return CongressError(
            "Dữ liệu cần ghi đang bị một phiên làm việc khác giữ quá lâu. Không có gì thay đổi; hãy thử lại sau ít phút."
        )
    if "statement timeout" in message:
        return CongressError("Máy chủ cơ sở dữ liệu xử lý quá lâu nên đã dừng lệnh. Không có gì thay đổi; hãy thử lại.")
    if "closed round" in message:  # the triggers of migration 0009: congress says it first, naming the round
        return CongressError("Nhiệm kỳ này đã khóa: chỉ xem, không ghi. Không có gì thay đổi.")
    if "congress refuses" in message:  # congress_write's own checks (congress.store.access): a script, not congress
        return CongressError("Máy chủ cơ sở dữ liệu từ chối giá trị này (ngoài khoảng cho phép). Không có gì thay đổi.")
    if "row-level security" in message or "permission denied for" in message:
        return NOT_PERMITTED
    if "readonly" in message or "read-only" in message or "permission denied" in message:
        return CongressError("Cơ sở dữ liệu chỉ cho đọc (không có quyền ghi). Không có gì thay đổi.")
    if "disk is full" in message or "no space left" in message or "disk full" in message:
        return CongressError("Ổ đĩa đã đầy, không ghi được. Không có gì thay đổi; hãy giải phóng chỗ trống rồi thử lại.")
    if "unable to open database" in message:
        return CongressError("Không mở được tệp cơ sở dữ liệu (kiểm tra đường dẫn và quyền truy cập thư mục).")
    if "file is not a database" in message or "no such table" in message:
        return CongressError("Tệp này không phải cơ sở dữ liệu của congress.")
    if "could not connect" in message or "connection refused" in message or "connection failed" in message:
        return CongressError("Không kết nối được máy chủ cơ sở dữ liệu.", allow=Allow.CONNECT)
    return None


RECREATE = "để xóa và tạo lại"


def create_database(location: str, *, force: bool):
    """A new database at the current schema (the migrations build it), SQLite in WAL mode."""
    from pathlib import Path

    from sqlalchemy import text

    from congress.store import migrate

    path = sqlite_path(location)
    if path is not None:
        if os.path.lexists(path):
            if not path.is_file():  # a folder or a device node is never deleted, --force or not
                raise CongressError(f"{shown(location)} không phải tệp thường: không tạo cơ sở dữ liệu ở đó.")
            if not force:
                raise CongressError(f"{shown(location)} đã có.", allow=Allow.OVERWRITE, when=RECREATE)
            try:
                # the WAL and its index too: a stale -wal beside a new file would be replayed into it
                for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    stale.unlink(missing_ok=True)
            except OSError as error:  # on Windows, while another program has the file open
                raise CongressError(
                    f"Không xóa được {shown(location)}: {error.strerror} (có chương trình nào đang mở tệp này không?)."
                ) from None
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(location)
    if path is None:
        _refuse_or_clear(engine, location, force)
    else:
        raw = engine.raw_connection()  # journal mode cannot change inside a transaction
        try:
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": MARK[0], "v": MARK[1]})
    return engine


def _refuse_or_clear(engine, location: str, force: bool) -> None:
    """A server database: refuse if it holds tables, unless --force, which drops them."""
    from sqlalchemy import MetaData

    existing = MetaData()
    existing.reflect(engine)
    if existing.tables and not force:
        raise CongressError(f"{shown(location)} đã có dữ liệu.", allow=Allow.OVERWRITE, when=RECREATE)
    existing.drop_all(engine)


def lock_holders_error(engine) -> CongressError:
    """After a lock timeout on the server: who holds the locks (role, since when), in one line."""
    from sqlalchemy import text

    with engine.connect() as conn:
        holders = conn.execute(text(
            "SELECT a.usename, min(a.xact_start), a.state FROM pg_locks l"
            " JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.granted AND l.locktype = 'relation' AND a.datname = current_database()"
            " AND a.pid <> pg_backend_pid() GROUP BY a.pid, a.usename, a.state ORDER BY 2"
        )).all()
    who = "; ".join(
        f"tài khoản {role} từ {vn.moment(since, seconds=True)}" + (" (đang bỏ dở một giao dịch)" if "idle" in (state or "") else "")
        for role, since, state in holders
    ) or "một phiên làm việc đã kết thúc"
    return CongressError(f"Dữ liệu đang bị giữ quá lâu bởi {who}. Không có gì thay đổi; hãy nhờ họ đóng phiên rồi thử lại.")
