"""Exports and templates laid out: rows as CSV, JSON or XLSX, and sheets for working groups to fill
(congress.application.transfer chooses the rows).

Every CSV and XLSX goes through congress.presentation.sheets, which neutralises text a spreadsheet could run as a
formula. Organisation rows carry their parent's code, so an export imports back unchanged.
"""
from __future__ import annotations

import datetime as dt

from congress.domain import rules, vn
from congress.domain.vn import LEVEL_LABELS

EXPORTS = ("orgs", "status", "overdue", "preparation", "results", "history")
SHEET_TITLES = {"orgs": "Tổ chức", "status": "Chưa đại hội", "overdue": "Quá hạn", "history": "Lịch sử",
                "preparation": "Chậm chuẩn bị", "results": "Kết quả đại hội",
                "schedule": "Ngày dự kiến", "held": "Ngày tổ chức"}


def write_table(stream, rows: list[dict], columns, fmt: str, *, title: str, bom: bool = True) -> None:
    """Rows as CSV (text as shown in tables), JSON, or XLSX (dates and numbers as real cells)."""
    from congress.presentation.sinks import csv_cell, render
    from congress.presentation.sheets import COUNT_FORMAT, DAY_FORMAT, XlsxColumn, width_for, write_csv, write_xlsx

    if fmt == "json":
        stream.write((render(rows, columns, "json") + "\n").encode("utf-8"))
        return
    if fmt == "csv":
        write_csv(stream, [c.header for c in columns],
                  ([csv_cell(r.get(c.key), c) for c in columns] for r in rows), bom=bom)
        return
    sheet_columns = []
    for c in columns:
        number_format = DAY_FORMAT if c.show is vn.day else COUNT_FORMAT if c.show is vn.number else None
        samples = [_shown(r.get(c.key), c) for r in rows[:500]]
        sheet_columns.append(XlsxColumn(c.header, width_for(c.header, samples), number_format))
    write_xlsx(stream, title, sheet_columns, ([_cell(r.get(c.key), c) for c in columns] for r in rows))


def _shown(value, column) -> str:
    return "" if value is None else column.show(value)


def _cell(value, column):
    """Dates and whole numbers stay typed, so Excel sorts and sums them; everything else as shown."""
    if value is None or column.show in (vn.day, vn.number):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return column.show(value)


def write_template(stream, kind: str, listed: list[dict], *, window: tuple[dt.date, dt.date] | None, year: int,
                   today: dt.date, fmt: str = "xlsx") -> None:
    """A sheet ready to fill with `listed` (congress.application.transfer.template chose them), as .xlsx
    or as CSV (the same columns, without Excel's checks); a date column accepts the rule's `window`
    (the round's `year` in its example)."""
    from congress.presentation.sheets import COUNT_FORMAT, DAY_FORMAT, XlsxColumn, write_csv, write_xlsx

    def checked(**given):
        """Excel's check of a column's cells (none in a CSV)."""
        if fmt != "xlsx":
            return None
        from openpyxl.worksheet.datavalidation import DataValidation

        return DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True, **given)

    def date_check(window: tuple[dt.date, dt.date], last: str | None = None, *, what: str):
        """Excel refuses what the import refuses: the rule's window (rules.py). `last` a formula for
        an end that moves with the day the sheet is filled (TODAY() for "to today")."""
        first, end = window
        return checked(
            type="date", operator="between", formula1=_excel_date(first), formula2=last or _excel_date(end),
            errorTitle="Ngày không hợp lệ",
            error=f"Nhập ngày dạng dd/mm/yyyy, ví dụ {vn.day(dt.date(year, 8, 20))}; {what}.",
            promptTitle="Ngày", prompt="Ngày trước tháng: dd/mm/yyyy",
        )

    code, name = XlsxColumn("Mã", 20), XlsxColumn("Tên tổ chức", 50)
    committee, note = XlsxColumn("Đảng bộ trực thuộc", 20), XlsxColumn("Ghi chú", 30)
    if kind == "orgs":
        columns = [code, name, XlsxColumn("Cấp", 22), XlsxColumn("Loại", 18), XlsxColumn("Cấp trên", 20),
                   XlsxColumn("Tổ công tác", 12), XlsxColumn("Số đảng viên", 14, COUNT_FORMAT)]
        rows = ([r["code"], r["name"], LEVEL_LABELS[r["level"]], r["kind"], r["parent"],
                 r["working_group"] if r["level"] == "committee" else None, r["party_members"]] for r in listed)
    elif kind == "schedule":
        planned = XlsxColumn("Ngày dự kiến", 16, DAY_FORMAT, date_check(
            window, what=f"từ {vn.day(window[0])} đến {vn.day(window[1])}"))
        columns = [code, name, committee, planned, note]
        rows = ([r["code"], r["name"], r["committee"], r["planned_on"], None] for r in listed)
    elif kind == "held":
        held = XlsxColumn("Ngày tổ chức", 16, DAY_FORMAT, date_check(
            window, "TODAY()", what=f"từ {vn.day(window[0])} đến hôm nay"))
        columns = [code, name, committee, XlsxColumn("Ngày dự kiến", 16, DAY_FORMAT), held, note]
        rows = ([r["code"], r["name"], r["committee"], r["planned_on"],
                 r["held_on"] if r["held_on"] and r["held_on"] <= today else None, None] for r in listed)
    else:
        columns = [code, name, committee, XlsxColumn("Ngày tổ chức", 16, DAY_FORMAT),
                   *(_result_column(field, checked) for field in rules.RESULT_FIELDS)]
        rows = ([r["code"], r["name"], r["committee"], r["held_on"],
                 *(_result_cell(field, r.get(field)) for field in rules.RESULT_FIELDS)] for r in listed)
    if fmt == "csv":
        write_csv(stream, [c.header for c in columns], ([_template_text(v) for v in row] for row in rows))
        return
    write_xlsx(stream, SHEET_TITLES[kind], columns, rows, blank_rows=200)


_CHOSEN = ("committee_by", "secretary_by")


def _result_column(field: str, checked):
    """A result's column in the return sheet: vn.RESULT_HEADERS' words (what `import results` reads back),
    what to write in brackets for a choice, and Excel refusing what rules.result_problems refuses
    of a single value (a part above its whole depends on two cells, some stored: the import says it)."""
    from congress.presentation.sheets import COUNT_FORMAT, XlsxColumn

    header = vn.RESULT_HEADERS[field]
    if field == "result_note":
        return XlsxColumn(header, 30)
    if field == "contents":
        *first, last = map(str, rules.CONTENTS)
        choices = f"{', '.join(first)} hoặc {last}"
        return XlsxColumn(f"{header} ({choices})", 16, None, checked(
            type="list", formula1='"' + ",".join(map(str, rules.CONTENTS)) + '"', errorTitle="Số nội dung không hợp lệ",
            error=f"Chọn {choices}: số nội dung đại hội đã tiến hành.", promptTitle="Số nội dung", prompt=f"Chọn {choices}"))
    if field in _CHOSEN:
        words = [vn.CHOSEN_BY_LABELS[c] for c in rules.CHOSEN_BY]
        return XlsxColumn(f"{header} ({'/'.join(words)})", 22, None, checked(
            type="list", formula1='"' + ",".join(words) + '"', errorTitle="Giá trị không hợp lệ",
            error=f"Chọn «{words[0]}» hoặc «{words[1]}».", promptTitle=header, prompt=" hoặc ".join(words)))
    between = f"từ 0 đến {vn.number(rules.MAX_RESULT)}"
    return XlsxColumn(header, 16, COUNT_FORMAT, checked(
        type="whole", operator="between", formula1="0", formula2=str(rules.MAX_RESULT), errorTitle="Số không hợp lệ",
        error=f"Nhập số nguyên {between}.", promptTitle="Số", prompt=f"Số nguyên {between}"))


def _result_cell(field: str, value):
    """A recorded value as the sheet shows it: a choice in its Vietnamese words, the rest as stored."""
    return vn.CHOSEN_BY_LABELS[value] if field in _CHOSEN and value is not None else value


def _template_text(value) -> str:
    """A template's cell in a CSV: a date dd/mm/yyyy, a count in plain digits (as csv_cell writes them)."""
    if value is None:
        return ""
    return vn.day(value) if isinstance(value, dt.date) else str(value)


def _excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"
