"""Changes to the register. Every function validates everything before it writes, and records history.

They work on a Store (congress.store.sql) inside the caller's one transaction (`Store.writing`, or a
SQLAlchemy session's through `Store.of_session`), which commits once, so a refused change writes
nothing. Rows are read as congress.read.lookups' records; plain SQL writes them back.
"""
from __future__ import annotations

import datetime as dt
import getpass
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import NamedTuple

from congress.read import lookups
from congress.read.lookups import Org
from congress.domain import rules
from congress.domain.errors import Allow, CongressError
from congress.domain.dates import check_as_of, check_window
from congress.domain.rules import (
    PARENT_LEVEL, PLANNED_YEARS_AFTER_DEADLINE, dissolved_window, held_before_child,
    held_window, is_active, is_held, level_deadlines, parent_level_problem, planned_after_deadline, planned_window,
)
from congress.domain.rules import HIDDEN_CATEGORIES, MAX_CELL_CHARS, as_of_window, hidden_in_note
from congress.store.sql import Store, to_date, to_moment
from congress.domain.vn import LEVELS, day, fold, moment, nfc, number, round_dates_messages
from congress.domain.vn import level_names as vn_levels, level_noun


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the name shown in history (the OS user, a web account's name) and, if they
    said so, their working group; the one id of the command they run, stamped on every history row it
    writes so that undo reverts it whole; the identity undo matches on (author()); and whether they
    may override a rule (`office`): the command line's user holds the database (SQLite) or a role the
    server checks (PostgreSQL), so the override is theirs even for a group; a web account only if the
    office's."""

    user: str
    working_group: int | None = None
    command: str | None = None
    identity: str | None = None  # a web account's "web:<id>"; None is the command line's OS user
    office: bool = False  # said by whoever knows: the command line (current) or the web's account

    @classmethod
    def current(cls, working_group: int | None = None) -> "Actor":
        """The command line's user."""
        return cls(getpass.getuser(), working_group, uuid.uuid4().hex, office=True)


# --- values the register may hold ------------------------------------------------------------------

MAX_TEXT = MAX_CELL_CHARS  # a longer name is a pasted document, not a name
MAX_CODE = 50
_CODE = re.compile(r"[A-Za-z0-9._-]+")


_PLAIN: set[str] = set()  # characters of names clean_name accepted: no space to replace, nothing hidden


def clean_name(text: str | None, what: str = "Tên tổ chức") -> str:
    """A name (of an organisation, a group, a leader; a kind) as stored: NFC, trimmed, any space
    (no-break included) a plain space; refused when blank, too long, or holding a hidden character."""
    text = nfc(text or "")
    plain = _PLAIN.issuperset(text)  # the usual name, of characters met before: an import checks 60.000
    if not plain:
        text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)
    text = text.strip()
    if not text:
        raise CongressError(f"{what} không được để trống.")
    if len(text) > MAX_TEXT:
        raise CongressError(f"{what} dài {number(len(text))} ký tự; tối đa {number(MAX_TEXT)} ký tự.")
    # a tab is the one control character a spreadsheet cell really holds, and exports write it back exactly
    if plain:
        return text
    hidden = next((c for c in text if c != "\t" and unicodedata.category(c) in HIDDEN_CATEGORIES), None)
    if hidden is not None:
        raise CongressError(
            f"{what} chứa ký tự điều khiển hoặc ký tự ẩn U+{ord(hidden):04X} ở vị trí {text.index(hidden) + 1}; "
            "hãy gõ lại tên (thường do dán từ văn bản khác)."
        )
    _PLAIN.update(text)
    return text


def clean_note(text: str | None, what: str = "Ghi chú") -> str | None:
    """A note or a reason as stored: NFC, trimmed, None when blank; lines and tabs allowed, no hidden
    or control character (an escape sequence in a note reaches every terminal that prints history)."""
    text = nfc(text or "").strip()
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise CongressError(f"{what} dài {number(len(text))} ký tự; tối đa {number(MAX_TEXT)} ký tự.")
    hidden = hidden_in_note(text)
    if hidden is not None:
        raise CongressError(
            f"{what} chứa ký tự điều khiển hoặc ký tự ẩn U+{ord(hidden):04X} ở vị trí {text.index(hidden) + 1}; "
            "hãy gõ lại (thường do dán từ văn bản khác)."
        )
    return text


def clean_code(text: str | None) -> str:
    """A code as stored: printable ASCII letters, digits, ".", "-", "_", trimmed."""
    code = (text or "").strip()
    if not code:
        raise CongressError("Mã tổ chức không được để trống.")
    if len(code) > MAX_CODE or not _CODE.fullmatch(code):
        wrong = next((c for c in code if not _CODE.fullmatch(c)), None)
        if wrong is None:
            reason = f"dài hơn {MAX_CODE} ký tự"
        elif wrong.isprintable() and not wrong.isspace():
            reason = f"có ký tự «{wrong}»"
        else:  # an invisible character is named by its number, or the message would hide it too
            reason = f"có ký tự U+{ord(wrong):04X}"
        raise CongressError(
            f"Mã tổ chức không hợp lệ ({reason}): mã chỉ gồm chữ cái không dấu, chữ số và các dấu . - _, "
            f"tối đa {MAX_CODE} ký tự."
        )
    return code


def round_start(round_) -> dt.date:
    """When the round began (congress.domain.rules.round_start), else the first day the tool knows."""
    return rules.round_start(round_.starts_on, round_.name) or as_of_window()[0]


def check_scope(store: Store, actor: Actor, org, force: bool) -> None:
    """A working group acts on the organisations of its own committees, unless forced."""
    if actor.working_group is None:
        return
    group = lookups.find_group(store, actor.working_group)
    own = lookups.working_group_of(store, org)
    if force or (own is not None and own.id == group.id):
        return
    theirs = f"tổ công tác số {own.number}" if own else "không tổ công tác nào"
    raise CongressError(
        f"{org.name} ({org.code}) thuộc {theirs}, không thuộc tổ công tác số {group.number}.",
        allow=Allow.OVERRIDE, when="nếu tổ được giao thêm việc này", field="organisation",
    )


# --- history ------------------------------------------------------------------------------------


def _cached(store: Store, key: str, sql: str):
    """One answer of the server per Store: who it signed in as does not change."""
    if key not in store.info:
        store.info[key] = store.value(sql)
    return store.info[key]


def who(store: Store, actor: Actor) -> str:
    """History names the database role on PostgreSQL (what its permissions are tied to), else the OS user."""
    if store.dialect != "postgresql":
        return actor.user
    return _cached(store, "role", "SELECT current_user")


def author(store: Store, actor: Actor) -> str:
    """Who wrote a history row, in a form no other login can take: on PostgreSQL the role the server
    signed in ("pg:" + session_user, as congress.store.access's congress_write records it); on SQLite a web
    account's id ("web:<id>", never given again) or the command line's OS user ("cli:<user>"). A name
    typed at `congress user add` is never one: "web:" and "cli:" cannot meet."""
    if store.dialect == "postgresql":
        return "pg:" + _cached(store, "session_user", "SELECT session_user")
    return actor.identity or f"cli:{actor.user}"


def signature(store: Store, actor: Actor) -> dict:
    """A history row's user (shown) and author (matched by undo)."""
    return {"user": who(store, actor), "author": author(store, actor)}


def stored_text(value) -> str | None:
    """A value as history stores it: dates in ISO, everything else as text."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def history_row(
    actor: Actor,
    action: str,
    *,
    organisation_id: int | None = None,
    field: str | None = None,
    old=None,
    new=None,
    note: str | None = None,
    at: dt.datetime | None = None,
    round_id: int | None = None,
) -> dict:
    """One history row as plain values: record() adds one, a large import inserts many in one statement.
    `round_id`: the round it belongs to, when not the current one (a round just added)."""
    return dict(
        round_id=round_id,
        at=at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        user=actor.user,
        working_group=actor.working_group,
        organisation_id=organisation_id,
        action=action,
        field=field,
        old_value=stored_text(old),
        new_value=stored_text(new),
        note=note,
        command=actor.command,
    )


HISTORY_COLUMNS = ("round_id", "at", "user", "author", "working_group", "organisation_id", "action", "field", "old_value",
                   "new_value", "note", "command")
_INSERT_HISTORY = (f"INSERT INTO change ({', '.join(f'{chr(34)}{c}{chr(34)}' for c in HISTORY_COLUMNS)})"
                   f" VALUES ({', '.join(':' + c for c in HISTORY_COLUMNS)})")


def group_role(store: Store) -> bool:
    """Whether the store's database role is a working group's (congress.store.access.grant_group): it
    holds no write privilege and writes a congress through the server's functions instead."""
    if store.dialect != "postgresql":
        return False
    if "group_role" not in store.info:
        mapped = store.value("SELECT to_regclass('public.group_role') IS NOT NULL")
        store.info["group_role"] = bool(mapped) and bool(store.value(
            "SELECT EXISTS (SELECT 1 FROM public.group_role WHERE role = session_user)"
        ))
    return store.info["group_role"]


def record(store: Store, actor: Actor, action: str, **details) -> None:
    """The one writer of a history row (a group's role: the server's congress_write writes it)."""
    if details.get("field") in WRITTEN_BY_SERVER and group_role(store):
        _write_as_group(store, actor, action, **details)
        return
    record_many(store, actor, [history_row(actor, action, **details)])


def record_many(store: Store, actor: Actor, rows) -> None:
    """History rows (history_row's, any iterable) in one statement, signed as the store's login, each
    filed under the current round unless it is the register's own (rules.is_of_round)."""
    signed = signature(store, actor)
    # asked before the rows are read: `rows` may be a generator the insert consumes, and no other
    # statement may run on the connection meanwhile
    round_id = lookups.current_round(store).id

    def filed(row: dict) -> dict:
        if row["round_id"] is None and rules.is_of_round(row["action"], row["field"]):
            return row | signed | {"round_id": round_id}
        return row | signed

    store.change_many(_INSERT_HISTORY, (filed(row) for row in rows))


CONGRESS_FIELDS = {"planned_on", "held_on", "is_pilot"}
RESULT_FIELDS = set(rules.RESULT_FIELDS)
WRITTEN_BY_SERVER = CONGRESS_FIELDS | RESULT_FIELDS  # a group role's: congress_write (congress.store.access)


def _write_as_group(store: Store, actor: Actor, action: str, *, organisation_id: int, field: str, new,
                    note: str | None = None, old=None, at=None) -> None:
    """congress_write stores the value and its history row; the server reads the old value itself and
    stamps its own time, the role's name and its group, so `old` and `at` are not sent."""
    store.rows(
        "SELECT public.congress_write(:org, :round, :action, :field, :value, :note, :command)",
        org=organisation_id, round=lookups.current_round(store).id, action=action, field=field,
        value=stored_text(new), note=note, command=actor.command,
    )


def _write_step_as_group(store: Store, actor: Actor, action: str, org, step, done_on: dt.date | None, *,
                         step_note: str | None = None, why: str | None = None) -> None:
    """congress_write_step stores a step's row and its history row, as _write_as_group does a value."""
    store.rows(
        "SELECT public.congress_write_step(:org, :round, :action, :code, :done, :step_note, :why, :command)",
        org=org.id, round=lookups.current_round(store).id, action=action, code=step.code,
        done=stored_text(done_on), step_note=step_note, why=why, command=actor.command,
    )


def set_value(store: Store, table: str, row_id: int, field: str, value) -> None:
    """One column of one row. An UPDATE that PostgreSQL's row-level security hides changes no row."""
    from congress.store.database import NOT_PERMITTED

    if store.change(f"UPDATE {table} SET {field} = :value WHERE id = :id", value=value, id=row_id) != 1:
        raise NOT_PERMITTED
    if table == "round":
        lookups.forget_rounds(store)


def write(store: Store, actor: Actor, action: str, table: str, row_id: int, field: str, old, value, *,
          organisation_id: int | None = None, note: str | None = None, at: dt.datetime | None = None) -> None:
    """One value written and its history row."""
    if not (table == "congress" and group_role(store)):  # congress_write stores a group's value itself
        set_value(store, table, row_id, field, value)
    when = {"at": at} if at else {}  # else history_row stamps it
    record(store, actor, action, organisation_id=organisation_id, field=field, old=old, new=value, note=note, **when)


def _set(store: Store, actor: Actor, action: str, table: str, row, field: str, value, org_id=None,
         note=None) -> bool:
    """A value changed and its history row; False when it already held it."""
    old = getattr(row, field)
    if old == value:
        return False
    write(store, actor, action, table, row.id, field, old, value, organisation_id=org_id, note=note)
    return True


# --- congresses ---------------------------------------------------------------------------------


def congress_of(store: Store, round_, org) -> lookups.Congress:
    return lookups.congress_of(store, round_.id, org.id)


def stored_congress(store: Store, congress: lookups.Congress) -> lookups.Congress:
    """The congress row a value is written into: made when it does not exist yet (a group's role has
    had it made by congress_lock already, in lock())."""
    if congress.id is not None:
        return congress
    new_id = store.value("INSERT INTO congress (round_id, organisation_id, is_pilot) VALUES (:round, :org, :no)"
                         " RETURNING id", round=congress.round_id, org=congress.organisation_id, no=False)
    return congress._replace(id=new_id)


def _keep_note(store: Store, congress: lookups.Congress, note: str | None) -> None:
    """A log's or a plan's note stays on the congress (congress_write keeps a group's itself)."""
    if note and not group_role(store):
        set_value(store, "congress", congress.id, "note", note)


def schedule(store: Store, actor: Actor, org: Org, planned_on: dt.date, *, note: str | None = None,
             pilot: bool | None = None, force: bool = False, typed: str | None = None) -> None:
    """`typed`: the date as the user wrote it, so that a refusal can say how a two-digit year was read."""
    note = clean_note(note)
    lock(store, org)
    congress = stored_congress(store, check_schedule(store, actor, org, planned_on, force=force, typed=typed))
    _set(store, actor, "schedule", "congress", congress, "planned_on", planned_on, org.id, note)
    if pilot is not None:
        _set(store, actor, "schedule", "congress", congress, "is_pilot", pilot, org.id)
    _keep_note(store, congress, note)


def said(action: str, org, day: dt.date) -> str:
    """What the CLI and the browser say once a change is committed (never before)."""
    from congress.domain import vn

    return {
        "log": f"Đã ghi nhận: {org.name} ({org.code}) tổ chức đại hội ngày {vn.day(day)}.",
        "schedule": f"Đã ghi: {org.name} ({org.code}) dự kiến đại hội ngày {vn.day(day)}.",
        "unlog": f"Đã rút lại ghi nhận đại hội ngày {vn.day(day)} của {org.name} ({org.code}).",
    }[action]


def lock(store: Store, org) -> None:
    """Two offices writing one organisation's congress at once: the second waits, then sees the
    first's change. PostgreSQL: the organisation's row, locked until the transaction ends (NO KEY:
    rows that merely refer to it are still written); a working group's role, which may lock no row
    itself, asks congress_lock (congress.store.access), which also checks its scope and makes sure the
    congress row exists for the update that follows. A lock held too long by anyone ends in a
    message after lock_timeout (congress.store.database), where an advisory lock, which any role may take on
    any number, could stall another group for ever. SQLite's write transaction already holds the
    whole database (BEGIN IMMEDIATE, congress.store.sql.Store.writing). Every write to a congress comes
    here first, so a closed round's refusal is said here (the database refuses it too, migration 0009)."""
    round_ = lookups.writable_round(store)
    lookups.in_round(org, round_)
    if store.dialect != "postgresql":
        return
    if group_role(store):
        store.rows("SELECT public.congress_lock(:org, :round)", org=org.id, round=round_.id)
    else:
        store.rows("SELECT 1 FROM organisation WHERE id = :id FOR NO KEY UPDATE", id=org.id)


def check_schedule(
    store: Store, actor: Actor, org, planned_on: dt.date, *, force: bool = False, typed: str | None = None,
) -> lookups.Congress:
    """Everything schedule() refuses, without writing: an import checks every row before it writes any.
    The scope is the caller's to check, once (check_scope)."""
    round_ = lookups.current_round(store)
    congress = congress_of(store, round_, org)
    if congress.held_on is not None:
        raise CongressError(f"{org.name} đã tổ chức đại hội ngày {day(congress.held_on)}; không cần lên lịch.",
                            field="planned")
    if not is_active(org.dissolved_on, planned_on):
        raise CongressError(f"{org.name} đã giải thể từ ngày {day(org.dissolved_on)}.", field="planned")
    deadlines = lookups.deadlines_by_level(store, round_)[org.level]
    check_window("Ngày dự kiến", planned_on, planned_window(round_start(round_), deadlines.deadline),
                 f"từ khi nhiệm kỳ bắt đầu đến {PLANNED_YEARS_AFTER_DEADLINE} năm sau hạn chót", typed)
    if planned_after_deadline(planned_on, deadlines) and not force:
        raise CongressError(
            f"Ngày dự kiến {day(planned_on)} của {org.name} sau hạn chót {day(deadlines.deadline)} "
            f"({level_noun(org.level)}).",
            allow=Allow.OVERRIDE, when="nếu đã được cho phép tổ chức muộn", field="planned",
        )
    return congress


def log(store: Store, actor: Actor, org: Org, held_on: dt.date, *, today: dt.date, note: str | None = None,
        force: bool = False, typed: str | None = None) -> None:
    note = clean_note(note)
    lock(store, org)
    congress = stored_congress(store, check_log(store, actor, org, held_on, today=today, force=force, typed=typed))
    _set(store, actor, "log", "congress", congress, "held_on", held_on, org.id, note)
    _keep_note(store, congress, note)


def check_log(
    store: Store, actor: Actor, org, held_on: dt.date, *, today: dt.date, force: bool = False,
    typed: str | None = None,
) -> lookups.Congress:
    """Everything log() refuses, without writing: an import checks every row before it writes any.
    The scope is the caller's to check, once (check_scope)."""
    if not is_held(held_on, today):  # a date after today has not happened yet
        raise CongressError(f"Ngày tổ chức {day(held_on)} chưa đến (hôm nay là {day(today)}).", field="held")
    if not is_active(org.dissolved_on, held_on):
        raise CongressError(
            f"{org.name} đã giải thể từ ngày {day(org.dissolved_on)}; không thể ghi đại hội ngày {day(held_on)}.",
            field="held",
        )
    round_ = lookups.current_round(store)
    check_window("Ngày tổ chức", held_on, held_window(round_start(round_), today),
                 "từ khi nhiệm kỳ bắt đầu đến hôm nay", typed)
    congress = congress_of(store, round_, org)
    if congress.held_on is not None and not force:
        raise CongressError(
            f"{org.name} đã được ghi nhận tổ chức đại hội ngày {day(congress.held_on)}"
            f"{_logged_by(store, org)}.",
            allow=Allow.OVERRIDE, when="để ghi lại ngày khác", field="held",
        )
    unheld = _children_not_held(store, round_, org, held_on)
    if unheld and not force:
        raise CongressError(
            f"{org.name} còn {number(unheld)} {level_noun(_CHILD_LEVEL[org.level])} chưa tổ chức đại hội "
            f"(tính đến ngày {day(held_on)}); đại hội cấp trên tổ chức sau cấp dưới.",
            allow=Allow.OVERRIDE, when="nếu vẫn ghi nhận (chẳng hạn cấp dưới đã tổ chức nhưng chưa được ghi)",
            field="held",
        )
    return congress


_CHILD_LEVEL = {parent: level for level, parent in PARENT_LEVEL.items() if parent}


def _children_not_held(store: Store, round_, org, held_on: dt.date) -> int:
    """How many of its children, active on `held_on`, had not held their congress by then."""
    if org.level not in _CHILD_LEVEL:
        return 0
    children = store.rows(
        "SELECT o.dissolved_on, c.held_on FROM organisation o"
        " LEFT JOIN congress c ON c.organisation_id = o.id AND c.round_id = :round"
        " WHERE o.parent_id = :org AND o.level = :level",
        round=round_.id, org=org.id, level=_CHILD_LEVEL[org.level],
    )
    return sum(held_before_child(held_on, to_date(child_held_on), to_date(dissolved_on))
               for dissolved_on, child_held_on in children)


def _logged_by(store: Store, org) -> str:
    last = store.one(
        'SELECT "user", working_group, at FROM change WHERE organisation_id = :org AND action = \'log\''
        " ORDER BY id DESC LIMIT 1", org=org.id,
    )
    if last is None:
        return ""
    user, working_group, at = last
    group = f", tổ công tác số {working_group}" if working_group else ""
    return f" (do {user}{group} ghi lúc {moment(to_moment(at))})"


def unlog(store: Store, actor: Actor, org: Org, *, reason: str) -> dt.date:
    """The day that was held, now taken back. The scope is the caller's to check, once (check_scope)."""
    reason = clean_note(reason, "Lý do rút lại")
    lock(store, org)
    if not reason:
        raise CongressError("Cần ghi lý do rút lại.", allow=Allow.REASON, field="reason")
    congress = congress_of(store, lookups.current_round(store), org)
    if congress.held_on is None:
        raise CongressError(f"{org.name} chưa được ghi nhận tổ chức đại hội; không có gì để rút lại.",
                            field="organisation")
    _set(store, actor, "unlog", "congress", congress, "held_on", None, org.id, reason)
    return congress.held_on


# --- organisations, groups, rounds --------------------------------------------------------------

def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise CongressError(f"Cấp «{level}» không hợp lệ; chọn một trong: {', '.join(LEVELS)}.")


def _check_parent(level: str, parent) -> None:
    problem = parent_level_problem(level, parent.level if parent is not None else None)
    if problem == "missing_parent":
        raise CongressError("Cần chỉ tổ chức cấp trên.", allow=Allow.PARENT, field="parent")
    if problem == "city_has_parent":
        raise CongressError(f"Tổ chức cấp «city» không có cấp trên; không thể đặt dưới {parent.name}.", field="parent")
    if problem == "wrong_parent_level":
        raise CongressError(
            f"{parent.name} là cấp «{parent.level}»; tổ chức cấp «{level}» phải thuộc một tổ chức cấp "
            f"«{PARENT_LEVEL[level]}».", field="parent",
        )


def _check_members(members: int | None) -> None:
    if members is not None and members < 0:
        raise CongressError("Số đảng viên không thể âm.", field="members")


def check_organisation(level: str, parent, party_members: int | None) -> None:
    """The rules on an organisation's own values. `parent` needs only .level and .name, so an import can
    check a parent that is itself a new row of the same file."""
    _check_level(level)
    _check_parent(level, parent)
    _check_members(party_members)


def add_organisation(
    store: Store,
    actor: Actor,
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Org | None,
    party_members: int | None = None,
) -> Org:
    code, name, kind = clean_code(code), clean_name(name), clean_name(kind, "Loại tổ chức")
    check_organisation(level, parent, party_members)
    round_ = lookups.current_round(store)  # a unit of the current round's tree
    check_in_tree(round_, level, parent)
    clash = store.one("SELECT name FROM organisation WHERE upper(code) = :code", code=code.upper())
    if clash is not None:
        raise CongressError(f"Mã {code} đã dùng cho {clash[0]}.", field="code")
    new_id = store.value(
        "INSERT INTO organisation (code, name, search_name, level, kind, parent_id, party_members, body)"
        " VALUES (:code, :name, :search_name, :level, :kind, :parent_id, :party_members, :body) RETURNING id",
        code=code, name=name, search_name=fold(name), level=level, kind=kind,
        parent_id=parent.id if parent else None, party_members=party_members, body=round_.kind,
    )
    record(store, actor, "org.add", organisation_id=new_id, new=f"{code} {name}")
    return lookups.organisation(store, new_id)


def check_in_tree(round_, level: str, parent: Org | None) -> None:
    """A new unit of the round: at a level its tree has, under a unit of the same tree."""
    tree = dict(round_.levels)
    if level not in tree:
        levels = ", ".join(f"{code} ({name})" for code, name in round_.levels)
        raise CongressError(f"Nhiệm kỳ «{round_.name}» không có cấp «{level}»; các cấp: {levels}.", field="level")
    if parent is not None and parent.body != round_.kind:
        raise CongressError(f"{parent.name} ({parent.code}) không thuộc nhiệm kỳ «{round_.name}»; "
                            "cấp trên phải cùng nhiệm kỳ.", field="parent")


def edit_organisation(
    store: Store,
    actor: Actor,
    org: Org,
    *,
    name: str | None = None,
    kind: str | None = None,
    parent: Org | None = None,
    party_members: int | None = None,
    dissolved_on: dt.date | None = None,
) -> bool:
    """Only the given values change; returns whether anything did."""
    changed = False
    if name is not None:
        name = clean_name(name)
        set_value(store, "organisation", org.id, "search_name", fold(name))
        changed |= _set(store, actor, "org.edit", "organisation", org, "name", name, org.id)
    if kind is not None:
        changed |= _set(store, actor, "org.edit", "organisation", org, "kind", clean_name(kind, "Loại tổ chức"),
                        org.id)
    if parent is not None:
        _check_parent(org.level, parent)
        _check_no_cycle(store, org, parent)
        changed |= _set(store, actor, "org.edit", "organisation", org, "parent_id", parent.id, org.id)
    if party_members is not None:
        _check_members(party_members)
        changed |= _set(store, actor, "org.edit", "organisation", org, "party_members", party_members, org.id)
    if dissolved_on is not None:
        held_on = congress_of(store, lookups.current_round(store), org).held_on
        check_window("Ngày giải thể", dissolved_on, dissolved_window(held_on),
                     f"sau ngày đại hội {day(held_on)} đã tổ chức" if held_on else "trong các năm phần mềm xử lý")
        changed |= _set(store, actor, "org.edit", "organisation", org, "dissolved_on", dissolved_on, org.id)
    return changed


def _check_no_cycle(store: Store, org, parent) -> None:
    """The same as `import orgs`: an organisation is never above itself, however far up."""
    path, node, seen = [org.code], parent, set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        path.append(node.code)
        if node.id == org.id:
            if len(path) == 2:
                raise CongressError("Một tổ chức không thể là cấp trên của chính nó.", field="parent")
            raise CongressError("Cấp trên tạo thành vòng lặp: " + " → ".join(path) + ".", field="parent")
        node = lookups.organisation(store, node.parent_id) if node.parent_id else None


def add_group(store: Store, actor: Actor, number: int, name: str, leader: str | None) -> lookups.Group:
    if number <= 0:
        raise CongressError("Số tổ công tác phải là số dương.")
    if store.one("SELECT 1 FROM workinggroup WHERE number = :number", number=number):
        raise CongressError(f"Tổ công tác số {number} đã có.")
    name = clean_name(name, "Tên tổ công tác")
    leader = clean_name(leader, "Tên tổ trưởng") if leader is not None else None
    new_id = store.value("INSERT INTO workinggroup (number, name, leader) VALUES (:number, :name, :leader)"
                         " RETURNING id", number=number, name=name, leader=leader)
    record(store, actor, "group.add", new=f"{number} {name}")
    return lookups.Group(new_id, number, name, leader)


def assign_group(store: Store, actor: Actor, group: lookups.Group, committees: list[Org]) -> int:
    for org in committees:
        if org.level != "committee":
            raise CongressError(f"{org.name} không phải đảng bộ trực thuộc; chỉ giao đảng bộ trực thuộc cho tổ.")
    return sum(
        _set(store, actor, "group.assign", "organisation", org, "working_group_id", group.id, org.id,
             f"tổ {group.number}")
        for org in committees
    )


def set_round(
    store: Store,
    actor: Actor,
    *,
    target_on: dt.date | None = None,
    deadline_on: dt.date | None = None,
    pilot_deadline_on: dt.date | None = None,
    level: str | None = None,
) -> bool:
    for label, value in (("Mốc mục tiêu", target_on), ("Hạn chót", deadline_on), ("Hạn đại hội điểm", pilot_deadline_on)):
        if value is not None:
            check_as_of(label, value)
    round_ = lookups.writable_round(store)
    if level is None:
        table, row = "round", round_
    else:
        _check_level(level)
        check_in_tree(round_, level, None)  # a level the round's tree has
        if pilot_deadline_on is not None:
            raise CongressError("Hạn đại hội điểm áp dụng cho cả nhiệm kỳ, không đặt riêng theo cấp.")
        table, row = "roundlevel", lookups.round_level(store, round_.id, level)
    found = round_dates_messages(_dates_after(store, round_, level, target_on, deadline_on, pilot_deadline_on))
    if found:
        text = "; ".join(found)
        raise CongressError(text[0].upper() + text[1:] + ".")
    if row.id is None and (target_on or deadline_on):  # a level's first override
        row = row._replace(id=store.value("INSERT INTO roundlevel (round_id, level) VALUES (:round, :level)"
                                          " RETURNING id", round=round_.id, level=level))
    scope = f"cấp {level}" if level else None  # a per-level override says so in the history note
    changed = False
    for field, value in (("target_on", target_on), ("deadline_on", deadline_on), ("pilot_deadline_on", pilot_deadline_on)):
        if value is not None:
            changed |= _set(store, actor, "round.set", table, row, field, value, note=scope)
    return changed


def add_round(store: Store, actor: Actor, *, name: str, kind: str, term: str, starts_on: dt.date,
              target_on: dt.date, deadline_on: dt.date, pilot_deadline_on: dt.date | None = None) -> int:
    """A new round, open, with the default preparation steps; its id. Organisations are the register's,
    so a round of their kind holds a congress of each from the start."""
    name = clean_name(name, "Tên nhiệm kỳ")
    taken = [r.name for r in lookups.rounds(store) if lookups.same_round_name(r.name, name)]
    if taken:
        raise CongressError(f"Đã có nhiệm kỳ «{taken[0]}»; đặt tên khác.")
    kinds = [code for (code,) in store.rows("SELECT code FROM round_kind ORDER BY code")]
    if kind not in kinds:
        raise CongressError(f"Không có loại đại hội «{kind}»; các loại: {', '.join(kinds)}.")
    printed = rules.term_of(term)
    if printed is None:
        raise CongressError(f"Nhiệm kỳ «{term}» không hợp lệ: viết hai năm, năm đầu trước, như 2025-2030.")
    for label, value in (("Ngày bắt đầu", starts_on), ("Mốc mục tiêu", target_on), ("Hạn chót", deadline_on),
                         ("Hạn đại hội điểm", pilot_deadline_on)):
        if value is not None:
            check_as_of(label, value)
    found = round_dates_messages(level_deadlines(target_on, deadline_on, pilot_deadline_on, {}), scoped=False)
    if starts_on > target_on:
        found.append(f"ngày bắt đầu {day(starts_on)} không thể sau mốc mục tiêu {day(target_on)}")
    if found:
        text = "; ".join(found)
        raise CongressError(text[0].upper() + text[1:] + ".")
    new_id = store.value(
        "INSERT INTO round (name, kind, term, closed, starts_on, target_on, deadline_on, pilot_deadline_on)"
        " VALUES (:name, :kind, :term, :no, :starts, :target, :deadline, :pilot) RETURNING id",
        name=name, kind=kind, term=printed, no=False, starts=starts_on, target=target_on, deadline=deadline_on,
        pilot=pilot_deadline_on)
    lookups.forget_rounds(store)
    store.change_many(
        "INSERT INTO preparation_step (round_id, code, name, days_before, position, retired)"
        " VALUES (:round, :code, :name, :days, :position, :no)",
        [dict(round=new_id, code=code, name=step, days=days, position=n, no=False)
         for n, (code, step, days) in enumerate(rules.DEFAULT_STEPS, 1)])
    record(store, actor, "round.add", new=f"{name} ({kind}, {printed})", round_id=new_id)
    return new_id


def office_only(store: Store, actor: Actor, refusal: str) -> None:
    """What only the office does: refused to a working group, on the command line or as its server role."""
    if actor.working_group is not None or group_role(store):
        raise CongressError(refusal)


def add_kind(store: Store, actor: Actor, code: str, name: str, title: str) -> None:
    """A kind of round the register did not know (the office's), its tree the mass organisations' three
    levels (vn.MASS_LEVELS)."""
    office_only(store, actor, "Chỉ văn phòng thêm loại đại hội.")
    code = (code or "").strip()
    if not rules.ROUND_KIND_CODE.fullmatch(code):
        raise CongressError(f"Mã loại đại hội «{code}» không hợp lệ: chữ thường không dấu, chữ số và dấu -, "
                            "tối đa 30 ký tự (ví dụ hoi-nguoi-cao-tuoi).")
    if store.one("SELECT 1 FROM round_kind WHERE code = :code", code=code):
        raise CongressError(f"Đã có loại đại hội «{code}».")
    name, title = clean_name(name, "Tên loại đại hội"), clean_name(title, "Tên trên tiêu đề báo cáo")
    store.change("INSERT INTO round_kind (code, name, title) VALUES (:code, :name, :title)",
                 code=code, name=name, title=title)
    store.change_many("INSERT INTO level_name (kind, level, name) VALUES (:kind, :level, :name)",
                      [dict(kind=code, level=level, name=label) for level, label in vn_levels(code).items()])
    lookups.forget_rounds(store)
    record(store, actor, "round.kind", new=f"{code} {name}")


def set_closed(store: Store, actor: Actor, typed: str, closed: bool) -> tuple[lookups.RoundInfo, bool]:
    """A round closed (read-only) or opened again, by the office; whether it changed."""
    office_only(store, actor, "Chỉ văn phòng khóa hoặc mở lại nhiệm kỳ.")
    round_ = lookups.find_round(lookups.rounds(store), typed)
    if round_.closed == closed:
        return round_, False
    store.change("UPDATE round SET closed = :closed WHERE id = :id", closed=closed, id=round_.id)
    lookups.forget_rounds(store)
    record(store, actor, "round.close" if closed else "round.open", field="closed", old=round_.closed, new=closed,
           round_id=round_.id)
    return round_._replace(closed=closed), True


def _dates_after(store: Store, round_, level: str | None, target_on, deadline_on, pilot_deadline_on):
    """Every level's dates as set_round would leave them: a round-wide date can break a level's override."""
    overrides = lookups.overrides(store, round_.id)
    if level is not None:
        own_target, own_deadline = overrides.get(level, (None, None))
        overrides[level] = (target_on or own_target, deadline_on or own_deadline)
        target_on = deadline_on = None
    return level_deadlines(
        target_on or round_.target_on, deadline_on or round_.deadline_on,
        pilot_deadline_on or round_.pilot_deadline_on, overrides,
    )


# --- preparation steps and results (issue 18) ----------------------------------------------------

ROUND_STEP_FIELD = "round_step"  # history of `round step`: old/new "code|name|days_before|retired|position"


def round_step_text(step) -> str | None:
    """A round's step as its history stores it (None: no such step), all undo needs to put it back."""
    return None if step is None else f"{step.code}|{step.name}|{step.days_before}|{int(step.retired)}|{step.position}"


class StepText(NamedTuple):
    code: str
    name: str
    days_before: int
    retired: bool
    position: int


def parse_round_step(text: str) -> StepText:
    """round_step_text read back: a code holds no "|", the numbers are last, a name may hold one."""
    code, rest = text.split("|", 1)
    name, days_before, retired, position = rest.rsplit("|", 3)
    return StepText(code, name, int(days_before), retired == "1", int(position))


def clean_step_code(typed: str | None) -> str:
    code = (typed or "").strip().lower()
    if not rules.STEP_CODE.fullmatch(code):
        raise CongressError(f"Mã bước chuẩn bị «{(typed or '').strip()}» không hợp lệ: chỉ gồm chữ thường không dấu, "
                            "chữ số và dấu -, bắt đầu bằng chữ hoặc số, tối đa 30 ký tự.", field="code")
    return code


def _check_days(days_before: int) -> None:
    if not 0 <= days_before <= rules.MAX_DAYS_BEFORE:
        raise CongressError(f"Số ngày trước đại hội phải từ 0 đến {number(rules.MAX_DAYS_BEFORE)} "
                            f"(đã gõ {number(days_before)}).", field="days_before")


def _step_by_code(store: Store, round_id: int, code: str):
    row = store.one("SELECT id, round_id, code, name, days_before, position, retired FROM preparation_step"
                    " WHERE round_id = :round AND code = :code", round=round_id, code=code)
    return None if row is None else lookups.Step(*row[:6], bool(row[6]))


def _record_round_step(store: Store, actor: Actor, old, new) -> None:
    record(store, actor, "round.step", field=ROUND_STEP_FIELD, old=round_step_text(old), new=round_step_text(new))


def add_step(store: Store, actor: Actor, round_, code: str, name: str | None, days_before: int | None) -> bool:
    """A new step at the end of the round's list, or an existing one renamed, given other days, or (a
    retired code given again) restored. Returns whether anything changed."""
    code = clean_step_code(code)
    name = clean_name(name, "Tên bước chuẩn bị") if name is not None else None
    if days_before is not None:
        _check_days(days_before)
    old = _step_by_code(store, round_.id, code)
    if old is None:
        if name is None or days_before is None:
            raise CongressError(f"Bước chuẩn bị «{code}» chưa có; cần ghi tên và số ngày trước đại hội "
                                "(--days-before).", field="name")
        position = store.value("SELECT coalesce(max(position), 0) + 1 FROM preparation_step WHERE round_id = :round",
                               round=round_.id)
        new_id = store.value("INSERT INTO preparation_step (round_id, code, name, days_before, position, retired)"
                             " VALUES (:round, :code, :name, :days, :position, :no) RETURNING id", round=round_.id,
                             code=code, name=name, days=days_before, position=position, no=False)
        _record_round_step(store, actor, None, lookups.Step(new_id, round_.id, code, name, days_before, position, False))
        return True
    new = old._replace(name=name if name is not None else old.name,
                       days_before=days_before if days_before is not None else old.days_before, retired=False)
    if new == old:
        return False
    store.change("UPDATE preparation_step SET name = :name, days_before = :days, retired = :no WHERE id = :id",
                 name=new.name, days=new.days_before, no=False, id=old.id)
    _record_round_step(store, actor, old, new)
    return True


def step_in_use(store: Store, step) -> int:
    """How many congresses have a row of the step (done, or withdrawn: history names it either way)."""
    return store.value("SELECT count(*) FROM congress_step WHERE step_id = :id", id=step.id)


def restore_round_step(store: Store, actor: Actor, action: str, round_, code: str, text: str | None, *,
                       note: str | None = None, at: dt.datetime | None = None) -> None:
    """A round's step put back as round_step_text had it (undo): renamed, given its days, retired or not,
    in its place again; None: the step added is gone (undo has refused that once a congress recorded it)."""
    old = _step_by_code(store, round_.id, code)
    if text is None:
        store.change("DELETE FROM preparation_step WHERE id = :id", id=old.id)
        new = None
    else:
        back = parse_round_step(text)
        if old is None:
            new_id = store.value("INSERT INTO preparation_step (round_id, code, name, days_before, position, retired)"
                                 " VALUES (:round, :code, :name, :days, :position, :retired) RETURNING id",
                                 round=round_.id, code=code, name=back.name, days=back.days_before,
                                 position=back.position, retired=back.retired)
            new = lookups.Step(new_id, round_.id, code, back.name, back.days_before, back.position, back.retired)
        else:
            new = old._replace(name=back.name, days_before=back.days_before, retired=back.retired,
                               position=back.position)
            store.change("UPDATE preparation_step SET name = :name, days_before = :days, retired = :retired,"
                         " position = :position WHERE id = :id", name=new.name, days=new.days_before,
                         retired=new.retired, position=new.position, id=old.id)
    when = {"at": at} if at else {}
    record(store, actor, action, field=ROUND_STEP_FIELD, old=round_step_text(old), new=round_step_text(new),
           note=note, **when)


def retire_step(store: Store, actor: Actor, round_, typed: str) -> bool:
    """A step no longer asked of congresses; the dates done with it stay. False: already retired."""
    step = lookups.find_step(store, round_.id, typed)
    if step.retired:
        return False
    store.change("UPDATE preparation_step SET retired = :yes WHERE id = :id", yes=True, id=step.id)
    _record_round_step(store, actor, step, step._replace(retired=True))
    return True


def remove_step(store: Store, actor: Actor, round_, typed: str) -> None:
    """A step added by mistake, gone; refused once any congress has recorded it."""
    step = lookups.find_step(store, round_.id, typed)
    used = step_in_use(store, step)
    if used:
        raise CongressError(f"Bước chuẩn bị «{step.code}» đang được dùng ({number(used)} đại hội đã ghi); "
                            "chỉ có thể ngừng dùng.", allow=Allow.RETIRE_STEP, field="code")
    store.change("DELETE FROM preparation_step WHERE id = :id", id=step.id)
    _record_round_step(store, actor, step, None)


def _congress_step(store: Store, round_id: int, org_id: int, step_id: int):
    """(id, done_on, note) of the congress_step row, or None."""
    row = store.one("SELECT id, done_on, note FROM congress_step WHERE round_id = :round AND organisation_id = :org"
                    " AND step_id = :step", round=round_id, org=org_id, step=step_id)
    return None if row is None else (row[0], to_date(row[1]), row[2])


def check_step(store: Store, actor: Actor, org: Org, step, done_on: dt.date, *, today: dt.date,
               typed: str | None = None) -> lookups.Congress:
    """Everything record_step() refuses, without writing. The scope is the caller's (check_scope)."""
    if step.retired:
        raise CongressError(f"Bước chuẩn bị «{step.code}» đã ngừng dùng.", field="code")
    if not is_active(org.dissolved_on, done_on):
        raise CongressError(f"{org.name} đã giải thể từ ngày {day(org.dissolved_on)}.", field="done")
    round_ = lookups.current_round(store)
    congress = congress_of(store, round_, org)
    if done_on > today:
        raise CongressError(f"Ngày hoàn thành {day(done_on)} chưa đến (hôm nay là {day(today)}).", field="done")
    if congress.held_on is not None and done_on > congress.held_on:
        raise CongressError(f"Ngày hoàn thành {day(done_on)} sau ngày {org.name} đã tổ chức đại hội "
                            f"({day(congress.held_on)}).", field="done")
    check_window("Ngày hoàn thành", done_on, rules.done_window(round_start(round_), today, congress.held_on),
                 "từ khi nhiệm kỳ bắt đầu đến hôm nay", typed)
    return congress


def _step_field(step) -> str:
    from congress.domain.vn import STEP_FIELD

    return STEP_FIELD + step.code


def record_step(store: Store, actor: Actor, org: Org, step, done_on: dt.date, *, today: dt.date,
                note: str | None = None, typed: str | None = None) -> bool:
    """A step done on `done_on`; False when it already was, on that day."""
    note = clean_note(note)
    lock(store, org)
    round_ = lookups.current_round(store)
    check_step(store, actor, org, step, done_on, today=today, typed=typed)
    found = _congress_step(store, round_.id, org.id, step.id)
    old = found[1] if found else None
    if old == done_on and (note is None or note == found[2]):
        return False
    if group_role(store):
        _write_step_as_group(store, actor, "step", org, step, done_on, step_note=note)
        return True
    if found is None:
        store.change("INSERT INTO congress_step (round_id, organisation_id, step_id, done_on, note)"
                     " VALUES (:round, :org, :step, :done, :note)", round=round_.id, org=org.id, step=step.id,
                     done=done_on, note=note)
    else:
        store.change("UPDATE congress_step SET done_on = :done, note = coalesce(:note, note) WHERE id = :id",
                     done=done_on, note=note, id=found[0])
    record(store, actor, "step", organisation_id=org.id, field=_step_field(step), old=old, new=done_on, note=note)
    return True


def step_done(store: Store, round_id: int, org_id: int, step) -> tuple[dt.date | None, str | None] | None:
    """(done_on, note) of a congress's step, None when it has no row."""
    found = _congress_step(store, round_id, org_id, step.id)
    return None if found is None else found[1:]


def restore_step(store: Store, actor: Actor, action: str, org: Org, step, done_on: dt.date | None,
                 note: str | None, *, why: str | None = None, at: dt.datetime | None = None) -> None:
    """A congress's step put back (undo): its day and its note; with neither, no row at all, as before the
    step was first recorded. The caller has locked the organisation."""
    round_ = lookups.current_round(store)
    if group_role(store):
        _write_step_as_group(store, actor, action, org, step, done_on, step_note=note, why=why)
        return
    found = _congress_step(store, round_.id, org.id, step.id)
    if done_on is None and note is None:
        if found is not None:
            store.change("DELETE FROM congress_step WHERE id = :id", id=found[0])
    elif found is None:
        store.change("INSERT INTO congress_step (round_id, organisation_id, step_id, done_on, note)"
                     " VALUES (:round, :org, :step, :done, :note)", round=round_.id, org=org.id, step=step.id,
                     done=done_on, note=note)
    else:
        store.change("UPDATE congress_step SET done_on = :done, note = :note WHERE id = :id", done=done_on, note=note,
                     id=found[0])
    when = {"at": at} if at else {}
    record(store, actor, action, organisation_id=org.id, field=_step_field(step), old=found[1] if found else None,
           new=done_on, note=why, **when)


def withdraw_step(store: Store, actor: Actor, org: Org, step, *, reason: str | None) -> dt.date:
    """A step recorded by mistake, taken back: the day it was done. The scope is the caller's."""
    reason = clean_note(reason, "Lý do rút lại")
    lock(store, org)
    if not reason:
        raise CongressError("Cần ghi lý do rút lại.", allow=Allow.REASON, field="reason")
    round_ = lookups.current_round(store)
    found = _congress_step(store, round_.id, org.id, step.id)
    if found is None or found[1] is None:
        raise CongressError(f"{org.name} chưa ghi bước «{step.name}»; không có gì để rút lại.", field="code")
    if group_role(store):
        _write_step_as_group(store, actor, "unstep", org, step, None, why=reason)
    else:
        store.change("UPDATE congress_step SET done_on = NULL WHERE id = :id", id=found[0])
        record(store, actor, "unstep", organisation_id=org.id, field=_step_field(step), old=found[1], new=None,
               note=reason)
    return found[1]


def result_problem_text(problem: rules.ResultProblem) -> str:
    """One problem of a result as users read it (the CLI, the web, a sheet's row)."""
    from congress.domain.vn import CHOSEN_BY_LABELS, FIELD_LABELS

    label = FIELD_LABELS[problem.field]
    what = label[0].upper() + label[1:]
    if problem.kind == "negative":
        return f"{what} không thể âm ({number(problem.value)})."
    if problem.kind == "too_large":
        return f"{what} ({number(problem.value)}) vượt quá {number(rules.MAX_RESULT)}."
    if problem.kind == "contents":
        return f"{what} phải là {', '.join(map(str, rules.CONTENTS))} (đã gõ {problem.value})."
    if problem.kind == "chosen_by":
        return (f"{what}: chọn {' hoặc '.join(rules.CHOSEN_BY)} ({', '.join(CHOSEN_BY_LABELS.values())}),"
                f" không phải «{problem.value}».")
    return (f"{what} ({number(problem.value)}) lớn hơn {FIELD_LABELS[problem.other]} "
            f"({number(problem.other_value)}).")


def result_problems_text(problems) -> str:
    """The message for a list of rules.ResultProblem: the first, since a refusal is one line."""
    return result_problem_text(problems[0])


def check_result(store: Store, org: Org, values: dict, *, today: dt.date) -> dict:
    """The result as it would stand (the stored values with `values` over them), refused if it cannot be
    true or if the congress is not held by today. Writes nothing. The scope is the caller's."""
    unknown = set(values) - set(rules.RESULT_FIELDS)
    if unknown:
        raise ValueError(f"not result fields: {sorted(unknown)}")
    if not values:
        raise CongressError("Cần ghi ít nhất một số liệu kết quả.", field="result")
    round_ = lookups.current_round(store)
    congress = congress_of(store, round_, org)
    if not is_held(congress.held_on, today):
        raise CongressError(f"{org.name} chưa tổ chức đại hội; chỉ ghi kết quả sau khi đại hội đã tổ chức.",
                            field="result")
    merged = lookups.result_of(store, round_.id, org.id)._asdict() | values
    problems = rules.result_problems(merged)
    if problems:
        raise CongressError(result_problems_text(problems), field=problems[0].field)
    return merged


def record_result(store: Store, actor: Actor, org: Org, values: dict, *, today: dt.date,
                  note: str | None = None) -> int:
    """The given parts of a congress's result; each changed value its own history row. How many changed."""
    note = clean_note(note)
    values = dict(values)
    if note is not None:
        values["result_note"] = note
    lock(store, org)
    check_result(store, org, values, today=today)
    round_ = lookups.current_round(store)
    congress = congress_of(store, round_, org)
    stored = lookups.result_of(store, round_.id, org.id)
    changed = 0
    for field in rules.RESULT_FIELDS:  # in the order every output shows them
        if field in values and getattr(stored, field) != values[field]:
            write(store, actor, "result", "congress", congress.id, field, getattr(stored, field), values[field],
                  organisation_id=org.id)
            changed += 1
    return changed
