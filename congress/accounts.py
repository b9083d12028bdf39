"""Who may sign in to `congress serve`, and the lock-out after repeated failures.

On SQLite the accounts live in the register (table `account`): a name, the working group it logs
for (none: the office) and a salted scrypt hash of its password. On PostgreSQL a login is the
server's own role, authenticated by the server, and its working group is the one
`congress db grant-group` mapped it to; only the lock-out is kept here, in the server's memory.
No Flask, no Click: the commands and the web server call these.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import unicodedata
from dataclasses import dataclass

from congress import vn
from congress.errors import CongressError

MAX_FAILURES = 5  # failed logins in a row that lock an account
LOCK_MINUTES = 15
MIN_PASSWORD = 8
MAX_PASSWORD = 1000  # a longer "password" is a pasted file
# scrypt as OWASP's password storage guidance sets it: 2^14 iterations, 16 MB of memory, ~50 ms
_N, _R, _P, _SALT, _LENGTH = 2**14, 8, 1, 16, 32


@dataclass(frozen=True)
class Account:
    """A signed-in account: the office (working_group None) or a working group's."""

    name: str
    working_group: int | None
    id: int | None = None  # SQLite's account row, never given again (history's author); None on PostgreSQL

    @property
    def is_office(self) -> bool:
        return self.working_group is None


# --- passwords ----------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(_SALT)
    digest = _scrypt(password, salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(found, bytes.fromhex(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFC: the same password typed on a Mac (NFD) and on Windows must match
    key = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(key, salt=salt, n=n, r=r, p=p, dklen=_LENGTH, maxmem=64 * 1024 * 1024)


# A hash to check a password against when the name is unknown, so that a wrong name takes as long
# to refuse as a wrong password and the time does not tell which names exist.
_DECOY = hash_password(secrets.token_hex(8))


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise CongressError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD} ký tự.")
    if len(password) > MAX_PASSWORD:
        raise CongressError(f"Mật khẩu quá dài: tối đa {vn.number(MAX_PASSWORD)} ký tự.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in password):
        raise CongressError("Mật khẩu không được chứa ký tự điều khiển hay ký tự ẩn.")
    return password


def check_name(name: str) -> str:
    """The same names PostgreSQL roles take (congress.access.ROLE_NAME), so an account moves from one
    backend to the other unchanged."""
    from congress.access import ROLE_NAME

    if not ROLE_NAME.fullmatch(name):
        shown = name if len(name) <= 30 else name[:30] + "…"
        raise CongressError(
            f"Tên tài khoản «{shown}» không hợp lệ: chỉ chữ thường không dấu, chữ số và dấu _, bắt đầu bằng chữ, "
            "tối đa 63 ký tự."
        )
    return name


# --- lock-out -----------------------------------------------------------------------------------


def after_failure(failures: int, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """One more failed login: the new count, and until when the account is locked (None: not locked).
    The count starts again once a lock is set, so the next lock takes five more failures."""
    failures += 1
    if failures >= MAX_FAILURES:
        return 0, now + dt.timedelta(minutes=LOCK_MINUTES)
    return failures, None


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and now < locked_until


def locked_message(name: str, until: dt.datetime) -> str:
    return (f"Tài khoản {name} đang tạm khóa vì đăng nhập sai {MAX_FAILURES} lần liên tiếp, đến {vn.moment(until)} "
            "(giờ Việt Nam). Hãy thử lại sau thời điểm đó, hoặc nhờ văn phòng đặt lại mật khẩu.")


WRONG = "Sai tên đăng nhập hoặc mật khẩu."


class Lockouts:
    """Failed logins per name in the server's memory (PostgreSQL: the server authenticates, the
    register holds no accounts). A restart forgets them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_name: dict[str, tuple[int, dt.datetime | None]] = {}

    def locked_until(self, name: str, now: dt.datetime) -> dt.datetime | None:
        with self._lock:
            _, until = self._by_name.get(name, (0, None))
        return until if is_locked(until, now) else None

    def failed(self, name: str, now: dt.datetime) -> dt.datetime | None:
        with self._lock:
            failures, _ = self._by_name.get(name, (0, None))
            self._by_name[name] = after_failure(failures, now)
            return self._by_name[name][1]

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._by_name.pop(name, None)


# --- the register's accounts (SQLite) -----------------------------------------------------------


def _refuse_on_server(session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        raise CongressError(
            "Với PostgreSQL, tài khoản đăng nhập là tài khoản của máy chủ: tạo bằng «createuser --pwprompt TÊN» "
            "(với tài khoản postgres), rồi giao tổ bằng «congress db grant-group SỐ_TỔ TÊN»."
        )


def _find(session, name: str):
    from sqlmodel import select

    from congress.models import Account as Row

    return session.exec(select(Row).where(Row.name == name)).first()


def refuse_existing(session, name: str, group: int | None) -> None:
    """What `add` refuses before a password is asked: the backend, the name, the group, a name taken."""
    from congress import register

    _refuse_on_server(session)
    check_name(name)
    if group is not None:
        register.find_group(session, group)
    if _find(session, name) is not None:
        raise CongressError(f"Tài khoản {name} đã có (đổi mật khẩu bằng «congress user passwd {name}»).")


def add(session, name: str, group: int | None, password: str) -> None:
    from congress.models import Account as Row

    refuse_existing(session, name, group)
    session.add(Row(name=name, working_group=group, password_hash=hash_password(check_password(password))))


def set_password(session, name: str, password: str) -> None:
    """A new password also lifts a lock-out: the office resets a clerk who forgot theirs."""
    _refuse_on_server(session)
    row = existing(session, name)
    row.password_hash = hash_password(check_password(password))
    row.failed_logins, row.locked_until = 0, None
    session.add(row)


def remove(session, name: str) -> None:
    _refuse_on_server(session)
    session.delete(existing(session, name))


def listed(session) -> list:
    from sqlmodel import select

    from congress.models import Account as Row

    _refuse_on_server(session)
    return list(session.exec(select(Row).order_by(Row.name)))


def existing(session, name: str):
    _refuse_on_server(session)
    row = _find(session, name)
    if row is None:
        raise CongressError(f"Không có tài khoản {name} (xem «congress user list»).")
    return row


def sign_in(session, name: str, password: str, now: dt.datetime) -> tuple[Account | None, str | None]:
    """(the account, None) when the password is right, else (None, why it was refused). A failure is
    counted in the account's row, so the caller commits the session either way."""
    row = _find(session, name)
    if row is None:
        verify_password(password, _DECOY)
        return None, WRONG
    locked_until = utc(row.locked_until)
    if is_locked(locked_until, now):
        return None, locked_message(name, locked_until)
    if not verify_password(password, row.password_hash):
        row.failed_logins, until = after_failure(row.failed_logins, now)
        row.locked_until = until  # UTC; SQLite gives it back without its zone (utc())
        session.add(row)
        return None, locked_message(name, until) if until else WRONG
    if row.failed_logins or row.locked_until:
        row.failed_logins, row.locked_until = 0, None
        session.add(row)
    return Account(row.name, row.working_group, row.id), None


def account_named(session, name: str) -> Account | None:
    row = _find(session, name)
    return Account(row.name, row.working_group, row.id) if row else None


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment
