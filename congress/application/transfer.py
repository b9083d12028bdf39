"""Exports and templates: the register's rows as a sheet (`congress export`), and the sheet a working
group fills (`congress template`, the browser's «mẫu» download). The rows are chosen and sorted here,
once; congress.presentation.exports lays them out."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from congress.application.database import opened
from congress.domain.errors import CongressError
from congress.domain.rules import held_window, is_active, is_held, planned_window
from congress.presentation import exports


def export(location: str, what: str, fmt: str, target: Path | BinaryIO, *, as_of: str | None, today: dt.date,
           bom: bool = True, force: bool = False) -> int:
    """Writes `what` to a file (whole or not at all; an existing one only with `force`) or a stream;
    returns how many rows. `as_of` as typed, None for today."""
    from congress.read.lookups import as_of_day
    from congress.read.progress import Progress
    from congress.store.files import check_target, written
    from congress.store.sql import Store

    if isinstance(target, Path):
        check_target(target, force=force)  # before reading the register, not after
    with Store.open(location) as store:
        rows, columns = export_rows(Progress(store, as_of_day(store, as_of, today) if as_of else today,
                                             today=today), what, fmt)
    if isinstance(target, Path):
        with written(target, force=force) as stream:
            exports.write_table(stream, rows, columns, fmt, title=exports.SHEET_TITLES[what], bom=bom)
    else:
        exports.write_table(target, rows, columns, fmt, title=exports.SHEET_TITLES[what], bom=bom)
    return len(rows)


def export_rows(progress, what: str, fmt: str):
    """Rows and the columns the matching command prints (congress.presentation.listings)."""
    from congress.presentation import listings

    if what == "orgs":
        return progress.organisations(), listings.organisation_columns(with_parent=True)
    if what == "history":
        from congress.read.progress import changes

        from congress.application.reads import step_names

        return (listings.history_rows(changes(progress.store), step_names(progress.store)),
                listings.history_columns(fmt))
    if what == "preparation":
        return listings.behind_rows(progress.behind), listings.behind_columns(fmt)
    if what == "results":  # status --results as one sheet: the levels, then the working groups
        rows = listings.result_rows(progress.results("level")) + listings.result_rows(progress.results("group"))
        return rows, listings.result_sheet_columns(fmt)
    entries = progress.listing("overdue") if what == "overdue" else sorted(
        progress.pending, key=lambda e: (e.working_group is None, e.working_group or 0, e.code)
    )
    return listings.entry_rows(entries), listings.entry_columns(fmt)


def template(db, kind: str, target: Path | BinaryIO, *, group: int | None, today: dt.date,
             force: bool = False, fmt: str = "xlsx") -> int:
    """The sheet to fill for the group's organisations (all, without a group), as a new .xlsx or .csv
    file (an existing one only with `force`) or to a stream; returns how many organisations it lists.
    `db`: a location, a login's session or an open Store (congress.application.database.opened)."""
    from congress.presentation.sheets import CSV_EXTENSIONS
    from congress.read import lookups
    from congress.read.progress import Progress, Scope
    from congress.store.files import written
    from congress.writes import register

    if isinstance(target, Path) and fmt == "xlsx" and not target.name.lower().endswith(".xlsx"):
        raise CongressError("Tệp mẫu Excel: tên tệp phải kết thúc bằng .xlsx (tệp CSV: .csv, .txt hoặc .tsv).")
    if isinstance(target, Path) and fmt == "csv" and not target.name.lower().endswith(CSV_EXTENSIONS):
        # what `congress import` reads back
        raise CongressError("Tệp mẫu CSV: tên tệp phải kết thúc bằng .csv, .txt hoặc .tsv.")
    with opened(db, write=False) as store:
        with (written(target, force=force) if isinstance(target, Path) else _kept_open(target)) as stream:
            if group is not None:
                lookups.find_group(store, group)
            round_ = lookups.current_round(store)
            starts_on = register.round_start(round_)
            listed = [
                r for r in Progress(store, today, Scope(group=group), today=today).organisations()
                if is_active(r["dissolved_on"], today)
            ]
            window = None
            if kind == "schedule":
                listed = [r for r in listed if r["held_on"] is None or r["held_on"] > today]
                deadlines = lookups.deadlines_by_level(store, round_)
                # one check per column: the window of the earliest deadline among the rows, which no row's exceeds
                window = planned_window(starts_on, min((deadlines[r["level"]].deadline for r in listed),
                                                       default=deadlines["grassroots"].deadline))
            elif kind == "held":
                window = held_window(starts_on, today)
            elif kind == "results":  # a congress held has a result to report, filled in as far as it is known
                listed = [r for r in listed if is_held(r["held_on"], today)]
                recorded = lookups.results_by_code(store, round_.id)
                for r in listed:
                    r.update(recorded.get(r["code"], lookups.Result())._asdict())
            exports.write_template(stream, kind, listed, window=window, year=round_.target_on.year, today=today,
                                   fmt=fmt)
    return len(listed)


class _kept_open:
    """A stream the caller owns, as `with` takes it."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc):
        return False
