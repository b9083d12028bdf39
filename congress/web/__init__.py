"""`congress serve`: the register in a browser, for the office and the working groups.

Flask renders plain HTML from templates/web/ (autoescaped), every figure from the same read model
as the CLI (congress.read.progress, listings, summary, views, brief). No JavaScript.
"""
from __future__ import annotations

import datetime as dt
import secrets
import time
from importlib import resources

from congress.domain.rules import MAX_UPLOAD_MB

# what a page may load: its own style sheet and nothing else; no script at all
POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
          "frame-ancestors 'none'; base-uri 'none'")

FAILED = ("Máy chủ gặp sự cố ngoài dự kiến; không có gì thay đổi. Hãy báo cho người phụ trách phần mềm "
          "congress, kèm trang vừa mở và giờ xảy ra.")
UNREADABLE_HOST = "congress.unreadable_host"


def _host_checked(wsgi_app, url_map):
    """A Host header werkzeug cannot bind to ("..", a label of 64 letters) leaves Flask without its URLs,
    so every page, the error page too, would fail: such a request is answered as if it came without
    one (the server's own name), marked to be refused."""
    from werkzeug.exceptions import HTTPException

    def checked(environ, start_response):
        try:
            url_map.bind_to_environ(environ)
        except HTTPException:
            environ.pop("HTTP_HOST", None)
            environ[UNREADABLE_HOST] = True
        return wsgi_app(environ, start_response)

    return checked


def create_app(db: str, *, today: dt.date | None = None):
    """The web application on the register at `db`; `today` fixes the day (tests), else CONGRESS_TODAY
    or the machine's date, as the CLI reads it."""
    from flask import Flask, Response, g, render_template, request
    from jinja2 import FileSystemLoader, StrictUndefined

    from congress.domain.errors import CongressError, NotFound
    from congress.web import auth, pages, writes
    from congress.application.server import Backend

    folder = resources.files("congress.templates")
    app = Flask(__name__, static_folder=str(folder / "web" / "static"), static_url_path="/static")
    app.config.update(
        # a new key at every start: sessions end when the server restarts (README)
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_NAME="congress",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=MAX_UPLOAD_MB * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=MAX_UPLOAD_MB * 1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_loader = FileSystemLoader(str(folder))
    # *.html.j2 is not among the names Flask escapes by default: every template is escaped
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(csrf_token=auth.csrf_token, current_account=auth.current_account,
                                round_choices=auth.round_choices, here=auth.here)
    app.extensions["congress"] = Backend(db, today)
    app.wsgi_app = _host_checked(app.wsgi_app, app.url_map)

    @app.before_request
    def _start_clock():
        g.started = time.perf_counter()

    @app.before_request
    def _unreadable_host():
        if request.environ.get(UNREADABLE_HOST):
            return render_template("web/error.html.j2", message=(
                "Yêu cầu ghi tên máy chủ (Host) không đọc được. Không có gì thay đổi; hãy mở lại địa chỉ của trang."
            )), 400

    app.before_request(auth.check_request)
    app.before_request(auth.choose_round)
    app.teardown_request(auth.close_store)
    app.teardown_request(auth.unchoose_round)

    @app.after_request
    def _headers(response):
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - g.get('started', time.perf_counter())) * 1000:.1f}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Content-Security-Policy", POLICY)
        if request.endpoint != "static":
            # a shared office computer: after logout, Back must not show the register from the cache
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CongressError)
    def _refused(error):
        # the CLI's one error boundary, in a page: the facts the CLI prints after "Lỗi:", in the browser's words
        return render_template("web/error.html.j2", message=auth.worded(error),
                               candidates=getattr(error, "candidates", [])), 404 if isinstance(error, NotFound) else 400

    @app.errorhandler(413)
    def _too_large(_error):
        return render_template("web/error.html.j2", message=(
            f"Tệp gửi lên quá lớn: tối đa {MAX_UPLOAD_MB} MB. Không có gì thay đổi."
        )), 413

    @app.errorhandler(404)
    def _not_found(_error):
        return render_template("web/error.html.j2", message="Không có trang này."), 404

    @app.errorhandler(405)
    def _not_allowed(_error):
        return render_template("web/error.html.j2", message="Trang này không nhận cách gửi đó."), 405

    @app.errorhandler(500)
    def _failed(_error):
        # the traceback goes to the server's log, never to the page
        try:
            return render_template("web/error.html.j2", message=FAILED), 500
        except Exception:  # the page itself needs what failed (the database, for the account's name)
            return Response(f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Lỗi</title>'
                            f"<p>Lỗi: {FAILED}</p></html>", 500, mimetype="text/html")

    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(writes.bp)
    return app
