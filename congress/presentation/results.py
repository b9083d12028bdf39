"""`status --results`: the results of the congresses held, per level and per working group (rows from
listings.result_rows), as a table, CSV or JSON."""
from __future__ import annotations

from congress.domain import vn
from congress.presentation.listings import (
    RESULT_FIGURES, SHARE_OF, result_columns, result_figure_columns, result_figure_rows, result_sheet_columns,
)
from congress.presentation.sinks import Column, json_text, number_column, render

# What a group's row shows in a table (a terminal or a page is not wide enough for all seventeen
# figures of twenty groups); CSV, JSON and a level's own table keep every figure.
GROUP_TABLE = ("held", "reported", "contents_4", "committee_elected", "committee_members", "women", "present")
BY_GROUP = Column("working_group", "Tổ", lambda v: "chưa giao" if v is None else str(v), "right")
BY_LEVEL = Column("label", "Cấp")
NO_RESULTS = "Chưa có đại hội nào trong phạm vi này."


def compact_columns(first: Column) -> list[Column]:
    """A row per group (or per level, on a group's page): GROUP_TABLE's figures, each share beside its two numbers."""
    columns = [first]
    for key, _, whole, short in RESULT_FIGURES:
        if key in GROUP_TABLE:
            columns.append(number_column(key, short))
            if whole:
                columns += [number_column(f"{key}_of", SHARE_OF), Column(f"{key}_percent_text", "Tỷ lệ", str, "right")]
    return columns


def render_results(view, fmt: str) -> str:
    if fmt == "json":
        return json_text({
            "round": view.round_name, "as_of": view.as_of, "as_recorded": view.as_recorded,
            "levels": [{c.key: r[c.key] for c in result_columns("level", "json")} for r in view.levels],
            "working_groups": [{c.key: r[c.key] for c in result_columns("group", "json")} for r in view.groups],
            "sample": view.sample,
        })
    if fmt == "csv":
        return render(view.levels + view.groups, result_sheet_columns("csv"), "csv")
    lines = [f"KẾT QUẢ ĐẠI HỘI NHIỆM KỲ {view.round_name} — tính đến ngày {vn.day(view.as_of)}"
             + (" (chỉ những gì đã ghi đến hết ngày này)" if view.as_recorded else "")]
    if view.scope_text:
        lines.append(f"Phạm vi: {view.scope_text}")
    if not view.levels:
        lines += ["", NO_RESULTS]
    for row in view.levels:
        lines += ["", render(result_figure_rows(row), result_figure_columns(row["label"]), "table")]
    if view.groups:
        lines += ["", "Theo tổ công tác:", render(view.groups, compact_columns(BY_GROUP), "table")]
    if view.sample:
        lines += ["", vn.SAMPLE_MARK]
    return "\n".join(lines)
