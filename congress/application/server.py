"""The register as `congress serve` holds it for the browser, whatever the web framework: its engines,
its logins (each one's account and, on PostgreSQL, an engine signed in as the account's own role),
signing in and out, and the session a write runs in. No Flask: congress.web.auth keeps the cookie,
CSRF and the pages; this keeps what a login means, in this process's memory."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from congress.domain.errors import CongressError
from congress.writes import accounts
from congress.writes.accounts import Account

SIGNED_OUT = ("Phiên đăng nhập đã kết thúc vì tài khoản đã đổi mật khẩu hoặc không còn được đăng nhập. "
              "Không có gì thay đổi; hãy đăng nhập lại.")
IDLE_HOURS = 10  # a login unused this long ends (a working day and some)


def actor(account: Account, command: str):
    """Who a write is recorded as: the account's name and working group, and the request's command id,
    so that undo reverts everything one form wrote (congress.writes.register.Actor)."""
    from congress.writes.register import Actor

    # the account's id, not its name: a new account given a removed one's name is someone else
    identity = f"web:{account.id}" if account.id is not None else None  # PostgreSQL: the role (register.author)
    return Actor(user=account.name, working_group=account.working_group, command=command, identity=identity,
                 office=account.is_office)  # only the office may override (congress.application.congresses)


@dataclass
class Login:
    account: Account
    engine: object | None  # PostgreSQL: an engine signed in as this account's role; SQLite: the app's
    password_hash: str | None  # SQLite: the hash at login; a changed or removed account ends the login
    seen: float


class Backend:
    """The database as the web server uses it: reads through the light path (congress.store.sql), writes
    through SQLModel sessions; on SQLite one write engine for the whole server (WAL, BEGIN IMMEDIATE,
    a pool of connections), on PostgreSQL one engine per role, shared by its logins and disposed with
    the last of them. A role's engine keeps no connection open: each write signs in anew, so a new
    password or NOLOGIN stops the next write, and a role never holds more than its writes at the time
    (the server bounds it too: access.GROUP_CONNECTIONS)."""

    def __init__(self, db: str, fixed_today: dt.date | None):
        from congress.store.database import make_engine, sqlite_path
        from congress.store.sql import Store

        self.db = db
        self.fixed_today = fixed_today
        Store.open(db).close()  # a missing or out-of-date database is refused now, in its own words
        self.dialect = "sqlite" if sqlite_path(db) is not None else "postgresql"
        self.throttle = accounts.Throttle()  # PostgreSQL; SQLite keeps them in the register (Recorder)
        self._logins: dict[str, Login] = {}
        self._role_engines: dict[str, object] = {}
        self._lock = threading.Lock()
        if self.dialect == "sqlite":
            self.engine = make_engine(db, write=True)
            # many browsers at once: readers never wait for a writer (a backup copy comes without WAL)
            pooled = self.engine.raw_connection()
            try:
                pooled.driver_connection.execute("PRAGMA journal_mode = WAL")
            finally:
                pooled.close()
            self.recorder = accounts.Recorder(self.engine)
        else:
            from sqlalchemy import event

            self.engine = make_engine(db, pool_pre_ping=True)  # the server's own account: reads only

            @event.listens_for(self.engine, "connect")
            def _read_only(connection, _record):
                connection.read_only = True

    def today(self) -> dt.date:
        from congress.domain.dates import today

        return self.fixed_today or today()

    # --- reading ----------------------------------------------------------------------------------

    @contextmanager
    def store(self):
        """A Store on one snapshot of the register."""
        from congress.store.sql import Store

        if self.dialect == "sqlite":
            with Store.open(self.db) as store:
                yield store
            return
        pooled = self.engine.raw_connection()
        try:
            yield Store(pooled.driver_connection, "postgresql", owned=False)
        finally:
            pooled.driver_connection.rollback()
            pooled.close()

    # --- signing in -------------------------------------------------------------------------------

    def sign_in(self, name: str, password: str, address: str) -> str:
        """The new login's token; a refusal is a CongressError with one answer for every cause
        (accounts.WRONG). `address` is the client's: failures are counted per (name, address)."""
        now = dt.datetime.now(dt.timezone.utc)
        name = name.strip().lower()
        with self._lock:
            self._forget_idle()  # first: an idle login's engine is not handed to the new one, then disposed
        if self.dialect == "sqlite":
            with self.store() as store:  # a read snapshot: no write lock to wait for
                attempt = accounts.sign_in(store, self.recorder, name, password, address, now)
            self.recorder.record(attempt, name, address, now)
            if attempt.account is None:
                raise CongressError(accounts.WRONG)
            login = Login(attempt.account, self.engine, attempt.password_hash, time.monotonic())
        else:
            login = self._sign_in_as_role(name, password, address, now)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._logins[token] = login
        return token

    def _sign_in_as_role(self, name: str, password: str, address: str, now: dt.datetime) -> Login:
        """PostgreSQL checks the password: the login is a connection as that role. Its working group is
        the one `congress db grant-group` gave it; a role without one is the office."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.pool import NullPool

        from congress.store.database import explain, make_engine, url_for

        try:
            accounts.check_name(name)
        except CongressError:
            raise CongressError(accounts.WRONG) from None
        # an address that must wait still tries the server, so its refusal takes the same time
        waiting = self.throttle.waiting(name, address, now)
        with self._lock:
            engine = self._role_engines.get(name)
        if engine is None or not hmac.compare_digest(engine.url.password or "", password):
            url = make_url(url_for(self.db)).set(username=name, password=password)
            engine = make_engine(url.render_as_string(hide_password=False), write=True, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                mapped = conn.execute(text("SELECT to_regclass('public.group_role') IS NOT NULL")).scalar()
                group = conn.execute(
                    text("SELECT group_number FROM public.group_role WHERE role = session_user")
                ).scalar() if mapped else None
        except DBAPIError as error:
            self._drop_engine_if_unused(name, engine)
            if not _refused_login(error):
                known = explain(error)
                if known is None:
                    raise
                raise known from None
            self.throttle.failed(name, address, now)
            raise CongressError(accounts.WRONG) from None
        if waiting:
            self._drop_engine_if_unused(name, engine)
            self.throttle.failed(name, address, now)
            raise CongressError(accounts.WRONG)
        self.throttle.succeeded(name, address)
        with self._lock:
            old = self._role_engines.get(name)
            self._role_engines[name] = engine
        if old is not None and old is not engine:  # a new password: the logins made with the old one end
            for token in [t for t, login in list(self._logins.items()) if login.engine is old]:
                self.sign_out(token)
            old.dispose()
        return Login(Account(name, group), engine, None, time.monotonic())

    def signed_in(self, login: Login, token: str | None):
        """What a write binds to: on PostgreSQL a connection signed in anew as the login's role; a new
        password or a role that may no longer sign in ends the login (`token`'s), with a message."""
        from sqlalchemy.exc import DBAPIError

        if login.engine is self.engine:
            return self.engine
        try:
            return login.engine.connect()
        except DBAPIError as error:
            if not _refused_login(error):
                raise
            self.sign_out(token)
            raise CongressError(SIGNED_OUT) from None

    @contextmanager
    def write_session(self, login: Login, token: str | None):
        """A SQLModel session for this login, committed at the end (or not at all), database errors in
        the user's words (congress.store.database.session_scope). On PostgreSQL it is connected as the
        account's own role, so the server's rights decide what it may change."""
        from congress.store.database import session_scope

        bind = self.signed_in(login, token)
        try:
            with session_scope(bind, write=True) as db_session:
                yield db_session
        finally:
            if bind is not self.engine:
                bind.close()

    @contextmanager
    def read_session(self, login: Login):
        """An ORM session for what only reads but calls the register's session-based functions (a dry run,
        an undo's plan, a return sheet to fill). On SQLite it takes no write lock, so checking a long sheet
        never holds up a group's log; on PostgreSQL it is the login's own, as its writes are."""
        from congress.store.database import make_engine, session_scope

        if self.dialect != "sqlite":
            with session_scope(login.engine, write=False) as db:
                yield db
            return
        engine = make_engine(self.db)
        try:
            with session_scope(engine, write=False) as db:
                yield db
        finally:
            engine.dispose()

    def _current_hash(self, name: str, read) -> str | None:
        query = "SELECT password_hash FROM account WHERE name = :name"
        if read is not None:
            return read().value(query, name=name)
        with self.store() as store:
            return store.value(query, name=name)

    def _drop_engine_if_unused(self, name: str, engine) -> None:
        """A role's engine lives while one of its logins does."""
        with self._lock:
            if any(login.engine is engine for login in self._logins.values()):
                return
            if self._role_engines.get(name) is engine:
                del self._role_engines[name]
        engine.dispose()

    def may_still_sign_in(self, login: Login) -> bool:
        """PostgreSQL: the role still exists, may log in and has not expired (checked at each request;
        a new password is met at the next write, which signs in anew)."""
        if self.dialect == "sqlite":
            return True
        with self.store() as store:
            return bool(store.value(
                "SELECT rolcanlogin AND (rolvaliduntil IS NULL OR rolvaliduntil > now()) FROM pg_roles"
                " WHERE rolname = :name", name=login.account.name,
            ))

    def login(self, token: str | None, read=None) -> Login | None:
        """The login a cookie's token names, if it still holds; touching it keeps it alive. `read` gives
        the request's Store, where a changed password is read (without one, a Store is opened for it)."""
        if not token:
            return None
        with self._lock:
            login = self._logins.get(token)
        if login is None or time.monotonic() - login.seen > IDLE_HOURS * 3600:
            self.sign_out(token)
            return None
        if login.password_hash is not None and self._current_hash(login.account.name, read) != login.password_hash:
            self.sign_out(token)  # removed, or its password changed (`congress user passwd`)
            return None
        if not self.may_still_sign_in(login):
            self.sign_out(token)  # made NOLOGIN, expired or dropped on the server
            return None
        login.seen = time.monotonic()
        return login

    def sign_out(self, token: str | None) -> None:
        with self._lock:
            login = self._logins.pop(token, None) if token else None
        if login is not None and login.engine is not self.engine:
            self._drop_engine_if_unused(login.account.name, login.engine)

    def _forget_idle(self) -> None:
        """Called holding the lock: idle logins end, and their roles' engines with the last of them."""
        limit = time.monotonic() - IDLE_HOURS * 3600
        ended = [self._logins.pop(t) for t, login in list(self._logins.items()) if login.seen < limit]
        for login in ended:
            engine = login.engine
            if engine is not self.engine and not any(other.engine is engine for other in self._logins.values()):
                if self._role_engines.get(login.account.name) is engine:
                    del self._role_engines[login.account.name]
                engine.dispose()

    def close(self) -> None:
        with self._lock:
            tokens = list(self._logins)
        for token in tokens:
            self.sign_out(token)
        if self.dialect == "sqlite":
            self.recorder.close()  # what was counted is written before the engine goes
        self.engine.dispose()




def _refused_login(error) -> bool:
    """Whether the server refused the name or the password (counted), rather than being unreachable."""
    message = str(getattr(error, "orig", error)).lower()
    return any(words in message for words in (
        "password authentication failed", "authentication failed", "no password supplied", "does not exist",
        "pg_hba.conf", "not permitted to log in",
    ))
