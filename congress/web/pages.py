"""The read pages: every figure from the read model the CLI prints (congress.read.progress through
congress.presentation.listings, summary, views and brief), laid out by templates/web/. Nothing here counts or
judges: it parses what the page was asked, calls the read model and hands rows to a template."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.routing import BaseConverter, ValidationError

from congress.domain import vn
from congress.domain.errors import CongressError
from congress.web.auth import current_account, read_store, today

bp = Blueprint("pages", __name__)


@bp.record_once
def _converters(state) -> None:
    state.app.url_map.converters["number"] = NumberConverter

# URL word → the read model's listing, its title and what an empty list says (as `congress status`)
LISTS = {
    "qua-han": ("overdue", "Quá hạn", "Không có tổ chức nào quá hạn."),
    "cham": ("late", "Chậm so với mục tiêu (đã qua mốc mục tiêu, chưa đến hạn chót)",
             "Không có tổ chức nào chậm so với mục tiêu (đã qua mốc mục tiêu, chưa đến hạn chót)."),
    "nguy-co": ("at_risk", "Có nguy cơ chậm", "Không có tổ chức nào có nguy cơ chậm."),
    "sap-to-chuc": ("upcoming", "Dự kiến tổ chức", None),
}
LIST_KINDS = "any(" + ", ".join(f"'{kind}'" for kind in LISTS) + ")"
UPCOMING_DEFAULT = 7
HISTORY_DEFAULT, HISTORY_MAX = 50, 1000
GROUP_MAX = 9999  # as the CLI's --group (congress.cli.common.GROUP_NUMBER)


# --- tables: rows and columns from congress.presentation.listings, cells already as the CLI shows them -------


@dataclass(frozen=True)
class Cell:
    text: str
    align: str
    href: str | None = None


@dataclass(frozen=True)
class Table:
    headers: list[Cell]
    rows: list[list[Cell]]


def table(rows: list[dict], columns, links: dict[str, Callable[[dict], str | None]] | None = None) -> Table:
    """Cells shown as the CLI's table shows them (each column's own formatter: 1.845, 71,8%, 09/07/2025)."""
    links = links or {}
    return Table(
        [Cell(c.header, c.align) for c in columns],
        [[Cell("" if r.get(c.key) is None else c.show(r.get(c.key)), c.align,
               links[c.key](r) if c.key in links else None) for c in columns] for r in rows],
    )


def org_link(key: str = "code") -> Callable[[dict], str | None]:
    return lambda r: url_for("pages.organisation", code=r[key]) if r.get(key) else None


def group_link(r: dict) -> str | None:
    return url_for("pages.working_group", number=r["number"]) if r.get("number") is not None else None


# --- what a page is asked -----------------------------------------------------------------------


class NumberConverter(BaseConverter):
    """A working group's number in a path: ASCII digits, at most GROUP_MAX (werkzeug's int takes any
    Unicode digit and any length, and SQLite then fails on 2⁶⁴); anything else is no page (404)."""

    regex = "[0-9]{1,%d}" % len(str(GROUP_MAX))

    def to_python(self, value: str) -> int:
        if not 1 <= int(value) <= GROUP_MAX:
            raise ValidationError()
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def as_of_param(store):
    from congress.read.lookups import as_of_day

    typed = request.args.get("as_of", "").strip()
    return (as_of_day(store, typed, today()) if typed else today()), typed


def number_param(name: str, label: str, low: int, high: int, default: int | None = None) -> int | None:
    """A whole number asked in the URL: ASCII digits only ("²" and "١٧" are digits to str.isdigit, not
    to int()), no more of them than `high` has, so int() never meets 5.000 digits nor SQLite 2⁶⁴."""
    typed = request.args.get(name, "").strip()
    if not typed:
        return default
    if not (typed.isascii() and typed.isdigit() and len(typed) <= len(str(high))) or not low <= int(typed) <= high:
        shown = typed if len(typed) <= 30 else typed[:30] + "…"
        raise CongressError(f"{label}: «{shown}» phải là số nguyên từ {vn.number(low)} đến {vn.number(high)}.")
    return int(typed)


def filters(store):
    """Working group, committee and level as the CLI's --group, --committee, --level take them."""
    from congress.read.lookups import scope_for

    level = request.args.get("level", "").strip() or None
    if level is not None and level not in vn.LEVEL_LABELS:
        raise CongressError(f"Cấp «{level[:30]}» không có; chọn một trong: {', '.join(vn.LEVEL_LABELS.values())}.")
    group = number_param("group", "Tổ công tác", 1, GROUP_MAX)
    committee = request.args.get("committee", "").strip() or None
    return scope_for(store, level, group, committee), {"level": level or "", "group": group or "",
                                                       "committee": committee or ""}


def choices(store) -> dict:
    """What the filter menus offer: the working groups and the committees, as the register holds them."""
    return {
        "groups": store.rows("SELECT number, name FROM workinggroup ORDER BY number"),
        "committees": store.rows("SELECT code, name FROM organisation WHERE level = 'committee' ORDER BY code"),
        "levels": list(vn.LEVEL_LABELS.items()),
    }


def progress_for(store, as_of, scope=None):
    from congress.read.progress import Progress, Scope

    return Progress(store, as_of, scope or Scope(), today=today())


# --- pages --------------------------------------------------------------------------------------


@bp.route("/")
def overview():
    from congress.presentation.brief import charts, forecasts, level_figures
    from congress.presentation.listings import (
        group_columns, group_rows, level_columns, level_rows, pilot_columns, pilot_rows,
    )
    from congress.presentation.summary import COUNTED
    from congress.presentation.views import days_left

    store = read_store()
    as_of, typed = as_of_param(store)
    progress = progress_for(store, as_of)
    deadlines = progress.deadlines["grassroots"]
    standings = progress.standings()
    levels = level_figures(progress)
    return render_template(
        "web/overview.html.j2",
        round_name=progress.round.name,
        as_of=vn.day(as_of),
        as_of_typed=typed,
        levels=table(level_rows([level.progress for level in levels]), level_columns(as_of)),
        target=f"Mốc mục tiêu (trước ngày {vn.day(deadlines.target)}): {days_left(deadlines.target, as_of, before=True)}.",
        deadline=f"Hạn chót (chậm nhất ngày {vn.day(deadlines.deadline)}): {days_left(deadlines.deadline, as_of)}.",
        pilots=table(pilot_rows(progress.pilots()), pilot_columns(), {"code": org_link(), "name": org_link()}),
        groups=table(group_rows(progress.groups()), group_columns(), {"number": group_link, "name": group_link}),
        counts=[
            {"label": vn.STANDING_LABELS[standing].capitalize(), "count": vn.number(standings[standing]),
             "href": url_for("pages.listing", kind=kind, as_of=typed or None)}
            for standing, kind in zip(COUNTED, ("qua-han", "cham", "nguy-co"))
        ],
        charts=charts(levels, as_of),
        forecasts=forecasts(levels),
        sample=progress.sample,
    )


class _List(NamedTuple):
    as_of: dt.date
    typed: str
    chosen: dict
    what: str
    title: str
    empty: str
    days: int | None
    rows: list[dict]


def _list(store, kind: str) -> _List:
    """A list's day, filters, words and rows, as its page and its downloads take them from the request."""
    from congress.presentation.listings import entry_rows

    as_of, typed = as_of_param(store)
    scope, chosen = filters(store)
    what, title, empty = LISTS[kind]
    days = number_param("days", "Số ngày", 1, 3660, UPCOMING_DEFAULT) if what == "upcoming" else None
    progress = progress_for(store, as_of, scope)
    rows = entry_rows(progress.upcoming(days) if what == "upcoming" else progress.listing(what))
    return _List(as_of, typed, chosen, what, title, empty, days, rows)


@bp.route(f"/danh-sach/<{LIST_KINDS}:kind>")
def listing(kind: str):
    from congress.presentation.listings import entry_columns

    store = read_store()
    as_of, typed, chosen, what, title, empty, days, rows = _list(store, kind)
    if what == "upcoming":
        title = f"Dự kiến tổ chức trong {days} ngày tới (kể cả ngày {vn.day(as_of)})"
        empty = f"Không có đại hội nào dự kiến trong {days} ngày tới."
    asked = {key: value for key, value in {**chosen, "as_of": typed, "days": days or ""}.items() if value != ""}
    return render_template(
        "web/listing.html.j2",
        kind=kind, title=title, empty=empty, as_of=vn.day(as_of), as_of_typed=typed, chosen=chosen, days=days,
        table=table(rows, entry_columns("table"), {"code": org_link(), "name": org_link(),
                                                   "committee": org_link("committee")}),
        total=vn.number(len(rows)),
        downloads=[(fmt.upper(), url_for("pages.listing_file", kind=kind, fmt=fmt, **asked)) for fmt in ("xlsx", "csv")],
        **choices(store),
    )


@bp.route(f"/danh-sach/<{LIST_KINDS}:kind>.<any(xlsx, csv):fmt>")
def listing_file(kind: str, fmt: str):
    """The list as `congress export` writes it (congress.presentation.exports.write_table: the same CSV as
    `status --overdue --format csv` with Excel's BOM, the same typed XLSX)."""
    from congress.presentation.exports import write_table
    from congress.presentation.listings import entry_columns

    found = _list(read_store(), kind)
    stream = io.BytesIO()
    write_table(stream, found.rows, entry_columns(fmt), fmt, title=found.title[:31])
    return _download(stream.getvalue(), f"{kind}-{found.as_of.isoformat()}.{fmt}")


def _download(content: bytes, filename: str) -> Response:
    types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = Response(content, mimetype=types[filename.rsplit(".", 1)[1]])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/to-chuc/<code>")
def organisation(code: str):
    from congress.presentation.listings import (
        committee_columns, committee_rows, history_columns, history_rows, organisation_columns,
    )
    from congress.read.lookups import find_organisation
    from congress.read.progress import Scope, changes
    from congress.presentation.views import organisation_facts

    store = read_store()
    as_of, typed = as_of_param(store)
    org = find_organisation(store, code)
    facts = organisation_facts(store, org.code, as_of, today=today())
    children = None
    if org.level == "city":
        progress = progress_for(store, as_of)
        rows = [r for r in committee_rows(progress.committees())
                if r["code"] in {c for (c,) in store.rows("SELECT code FROM organisation WHERE parent_id = :id",
                                                          id=org.id)}]
        children = table(rows, committee_columns(), {"code": org_link(), "name": org_link()})
    elif org.level == "committee":
        progress = progress_for(store, as_of, Scope(level="grassroots", committee_id=org.id))
        columns = [c for c in organisation_columns() if c.key not in ("level", "committee", "working_group")]
        children = table(progress.organisations(), columns, {"code": org_link(), "name": org_link()})
    account = current_account()
    # a group writes only on its own committees' organisations (register.check_scope): no link to a refusal
    writable = account.is_office or (facts["working_group"] or {}).get("number") == account.working_group
    return render_template(
        "web/organisation.html.j2", writable=writable,
        name=org.name, code=org.code, as_of=vn.day(as_of), as_of_typed=typed,
        facts=_organisation_lines(facts),
        children=children, children_total=vn.number(len(children.rows)) if children else None,
        history=table(history_rows(changes(store, org.id, HISTORY_DEFAULT)), history_columns()),
        history_href=url_for("pages.history", organisation=org.code),
    )


@dataclass(frozen=True)
class Fact:
    label: str
    text: str
    href: str | None = None


def _organisation_lines(facts: dict) -> list[Fact]:
    """`congress org show`'s lines (congress.presentation.views.describe_organisation) as label, value and link."""
    parent, group, congress = facts["parent"], facts["working_group"], facts["congress"]
    lines = [
        ("Cấp", f"{vn.LEVEL_LABELS[facts['level']]} — {facts['kind']}", None),
        ("Cấp trên", f"{parent['name']} ({parent['code']})" if parent else "—",
         url_for("pages.organisation", code=parent["code"]) if parent else None),
        ("Tổ công tác", f"số {group['number']} — {group['name']}" if group else "chưa giao",
         url_for("pages.working_group", number=group["number"]) if group else None),
    ]
    if facts["party_members"] is not None:
        lines.append(("Số đảng viên", vn.number(facts["party_members"]), None))
    if facts["dissolved_on"]:
        lines.append(("Giải thể từ ngày", vn.day(facts["dissolved_on"]), None))
    lines.append(("Đại hội", f"nhiệm kỳ {facts['round']}" + (" (đại hội điểm)" if congress["is_pilot"] else ""), None))
    lines.append(("Ngày dự kiến", vn.day(congress["planned_on"]) or "chưa có", None))
    lines.append(("Ngày tổ chức", vn.day(congress["held_on"]) or "chưa tổ chức", None))
    if congress["standing_text"] is not None:
        lines.append((f"Tình trạng ngày {vn.day(facts['as_of'])}", congress["standing_text"], None))
    if congress["note"]:
        lines.append(("Ghi chú", congress["note"], None))
    return [Fact(*line) for line in lines]


@bp.route("/to-cong-tac/<number:number>")
def working_group(number: int):
    from congress.presentation.listings import committee_columns, committee_rows, level_columns, level_rows
    from congress.read.lookups import find_group
    from congress.read.progress import Scope
    from congress.presentation.summary import COUNTED

    store = read_store()
    as_of, typed = as_of_param(store)
    group = find_group(store, number)
    progress = progress_for(store, as_of, Scope(group=number))
    standings = progress.standings()
    return render_template(
        "web/group.html.j2",
        number=group.number, title=vn.group_title(group.number, group.name), leader=group.leader, as_of=vn.day(as_of), as_of_typed=typed,
        levels=table(level_rows(progress.levels()), level_columns(as_of)),
        committees=table(committee_rows(progress.committees()), committee_columns(),
                         {"code": org_link(), "name": org_link()}),
        counts=[
            {"label": vn.STANDING_LABELS[standing].capitalize(), "count": vn.number(standings[standing]),
             "href": url_for("pages.listing", kind=kind, group=number, as_of=typed or None)}
            for standing, kind in zip(COUNTED, ("qua-han", "cham", "nguy-co"))
        ],
        history_href=url_for("pages.history", group=number),
    )


@bp.route("/lich-su")
def history():
    """`congress history` with its filters: organisation, since, the group a change was made as, limit."""
    from congress.presentation.listings import history_columns, history_rows
    from congress.read.lookups import as_of_day, find_group, find_organisation
    from congress.read.progress import changes

    store = read_store()
    typed = {key: request.args.get(key, "").strip() for key in ("organisation", "since", "group", "limit")}
    org = find_organisation(store, typed["organisation"]) if typed["organisation"] else None
    since = as_of_day(store, typed["since"], today()) if typed["since"] else None
    group = number_param("group", "Tổ công tác", 1, GROUP_MAX)
    if group is not None:
        find_group(store, group)
    limit = number_param("limit", "Số dòng", 1, HISTORY_MAX, HISTORY_DEFAULT)
    rows = history_rows(changes(store, org.id if org else None, limit, since=since, group=group))
    return render_template(
        "web/history.html.j2", typed=typed, limit=limit, organisation=org,
        table=table(rows, history_columns(), {"code": org_link()}), **choices(store),
    )


@bp.route("/tim")
def search():
    """Organisations by name typed with or without diacritics ("hai an" finds Hải An), or by code."""
    from congress.presentation.listings import organisation_columns
    from congress.read.lookups import closest

    store = read_store()
    typed = request.args.get("q", "").strip()
    rows = []
    if typed:
        # a code typed exactly is that organisation (as `congress org show P.HAIAN`)
        by_code = store.one("SELECT code FROM organisation WHERE upper(code) = :code", code=typed.upper())
        if by_code:
            return redirect(url_for("pages.organisation", code=by_code[0]))
        rows = progress_for(store, today()).organisations(typed)
    columns = [c for c in organisation_columns() if c.key not in ("kind", "party_members", "dissolved_on")]
    near = [{"code": o.code, "name": o.name} for o in closest(store, typed)] if typed and not rows else []
    return render_template(
        "web/search.html.j2", typed=typed, total=vn.number(len(rows)), near=near,
        table=table(rows, columns, {"code": org_link(), "name": org_link(), "committee": org_link("committee")}),
    )


# --- the weekly brief ---------------------------------------------------------------------------


BRIEF_OFFICE_ONLY = ("number", "issued", "notes1", "notes2", "notes3")
BRIEF_ASKED = ("as_of", "group", *BRIEF_OFFICE_ONLY)


def _brief_asked() -> dict[str, str]:
    """The brief's form as filled: carried to its documents and back."""
    return {key: request.args[key] for key in BRIEF_ASKED if request.args.get(key, "").strip()}


def _brief_request(fmt: str):
    """The brief the page's form asks for; what `congress brief --number/--date/--notes` give is the
    office's alone (a group's brief is for its leader, numbered and dated by no one)."""
    from congress.application.brief import BriefAsked, notes_from_fields
    from congress.domain.rules import MAX_BRIEF_NUMBER
    from congress.presentation.brief import NOTE_SECTIONS

    asked = [key for key in BRIEF_OFFICE_ONLY if request.args.get(key, "").strip()]
    if asked and not current_account().is_office:
        raise CongressError("Chỉ văn phòng đặt số văn bản, ngày ban hành và ghi chú của báo cáo.")
    return BriefAsked(
        fmt=fmt, as_of=request.args.get("as_of", "").strip() or None,
        issued=request.args.get("issued", "").strip() or None,
        number=number_param("number", "Số văn bản", 1, MAX_BRIEF_NUMBER),
        group=number_param("group", "Tổ công tác", 1, GROUP_MAX),
        notes=notes_from_fields([request.args.get(f"notes{n}", "") for n, _ in enumerate(NOTE_SECTIONS, 1)]),
    )


@bp.route("/bao-cao")
def brief():
    from congress.application.brief import check_asked
    from congress.presentation.brief import NOTE_SECTIONS

    store = read_store()
    day = as_of_param(store)[0]
    scope, chosen = filters(store)
    # refused here, on the form, rather than on the document's link
    check_asked(store, _brief_request("html"), today())
    asked = _brief_asked()
    return render_template(
        "web/brief.html.j2", as_of=vn.day(day), typed={k: request.args.get(k, "") for k in BRIEF_ASKED},
        chosen=chosen, groups=choices(store)["groups"], notes=list(enumerate(NOTE_SECTIONS, 1)),
        is_office=current_account().is_office,
        documents=[(label, url_for("pages.brief_file", fmt=fmt, **asked))
                   for label, fmt in (("Xem và in (HTML)", "html"), ("PDF", "pdf"), ("Word (DOCX)", "docx"))],
    )


@bp.route("/bao-cao/tai.<any(html, pdf, docx):fmt>")
def brief_file(fmt: str):
    """The brief as `congress brief` writes it (congress.application.brief)."""
    from congress.application.brief import brief

    asked = _brief_request(fmt)
    document, day = brief(read_store(), asked, today())
    if fmt == "html":
        # a document of its own, printed as it is: a way back to the site above it, not on paper
        back = render_template("web/brief_back.html.j2", asked=_brief_asked())
        response = Response(re.sub(r"(<body[^>]*>)", lambda m: m[1] + back, document, count=1), mimetype="text/html")
        # its print layout is an inline style sheet; still no script
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
        )
        return response
    suffix = f"-to{asked.group}" if asked.group else ""
    return _download(document, f"bao-cao-{day.isoformat()}{suffix}.{fmt}")
