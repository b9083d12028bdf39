"""Imports: a sheet read into a Plan, every row checked, then applied; and what to tell the user.

An import reads and checks every row before it writes anything; the caller commits once, so a
refused file, an interrupt or a crash leaves the register as it was.

Rows are written through congress.writes.register, so they are refused and recorded exactly as the same
change typed on the command line. New organisations are the exception in form only: a sheet may
hold 60.000 of them, so they are checked with register.check_organisation and inserted (with their
history rows) in a few statements instead of one ORM object at a time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Callable, NamedTuple

from congress.application.database import opened
from congress.writes import register
from congress.domain.errors import Allow, Ambiguous, CongressError
from congress.read import lookups
from congress.read.lookups import Names, Org, current_round, find_group, find_organisation, organisation, result_of
from congress.domain.rules import MAX_RETURN_ROWS, RESULT_FIELDS, RESULT_PARTS
from congress.presentation.sheets import Sheet, cell_count, cell_date, cell_text, progress_each, read_sheet
from congress.store.sql import Store
from congress.domain.vn import (CHOSEN_BY_LABELS, CONTENTS_LABELS, FIELD_LABELS, LEVEL_LABELS, LEVELS, RESULT_HEADERS,
                                day, fold, nfc, number)

IMPORTS = ("orgs", "schedule", "held", "results")

_NAMED_BY = ("code", "organisation", "name")
_RESULT_VALUES = tuple(f for f in RESULT_FIELDS if f != "result_note")  # the note is a note, cleaned as one
# What each import needs: a column of each group; a "missing column" message says the group as written here.
_REQUIRED = {"orgs": (("«Mã»", ("code",)), ("«Tên tổ chức»", ("name",))),
             "schedule": (("«Mã»", _NAMED_BY), ("«Ngày dự kiến»", ("planned_on",))),
             "held": (("«Mã»", _NAMED_BY), ("«Ngày tổ chức»", ("held_on",))),
             "results": (("«Mã»", _NAMED_BY),
                         (f"ít nhất một cột kết quả, như «{RESULT_HEADERS['delegates']}»", _RESULT_VALUES))}
_USED = {"orgs": {"code", "name", "level", "kind", "parent", "committee", "working_group", "party_members"},
         "schedule": {"code", "organisation", "name", "planned_on", "note"},
         "held": {"code", "organisation", "name", "held_on", "note"},
         "results": {"code", "organisation", "name", "note", *RESULT_FIELDS}}

_LEVEL_WORDS = {
    **{level: level for level in LEVELS},
    **{fold(label): level for level, label in LEVEL_LABELS.items()},
    "dang bo tinh": "city", "dang bo thanh pho": "city", "tinh": "city", "thanh pho": "city",
    "dang bo truc thuoc thanh uy": "committee", "dang bo truc thuoc tinh uy": "committee", "truc thuoc": "committee",
    "to chuc co so": "grassroots", "co so": "grassroots", "tccs": "grassroots",
}


@lru_cache(maxsize=64)
def _level(text: str) -> str | None:
    """A level as written: key or label, with or without diacritics (a sheet repeats a few values)."""
    return _LEVEL_WORDS.get(fold(text))


@lru_cache(maxsize=64)
def _clean_kind(text: str) -> str:
    """A kind as `org add` stores it: a sheet repeats a few, so each is checked (and held) once."""
    return register.clean_name(text, "Loại tổ chức")


@dataclass(frozen=True)
class RowError:
    """A refused row: its number and column, the domain's reason, and what would let it through
    (CongressError.allow, .when, .facts), for each face to word as it words any refusal."""

    row: int
    column: str | None  # the header as written in the file
    reason: str
    allow: Allow | None = None
    when: str = ""
    facts: dict = field(default_factory=dict)

    @classmethod
    def of(cls, row: int, column: str | None, reason: "str | CongressError") -> "RowError":
        if isinstance(reason, CongressError):
            return cls(row, column, str(reason), reason.allow, reason.when, reason.facts)
        return cls(row, column, reason)

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột «{self.column}»" if self.column else "")
        return f"{where}: {self.reason}"


class Described:
    """Rows said one line each, as they are read: the dry run reads them all, an import of 60.000
    new organisations only counts them, so it never holds 60.000 lines of text."""

    def __init__(self, describe: Callable[[object], str]):
        self._rows: list = []
        self._describe = describe

    def append(self, row) -> None:
        self._rows.append(row)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return map(self._describe, self._rows)

    def __repr__(self) -> str:  # as a list of its lines (fingerprint)
        return repr(list(self))


@dataclass
class Plan:
    """What an import would do. `apply` writes it; nothing is written before."""

    kind: str
    file: str
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    blank: int = 0  # rows with nothing to record (a return sheet row without a date)
    errors: list[RowError] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # recognised headers this import leaves alone
    apply: Callable[[], None] = lambda: None

    @property
    def changes(self) -> int:
        return len(self.new) + len(self.changed)


def plan_import(
    store: Store,
    kind: str,
    path: Path,
    actor: register.Actor,
    *,
    today: dt.date,
    force: bool = False,
    progress: Callable[[int | None], Callable[[int], None] | None] = lambda size: None,
) -> Plan:
    """Reads and checks the whole file. `progress(size)` may return a function advanced per row."""
    if kind != "orgs":  # organisations belong to no round; a closed round's congresses take no sheet
        lookups.writable_round(store)
    sheet = read_sheet(path)
    _check_required(sheet, kind)
    plan = Plan(kind, path.name, unused=[sheet.header(k) for k in sheet.columns if k not in _USED[kind]])
    if kind == "orgs":
        _plan_orgs(store, sheet, progress_each(sheet.rows, progress(sheet.size)), plan, actor, force)
    else:
        rows = _bounded_rows(sheet, kind)
        each = progress_each(iter(rows), progress(len(rows)))
        if kind == "results":
            _plan_results(store, sheet, each, plan, actor, today, force)
        else:
            _plan_dates(store, sheet, each, plan, actor, today, force)
    plan.unknown = sheet.unknown  # complete only once every row has been read
    return plan


def _bounded_rows(sheet: Sheet, kind: str) -> list:
    """A return sheet's rows, read (not checked) up to one past MAX_RETURN_ROWS: a longer one is refused
    before any row is looked up, since checking 100.000 rows costs a minute."""
    rows = list(islice(sheet.rows, MAX_RETURN_ROWS + 1))
    if len(rows) > MAX_RETURN_ROWS:
        what = "kết quả đại hội" if kind == "results" else "ngày tổ chức hoặc ngày dự kiến"
        raise CongressError(
            f"Tệp {sheet.name} có hơn {number(MAX_RETURN_ROWS)} dòng; một tệp báo cáo {what} "
            f"có tối đa {number(MAX_RETURN_ROWS)} dòng. Hãy chia thành nhiều tệp."
        )
    return rows


def _check_required(sheet: Sheet, kind: str) -> None:
    missing = [name for name, alternatives in _REQUIRED[kind] if not any(k in sheet.columns for k in alternatives)]
    if missing:
        found = ", ".join(f"«{h}»" for h in sheet.headers if h) or "không có"
        raise CongressError(
            f"Tệp {sheet.name} thiếu cột bắt buộc: {', '.join(missing)} "
            f"(tìm tiêu đề ở dòng {sheet.header_row}; các cột có: {found})."
        )


def _cells(columns: dict[str, int], cells: tuple) -> dict:
    """A row's cells by column key; a short row (trailing blanks left out) has None for the rest."""
    width = len(cells)
    return {key: cells[index] for key, index in columns.items() if index < width}


def _named_org(store: Store, cell, names: Names, fail) -> Org | None:
    """The organisation a row names (its code, else its name), or None once `fail` has said why not."""
    text = next((t for t in (cell_text(cell(k)) for k in _NAMED_BY) if t), None)
    if text is None:
        fail("thiếu mã hoặc tên tổ chức.")
        return None
    try:
        return _lookup(store, text, names)
    except CongressError as error:
        fail(error)
        return None


def _lookup(store: Store, text: str, names: Names) -> Org:
    try:
        return find_organisation(store, text, nearest=False, names=names)
    except Ambiguous as error:
        raise CongressError(f"{error} {'; '.join(error.candidates)}.") from None


# --- schedule and held: the working groups' return sheets ---------------------------------------


@dataclass
class _DateRow:
    org: Org
    on: dt.date
    note: str | None


def _plan_dates(store, sheet: Sheet, rows, plan: Plan, actor, today: dt.date, force: bool) -> None:
    target = "held_on" if plan.kind == "held" else "planned_on"
    label = "ngày tổ chức" if target == "held_on" else "ngày dự kiến"
    round_ = current_round(store)
    year = round_.target_on.year
    named_by = next(k for k in ("code", "organisation", "name") if k in sheet.columns)
    columns = sheet.columns
    seen: dict[int, int] = {}  # organisation id → row that named it
    valid: list[_DateRow] = []
    names = Names.of(store)  # read once for the sheet's every row

    for number_, cells in rows:
        cell = _cells(columns, cells).get

        def fail(key, reason):
            plan.errors.append(RowError.of(number_, sheet.header(key) if key else None, reason))

        raw_date = cell(target)
        if cell_text(raw_date) is None:
            plan.blank += 1
            continue
        org = _named_org(store, cell, names, lambda reason: fail(named_by, reason))
        if org is None:
            continue
        try:
            on = cell_date(raw_date, default_year=year, today=today)
        except CongressError as error:
            fail(target, error)
            continue
        if org.id in seen:
            fail(named_by, f"{org.name} ({org.code}) đã có ở dòng {seen[org.id]}.")
            continue
        seen[org.id] = number_
        old = getattr(register.congress_of(store, round_, org), target)
        if old == on:
            plan.unchanged += 1
            continue
        try:
            register.check_scope(store, actor, org, force)
        except CongressError as error:
            fail(named_by, error)
            continue
        try:
            if target == "held_on":
                register.check_log(store, actor, org, on, today=today, force=force, typed=cell_text(raw_date))
            else:
                register.check_schedule(store, actor, org, on, force=force, typed=cell_text(raw_date))
        except CongressError as error:
            fail(target, error)
            continue
        try:  # what log() and schedule() refuse in a note, the dry run refuses too
            note = register.clean_note(cell_text(cell("note")))
        except CongressError as error:
            fail("note", error)
            continue
        valid.append(_DateRow(org, on, note))
        line = f"{org.code} — {org.name}: {label} "
        if old is None:
            plan.new.append(line + day(on))
        else:
            plan.changed.append(line + f"{day(old)} → {day(on)}")

    def apply() -> None:
        for row in valid:
            if target == "held_on":
                register.log(store, actor, row.org, row.on, today=today, note=row.note, force=force)
            else:
                register.schedule(store, actor, row.org, row.on, note=row.note, force=force)

    plan.apply = apply


# --- results: what each held congress decided, from the working groups' return sheets -----------

# A choice or an agenda as a cell may say it: the key, its Vietnamese label, a short form
_CHOSEN_WORDS = {**{key: key for key in CHOSEN_BY_LABELS}, **{fold(label): key for key, label in CHOSEN_BY_LABELS.items()},
                 "bau": "elected"}
_CONTENTS_WORDS = {**{fold(label): key for key, label in CONTENTS_LABELS.items()},
                   **{f"{key} noi dung": key for key in CONTENTS_LABELS}}


def _result_value(field: str, value):
    """A result's cell as `congress result` takes it: a count, the agenda (2, 3, 4), elected or appointed.
    A cell that is none of these words stays as written, for rules.result_problems (through
    register.check_result) to refuse in the command's own words."""
    if field in ("committee_by", "secretary_by"):
        text = cell_text(value)
        return _CHOSEN_WORDS.get(fold(text), text)
    if field == "contents":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            return int(value)
        text = cell_text(value)
        if text.isdigit() and text.isascii():
            return int(text)
        return _CONTENTS_WORDS.get(fold(text), text)
    return cell_count(value, signed=True)  # a negative reaches the rule, which names it


def _result_change(field: str, old, new) -> str:
    """"số ủy viên nữ 8 → 9", "ban chấp hành chỉ định": one value of a dry run's line."""
    def shown(value) -> str:
        if field in ("committee_by", "secretary_by"):
            return CHOSEN_BY_LABELS[value]
        return f"«{value}»" if field == "result_note" else number(value)

    return f"{FIELD_LABELS[field]} {shown(new)}" if old is None else f"{FIELD_LABELS[field]} {shown(old)} → {shown(new)}"


def _result_column(field: str | None, wanted: dict, note_key: str, named_by: str) -> str:
    """The column a refusal of check_result is about: the value's own, or, when a whole given in the row
    is now below a part stored before, the whole's; a congress not held is its organisation's."""
    if field == "result_note":
        return note_key
    if field in wanted:
        return field
    return next((whole for part, whole in RESULT_PARTS if part == field and whole in wanted), named_by)


@dataclass
class _ResultRow:
    org: Org
    values: dict  # the counts and choices given in the row
    note: str | None


def _plan_results(store, sheet: Sheet, rows, plan: Plan, actor, today: dt.date, force: bool) -> None:
    round_ = current_round(store)
    columns = sheet.columns
    named_by = next(k for k in _NAMED_BY if k in columns)
    note_key = "result_note" if "result_note" in columns else "note"
    given = [f for f in _RESULT_VALUES if f in columns]
    seen: dict[int, int] = {}  # organisation id → row that named it
    valid: list[_ResultRow] = []
    names = Names.of(store)

    for number_, cells in rows:
        cell = _cells(columns, cells).get

        def fail(key, reason):
            plan.errors.append(RowError.of(number_, sheet.header(key) if key in columns else None, reason))

        typed = {f: cell(f) for f in given if cell_text(cell(f)) is not None}  # a blank cell: not given
        typed_note = cell_text(cell(note_key))
        if not typed and typed_note is None:
            plan.blank += 1
            continue
        org = _named_org(store, cell, names, lambda reason: fail(named_by, reason))
        if org is None:
            continue
        if org.id in seen:
            fail(named_by, f"{org.name} ({org.code}) đã có ở dòng {seen[org.id]}.")
            continue
        seen[org.id] = number_
        values, refused = {}, False
        for field_, value in typed.items():
            try:
                values[field_] = _result_value(field_, value)
            except CongressError as error:
                fail(field_, error)
                refused = True
        try:  # what `result --note` refuses, the dry run refuses too
            note = register.clean_note(typed_note)
        except CongressError as error:
            fail(note_key, error)
            refused = True
        if refused:
            continue
        wanted = values | ({"result_note": note} if note is not None else {})
        stored = result_of(store, round_.id, org.id)
        changes = {f: v for f, v in wanted.items() if getattr(stored, f) != v}
        if not changes:
            plan.unchanged += 1
            continue
        try:
            register.check_scope(store, actor, org, force)
        except CongressError as error:
            fail(named_by, error)
            continue
        try:  # the stored result with the row's values over it, as `congress result` checks it
            register.check_result(store, org, wanted, today=today)
        except CongressError as error:
            fail(_result_column(error.field, wanted, note_key, named_by), error)
            continue
        valid.append(_ResultRow(org, values, note))
        said = "; ".join(_result_change(f, getattr(stored, f), v) for f, v in changes.items())
        (plan.changed if stored.reported else plan.new).append(f"{org.code} — {org.name}: {said}")

    def apply() -> None:
        for row in valid:
            register.record_result(store, actor, row.org, row.values, today=today, note=row.note)

    plan.apply = apply


# --- organisations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # one per organisation in the register
class _Stored:
    """An organisation as it is in the database, read as a plain tuple."""

    id: int
    code: str
    name: str
    level: str
    kind: str
    parent_id: int | None
    working_group_id: int | None
    party_members: int | None


@dataclass(slots=True)  # one per row of a 60.000-row sheet
class _OrgRow:
    """One row of an organisations sheet; None means "not given": nothing changes."""

    row: int
    code: str
    name: str
    level: str | None
    kind: str | None
    parent_text: str | None
    group: int | None
    party_members: int | None
    stored: _Stored | None
    parent: object | None = None  # an _OrgRow or a _Stored
    errors: list[RowError] | tuple = ()  # a list once refused: most rows never are
    id: int | None = None  # once inserted

    @property
    def final_level(self) -> str:
        return self.level or self.stored.level

    def refuse(self, error: RowError) -> None:
        if not self.errors:
            self.errors = []
        self.errors.append(error)


def _each(store: Store, sql: str):
    """A query's rows one at a time, as the driver's cursor reads them (60.000 are never all held twice)."""
    cursor = store.connection.cursor()
    try:
        cursor.execute(sql)
        yield from cursor
    finally:
        cursor.close()


def _plan_orgs(store, sheet: Sheet, rows, plan: Plan, actor, force: bool) -> None:
    words: dict[str, str] = {}  # a level, a kind or a parent's code, held once for its 60.000 rows
    stored = {
        s.code.upper(): s
        for s in (_Stored(id_, code, name, words.setdefault(level, level), words.setdefault(kind, kind), *rest)
                  for id_, code, name, level, kind, *rest in _each(
                      store, "SELECT id, code, name, level, kind, parent_id, working_group_id, party_members "
                             "FROM organisation"))
    }
    by_id = {s.id: s for s in stored.values()}
    groups = dict(store.rows("SELECT number, id FROM workinggroup"))
    group_numbers = {v: k for k, v in groups.items()}
    file_rows: dict[str, _OrgRow] = {}
    parsed: list[_OrgRow] = []
    columns = sheet.columns
    round_ = current_round(store)  # new organisations are units of the current round's tree

    for number_, cells in rows:
        cell = _cells(columns, cells).get

        errors = []

        def value(key, read, given):
            try:
                return read(given)
            except CongressError as error:
                errors.append(RowError.of(number_, sheet.header(key), error))
                return None

        code, name = cell_text(cell("code")), cell_text(cell("name"))
        known = stored.get(code.upper()) if code else None
        # What the row would write passes the same checks as `org add|edit`; a value the register
        # already holds is the export's repeat and is left alone.
        if code and known is None:
            code = value("code", register.clean_code, code)
        if known is not None and name == known.name:
            name = known.name  # the register's copy: the file's is let go with its row
        if name and (known is None or name != known.name):
            name = value("name", register.clean_name, name)
        kind = cell_text(cell("kind"))
        if kind and (known is None or kind != known.kind):
            kind = value("kind", _clean_kind, kind)
        level_text = cell_text(cell("level"))
        level = _level(level_text) if level_text else None
        if level_text and level is None:
            choices = ", ".join(f"«{LEVEL_LABELS[k]}» ({k})" for k in LEVELS)
            errors.append(RowError(number_, sheet.header("level"), f"Cấp «{level_text}» không hợp lệ; chọn một trong: {choices}."))
        elif level and known is None:
            value("level", lambda given: register.check_in_tree(round_, given, None), level)
        row = _OrgRow(
            number_, code or "", name or "", level, kind,
            _held(words, cell_text(cell("parent"))) if "parent" in columns else None,
            value("working_group", cell_count, cell("working_group")),
            value("party_members", cell_count, cell("party_members")),
            known,
        )
        if "parent" not in columns and (level or (row.stored and row.stored.level)) == "grassroots":
            # A grassroots organisation's committee is its parent: the org list's own column is enough.
            row.parent_text = _held(words, cell_text(cell("committee")))
        if not code:
            if not any(e.column == sheet.header("code") for e in errors):  # not already refused as written
                errors.append(RowError(number_, sheet.header("code"), "thiếu mã tổ chức."))
        elif (key := code.upper()) in file_rows:
            errors.append(RowError(number_, sheet.header("code"), f"mã {code} đã có ở dòng {file_rows[key].row}."))
        else:
            file_rows[code if key == code else key] = row  # the row's own string, when it is upper case already
        if not name and not any(e.column == sheet.header("name") for e in errors):
            errors.append(RowError(number_, sheet.header("name"), "thiếu tên tổ chức."))
        row.errors = errors or ()
        parsed.append(row)

    for row in parsed:
        if not row.errors:
            _check_org(store, sheet, row, file_rows, stored, by_id, groups, actor, force)
    _check_cycles(parsed, file_rows, by_id)
    # A row whose parent is refused cannot be written either.
    changed = True
    while changed:
        changed = False
        for row in parsed:
            if not row.errors and isinstance(row.parent, _OrgRow) and row.parent.errors:
                row.refuse(RowError(row.row, _parent_header(sheet), f"cấp trên ở dòng {row.parent.row} không hợp lệ."))
                changed = True

    new, edits = [], []
    plan.new = Described(_described_new)
    for row in parsed:
        if row.errors:
            plan.errors.extend(row.errors)
        elif row.stored is None:
            new.append(row)
            plan.new.append(row)
        else:
            differences = _differences(row, by_id, group_numbers)
            if differences:
                edits.append(row)
                plan.changed.append(f"{row.stored.code} — {row.stored.name}: " + "; ".join(differences))
            else:
                plan.unchanged += 1
    plan.errors.sort(key=lambda e: e.row)
    plan.apply = lambda: _write_orgs(store, actor, new, edits, groups)


def _held(words: dict[str, str], text: str | None) -> str | None:
    """One string for a text many rows repeat."""
    return words.setdefault(text, text) if text is not None else None


def _described_new(row: _OrgRow) -> str:
    extra = f", tổ {row.group}" if row.group and row.level == "committee" else ""
    return f"{row.code} — {row.name} ({LEVEL_LABELS[row.level]}, cấp trên {_code(row.parent) or '—'}{extra})"


def _parent_header(sheet: Sheet) -> str | None:
    key = "parent" if "parent" in sheet.columns else "committee" if "committee" in sheet.columns else None
    return sheet.header(key) if key else None


def _check_org(store, sheet: Sheet, row: _OrgRow, file_rows, stored, by_id, groups, actor, force) -> None:
    def fail(key, reason):
        row.refuse(RowError.of(row.row, sheet.header(key) if key in sheet.columns else None, reason))

    parent_key = "parent" if "parent" in sheet.columns else "committee"
    if row.parent_text:
        row.parent = file_rows.get(row.parent_text.upper()) or stored.get(row.parent_text.upper())
        if row.parent is None:
            try:
                found = find_organisation(store, row.parent_text, nearest=False)
                row.parent = by_id[found.id]
            except CongressError as error:
                return fail(parent_key, f"cấp trên «{row.parent_text}» không có trong tệp hay trong cơ sở dữ liệu ({error})")
        if row.parent is row or (row.stored is not None and row.parent is row.stored):
            return fail(parent_key, "một tổ chức không thể là cấp trên của chính nó.")
    elif row.stored is not None and row.stored.parent_id is not None:
        row.parent = file_rows.get(by_id[row.stored.parent_id].code.upper()) or by_id[row.stored.parent_id]

    if row.stored is None:
        if row.level is None:
            return fail("level", "tổ chức mới cần có cấp.")
        if not row.kind:
            return fail("kind", "tổ chức mới cần có loại (phường, xã, chi bộ cơ sở…).")
    elif row.level is not None and row.level != row.stored.level:
        return fail("level", f"{row.stored.code} là cấp «{LEVEL_LABELS[row.stored.level]}»; nhập tệp không đổi cấp.")
    try:
        register.check_organisation(row.final_level, _AsParent.of(row.parent), row.party_members)
    except CongressError as error:
        reason = str(error)
        return fail(parent_key if "cấp trên" in reason or "phải thuộc" in reason else "party_members", reason)

    if row.group is not None:
        if row.group not in groups:
            return fail("working_group", f"không có tổ công tác số {row.group}.")
        if row.final_level == "city":
            return fail("working_group", "chỉ giao tổ công tác cho đảng bộ trực thuộc.")
        # A stored grassroots row's group is an export repeating its committee's, maybe from before a
        # move: left alone, or the same file would be refused when imported again.
        if row.final_level == "grassroots" and row.stored is None:
            committee_group = _group_of(row.parent, groups)
            if committee_group is not None and groups[row.group] != committee_group:
                return fail("working_group", f"tổ công tác đi theo đảng bộ trực thuộc {_code(row.parent)}, "
                                             f"không đặt riêng cho tổ chức cơ sở.")
    if actor.working_group is not None:
        _check_org_scope(store, row, actor, force, fail)


def _check_org_scope(store, row: _OrgRow, actor, force, fail) -> None:
    """A working group may only touch organisations of its own committees, as on the command line."""
    target = row.stored if row.stored is not None else row.parent if row.final_level == "grassroots" else None
    if not isinstance(target, _Stored):
        if not force:
            fail("code", f"tổ công tác số {actor.working_group} chỉ thêm được tổ chức cơ sở của đảng bộ mình phụ trách.")
        return
    try:
        register.check_scope(store, actor, organisation(store, target.id), force)
    except CongressError as error:
        fail("code", error)


class _AsParent(NamedTuple):  # one per row checked: a tuple is made in a fraction of a frozen dataclass's time
    """What register.check_organisation reads of a parent (level, name), for a stored one or a file row."""

    level: str
    name: str

    @classmethod
    def of(cls, parent) -> "_AsParent | None":
        if parent is None:
            return None
        if isinstance(parent, _OrgRow):
            return cls(parent.final_level, parent.name or parent.code)
        return cls(parent.level, parent.name)


def _code(parent) -> str | None:
    if parent is None:
        return None
    return parent.stored.code if isinstance(parent, _OrgRow) and parent.stored else parent.code


def _group_of(parent, groups) -> int | None:
    """The working group id a committee will have once the file is written."""
    if isinstance(parent, _OrgRow):
        if parent.group in groups:
            return groups[parent.group]
        return parent.stored.working_group_id if parent.stored else None
    return parent.working_group_id if parent is not None else None


def _check_cycles(parsed: list[_OrgRow], file_rows, by_id) -> None:
    """Cities may sit under cities, so a file can close a loop: A under B, B under A."""

    def up(node):
        if isinstance(node, _OrgRow):
            return node.parent
        parent = by_id.get(node.parent_id) if node.parent_id else None
        return file_rows.get(parent.code.upper(), parent) if parent else None

    rooted: set[int] = set()  # nodes whose line of parents ends: a new row that reaches one is in no loop
    for row in parsed:
        if row.errors or row.parent is None:
            continue
        path, node, seen = [row.code], row.parent, set()
        while node is not None and id(node) not in seen:
            if row.stored is None and id(node) in rooted:  # a stored row may sit above itself under a name
                node = None
                break
            seen.add(id(node))
            code = _code(node)
            path.append(code)
            if node is row or (row.stored is not None and node is row.stored):
                row.refuse(RowError(row.row, None, "cấp trên tạo thành vòng lặp: " + " → ".join(path) + "."))
                break
            node = up(node)
        if node is None:
            rooted.update(seen)


def _differences(row: _OrgRow, by_id, group_numbers) -> list[str]:
    s = row.stored
    found = []
    if nfc(row.name) != s.name:
        found.append(f"tên «{s.name}» → «{row.name}»")
    if row.kind is not None and nfc(row.kind) != s.kind:
        found.append(f"loại «{s.kind}» → «{row.kind}»")
    if row.parent_text and _parent_id(row) != s.parent_id:
        old = by_id[s.parent_id].code if s.parent_id else "—"
        found.append(f"cấp trên {old} → {_code(row.parent)}")
    if row.party_members is not None and row.party_members != s.party_members:
        old = number(s.party_members) if s.party_members is not None else "—"
        found.append(f"số đảng viên {old} → {number(row.party_members)}")
    if row.group is not None and row.final_level == "committee":
        new_group = row.group
        if group_numbers.get(s.working_group_id) != new_group:
            found.append(f"tổ công tác {group_numbers.get(s.working_group_id) or '—'} → {new_group}")
    return found


def _parent_id(row: _OrgRow) -> int | None:
    parent = row.parent
    if isinstance(parent, _OrgRow):
        return parent.stored.id if parent.stored else None  # a new parent never equals a stored one
    return parent.id if parent is not None else None


_ORGANISATION = ("code", "name", "search_name", "level", "kind", "parent_id", "working_group_id", "party_members",
                 "dissolved_on", "body")


def _insert(store: Store, table: str, columns: tuple[str, ...], rows) -> None:
    """Rows (tuples, generated one at a time) through the driver's own executemany: neither SQLAlchemy's
    parameter processing nor a list of 60.000 dicts."""
    marks = ", ".join(("%s" if store.dialect == "postgresql" else "?") for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)  # "user" is a keyword in PostgreSQL
    cursor = store.connection.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    finally:
        cursor.close()


def _write_orgs(store: Store, actor, new: list[_OrgRow], edits: list[_OrgRow], groups) -> None:
    at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    body = current_round(store).kind
    # Parents first: a new row under a new row waits for the next statement.
    depth = {}
    for row in new:
        d, node = 0, row.parent
        while isinstance(node, _OrgRow) and node.stored is None:
            d, node = d + 1, node.parent
        depth.setdefault(d, []).append(row)
    for d in sorted(depth):
        batch = depth[d]
        last = store.value("SELECT COALESCE(MAX(id), 0) FROM organisation")
        # code, name and kind are as clean_code and clean_name left them: NFC already
        _insert(store, "organisation", _ORGANISATION, (
            (r.code, r.name, fold(r.name), r.level, r.kind, _resolved_parent(r), None, r.party_members, None, body)
            for r in batch
        ))
        inserted = {r.code: r for r in batch}  # stored as written
        for code, id_ in _each(store, f"SELECT code, id FROM organisation WHERE id > {int(last)}"):
            if code in inserted:
                inserted[code].id = id_
        register.record_many(store, actor, (
            register.history_row(actor, "org.add", organisation_id=_id(r), new=f"{r.code} {r.name}", at=at)
            for r in batch
        ))
    for row in edits:
        parent_id = _resolved_parent(row) if row.parent_text else None
        register.edit_organisation(
            store, actor, organisation(store, row.stored.id), name=row.name, kind=row.kind,
            parent=organisation(store, parent_id) if parent_id else None,
            party_members=row.party_members,
        )
    by_group: dict[int, list[Org]] = {}
    for row in [*new, *edits]:
        if row.group is not None and row.final_level == "committee":
            by_group.setdefault(row.group, []).append(organisation(store, _id(row)))
    for number_, committees in by_group.items():
        register.assign_group(store, actor, find_group(store, number_), committees)


def _id(row: _OrgRow) -> int:
    """A row's organisation id: the stored one, or the one its insert just gave it."""
    return row.stored.id if row.stored is not None else row.id


def _resolved_parent(row: _OrgRow) -> int | None:
    parent = row.parent
    if isinstance(parent, _OrgRow):
        return _id(parent)
    return parent.id if parent is not None else None


# --- reports ------------------------------------------------------------------------------------


def report(plan: Plan, *, dry_run: bool) -> str:
    """What the import did (or, with --dry-run, would do), for stdout."""
    what = "tổ chức" if plan.kind == "orgs" else "đại hội"
    lines = []
    if dry_run:
        lines.append(f"Chạy thử {plan.file}: chưa ghi gì vào cơ sở dữ liệu.")
        if plan.new:
            lines += [f"Mới ({number(len(plan.new))}):"] + [f"  + {line}" for line in plan.new]
        if plan.changed:
            lines += [f"Thay đổi ({number(len(plan.changed))}):"] + [f"  ~ {line}" for line in plan.changed]
        if plan.unused:
            lines.append(f"Các cột không dùng khi nhập loại này: {', '.join(f'«{h}»' for h in plan.unused)}.")
    counts = f"{number(len(plan.new))} mới, {number(len(plan.changed))} thay đổi, {number(plan.unchanged)} không đổi"
    # rows with nothing to record are not congresses: said apart, after the counts and the noun they count
    missing = "số liệu" if plan.kind == "results" else "ngày"
    blank = f"; {number(plan.blank)} dòng chưa có {missing}, bỏ qua" if plan.blank else ""
    if plan.changes == 0:
        lines.append(f"Không có gì thay đổi: {number(plan.unchanged)} không đổi{blank}.")
    elif dry_run:
        lines.append(f"Sẽ ghi: {counts} ({what}){blank}.")
    else:
        lines.append(f"Đã nhập {plan.file}: {counts} ({what}){blank}.")
    return "\n".join(lines)


def problems(plan: Plan, *, skip_invalid: bool, worded: Callable[[RowError], str] = str) -> str | None:
    """Bad rows and unknown columns as one message, each row's refusal `worded` by the face; None if
    there are none."""
    if not plan.errors and not plan.unknown:
        return None
    lines = []
    if plan.errors:
        lines.append(f"{plan.file}: {number(len(plan.errors))} lỗi ở "
                     f"{number(len({e.row for e in plan.errors}))} dòng:")
        lines += [f"  {worded(error)}" for error in plan.errors]
    if plan.unknown:
        lines.append(f"Cột không nhận ra: {', '.join(plan.unknown)}.")
    # all or nothing: what would let the valid rows through is each face's to say (Allow.SKIP_INVALID)
    lines.append("Đã bỏ qua các dòng và cột trên; các dòng hợp lệ được ghi." if skip_invalid
                 else "Chưa ghi gì vào cơ sở dữ liệu.")
    return "\n".join(lines)


def fingerprint(plan: Plan) -> str:
    """What a dry run showed, as one value: a confirmation writes only if its plan is the same."""
    shown = (plan.kind, plan.new, plan.changed, plan.unchanged, plan.blank,
             [str(e) for e in plan.errors], plan.unknown)
    return hashlib.sha256(repr(shown).encode()).hexdigest()


# --- the job: read → plan → refusals → apply → report, for the command line and the browser alike --


@dataclass(frozen=True)
class Imported:
    plan: Plan
    report: str  # what was written or, in a dry run, would be
    skipped: str | None  # the rows and columns left out when only the valid rows are written


class RowsRefused(CongressError):
    """Rows or columns refused, and all or nothing asked: nothing is written. `report` is what the
    valid rows would write, which a dry run shows before the refusal."""

    def __init__(self, plan: Plan, worded: Callable[[RowError], str] = str):
        super().__init__(problems(plan, skip_invalid=False, worded=worded), allow=Allow.SKIP_INVALID,
                         when="để chỉ ghi các dòng hợp lệ", field="file")
        self.plan = plan
        self.report = report(plan, dry_run=True)


class PlanChanged(CongressError):
    """The register moved on between a dry run and its confirmation."""

    def __init__(self):
        super().__init__("Sổ đã thay đổi từ lúc chạy thử, nên kết quả nhập sẽ khác điều vừa xem; chưa ghi gì.",
                         allow=Allow.DRY_RUN_AGAIN)


def import_sheet(
    db,
    kind: str,
    path: Path,
    *,
    today: dt.date,
    actor: register.Actor | None = None,
    group: int | None = None,
    force: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
    expected: str | None = None,
    worded: Callable[[RowError], str] = str,
    progress: Callable[[int | None], Callable[[int], None] | None] = lambda size: None,
) -> Imported:
    """One import in one transaction of `db` (a location: the command line's; or the browser's login's
    own session, whose caller commits: congress.application.database.opened). `actor` records it
    (without one, the command line's user with `group`, which must exist); `expected` is the
    fingerprint of the dry run being confirmed; `worded` says a row's refusal as the face says any
    refusal (its hint for RowError.allow)."""
    with opened(db, write=not dry_run) as store:
        if group is not None:
            find_group(store, group)
        plan = plan_import(store, kind, path, actor or register.Actor.current(group), today=today, force=force,
                           progress=progress)
        if expected is not None and fingerprint(plan) != expected:
            raise PlanChanged()
        skipped = problems(plan, skip_invalid=True, worded=worded)
        if skipped and not skip_invalid:
            raise RowsRefused(plan, worded)
        if not dry_run and plan.changes:
            plan.apply()
    return Imported(plan, report(plan, dry_run=dry_run), skipped)
