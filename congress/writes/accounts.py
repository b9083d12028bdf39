"""Who may sign in to `congress serve`, and how repeated failures from one address slow down.

On SQLite the accounts live in the register (table `account`): a name, the working group it logs
for (none: the office) and a salted scrypt hash of its password. On PostgreSQL a login is the
server's own role, authenticated by the server, and its working group is the one
`congress db grant-group` mapped it to; only the failures are kept here, in the server's memory.
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

from congress.domain import vn
from congress.domain.errors import Allow, CongressError

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
    key = vn.nfc(password).encode("utf-8")
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
    """The same names PostgreSQL roles take (congress.store.access.ROLE_NAME), so an account moves from one
    backend to the other unchanged."""
    from congress.store.access import ROLE_NAME

    if not ROLE_NAME.fullmatch(name):
        shown = name if len(name) <= 30 else name[:30] + "…"
        raise CongressError(
            f"Tên tài khoản «{shown}» không hợp lệ: chỉ chữ thường không dấu, chữ số và dấu _, bắt đầu bằng chữ, "
            "tối đa 63 ký tự."
        )
    return name


# --- slowing down repeated failures ------------------------------------------------------------
# Counted per pair (account, client address): a stranger who knows a group's name slows down and
# then refuses only their own address, never the group's clerks signing in from theirs.

FREE_FAILURES = 5  # failures in a row from one address before that address has to wait
MAX_WAIT_MINUTES = 64


def waits_until(failures: int, last_failed: dt.datetime) -> dt.datetime | None:
    """Until when a pair with this many failures in a row is refused: after the fifth 1 minute, then
    2, 4, … 64 minutes after the last failure (None: it may try now)."""
    if failures < FREE_FAILURES:
        return None
    return last_failed + dt.timedelta(minutes=min(2 ** (failures - FREE_FAILURES), MAX_WAIT_MINUTES))


def is_waiting(failures: int, last_failed: dt.datetime | None, now: dt.datetime) -> bool:
    until = waits_until(failures, last_failed) if last_failed else None
    return until is not None and now < until


# One answer for every refusal — unknown name, wrong password, an address that must wait — so that
# neither the words nor the time tell a stranger which names exist or which are being slowed down.
WRONG = ("Sai tên đăng nhập hoặc mật khẩu. Sau nhiều lần sai liên tiếp, máy này phải chờ ít phút mới được thử lại "
         "(văn phòng mở lại được).")


class Throttle:
    """The failures per pair in the server's memory, for PostgreSQL (the server authenticates; the
    register holds no accounts). A restart forgets them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pairs: dict[tuple[str, str], tuple[int, dt.datetime]] = {}

    def waiting(self, name: str, address: str, now: dt.datetime) -> bool:
        with self._lock:
            failures, last = self._pairs.get((name, address), (0, None))
        return is_waiting(failures, last, now)

    def failed(self, name: str, address: str, now: dt.datetime) -> None:
        with self._lock:
            failures, _ = self._pairs.get((name, address), (0, None))
            self._pairs[(name, address)] = (failures + 1, now)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._pairs.pop((name, address), None)


# --- the register's accounts (SQLite) -----------------------------------------------------------


def _refuse_on_server(store) -> None:
    if store.dialect == "postgresql":
        # createuser is typed on the server by its administrator: a fact of the set-up, not our option
        raise CongressError(
            "Với PostgreSQL, tài khoản đăng nhập là tài khoản của máy chủ: tạo bằng «createuser --pwprompt TÊN» "
            "(với tài khoản postgres).", allow=Allow.GRANT_GROUP,
        )


def _find(store, name: str) -> Account | None:
    found = store.one("SELECT name, working_group, id FROM account WHERE name = :name", name=name)
    return Account(*found) if found else None


def refuse_existing(store, name: str, group: int | None) -> None:
    """What `add` refuses before a password is asked: the backend, the name, the group, a name taken."""
    from congress.read.lookups import find_group

    _refuse_on_server(store)
    check_name(name)
    if group is not None:
        find_group(store, group)
    if _find(store, name) is not None:
        raise CongressError(f"Tài khoản {name} đã có.", allow=Allow.NEW_PASSWORD, name=name)


def add(store, name: str, group: int | None, password: str) -> None:
    refuse_existing(store, name, group)
    store.change("INSERT INTO account (name, working_group, password_hash) VALUES (:name, :group, :hash)",
                 name=name, group=group, hash=hash_password(check_password(password)))


def set_password(store, name: str, password: str) -> None:
    """A new password also lets every address try again: the office resets a clerk who forgot theirs."""
    existing(store, name)
    store.change("UPDATE account SET password_hash = :hash WHERE name = :name", name=name,
                 hash=hash_password(check_password(password)))
    _forget_failures(store, name)


def remove(store, name: str) -> None:
    existing(store, name)
    store.change("DELETE FROM account WHERE name = :name", name=name)
    _forget_failures(store, name)


def listed(store) -> list[Account]:
    _refuse_on_server(store)
    return [Account(*row) for row in store.rows("SELECT name, working_group, id FROM account ORDER BY name")]


def existing(store, name: str) -> Account:
    _refuse_on_server(store)
    found = _find(store, name)
    if found is None:
        raise CongressError(f"Không có tài khoản {name}.", allow=Allow.LIST_ACCOUNTS)
    return found


@dataclass(frozen=True)
class Attempt:
    """What one sign-in found: the account when it may sign in (with its hash, so that a changed
    password ends the login), whether the name exists, and the pair's failures until now."""

    account: Account | None
    password_hash: str | None
    known: bool
    failures: int


def sign_in(store, recorder: "Recorder", name: str, password: str, address: str, now: dt.datetime) -> Attempt:
    """Reads only (a snapshot of the register, which in WAL mode waits for no writer): what it found is
    recorded afterwards by the Recorder, so a long import never holds up the answer."""
    from congress.store.sql import to_moment

    row = store.one("SELECT name, working_group, password_hash, id FROM account WHERE name = :name", name=name)
    failures, last_failed = store.one(
        "SELECT failures, last_failed FROM signin_failure WHERE account = :name AND address = :address",
        name=name, address=address,
    ) or (0, None)
    last_failed = utc(to_moment(last_failed))
    # failures not written yet count too: a long import must not switch the slowing down off
    pending, pending_last = recorder.pending(name, address)
    failures, last_failed = failures + pending, pending_last or last_failed
    # the hash runs once on every path (a decoy for an unknown name): the time tells nothing either
    right = verify_password(password, row[2] if row else _DECOY)
    if row is None:
        return Attempt(None, None, False, 0)
    if not right or is_waiting(failures, last_failed, now):
        return Attempt(None, None, True, failures)
    return Attempt(Account(row[0], row[1], row[3]), row[2], True, failures)


class Recorder:
    """Writes the sign-ins' failures to the register in one thread of its own, after the answer has
    gone: a writer holding the lock (a long import) delays the count, never a clerk's sign-in."""

    def __init__(self, engine):
        import queue

        self._engine = engine
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, str], tuple[int, dt.datetime]] = {}  # failures queued, not yet written
        self._thread = threading.Thread(target=self._run, name="signin-recorder", daemon=True)
        self._thread.start()

    def record(self, attempt: Attempt, name: str, address: str, now: dt.datetime) -> None:
        if not attempt.known or (attempt.account is not None and not attempt.failures):
            return  # an unknown name leaves nothing behind; a clean sign-in has nothing to clear
        succeeded = attempt.account is not None
        if not succeeded:
            with self._lock:
                count, _ = self._pending.get((name, address), (0, None))
                self._pending[(name, address)] = (count + 1, now)
        self._queue.put((name, address, succeeded, now))

    def pending(self, name: str, address: str) -> tuple[int, dt.datetime | None]:
        """The pair's failures queued but not yet written, and the last one's time."""
        with self._lock:
            return self._pending.get((name, address), (0, None))

    def flush(self) -> None:
        """Wait until everything recorded so far is written."""
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _run(self) -> None:
        from congress.store.database import session_scope
        from congress.store.schema import SigninFailure

        while (item := self._queue.get()) is not None:
            name, address, succeeded, now = item
            try:
                with session_scope(self._engine, write=True) as session:
                    row = session.get(SigninFailure, (name, address))
                    if succeeded:
                        if row is not None:
                            session.delete(row)
                    else:
                        row = row or SigninFailure(account=name, address=address, failures=0, last_failed=now)
                        row.failures, row.last_failed = row.failures + 1, now
                        session.add(row)
            except CongressError:
                pass  # locked past the busy timeout or a full disk: this one count is lost, the server goes on
            finally:
                if not succeeded:  # written (or lost): the register's count holds it from now on
                    with self._lock:
                        count, last = self._pending.pop((name, address))
                        if count > 1:
                            self._pending[(name, address)] = (count - 1, last)
                self._queue.task_done()
        self._queue.task_done()


def waiting_addresses(store, now: dt.datetime) -> dict[str, list[tuple[str, dt.datetime]]]:
    """Per account, the client addresses refused until when (what `congress user list` shows)."""
    from congress.store.sql import to_moment

    found: dict[str, list[tuple[str, dt.datetime]]] = {}
    for account, address, failures, last_failed in store.rows(
            "SELECT account, address, failures, last_failed FROM signin_failure ORDER BY address"):
        last = utc(to_moment(last_failed))
        if is_waiting(failures, last, now):
            found.setdefault(account, []).append((address, waits_until(failures, last)))
    return found


def _forget_failures(store, name: str) -> None:
    store.change("DELETE FROM signin_failure WHERE account = :name", name=name)


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment
