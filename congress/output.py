"""Rows to text: one list of dicts, three sinks (table, csv, json)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable, Iterable

from congress import vn

FORMATS = ("table", "csv", "json")


@dataclass(frozen=True)
class Column:
    key: str  # JSON key
    header: str  # Vietnamese heading for table and CSV
    show: Callable = str  # how a value reads in a table or CSV
    align: str = "left"


def _shown(value, show: Callable) -> str:
    if value is None:
        return ""
    return show(value)


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def render(rows: Iterable[dict], columns: list[Column], fmt: str, *, empty: str = "") -> str:
    rows = list(rows)
    if fmt == "json":
        return json.dumps(
            [{c.key: _json_value(r.get(c.key)) for c in columns} for r in rows], ensure_ascii=False, indent=2
        )
    cells = [[_shown(r.get(c.key), c.show) for c in columns] for r in rows]
    if fmt == "csv":
        from congress.sheets import csv_text

        return csv_text([c.header for c in columns], cells)
    if not rows:
        return empty
    from tabulate import tabulate

    return tabulate(
        cells, headers=[c.header for c in columns], disable_numparse=True, colalign=[c.align for c in columns]
    )


def date_column(key: str, header: str) -> Column:
    return Column(key, header, vn.day)


def number_column(key: str, header: str) -> Column:
    return Column(key, header, vn.number, "right")
