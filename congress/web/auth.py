"""Accounts in the browser: login, logout, the session cookie, CSRF, slowing down failed logins, and each account's own
access to the database.

The cookie (Flask's, signed with a key made at start-up) holds only two random tokens: the CSRF
token and, once signed in, the login's token. What a login means (its account and, on PostgreSQL, an
engine connected as its own role with the password typed) stays in this process's memory, so a
password never travels in a cookie, logout ends the login on the server, and a restart ends every
login.
"""
from __future__ import annotations

import datetime as dt
import functools
import hmac
import re
import secrets
import unicodedata
import uuid

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for

from congress.application.server import Account, Backend, Login
from congress.domain.errors import Allow, CongressError

bp = Blueprint("auth", __name__)
# What would let a refusal through, in the browser's words (congress.domain.errors.Allow): the database's
# address and version are set where `congress serve` runs, never from a page; the override is a checkbox,
# and the office's alone (a wording by whether the account is the office's); a fresh undo, the page again.
_UNDO_AGAIN = ("Trong lúc chờ xác nhận đã có thay đổi mới; chưa hoàn tác gì. "
               "Mở lại trang hoàn tác để xem thay đổi gần nhất.")
ON_A_PAGE = {
    Allow.CONNECT: "{message} Không có gì thay đổi; hãy thử lại sau ít phút.",
    Allow.OVERRIDE: {True: "{message} Đánh dấu «Ghi đè» {when}.", False: "{message} Cần văn phòng ghi đè {when}."},
    Allow.UNDO_AGAIN: _UNDO_AGAIN,
    Allow.UPGRADE: "{message} Người quản trị máy chủ cần cập nhật cơ sở dữ liệu (dữ liệu được giữ nguyên).",
    Allow.RETIRE_ADDED_STEP: "{message} Nếu thêm nhầm, văn phòng cho bước «{code}» ngừng dùng (bước đã dùng không xóa được).",
    Allow.EDIT_ORGANISATION: "{message} Nếu thêm nhầm, văn phòng sửa lại tên, cấp trên hoặc ghi ngày giải thể.",
    Allow.REASSIGN_GROUP: "{message} Nếu lập nhầm, văn phòng sửa tên tổ hoặc giao lại các đảng bộ.",
    Allow.OPEN_ROUND: "{message} Nếu cần sửa, văn phòng mở lại nhiệm kỳ.",
    Allow.CHOOSE_ROUND: "{message} Chọn nhiệm kỳ của tổ chức này ở đầu trang rồi ghi lại.",
}
# endpoints anyone may reach: the login page itself and the style sheet it uses
PUBLIC = {"auth.login", "static"}
MAX_NEXT = 2000  # longer than any page's own address with its filters


# --- what pages and helper modules use ----------------------------------------------------------


def backend() -> Backend:
    return current_app.extensions["congress"]


def today() -> dt.date:
    """CONGRESS_TODAY is honoured as the CLI honours it (or the day create_app was given)."""
    return backend().today()


def choose_round() -> None:
    """Every request reads and writes the round its session chose (the chooser on every page), else the
    default one: congress.read.lookups reads it from a context variable, reset after the request."""
    from congress.application.database import choose_round

    g.round_token = choose_round(session.get("round"))


def unchoose_round(_error=None) -> None:
    from congress.application.database import unchoose_round

    token = g.pop("round_token", None)
    if token is not None:
        unchoose_round(token)


def round_choices() -> list:
    """The chooser's rounds; none before sign-in, or when the session's round is gone (its page says so)."""
    from congress.application import reads

    if current_account() is None:
        return []
    try:
        return reads.round_choices(read_store())
    except CongressError:
        return []


def read_store():
    """The request's Store: opened at first use, one snapshot for the whole request, closed when the
    response is sent. A page that writes and then reads again redirects first (a new request)."""
    if "store" not in g:
        g._store_cm = backend().store()
        g.store = g._store_cm.__enter__()
    return g.store


def close_store(_error=None) -> None:
    manager = g.pop("_store_cm", None)
    g.pop("store", None)
    if manager is not None:
        manager.__exit__(None, None, None)


def current_login() -> Login | None:
    if "login" not in g:
        g.login = backend().login(session.get("login"), read_store)
    return g.login


def current_account() -> Account | None:
    login = current_login()
    return login.account if login else None


def actor():
    """Who a write is recorded as: the account's name and working group, and one command id for the
    whole request, so that undo reverts everything one form wrote."""
    from congress.application.server import actor

    if "command" not in g:
        g.command = uuid.uuid4().hex
    return actor(current_account(), g.command)


def write_session():
    """A SQLModel session for this account, committed at the end (or not at all): the Backend's
    (congress.application.server), as the account's own role on PostgreSQL."""
    login = current_login()
    if login is None:
        abort(401)
    return backend().write_session(login, session.get("login"))


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_account() is None:
            return redirect(url_for("auth.login", next=here()))
        return view(*args, **kwargs)

    return wrapped


def worded(refused) -> str:
    """A refusal (a CongressError, a page's Refused, an import's RowError) as a page says it: the
    domain's facts, then what the browser's user can do about it."""
    wording = ON_A_PAGE.get(getattr(refused, "allow", None))
    if isinstance(wording, dict):
        wording = wording[current_account().is_office]
    facts = getattr(refused, "facts", {})
    return wording.format(message=refused, when=getattr(refused, "when", ""), **facts) if wording else str(refused)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_request():
    """Every request: a page needs an account (except the login page), and every POST carries this
    session's CSRF token. Registered once, before any view runs."""
    if request.method == "POST":
        sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
        expected = session.get("csrf")
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            return render_template("web/error.html.j2", message=(
                "Biểu mẫu đã hết hạn hoặc không gửi từ trang của congress (thiếu mã bảo vệ CSRF). "
                "Không có gì thay đổi; hãy tải lại trang rồi gửi lại."
            )), 400
    if request.endpoint not in PUBLIC and current_account() is None:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=here()))
        return render_template("web/error.html.j2", message="Cần đăng nhập trước. Không có gì thay đổi."), 401
    return None


def here() -> str:
    return request.full_path.rstrip("?")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site, else the overview. Browsers drop tabs and
    newlines from a URL and read "\\" as "/", so "/\\t/evil.example" is "//evil.example", another site
    (and a newline would break the Location header). So: printable ASCII without space or backslash
    (what here() gives: the query stays percent-encoded), one leading "/", and once percent-decoded
    (a proxy may decode %2F) still no second "/" or "\\" after it and no control character."""
    from urllib.parse import unquote

    if not target or len(target) > MAX_NEXT:
        return url_for("pages.overview")
    decoded = unquote(target)
    if (target.isascii() and target.isprintable() and " " not in target and "\\" not in target
            and _ONE_SLASH.match(target) and _ONE_SLASH.match(decoded)
            and not any(unicodedata.category(c) == "Cc" for c in decoded)):
        return target
    return url_for("pages.overview")


_ONE_SLASH = re.compile(r"/(?![/\\])")


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    if request.method == "GET" and current_account() is not None:
        return redirect(safe_next(request.args.get("next")))
    error = None
    name = ""
    if request.method == "POST":
        name = request.form.get("name", "")
        password = request.form.get("password", "")
        if not name.strip() or not password:
            error = "Nhập tên đăng nhập và mật khẩu."
        else:
            try:
                token = backend().sign_in(name, password, request.remote_addr or "")
            except CongressError as refusal:
                error = worded(refusal)
            else:
                # a new session: a cookie planted before login (fixation) is worth nothing after it
                session.clear()
                session["login"] = token
                csrf_token()
                return redirect(safe_next(request.args.get("next")))
    status = 200 if error is None else 401
    return render_template("web/login.html.j2", error=error, name=name, next=request.args.get("next", "")), status


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    backend().sign_out(session.get("login"))
    session.clear()
    return redirect(url_for("auth.login"))
