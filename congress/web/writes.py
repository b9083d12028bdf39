"""What a working group and the office write from the browser: log, schedule, unlog, a congress's
preparation steps and result, a return sheet, undo.

Every change goes through the very jobs the CLI's commands call (congress.application.congresses,
congress.application.imports), inside one write session per request, so a page refuses what the command
refuses, with the same facts, and history records it the same way. A refusal is shown beside the field it is about
and nothing is written.
"""
from __future__ import annotations

import atexit
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for

from congress.domain.errors import Allow, Ambiguous, CongressError
from congress.domain.rules import MAX_CELL_CHARS as MAX_TEXT  # the longest name or note the register holds
from congress.domain.rules import MAX_RETURN_ROWS, MAX_UPLOAD_MB
from congress.domain.vn import day, number
from congress.web.auth import (
    actor, backend, current_account, current_login, login_required, read_store, today, worded, write_session,
)

bp = Blueprint("writes", __name__)

UPLOAD_KEPT_SECONDS = 3600  # a dry run not confirmed within the hour is uploaded again
UPLOADS_KEPT_MB = 20 * MAX_UPLOAD_MB  # every login's waiting sheet at once: twenty groups' at the limit
MAX_NAME_BYTES = 200  # a file system holds 255 bytes per name, and a Vietnamese letter takes two or three
REFUSALS_SHOWN = 100  # a dry run lists the first refused rows and counts the rest
SHEET_SUFFIXES = (".xlsx", ".csv", ".txt", ".tsv")
KINDS = {"held": "Ngày tổ chức đại hội", "schedule": "Ngày dự kiến đại hội", "results": "Kết quả đại hội"}
TEMPLATE_NAMES = {"held": "mau-ngay-to-chuc", "schedule": "mau-ngay-du-kien", "results": "mau-ket-qua"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


UPLOADS_PREFIX = "congress-tep-"  # then the server's pid: congress-tep-<pid>-<random>


@bp.record_once
def _upload_folder(state) -> None:
    """Each server keeps waiting uploads in a private temporary folder of its own (mode 700), named by
    its pid and removed when it stops (Ctrl-C or SIGTERM, congress.cli.serve): a restart ends every
    login, and with it every upload waiting for confirmation. What a server killed outright (SIGKILL, a
    power cut) left behind is removed by the next one to start."""
    _remove_orphans()
    folder = Path(tempfile.mkdtemp(prefix=f"{UPLOADS_PREFIX}{os.getpid()}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    state.app.extensions["congress.uploads"] = folder


def _remove_orphans() -> None:
    """The upload folders, this user's, of servers no longer running."""
    for folder in Path(tempfile.gettempdir()).glob(f"{UPLOADS_PREFIX}*-*"):
        pid = folder.name[len(UPLOADS_PREFIX):].split("-", 1)[0]
        try:
            if not pid.isascii() or not pid.isdigit() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)  # signal 0 only asks whether the process exists
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (PermissionError, OverflowError, OSError):
            continue  # another user's process, or not a pid at all: not ours to remove


def uploads() -> Path:
    return current_app.extensions["congress.uploads"]


class Refused(Exception):
    """A refusal, with the form field it is about (None: the form as a whole), and what would let it
    through (congress.domain.errors.Allow), worded by congress.web.auth.worded."""

    def __init__(self, field: str | None, message: str, allow: Allow | None = None, when: str = "",
                 facts: dict | None = None):
        super().__init__(message)
        self.field, self.allow, self.when, self.facts = field, allow, when, facts or {}

    @classmethod
    def of(cls, error: CongressError, field: str | None = None) -> "Refused":
        message = str(error)
        if isinstance(error, Ambiguous):  # the candidates belong in the message: a page has no second line
            message = f"{error} {'; '.join(error.candidates)}."
        return cls(error.field or field, message, error.allow, error.when, error.facts)


@contextmanager
def about(field: str | None):
    """The register's refusals raised inside are shown beside their own field, else beside `field`."""
    try:
        yield
    except CongressError as error:
        raise Refused.of(error, field) from None


def _text(name: str, label: str) -> str:
    """A form field as typed; one longer than any name or note the register holds is refused here,
    before it is looked up or echoed back in a message."""
    value = request.form.get(name, "")
    if len(value) > MAX_TEXT:
        raise Refused(name, f"{label} dài {number(len(value))} ký tự; tối đa {number(MAX_TEXT)} ký tự.")
    return value


def _force() -> bool:
    """The override a form sends: the office's alone (congress.application.congresses.check_override)."""
    from congress.application.congresses import check_override

    with about("force"):
        return check_override(actor(), bool(request.form.get("force")))


def _date(name: str, label: str, what: str) -> str:
    """A date field as typed; the CLI's default is today, and the form starts with today's date written in."""
    typed = _text(name, label)
    if not typed.strip():
        raise Refused(name, f"Chưa nhập {what}.")
    return typed


def read_session():
    """This login's session for what only reads (congress.application.server.Backend.read_session)."""
    return backend().read_session(current_login())


def _refused(template: str, refused: Refused, status: int = 422, **shown):
    errors = {refused.field or "form": worded(refused)}
    return render_template(template, form=request.form, errors=errors, **_choices(), **shown), status


def _choices() -> dict:
    return {"is_office": current_account().is_office}


def _done(message: str, endpoint: str):
    flash(message)
    return redirect(url_for(endpoint), code=303)


# --- one congress ----------------------------------------------------------------------------------


WAITING_SHOWN = 20  # the next few to log; for many, the return sheet (the whole list: `status --group N`)


def _waiting() -> dict:
    """The account's organisations whose congress is not logged yet (a group's own, the office's all),
    earliest plan first, each leading to this form filled in: what a clerk logs next."""
    from congress.application.congresses import waiting_to_log
    from congress.presentation.listings import entry_columns, entry_rows
    from congress.web.pages import table

    waiting = waiting_to_log(read_store(), current_account().working_group, today(), WAITING_SHOWN)
    more = waiting.total - len(waiting.shown)
    form = url_for("writes.log_form")  # once: building a URL per row costs more than the row itself
    filled_in = {"code": lambda row: f"{form}?{urlencode({'organisation': row['code']})}"}
    return {"waiting": table(entry_rows(waiting.shown), entry_columns("table"), filled_in),
            "waiting_total": number(waiting.total), "waiting_more": number(more) if more else None}


def _one_congress(template: str, form: str, write, refused_extra=dict):
    """A form about one organisation's congress: `write(session, who, force)` calls its job
    (congress.application.congresses) in the account's one transaction and says what it did. A refusal
    is shown beside its field (or above the form) and nothing is written."""
    try:
        done = _written(write)
    except Refused as refused:
        return _refused(template, refused, **refused_extra())
    return _done(done, form)


def _written(write) -> str:
    """`write(session, who, force)` run in the account's one write transaction: what it says it did, or
    Refused (the job's refusal, or the database's own as write_session words it), nothing written."""
    try:
        with write_session() as session:
            with about(None):
                return write(session, actor(), bool(request.form.get("force")))
    except CongressError as error:
        raise Refused.of(error) from error


def congress_form(path: str, name: str, template: str, *, prefilled=dict, extra=dict):
    """The two routes of a form about one organisation's congress: GET `<name>_form` shows it (the
    organisation filled in from the address, `prefilled` the rest), POST `<name>` runs the decorated
    `write` through _one_congress; `extra` adds to the page what the form shows beside it."""
    def routes(write):
        def form():
            return render_template(template, form=_prefilled(**prefilled()), errors={}, **_choices(), **extra())

        def post():
            return _one_congress(template, f"writes.{name}_form", write, extra)

        bp.add_url_rule(path, f"{name}_form", login_required(form), methods=["GET"])
        bp.add_url_rule(path, name, login_required(post), methods=["POST"])
        return write

    return routes


@congress_form("/ghi-nhan", "log", "web/write_log.html.j2", prefilled=lambda: {"held": _shown_today()}, extra=_waiting)
def log(session, who, force):
    from congress.application import congresses

    organisation, note = _text("organisation", "Tên hoặc mã tổ chức"), _text("note", "Ghi chú")
    held = _date("held", "Ngày tổ chức", "ngày tổ chức")
    return congresses.log(session, who, organisation, held, today=today(), note=note, force=force)


@congress_form("/du-kien", "schedule", "web/write_schedule.html.j2")
def schedule(session, who, force):
    from congress.application import congresses

    organisation, note = _text("organisation", "Tên hoặc mã tổ chức"), _text("note", "Ghi chú")
    planned = _date("planned", "Ngày dự kiến", "ngày dự kiến")
    return congresses.schedule(session, who, organisation, planned, today=today(), note=note, force=force)


@congress_form("/rut-lai", "unlog", "web/write_unlog.html.j2")
def unlog(session, who, force):
    from congress.application import congresses

    organisation, reason = _text("organisation", "Tên hoặc mã tổ chức"), _text("reason", "Lý do rút lại")
    return congresses.unlog(session, who, organisation, reason=reason, force=force)


def _prefilled(**defaults) -> dict:
    """A form opened from a list (…/log?organisation=X.NINHGIANG.03) starts with that organisation."""
    return {**defaults, "organisation": request.args.get("organisation", "")[:MAX_TEXT]}


def _shown_today() -> str:
    return day(today())


# --- an organisation's preparation and result: the forms on its page ---------------------------------
# A refusal shows the organisation's page again, the form filled in as sent and its refusal beside its field.


def _on_the_page(code: str, form: str, write, fields: set[str]):
    """A form of the organisation's page (congress.web.pages.organisation_page): `write(session, who, force)`
    runs its job; a refusal about one of the form's `fields` is shown beside it, any other above the form
    (the organisation is the page's own); done, back to the page."""
    try:
        done = _written(write)
    except Refused as refused:
        return _refused_on_the_page(code, form, refused, fields)
    flash(done)
    return redirect(url_for("pages.organisation", code=code) + f"#{form}", code=303)


def _refused_on_the_page(code: str, form: str, refused: Refused, fields: set[str]):
    from congress.web.pages import organisation_page

    field = refused.field if refused.field in fields else "form"
    return organisation_page(code, posted=form, form=request.form, errors={field: worded(refused)})


STEP_FIELDS = {"code", "done", "note", "force"}
UNSTEP_FIELDS = {"code", "reason", "force"}


@bp.post("/to-chuc/<code>/buoc-chuan-bi")
@login_required
def step(code: str):
    from congress.application import congresses

    def write(session, who, force):
        chosen, note = _text("code", "Bước chuẩn bị"), _text("note", "Ghi chú")
        done = _date("done", "Ngày hoàn thành", "ngày hoàn thành")
        return congresses.step(session, who, code, chosen, today=today(), done=done, note=note or None,
                               force=force)

    return _on_the_page(code, "step", write, STEP_FIELDS)


@bp.post("/to-chuc/<code>/rut-lai-buoc")
@login_required
def unstep(code: str):
    from congress.application import congresses

    def write(session, who, force):
        chosen, reason = _text("code", "Bước chuẩn bị"), _text("reason", "Lý do rút lại")
        return congresses.unstep(session, who, code, chosen, reason=reason, force=force)

    return _on_the_page(code, "unstep", write, UNSTEP_FIELDS)


# a count as clerks type it, 1283 or 1.283; at most ten digits, more than any the register takes
# (rules.MAX_RESULT), which it refuses in its own words
COUNT = re.compile(r"-?(?:[0-9]{1,10}|[0-9]{1,3}(?:\.[0-9]{3}){1,3})")


def _result_value(field: str, label: str):
    """A result's field as typed: None when blank (not reported in this form), else the count or the choice's code."""
    from congress.domain import rules

    typed = _text(field, label).strip()
    if not typed:
        return None
    if field == "contents":
        if typed not in {str(c) for c in rules.CONTENTS}:
            raise Refused(field, f"{label}: chọn {', '.join(map(str, rules.CONTENTS))}.")
        return int(typed)
    if field in ("committee_by", "secretary_by"):
        if typed not in rules.CHOSEN_BY:
            raise Refused(field, f"{label}: chọn bầu tại đại hội hoặc chỉ định.")
        return typed
    if not COUNT.fullmatch(typed):
        shown = typed if len(typed) <= 30 else typed[:30] + "…"
        raise Refused(field, f"{label}: «{shown}» không phải số nguyên.")
    return int(typed.replace(".", ""))


@bp.post("/to-chuc/<code>/ket-qua")
@login_required
def result(code: str):
    from congress.application import congresses
    from congress.web.pages import RESULT_FORM

    def write(session, who, force):
        values = {field: _result_value(field, label) for field, label, _ in RESULT_FORM}
        note = _text("note", "Ghi chú kết quả").strip() or None
        return congresses.result(session, who, code, today=today(), values=values, note=note, force=force)

    return _on_the_page(code, "result", write, {field for field, _, _ in RESULT_FORM} | {"note", "force"})


# --- a return sheet ----------------------------------------------------------------------------------
# Between the dry run and the confirmation the uploaded file stays on the server (in the server's own
# folder, uploads()), in the folder of the login that sent it, with what was asked: a random id, the
# kind, the override, the account. A login has one such folder, so a new upload replaces the one
# waiting, however many times the browser drops its cookie. The session holds only the id.
# The confirmation plans the same file again and writes only if that plan is exactly the dry run's.


@dataclass(frozen=True)
class Upload:
    id: str
    kind: str
    name: str  # as the browser sent it (shortened to fit a file name): the import's messages name the file
    force: bool
    account: str
    login: str  # the login's folder (_login_folder)

    @property
    def folder(self) -> Path:
        return uploads() / self.login

    @property
    def path(self) -> Path:
        return self.folder / "tep" / self.name


@bp.get("/nhap-tep")
@login_required
def import_form():
    return render_template("web/write_import.html.j2", form={"kind": "held"}, errors={}, kinds=KINDS,
                           **_limits(), **_choices())


def _limits() -> dict:
    return {"limit": MAX_UPLOAD_MB, "max_rows": number(MAX_RETURN_ROWS)}


@bp.get("/nhap-tep/mau-<any(held, schedule, results):kind>.xlsx")
@login_required
def import_template(kind: str):
    """The sheet to fill, as `congress template held|schedule|results --group N` writes it: the account's own
    organisations (the office's: all), with what is already known."""
    from congress.application.transfer import template

    group = current_account().working_group
    stream = io.BytesIO()
    with read_session() as session:
        template(session, kind, stream, group=group, today=today())
    name = f"{TEMPLATE_NAMES[kind]}{f'-to{group}' if group is not None else ''}.xlsx"
    return Response(stream.getvalue(), mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/nhap-tep")
@login_required
def import_upload():
    form, sent = request.form, request.files.get("file")
    try:
        kind = form.get("kind", "")
        if kind not in KINDS:
            raise Refused("kind", "Chọn loại tệp: ngày tổ chức, ngày dự kiến hoặc kết quả đại hội.")
        force = _force()
        if sent is None or not sent.filename:
            raise Refused("file", "Chưa chọn tệp.")
        name = _file_name(sent.filename)
        if Path(name).suffix.lower() not in SHEET_SUFFIXES:
            raise Refused("file", f"Không đọc được {name}: chỉ nhận tệp .xlsx hoặc .csv.")
    except Refused as refused:
        return _import_refused(refused, form)
    try:
        upload = _keep(sent, Upload(secrets.token_urlsafe(16), kind, name, force, current_account().name,
                                    _login_folder()))
    except Refused as refused:
        return _import_refused(refused, form, 429)
    session["upload"] = upload.id
    return _dry_run(upload)


@bp.post("/nhap-tep/xac-nhan")
@login_required
def import_confirm():
    from congress.application import imports

    upload = _waiting_upload()
    if upload is None or request.form.get("upload") != upload.id:
        return _import_refused(Refused("file", "Không còn tệp chờ xác nhận (đã nhập, đã tải tệp khác lên, hoặc "
                                               "đã quá một giờ); hãy tải tệp lên lại."), {}, 409)
    try:
        done = _import(upload, skip_invalid=bool(request.form.get("skip_invalid")),
                       expected=request.form.get("plan", ""))
    except imports.PlanChanged as changed:  # the register moved on: the new dry run, to confirm again
        return _dry_run(upload, notice=f"{changed} Hãy xem lại kết quả chạy thử dưới đây.")
    except imports.RowsRefused:
        return _import_refused(Refused("file", "Tệp còn dòng bị từ chối; chưa ghi gì. Sửa tệp rồi tải lên lại, "
                                               "hoặc chọn chỉ ghi các dòng hợp lệ."), {"kind": upload.kind})
    except CongressError as error:  # the file's refusals, and the database's as write_session words them
        return _import_refused(Refused("file", str(error)), {"kind": upload.kind})
    _forget_upload()
    return _done(done.report, "writes.import_form")


def _dry_run(upload: Upload, notice: str | None = None):
    """What the import would do, and the form that confirms it. 200, or 422 when rows are refused;
    409 when it follows a confirmation the register had moved past."""
    from congress.application import imports

    try:
        with about("file"):  # read and checked only: the plan is never applied here
            done = _import(upload, dry_run=True, skip_invalid=True)
    except Refused as refused:
        _forget_upload()
        return _import_refused(refused, {"kind": upload.kind})
    plan = done.plan
    errors = [worded(error) for error in plan.errors[:REFUSALS_SHOWN]]
    refused_rows = bool(plan.errors or plan.unknown)
    status = 409 if notice else 422 if refused_rows else 200
    return render_template(
        "web/write_import_plan.html.j2", plan=plan, summary=done.report.splitlines()[-1], errors=errors,
        unknown=", ".join(plan.unknown),
        kind=KINDS[upload.kind], upload=upload.id, fingerprint=imports.fingerprint(plan), notice=notice,
        refused_rows=refused_rows, new_count=number(len(plan.new)), changed_count=number(len(plan.changed)),
        error_count=number(len(plan.errors)), errors_more=number(len(plan.errors) - REFUSALS_SHOWN) if len(plan.errors) > REFUSALS_SHOWN else None,
        **_choices(),
    ), status


def _import(upload: Upload, *, dry_run: bool = False, **asked):
    """The import in this login's own session: a dry run's takes no write lock."""
    from congress.application import imports

    with read_session() if dry_run else write_session() as session:
        return imports.import_sheet(session, upload.kind, upload.path, actor=actor(), today=today(),
                                    force=upload.force, dry_run=dry_run, **asked)


def _import_refused(refused: Refused, form, status: int = 422):
    errors = {refused.field or "form": worded(refused)}
    return render_template("web/write_import.html.j2", form=form, errors=errors, kinds=KINDS,
                           **_limits(), **_choices()), status


def _file_name(sent: str) -> str:
    """The file's own name: the last part of what the browser sent (some send a whole Windows path),
    without characters no file name holds, at most 200 characters and MAX_NAME_BYTES bytes (the end of
    the name shortened, its extension kept)."""
    name = sent.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()[-200:]
    suffix = Path(name).suffix
    stem = name[: len(name) - len(suffix)]
    while stem and len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip() + suffix) if stem else name


def _login_folder() -> str:
    """The folder of this login's waiting upload: named by its token's hash (the token itself is a
    credential and stays in memory)."""
    return hashlib.sha256(session["login"].encode()).hexdigest()[:32]


_keeping = threading.Lock()  # two uploads at once must not both fit in the space left for one


def _keep(sent, upload: Upload) -> Upload:
    """Saves the file and what was asked with it, in place of this login's waiting one (the request's
    size is capped by MAX_CONTENT_LENGTH); refused when every login's waiting files would pass
    UPLOADS_KEPT_MB."""
    with _keeping:
        _sweep()
        shutil.rmtree(upload.folder, ignore_errors=True)
        upload.path.parent.mkdir(parents=True)
        with upload.path.open("wb") as target:
            shutil.copyfileobj(sent.stream, target, 1 << 16)
        if sum(f.stat().st_size for f in uploads().rglob("*") if f.is_file()) > UPLOADS_KEPT_MB * 1024 * 1024:
            shutil.rmtree(upload.folder, ignore_errors=True)
            raise Refused("file", f"Máy chủ đang giữ nhiều tệp chờ xác nhận (tổng tối đa {UPLOADS_KEPT_MB} MB); "
                                  "chưa ghi gì. Hãy tải lên lại sau ít phút, khi các tệp khác đã được xác nhận "
                                  "hoặc đã quá một giờ.")
        (upload.folder / "upload.json").write_text(json.dumps(asdict(upload)), encoding="utf-8")
    return upload


def _waiting_upload() -> Upload | None:
    """This login's upload, if it is the one this browser sent, still there, younger than the hour,
    and this account's."""
    token = session.get("upload")
    if not isinstance(token, str):
        return None
    try:
        upload = Upload(**json.loads((uploads() / _login_folder() / "upload.json").read_text(encoding="utf-8")))
        young = time.time() - upload.path.stat().st_mtime <= UPLOAD_KEPT_SECONDS
    except (OSError, ValueError, TypeError):
        return None
    return upload if young and upload.id == token and upload.account == current_account().name else None


def _forget_upload() -> None:
    session.pop("upload", None)
    shutil.rmtree(uploads() / _login_folder(), ignore_errors=True)


def _sweep() -> None:
    """Uploads never confirmed are removed after the hour, whoever left them."""
    cutoff = time.time() - UPLOAD_KEPT_SECONDS
    for folder in uploads().iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


# --- undo --------------------------------------------------------------------------------------------


@bp.get("/hoan-tac")
@login_required
def undo_form():
    from congress.application import congresses

    try:
        with read_session() as db:  # planned only: nothing is written until the user confirms
            with about(None):
                found = congresses.undo_plan(db, actor())
        shown = found.described.splitlines()
    except Refused as refused:
        return render_template("web/write_undo.html.j2", found=None, errors={"form": worded(refused)},
                               **_choices())
    return render_template("web/write_undo.html.j2", found=found.plan, heading=shown[0], lines=shown[1:],
                           expected=",".join(map(str, found.change_ids)), errors={}, **_choices())


@bp.post("/hoan-tac")
@login_required
def undo():
    from congress.application import congresses

    expected = tuple(int(i) for i in request.form.get("expected", "").split(",") if i.isdigit())
    try:
        with write_session() as db:
            with about(None):
                congresses.undo(db, actor(), expected)
    except Refused as refused:
        return render_template("web/write_undo.html.j2", found=None, errors={"form": worded(refused)},
                               **_choices()), 409
    return _done("Đã hoàn tác; lịch sử giữ cả thay đổi cũ và lần hoàn tác này. "
                 "Lần hoàn tác không hoàn tác lại được: nếu cần, ghi lại giá trị đúng.", "writes.undo_form")
