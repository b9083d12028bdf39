"""Rows to text: one list of dicts, three sinks (table, csv, json)."""
from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable, NamedTuple

from congress.domain import vn

FORMATS = ("table", "csv", "json")


class Column(NamedTuple):
    key: str  # JSON key
    header: str  # Vietnamese heading for table and CSV
    show: Callable = str  # how a value reads in a table or CSV
    align: str = "left"


# every C0 control but the newline, DEL and the C1 controls: ESC [ 8 m hides the rest of a line,
# ESC [ 31 m colours it, a carriage return overwrites it
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if c != 0x0A}


def visible(text: str) -> str:
    """Text as a terminal may show it: a control character stored in a name prints as its escape
    (ESC as \\x1b), so it is seen, not obeyed. For what a person reads (tables, the terminal),
    never for CSV, JSON or XLSX, which keep the stored text."""
    return text.translate(_CONTROLS)


def _shown(value, show: Callable) -> str:
    if value is None:
        return ""
    return show(value)


def csv_cell(value, column: Column) -> str:
    """A CSV cell as a table shows it, but counts as plain digits (1841, not 1.841): a spreadsheet in
    any language reads them as the number, where "1.841" is 1,841 in English settings."""
    if value is None:
        return ""
    return str(value) if column.show is vn.number else column.show(value)


def json_text(value) -> str:
    """Every JSON the tool prints: Vietnamese as it is (not \\u escapes), indented, dates and moments in
    ISO 8601, anything else JSON has no type for as its text."""
    import json  # only here: the table, the one read every morning, does without it

    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def render(rows: Iterable[dict], columns: list[Column], fmt: str, *, empty: str = "") -> str:
    rows = list(rows)
    if fmt == "json":
        return json_text([{c.key: r.get(c.key) for c in columns} for r in rows])
    if fmt == "csv":
        from congress.presentation.sheets import csv_text

        return csv_text([c.header for c in columns], [[csv_cell(r.get(c.key), c) for c in columns] for r in rows])
    cells = [[_shown(r.get(c.key), c.show) for c in columns] for r in rows]
    if not rows:
        return empty
    from tabulate import tabulate

    # a table is read by a person, on a terminal or from a redirected file alike: controls made visible
    cells = [[visible(cell) for cell in row] for row in cells]
    return tabulate(
        cells, headers=[c.header for c in columns], disable_numparse=True, colalign=[c.align for c in columns]
    )


def date_column(key: str, header: str) -> Column:
    return Column(key, header, vn.day)


def number_column(key: str, header: str) -> Column:
    return Column(key, header, vn.number, "right")
