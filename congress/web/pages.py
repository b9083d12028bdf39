"""The read pages: every figure from the read jobs the CLI calls too (congress.application.reads), laid out
by templates/web/ with the CLI's columns and words (congress.presentation). Nothing here counts, judges
or reads the register: it parses what the page was asked, calls the job and hands rows to a template."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.routing import BaseConverter, ValidationError

from congress.application import reads
from congress.domain import vn
from congress.domain.errors import CongressError
from congress.domain.rules import RESULT_FIELDS
from congress.presentation.listings import (
    PREPARATION, UPCOMING, Listing, committee_columns, count_label, group_columns, history_columns, level_columns,
    organisation_columns, pilot_columns,
)
from congress.presentation.summary import COUNTED
from congress.presentation.views import days_left
from congress.web import auth
from congress.web.auth import current_account, read_store, today

bp = Blueprint("pages", __name__)


@bp.record_once
def _converters(state) -> None:
    state.app.url_map.converters["number"] = NumberConverter

# URL word → the list (congress.presentation.listings.Listing: its title and empty words, as `congress status`)
LISTS = {"qua-han": "overdue", "cham": "late", "nguy-co": "at_risk", "sap-to-chuc": UPCOMING,
         "cham-chuan-bi": PREPARATION}
# a count on a page links to its list
COUNTED_LISTS = dict(zip(COUNTED, ("qua-han", "cham", "nguy-co")))
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


def group_link_of(key: str) -> Callable[[dict], str | None]:
    return lambda r: url_for("pages.working_group", number=r[key]) if r.get(key) is not None else None


group_link = group_link_of("number")


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
    typed = request.args.get("as_of", "").strip()
    return reads.day(store, typed, today=today()), typed


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


def asked_filters() -> dict:
    """Working group, committee and level as typed, as the CLI's --group, --committee, --level take them."""
    level = request.args.get("level", "").strip() or None
    if level is not None and level not in vn.LEVEL_LABELS:
        raise CongressError(f"Cấp «{level[:30]}» không có; chọn một trong: {', '.join(vn.LEVEL_LABELS.values())}.")
    group = number_param("group", "Tổ công tác", 1, GROUP_MAX)
    committee = request.args.get("committee", "").strip() or None
    return {"level": level, "group": group, "committee": committee}


def filters(store):
    """The filters as a scope (an unknown group or committee refused), and as the form shows them."""
    asked = asked_filters()
    return reads.scope_for(store, **asked), _chosen(asked)


def _chosen(asked: dict) -> dict:
    return {key: value or "" for key, value in asked.items()}


def choices(store) -> dict:
    """What the filter menus offer: the working groups and the committees, as the register holds them."""
    groups, committees = reads.choices(store)
    return {"groups": groups, "committees": committees, "levels": list(vn.LEVEL_LABELS.items())}


def counts(found: dict, behind: int, **asked) -> list[dict]:
    """Each counted standing, then the congresses behind in preparation, with its number and a link to its
    list (as `congress status` ends)."""
    counted = [(count_label(standing), n, COUNTED_LISTS[standing]) for standing, n in found.items()]
    counted.append((vn.BEHIND_IN_PREPARATION.capitalize(), behind, "cham-chuan-bi"))
    return [{"label": label, "count": vn.number(n), "href": url_for("pages.listing", kind=kind, **asked)}
            for label, n, kind in counted]


# --- pages --------------------------------------------------------------------------------------


@bp.route("/nhiem-ky", methods=["POST"])
def choose_round():
    """The round this session's pages read and write: the chooser on every page."""
    from flask import session

    session["round"] = reads.round_named(read_store(), request.form.get("round", ""))
    return redirect(auth.safe_next(request.form.get("next")))


@bp.route("/")
def overview():
    store = read_store()
    typed = request.args.get("as_of", "").strip()
    found = reads.overview(store, today=today(), as_of=typed)
    as_of, deadlines = found.as_of, found.deadlines
    return render_template(
        "web/overview.html.j2",
        round_name=found.round_name,
        as_of=vn.day(as_of),
        as_of_typed=typed,
        levels=table(found.levels, level_columns(as_of)),
        target=f"Mốc mục tiêu (trước ngày {vn.day(deadlines.target)}): {days_left(deadlines.target, as_of, before=True)}.",
        deadline=f"Hạn chót (chậm nhất ngày {vn.day(deadlines.deadline)}): {days_left(deadlines.deadline, as_of)}.",
        pilots=table(found.pilots, pilot_columns(), {"code": org_link(), "name": org_link()}),
        groups=table(found.groups, group_columns(), {"number": group_link, "name": group_link}),
        counts=counts(found.counts, found.behind, as_of=typed or None),
        charts=found.charts,
        forecasts=found.forecasts,
        sample=vn.SAMPLE_MARK if found.sample else None,
    )


class _List(NamedTuple):
    typed: str
    chosen: dict
    listing: Listing


def _list(store, kind: str) -> _List:
    """A list as its page and its downloads take it from the request."""
    typed = request.args.get("as_of", "").strip()
    asked = asked_filters()
    days = number_param("days", "Số ngày", 1, 3660, UPCOMING_DEFAULT) if LISTS[kind] == UPCOMING else None
    found = reads.listing(store, LISTS[kind], today=today(), as_of=typed, days=days, **asked)
    return _List(typed, _chosen(asked), found)


@bp.route(f"/danh-sach/<{LIST_KINDS}:kind>")
def listing(kind: str):
    store = read_store()
    typed, chosen, found = _list(store, kind)
    asked = {key: value for key, value in {**chosen, "as_of": typed, "days": found.days or ""}.items() if value != ""}
    return render_template(
        "web/listing.html.j2",
        kind=kind, title=found.title, empty=found.empty, as_of=vn.day(found.as_of), as_of_typed=typed, chosen=chosen,
        days=found.days,
        table=table(found.rows, found.columns("table"), {"code": org_link(), "name": org_link(),
                                                         "committee": org_link("committee")}),
        total=vn.number(len(found.rows)),
        downloads=[(fmt.upper(), url_for("pages.listing_file", kind=kind, fmt=fmt, **asked)) for fmt in ("xlsx", "csv")],
        **choices(store),
    )


@bp.route(f"/danh-sach/<{LIST_KINDS}:kind>.<any(xlsx, csv):fmt>")
def listing_file(kind: str, fmt: str):
    """The list as `congress export` writes it (congress.presentation.exports.write_table: the same CSV as
    `status --overdue --format csv` with Excel's BOM, the same typed XLSX)."""
    from congress.presentation.exports import write_table

    found = _list(read_store(), kind).listing
    stream = io.BytesIO()
    write_table(stream, found.rows, found.columns(fmt), fmt, title=found.name[:31])
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


class _Results(NamedTuple):
    typed: str
    chosen: dict
    view: reads.ResultsView


def _results(store) -> _Results:
    """`status --results` with the page's filters, as its page and its downloads take them."""
    typed = request.args.get("as_of", "").strip()
    asked = asked_filters()
    return _Results(typed, _chosen(asked), reads.results(store, today=today(), as_of=typed, **asked))


@bp.route("/ket-qua")
def results():
    """`congress status --results`: each level's figures as lines (seventeen do not fit across a page),
    then the working groups' main figures; the downloads hold every figure of every row."""
    from congress.presentation.listings import result_figure_columns, result_figure_rows
    from congress.presentation.results import BY_GROUP, NO_RESULTS, compact_columns

    store = read_store()
    typed, chosen, view = _results(store)
    asked = {key: value for key, value in {**chosen, "as_of": typed}.items() if value != ""}
    return render_template(
        "web/results.html.j2", round_name=view.round_name, as_of=vn.day(view.as_of), as_of_typed=typed,
        chosen=chosen, scope_text=view.scope_text, empty=NO_RESULTS,
        by_level=[table(result_figure_rows(row), result_figure_columns(row["label"])) for row in view.levels],
        by_group=table(view.groups, compact_columns(BY_GROUP), {"working_group": group_link_of("working_group")}),
        downloads=[(fmt.upper(), url_for("pages.results_file", fmt=fmt, **asked)) for fmt in ("xlsx", "csv")],
        sample=vn.SAMPLE_MARK if view.sample else None, **choices(store),
    )


@bp.route("/ket-qua.<any(xlsx, csv):fmt>")
def results_file(fmt: str):
    """The results as `congress export results` writes them: the levels' rows, then the groups', every figure."""
    from congress.presentation.exports import SHEET_TITLES, write_table
    from congress.presentation.listings import result_sheet_columns

    view = _results(read_store()).view
    stream = io.BytesIO()
    write_table(stream, view.levels + view.groups, result_sheet_columns(fmt), fmt, title=SHEET_TITLES["results"])
    return _download(stream.getvalue(), f"ket-qua-{view.as_of.isoformat()}.{fmt}")


@bp.route("/to-chuc/<code>")
def organisation(code: str):
    return organisation_page(code)


STEP_FORMS = ("step", "unstep", "result")  # the forms on an organisation's page (congress.web.writes)


def organisation_page(code: str, *, posted: str | None = None, form=None, errors: dict | None = None):
    """The organisation, its congress, its preparation and its result; with the forms of its own working
    group (the office's: every one). `posted` names the form sent back refused, with what was typed in it
    (`form`) and its refusal beside its field (`errors`)."""
    from congress.presentation.views import other_text, result_lines, step_lines

    typed = request.args.get("as_of", "").strip()
    found = reads.organisation(read_store(), code, today=today(), as_of=typed, children=True,
                               history=HISTORY_DEFAULT)
    facts = found.facts
    children = None
    if facts["level"] == "city":
        children = table(found.children, committee_columns(), {"code": org_link(), "name": org_link()})
    elif facts["level"] == "committee":
        columns = [c for c in organisation_columns() if c.key not in ("level", "committee", "working_group")]
        children = table(found.children, columns, {"code": org_link(), "name": org_link()})
    account = current_account()
    # a group writes only on its own committees' organisations (register.check_scope): no link to a refusal
    writable = account.is_office or (facts["working_group"] or {}).get("number") == account.working_group
    writable = writable and not found.elsewhere  # a unit of another round is written after choosing it
    steps, result = facts["steps"], facts["result"]
    first_open = next((s["code"] for s in steps if not s["done_on"]), steps[0]["code"] if steps else "")
    shown = {name: {} for name in STEP_FORMS}
    shown["step"] = {"code": first_open, "done": vn.day(today())}
    shown["result"] = _result_form(result)
    held = facts["congress"]["held_on"] is not None
    done_steps = [(s["code"], s["name"]) for s in steps if s["done_on"]]
    offered = {"step": writable and bool(steps), "unstep": writable and bool(done_steps), "result": writable and held}
    wrong = {name: {} for name in STEP_FORMS}
    refused_above = {}  # the refusal of a form this page does not offer (another group's, a congress not held)
    if posted:
        shown[posted], wrong[posted] = form, errors or {}
        if not offered[posted]:
            refused_above = {"form": " ".join((errors or {}).values())}
    return render_template(
        "web/organisation.html.j2", writable=writable, is_office=account.is_office,
        name=facts["name"], code=facts["code"], as_of=vn.day(facts["as_of"]), as_of_typed=typed,
        facts=_organisation_lines(facts),
        steps=[Fact(*line) for line in step_lines(steps)],
        step_choices=[(s["code"], s["name"]) for s in steps],
        done_steps=done_steps, offered=offered,
        result=[Fact(*line) for line in result_lines(result)] if result is not None else None,
        forms=shown, errors=wrong, refused_above=refused_above, result_fields=RESULT_FORM,
        children=children, children_total=vn.number(len(children.rows)) if children else None,
        history=table(found.history, history_columns()),
        history_href=url_for("pages.history", organisation=facts["code"]),
        elsewhere=facts["round"] if found.elsewhere else None,
        other_rounds=[{"round": o["round"], "name": o["name"], "href": url_for("pages.organisation", code=o["code"]),
                       "text": other_text(o)} for o in facts["other_rounds"]],
    ), 200 if posted is None else 422


# The result form's fields: (name, label, choices or None for a count), in the order every output shows them
RESULT_FORM = [
    (field, vn.field_label(field)[:1].upper() + vn.field_label(field)[1:],
     list(vn.CONTENTS_LABELS.items()) if field == "contents" else
     list(vn.CHOSEN_BY_LABELS.items()) if field in ("committee_by", "secretary_by") else None)
    for field in RESULT_FIELDS if field != "result_note"
]


def _result_form(result: dict | None) -> dict:
    """The result form filled with what is already reported (a blank field changes nothing)."""
    shown = {}
    for field, value in (result or {}).items():
        if value is not None:
            shown["note" if field == "result_note" else field] = str(value)
    return shown


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
    from congress.presentation.results import BY_LEVEL, compact_columns

    typed = request.args.get("as_of", "").strip()
    found = reads.group(read_store(), number, today=today(), as_of=typed)
    return render_template(
        "web/group.html.j2",
        number=found.number, title=vn.group_title(found.number, found.name), leader=found.leader,
        as_of=vn.day(found.as_of), as_of_typed=typed,
        levels=table(found.levels, level_columns(found.as_of)),
        committees=table(found.committees, committee_columns(), {"code": org_link(), "name": org_link()}),
        counts=counts(found.counts, found.behind, group=number, as_of=typed or None),
        results=table(found.results, compact_columns(BY_LEVEL)),
        results_href=url_for("pages.results", group=number, as_of=typed or None),
        history_href=url_for("pages.history", group=number),
    )


@bp.route("/lich-su")
def history():
    """`congress history` with its filters: organisation, since, the group a change was made as, limit."""
    store = read_store()
    typed = {key: request.args.get(key, "").strip() for key in ("organisation", "since", "group", "limit")}
    group = number_param("group", "Tổ công tác", 1, GROUP_MAX)
    limit = number_param("limit", "Số dòng", 1, HISTORY_MAX, HISTORY_DEFAULT)
    found = reads.history(store, today=today(), organisation=typed["organisation"] or None,
                          since=typed["since"] or None, group=group, limit=limit)
    return render_template(
        "web/history.html.j2", typed=typed, limit=limit, organisation=found.organisation,
        table=table(found.rows, history_columns(), {"code": org_link()}), **choices(store),
    )


@bp.route("/tim")
def search():
    """Organisations by name typed with or without diacritics ("hai an" finds Hải An), or by code."""
    typed = request.args.get("q", "").strip()
    found = reads.search(read_store(), typed, today=today()) if typed else reads.Found(None, [], [])
    if found.code:  # a code typed exactly is that organisation (as `congress org show P.HAIAN`)
        return redirect(url_for("pages.organisation", code=found.code))
    columns = [c for c in organisation_columns() if c.key not in ("kind", "party_members", "dissolved_on")]
    return render_template(
        "web/search.html.j2", typed=typed, total=vn.number(len(found.rows)), near=found.near,
        table=table(found.rows, columns, {"code": org_link(), "name": org_link(), "committee": org_link("committee")}),
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
