"""Writing the weekly brief, and the letterhead it prints (settings): the jobs `congress brief`,
`congress settings` and the web's brief page share. Each takes what the user typed and returns the
document, or writes it; the faces only read their input and show the result."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from congress.domain.errors import CongressError


@dataclass(frozen=True)
class BriefAsked:
    """A brief as asked, values as typed: `as_of`, `week` ("2025-W34") and `issued` are text."""
    fmt: str = "html"
    as_of: str | None = None
    week: str | None = None
    issued: str | None = None
    number: int | None = None
    group: int | None = None
    annex: bool = True
    as_recorded: bool = False
    notes: str | None = None  # the office's notes as written (the page's fields joined: notes_from_fields)
    notes_file: str | None = None  # or the file that holds them, as typed


def check_asked(store, asked: BriefAsked, today: dt.date) -> dict:
    """What the brief is asked for, checked against the register before anything is drawn: the
    as-of day, the scope, the issue date, the notes (render's arguments)."""
    from congress.application.reads import day, scope_for
    from congress.domain.dates import check_as_of
    from congress.presentation.brief import parse_notes, week_end

    text = _notes_text(asked.notes_file) if asked.notes_file else asked.notes
    notes = parse_notes(text) if text else None
    if asked.week:
        as_of = week_end(asked.week)
        check_as_of("Ngày cuối tuần", as_of, None)
    else:
        as_of = day(store, asked.as_of, today=today)
    issued_on = day(store, asked.issued, today=today)
    return {"as_of": as_of, "fmt": asked.fmt, "number": asked.number, "issued_on": issued_on, "today": today,
            "as_recorded": asked.as_recorded, "annex": asked.annex,
            "scope": scope_for(store, None, asked.group, None), "notes": notes}


def _notes_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CongressError(f"Không đọc được tệp ghi chú {path}: {getattr(error, 'strerror', None) or error}.") from None


class Brief(NamedTuple):
    document: str | bytes  # text for html, md, txt; bytes for pdf, docx
    as_of: dt.date


def brief(store, asked: BriefAsked, today: dt.date) -> Brief:
    """The brief from an open Store (the web's request's)."""
    from congress.presentation import brief as presentation  # looked up now: a test stands in for render

    checked = check_asked(store, asked, today)
    as_of = checked.pop("as_of")
    return Brief(presentation.render(store, as_of, checked.pop("fmt"), **checked), as_of)


def write_brief(db: str, asked: BriefAsked, today: dt.date, output: str | None = None,
                force: bool = False) -> str | bytes | None:
    """The brief from the database at `db`: returned, or written to `output` (then None), the file
    refused before the seconds a PDF takes, not after."""
    from congress.store.files import check_target, written
    from congress.store.sql import Store

    if output:
        check_target(Path(output), force=force)
    with Store.open(db) as store:
        document = brief(store, asked, today).document
    if not output:
        return document
    with written(output, force=force) as stream:
        stream.write(document if isinstance(document, bytes) else document.encode("utf-8"))
    return None


def notes_from_fields(fields: list[str]) -> str | None:
    """The page's three notes fields, in the order of NOTE_SECTIONS, as a notes file would hold them."""
    from congress.presentation.brief import NOTE_SECTIONS
    from congress.writes.register import clean_note

    # a textarea sends its lines ended CR LF; a lone CR or any other control character is refused
    sections = [(title, clean_note(text.replace("\r\n", "\n"), title)) for title, text in zip(NOTE_SECTIONS, fields)]
    return "\n\n".join(f"{title}\n{body}" for title, body in sections if body) or None


# --- the letterhead (settings) -------------------------------------------------------------------


@dataclass(frozen=True)
class SettingRow:
    key: str
    value: str
    meaning: str


def settings(db: str) -> list[SettingRow]:
    """Every setting with its value (or that a required one is not set) and its meaning."""
    from congress.store.sql import Store
    from congress.writes.letterhead import SETTINGS, read_settings

    with Store.open(db) as store:
        values = read_settings(store)
    return [SettingRow(spec.key, values.get(spec.key) or ("(chưa đặt)" if spec.required else ""), spec.meaning)
            for spec in SETTINGS]


def change_setting(db: str, key: str, value: str) -> bool:
    """One setting set, with its history row, in one transaction; False if it already had that value."""
    from congress.application.database import opened
    from congress.writes.letterhead import set_setting
    from congress.writes.register import Actor

    with opened(db) as store:
        return set_setting(store, Actor.current(), key, value)

