"""Changes to the register. Every function validates everything before it writes, and records history.

The caller owns the session and commits once, so a refused change writes nothing.
"""
from __future__ import annotations

import datetime as dt
import getpass
import re
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, func, select

from congress.read import lookups
from congress.domain.errors import CongressError
from congress.store.schema import Change, Congress, Organisation, Round, RoundLevel, WorkingGroup
from congress.domain import rules
from congress.domain.dates import check_as_of, check_window
from congress.domain.rules import (
    PARENT_LEVEL, PLANNED_YEARS_AFTER_DEADLINE, Deadlines, as_of_window, dissolved_window, held_before_child,
    held_window, is_active, is_held, level_deadlines, parent_level_problem, planned_after_deadline, planned_window,
)
from congress.domain.rules import HIDDEN_CATEGORIES, MAX_CELL_CHARS, hidden_in_note
from congress.store.sql import Store
from congress.domain.vn import LEVEL_LABELS, LEVELS, day, fold, moment, nfc, number, round_dates_messages


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the name shown in history (the OS user, a web account's name) and, if they
    said so, their working group; the one id of the command they run, stamped on every history row it
    writes so that undo reverts it whole; and the identity undo matches on (author())."""

    user: str
    working_group: int | None = None
    command: str | None = None
    identity: str | None = None  # a web account's "web:<id>"; None is the command line's OS user

    @classmethod
    def current(cls, working_group: int | None = None) -> "Actor":
        return cls(getpass.getuser(), working_group, uuid.uuid4().hex)


# --- values the register may hold ------------------------------------------------------------------

MAX_TEXT = MAX_CELL_CHARS  # a longer name is a pasted document, not a name
MAX_CODE = 50
_CODE = re.compile(r"[A-Za-z0-9._-]+")


def clean_name(text: str | None, what: str = "Tên tổ chức") -> str:
    """A name (of an organisation, a group, a leader; a kind) as stored: NFC, trimmed, any space
    (no-break included) a plain space; refused when blank, too long, or holding a hidden character."""
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in nfc(text or "")).strip()
    if not text:
        raise CongressError(f"{what} không được để trống.")
    if len(text) > MAX_TEXT:
        raise CongressError(f"{what} dài {number(len(text))} ký tự; tối đa {number(MAX_TEXT)} ký tự.")
    # a tab is the one control character a spreadsheet cell really holds, and exports write it back exactly
    hidden = next((c for c in text if c != "\t" and unicodedata.category(c) in HIDDEN_CATEGORIES), None)
    if hidden is not None:
        raise CongressError(
            f"{what} chứa ký tự điều khiển hoặc ký tự ẩn U+{ord(hidden):04X} ở vị trí {text.index(hidden) + 1}; "
            "hãy gõ lại tên (thường do dán từ văn bản khác)."
        )
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


def round_start(round_: Round) -> dt.date:
    """When the round began (congress.domain.rules.round_start), else the first year the tool knows."""
    return rules.round_start(round_.starts_on, round_.name) or as_of_window()[0]


# --- looking things up (congress.read.lookups; here as the ORM rows a write changes) ----------------


def find_organisation(session: Session, text: str, *, nearest: bool = True, names=None) -> Organisation:
    found = lookups.find_organisation(Store.of_session(session), text, nearest=nearest, names=names)
    return session.get(Organisation, found.id)


def find_group(session: Session, number: int) -> WorkingGroup:
    return session.get(WorkingGroup, lookups.find_group(Store.of_session(session), number).id)


def working_group_of(session: Session, org: Organisation) -> WorkingGroup | None:
    found = lookups.working_group_of(Store.of_session(session), org)
    return session.get(WorkingGroup, found.id) if found else None


def check_scope(session: Session, actor: Actor, org: Organisation, force: bool) -> None:
    """A working group acts on the organisations of its own committees, unless forced."""
    if actor.working_group is None:
        return
    group = find_group(session, actor.working_group)
    own = working_group_of(session, org)
    if force or (own is not None and own.id == group.id):
        return
    theirs = f"tổ công tác số {own.number}" if own else "không tổ công tác nào"
    raise CongressError(
        f"{org.name} ({org.code}) thuộc {theirs}, không thuộc tổ công tác số {group.number}. "
        "Dùng --force nếu tổ được giao thêm việc này."
    )


def current_round(session: Session) -> Round:
    return session.get(Round, lookups.current_round(Store.of_session(session)).id)


def deadlines_by_level(session: Session, round_: Round) -> dict[str, Deadlines]:
    return lookups.deadlines_by_level(Store.of_session(session), round_)


def congress_of(session: Session, round_: Round, org: Organisation) -> Congress:
    found = session.exec(
        select(Congress).where(Congress.round_id == round_.id, Congress.organisation_id == org.id)
    ).first()
    return found or Congress(round_id=round_.id, organisation_id=org.id)


# --- history ------------------------------------------------------------------------------------


def who(session: Session, actor: Actor) -> str:
    """History names the database role on PostgreSQL (what its permissions are tied to), else the OS user."""
    if session.get_bind().dialect.name != "postgresql":
        return actor.user
    if "role" not in session.info:
        session.info["role"] = session.execute(text("SELECT current_user")).scalar()
    return session.info["role"]


def author(session: Session, actor: Actor) -> str:
    """Who wrote a history row, in a form no other login can take: on PostgreSQL the role the server
    signed in ("pg:" + session_user, as congress.store.access's congress_write records it); on SQLite a web
    account's id ("web:<id>", never given again) or the command line's OS user ("cli:<user>"). A name
    typed at `congress user add` is never one: "web:" and "cli:" cannot meet."""
    if session.get_bind().dialect.name == "postgresql":
        if "author" not in session.info:
            session.info["author"] = "pg:" + session.execute(text("SELECT session_user")).scalar()
        return session.info["author"]
    return actor.identity or f"cli:{actor.user}"


def signature(session: Session, actor: Actor) -> dict:
    """A history row's user (shown) and author (matched by undo)."""
    return {"user": who(session, actor), "author": author(session, actor)}


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
) -> dict:
    """One history row as plain values: record() adds one, a large import inserts many in one statement."""
    return dict(
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


def group_role(session: Session) -> bool:
    """Whether the session's database role is a working group's (congress.store.access.grant_group): it
    holds no write privilege and writes a congress through the server's functions instead."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    if "group_role" not in session.info:
        mapped = session.execute(text("SELECT to_regclass('public.group_role') IS NOT NULL")).scalar()
        session.info["group_role"] = bool(mapped) and session.execute(
            text("SELECT EXISTS (SELECT 1 FROM public.group_role WHERE role = session_user)")
        ).scalar()
    return session.info["group_role"]


def record(session: Session, actor: Actor, action: str, **details) -> None:
    if details.get("field") in CONGRESS_FIELDS and group_role(session):
        _write_as_group(session, actor, action, **details)
        return
    session.add(Change(**history_row(actor, action, **details) | signature(session, actor)))


CONGRESS_FIELDS = {"planned_on", "held_on", "is_pilot"}


def _write_as_group(session: Session, actor: Actor, action: str, *, organisation_id: int, field: str, new,
                    note: str | None = None, old=None, at=None) -> None:
    """congress_write stores the value and its history row; the server reads the old value itself and
    stamps its own time, the role's name and its group, so `old` and `at` are not sent. The ORM's
    copy is then marked as stored, or it would send an UPDATE the role may not make."""
    with session.no_autoflush:
        round_ = current_round(session)
        session.execute(
            text("SELECT public.congress_write(:org, :round, :action, :field, :value, :note, :command)"),
            {"org": organisation_id, "round": round_.id, "action": action, "field": field,
             "value": stored_text(new), "note": note, "command": actor.command},
        )
        congress = congress_of(session, round_, session.get(Organisation, organisation_id))
        set_committed_value(congress, field, new)
        if action in ("log", "schedule") and note:  # as congress_write does, and log() and schedule() next
            set_committed_value(congress, "note", note)


def _set(session: Session, actor: Actor, action: str, row, field: str, value, org_id=None, note=None) -> bool:
    old = getattr(row, field)
    if old == value:
        return False
    setattr(row, field, value)
    session.add(row)
    record(session, actor, action, organisation_id=org_id, field=field, old=old, new=value, note=note)
    return True


# --- congresses ---------------------------------------------------------------------------------


def schedule(
    session: Session,
    actor: Actor,
    org: Organisation,
    planned_on: dt.date,
    *,
    note: str | None = None,
    pilot: bool | None = None,
    force: bool = False,
    typed: str | None = None,
) -> Congress:
    """`typed`: the date as the user wrote it, so that a refusal can say how a two-digit year was read."""
    note = clean_note(note)
    lock(session, org)
    congress = check_schedule(session, actor, org, planned_on, force=force, typed=typed)
    if congress.id is None:
        session.add(congress)
        session.flush()
    _set(session, actor, "schedule", congress, "planned_on", planned_on, org.id, note)
    if pilot is not None:
        _set(session, actor, "schedule", congress, "is_pilot", pilot, org.id)
    if note:
        congress.note = note
    return congress


def said(action: str, org: Organisation, day: dt.date) -> str:
    """What the CLI and the browser say once a change is committed (never before)."""
    from congress.domain import vn

    return {
        "log": f"Đã ghi nhận: {org.name} ({org.code}) tổ chức đại hội ngày {vn.day(day)}.",
        "schedule": f"Đã ghi: {org.name} ({org.code}) dự kiến đại hội ngày {vn.day(day)}.",
        "unlog": f"Đã rút lại ghi nhận đại hội ngày {vn.day(day)} của {org.name} ({org.code}).",
    }[action]


def lock(session: Session, org: Organisation) -> None:
    """Two offices writing one organisation's congress at once: the second waits, then sees the
    first's change. PostgreSQL: the organisation's row, locked until the transaction ends (NO KEY:
    rows that merely refer to it are still written); a working group's role, which may lock no row
    itself, asks congress_lock (congress.store.access), which also checks its scope and makes sure the
    congress row exists for the update that follows. A lock held too long by anyone ends in a
    message after lock_timeout (congress.store.database), where an advisory lock, which any role may take on
    any number, could stall another group for ever. SQLite's write transaction already holds the
    whole database (BEGIN IMMEDIATE, congress.store.database.make_engine)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    if group_role(session):
        session.execute(
            text("SELECT public.congress_lock(:org, :round)"), {"org": org.id, "round": current_round(session).id}
        )
    else:
        session.execute(text("SELECT 1 FROM organisation WHERE id = :id FOR NO KEY UPDATE"), {"id": org.id})


def check_schedule(
    session: Session, actor: Actor, org: Organisation, planned_on: dt.date, *, force: bool = False,
    typed: str | None = None,
) -> Congress:
    """Everything schedule() refuses, without writing: an import checks every row before it writes any."""
    check_scope(session, actor, org, force)
    round_ = current_round(session)
    congress = congress_of(session, round_, org)
    if congress.held_on is not None:
        raise CongressError(f"{org.name} đã tổ chức đại hội ngày {day(congress.held_on)}; không cần lên lịch.")
    if not is_active(org.dissolved_on, planned_on):
        raise CongressError(f"{org.name} đã giải thể từ ngày {day(org.dissolved_on)}.")
    deadlines = deadlines_by_level(session, round_)[org.level]
    check_window("Ngày dự kiến", planned_on, planned_window(round_start(round_), deadlines.deadline),
                 f"từ khi nhiệm kỳ bắt đầu đến {PLANNED_YEARS_AFTER_DEADLINE} năm sau hạn chót", typed)
    if planned_after_deadline(planned_on, deadlines) and not force:
        raise CongressError(
            f"Ngày dự kiến {day(planned_on)} của {org.name} sau hạn chót {day(deadlines.deadline)} "
            f"({LEVEL_LABELS[org.level].lower()}). Dùng --force nếu đã được cho phép tổ chức muộn."
        )
    return congress


def log(
    session: Session,
    actor: Actor,
    org: Organisation,
    held_on: dt.date,
    *,
    today: dt.date,
    note: str | None = None,
    force: bool = False,
    typed: str | None = None,
) -> Congress:
    note = clean_note(note)
    lock(session, org)
    congress = check_log(session, actor, org, held_on, today=today, force=force, typed=typed)
    if congress.id is None:
        session.add(congress)
        session.flush()
    _set(session, actor, "log", congress, "held_on", held_on, org.id, note)
    if note:
        congress.note = note
    return congress


def check_log(
    session: Session, actor: Actor, org: Organisation, held_on: dt.date, *, today: dt.date, force: bool = False,
    typed: str | None = None,
) -> Congress:
    """Everything log() refuses, without writing: an import checks every row before it writes any."""
    check_scope(session, actor, org, force)
    if not is_held(held_on, today):  # a date after today has not happened yet
        raise CongressError(f"Ngày tổ chức {day(held_on)} chưa đến (hôm nay là {day(today)}).")
    if not is_active(org.dissolved_on, held_on):
        raise CongressError(
            f"{org.name} đã giải thể từ ngày {day(org.dissolved_on)}; không thể ghi đại hội ngày {day(held_on)}."
        )
    round_ = current_round(session)
    check_window("Ngày tổ chức", held_on, held_window(round_start(round_), today),
                 "từ khi nhiệm kỳ bắt đầu đến hôm nay", typed)
    congress = congress_of(session, round_, org)
    if congress.held_on is not None and not force:
        raise CongressError(
            f"{org.name} đã được ghi nhận tổ chức đại hội ngày {day(congress.held_on)}"
            f"{_logged_by(session, org)}. Dùng --force để ghi lại ngày khác."
        )
    unheld = _children_not_held(session, round_, org, held_on)
    if unheld and not force:
        raise CongressError(
            f"{org.name} còn {number(unheld)} {LEVEL_LABELS[_CHILD_LEVEL[org.level]].lower()} chưa tổ chức đại hội "
            f"(tính đến ngày {day(held_on)}); đại hội cấp trên tổ chức sau cấp dưới. "
            "Dùng --force nếu vẫn ghi nhận (chẳng hạn cấp dưới đã tổ chức nhưng chưa được ghi)."
        )
    return congress


_CHILD_LEVEL = {parent: level for level, parent in PARENT_LEVEL.items() if parent}


def _children_not_held(session: Session, round_: Round, org: Organisation, held_on: dt.date) -> int:
    """How many of its children, active on `held_on`, had not held their congress by then."""
    if org.level not in _CHILD_LEVEL:
        return 0
    children = session.exec(
        select(Organisation.dissolved_on, Congress.held_on)
        .outerjoin(Congress, (Congress.organisation_id == Organisation.id) & (Congress.round_id == round_.id))
        .where(Organisation.parent_id == org.id, Organisation.level == _CHILD_LEVEL[org.level])
    ).all()
    return sum(held_before_child(held_on, child_held_on, dissolved_on) for dissolved_on, child_held_on in children)


def _logged_by(session: Session, org: Organisation) -> str:
    last = session.exec(
        select(Change)
        .where(Change.organisation_id == org.id, Change.action == "log")
        .order_by(Change.id.desc())
    ).first()
    if last is None:
        return ""
    group = f", tổ công tác số {last.working_group}" if last.working_group else ""
    return f" (do {last.user}{group} ghi lúc {moment(last.at)})"


def unlog(session: Session, actor: Actor, org: Organisation, *, reason: str, force: bool = False) -> Congress:
    check_scope(session, actor, org, force)
    reason = clean_note(reason, "Lý do rút lại")
    lock(session, org)
    if not reason:
        raise CongressError("Cần ghi lý do rút lại (--reason).")
    round_ = current_round(session)
    congress = congress_of(session, round_, org)
    if congress.held_on is None:
        raise CongressError(f"{org.name} chưa được ghi nhận tổ chức đại hội; không có gì để rút lại.")
    _set(session, actor, "unlog", congress, "held_on", None, org.id, reason)
    return congress


# --- organisations, groups, rounds --------------------------------------------------------------

def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise CongressError(f"Cấp «{level}» không hợp lệ; chọn một trong: {', '.join(LEVELS)}.")


def _check_parent(level: str, parent: Organisation | None) -> None:
    problem = parent_level_problem(level, parent.level if parent is not None else None)
    if problem == "missing_parent":
        raise CongressError("Cần chỉ tổ chức cấp trên (--parent).")
    if problem == "city_has_parent":
        raise CongressError(f"Tổ chức cấp «city» không có cấp trên; không thể đặt dưới {parent.name}.")
    if problem == "wrong_parent_level":
        raise CongressError(
            f"{parent.name} là cấp «{parent.level}»; tổ chức cấp «{level}» phải thuộc một tổ chức cấp "
            f"«{PARENT_LEVEL[level]}»."
        )


def _check_members(members: int | None) -> None:
    if members is not None and members < 0:
        raise CongressError("Số đảng viên không thể âm.")


def check_organisation(level: str, parent, party_members: int | None) -> None:
    """The rules on an organisation's own values. `parent` needs only .level and .name, so an import can
    check a parent that is itself a new row of the same file."""
    _check_level(level)
    _check_parent(level, parent)
    _check_members(party_members)


def add_organisation(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Organisation | None,
    party_members: int | None = None,
) -> Organisation:
    code, name, kind = clean_code(code), clean_name(name), clean_name(kind, "Loại tổ chức")
    check_organisation(level, parent, party_members)
    clash = session.exec(select(Organisation).where(func.upper(Organisation.code) == code.upper())).first()
    if clash is not None:
        raise CongressError(f"Mã {code} đã dùng cho {clash.name}.")
    org = Organisation(
        code=code,
        name=name,
        search_name=fold(name),
        level=level,
        kind=kind,
        parent_id=parent.id if parent else None,
        party_members=party_members,
    )
    session.add(org)
    session.flush()
    record(session, actor, "org.add", organisation_id=org.id, new=f"{code} {name}")
    return org


def edit_organisation(
    session: Session,
    actor: Actor,
    org: Organisation,
    *,
    name: str | None = None,
    kind: str | None = None,
    parent: Organisation | None = None,
    party_members: int | None = None,
    dissolved_on: dt.date | None = None,
) -> bool:
    """Only the given values change; returns whether anything did."""
    changed = False
    if name is not None:
        name = clean_name(name)
        org.search_name = fold(name)
        changed |= _set(session, actor, "org.edit", org, "name", name, org.id)
    if kind is not None:
        changed |= _set(session, actor, "org.edit", org, "kind", clean_name(kind, "Loại tổ chức"), org.id)
    if parent is not None:
        _check_parent(org.level, parent)
        _check_no_cycle(session, org, parent)
        changed |= _set(session, actor, "org.edit", org, "parent_id", parent.id, org.id)
    if party_members is not None:
        _check_members(party_members)
        changed |= _set(session, actor, "org.edit", org, "party_members", party_members, org.id)
    if dissolved_on is not None:
        held_on = congress_of(session, current_round(session), org).held_on
        check_window("Ngày giải thể", dissolved_on, dissolved_window(held_on),
                     f"sau ngày đại hội {day(held_on)} đã tổ chức" if held_on else "trong các năm phần mềm xử lý")
        changed |= _set(session, actor, "org.edit", org, "dissolved_on", dissolved_on, org.id)
    return changed


def _check_no_cycle(session: Session, org: Organisation, parent: Organisation) -> None:
    """The same as `import orgs`: an organisation is never above itself, however far up."""
    path, node, seen = [org.code], parent, set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        path.append(node.code)
        if node.id == org.id:
            if len(path) == 2:
                raise CongressError("Một tổ chức không thể là cấp trên của chính nó.")
            raise CongressError("Cấp trên tạo thành vòng lặp: " + " → ".join(path) + ".")
        node = session.get(Organisation, node.parent_id) if node.parent_id else None


def add_group(session: Session, actor: Actor, number: int, name: str, leader: str | None) -> WorkingGroup:
    if number <= 0:
        raise CongressError("Số tổ công tác phải là số dương.")
    if session.exec(select(WorkingGroup).where(WorkingGroup.number == number)).first():
        raise CongressError(f"Tổ công tác số {number} đã có.")
    name = clean_name(name, "Tên tổ công tác")
    leader = clean_name(leader, "Tên tổ trưởng") if leader is not None else None
    group = WorkingGroup(number=number, name=name, leader=leader)
    session.add(group)
    record(session, actor, "group.add", new=f"{number} {group.name}")
    return group


def assign_group(session: Session, actor: Actor, group: WorkingGroup, committees: list[Organisation]) -> int:
    for org in committees:
        if org.level != "committee":
            raise CongressError(f"{org.name} không phải đảng bộ trực thuộc; chỉ giao đảng bộ trực thuộc cho tổ.")
    session.flush()
    return sum(
        _set(session, actor, "group.assign", org, "working_group_id", group.id, org.id, f"tổ {group.number}")
        for org in committees
    )


def set_round(
    session: Session,
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
    round_ = current_round(session)
    if level is None:
        row = round_
    else:
        _check_level(level)
        if pilot_deadline_on is not None:
            raise CongressError("Hạn đại hội điểm áp dụng cho cả nhiệm kỳ, không đặt riêng theo cấp.")
        row = session.exec(
            select(RoundLevel).where(RoundLevel.round_id == round_.id, RoundLevel.level == level)
        ).first() or RoundLevel(round_id=round_.id, level=level)
    found = round_dates_messages(_dates_after(session, round_, level, target_on, deadline_on, pilot_deadline_on))
    if found:
        text = "; ".join(found)
        raise CongressError(text[0].upper() + text[1:] + ".")
    scope = f"cấp {level}" if level else None  # a per-level override says so in the history note
    changed = False
    for field, value in (("target_on", target_on), ("deadline_on", deadline_on), ("pilot_deadline_on", pilot_deadline_on)):
        if value is not None:
            changed |= _set(session, actor, "round.set", row, field, value, note=scope)
    return changed


def _dates_after(session: Session, round_: Round, level: str | None, target_on, deadline_on, pilot_deadline_on):
    """Every level's dates as set_round would leave them: a round-wide date can break a level's override."""
    overrides = {
        o.level: (o.target_on, o.deadline_on)
        for o in session.exec(select(RoundLevel).where(RoundLevel.round_id == round_.id))
    }
    if level is not None:
        own_target, own_deadline = overrides.get(level, (None, None))
        overrides[level] = (target_on or own_target, deadline_on or own_deadline)
        target_on = deadline_on = None
    return level_deadlines(
        target_on or round_.target_on, deadline_on or round_.deadline_on,
        pilot_deadline_on or round_.pilot_deadline_on, overrides,
    )
