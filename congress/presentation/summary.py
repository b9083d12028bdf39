"""The status summary: its figures gathered once from the read model (`summarise`), then laid out as
a table, CSV or JSON (`render_summary`). Which command shows each list is the face's to say."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from congress.domain import vn
from congress.domain.rules import Deadlines, Standing
from congress.presentation.listings import (
    PREPARATION, count_label, describe_standing, group_columns, group_rows, level_columns, level_rows,
)
from congress.presentation.sinks import json_text, render
from congress.presentation.views import days_left
from congress.read.progress import Pilot, Progress

COUNTED = (Standing.OVERDUE, Standing.BEHIND_TARGET, Standing.AT_RISK)


class Summary(NamedTuple):
    round_name: str
    as_of: dt.date
    as_recorded: bool
    scope_text: str  # "tổ công tác số 3, Đảng bộ phường Hải An"; empty for the whole register
    level: str | None  # the level the scope keeps, if one
    deadlines: Deadlines  # of that level, else the grassroots'
    levels: list[dict]
    groups: list[dict]
    pilots: list[Pilot]
    counts: dict[Standing, int]  # of COUNTED
    behind: int  # congresses behind in preparation (Progress.behind)
    sample: bool


def summarise(progress: Progress, scope_text: str) -> Summary:
    standings = progress.standings()
    return Summary(
        progress.round.name, progress.as_of, progress.as_recorded, scope_text, progress.scope.level,
        progress.deadlines[progress.scope.level or "grassroots"], level_rows(progress.levels()),
        group_rows(progress.groups()), progress.pilots(), {s: standings[s] for s in COUNTED}, len(progress.behind),
        progress.sample,
    )


def render_summary(summary: Summary, fmt: str, *, see: dict[Standing, str] | None = None) -> str:
    """`see`: where each counted list is shown (a command, a page), named after its count (a Standing,
    or PREPARATION)."""
    as_of, deadlines, levels, groups, pilots = (summary.as_of, summary.deadlines, summary.levels, summary.groups,
                                                summary.pilots)
    counts = {s.value: n for s, n in summary.counts.items()}
    if fmt == "json":
        return json_text(
            {
                "round": summary.round_name,
                "as_of": as_of,
                "as_recorded": summary.as_recorded,
                "target_on": deadlines.target,
                "deadline_on": deadlines.deadline,
                "days_to_target": (deadlines.target - as_of).days,
                "days_to_deadline": (deadlines.deadline - as_of).days,
                "levels": levels,
                "expected_means": level_columns(as_of)[-1].header,
                "pilots": [
                    {"code": p.code, "name": p.name, "planned_on": p.planned_on, "held_on": p.held_on,
                     "standing": p.assessment.standing.value}
                    for p in pilots
                ],
                "working_groups": groups,
                "counts": counts,
                "behind_in_preparation": summary.behind,
                "sample": summary.sample,
            }
        )
    columns = level_columns(as_of)
    if fmt == "csv":
        return render(levels, columns, "csv")
    # laid out here rather than through Jinja: the morning command should not pay for importing it
    lines = [f"TIẾN ĐỘ ĐẠI HỘI NHIỆM KỲ {summary.round_name} — tính đến ngày {vn.day(as_of)}"
             + (" (chỉ những gì đã ghi đến hết ngày này)" if summary.as_recorded else "")]
    if summary.scope_text:
        lines.append(f"Phạm vi: {summary.scope_text}")
    lines += ["", render(levels, columns, "table", empty="Không có tổ chức nào trong phạm vi này."), "",
              f"Mốc mục tiêu (trước ngày {vn.day(deadlines.target)}): {days_left(deadlines.target, as_of, before=True)}.",
              f"Hạn chót (chậm nhất ngày {vn.day(deadlines.deadline)}): {days_left(deadlines.deadline, as_of)}."]
    if pilots:
        lines += ["", "Đại hội điểm:"] + [
            f"  - {p.name} ({p.code}): "
            + (f"đã tổ chức ngày {vn.day(p.held_on)}" if p.held_on else f"dự kiến {vn.day(p.planned_on) or 'chưa có ngày'}")
            + f" — {describe_standing(p.assessment)}"
            for p in pilots
        ]
    if groups:
        lines += ["", "Theo tổ công tác:", render(groups, group_columns(summary.level), "table")]
    see = see or {}
    counted = [(count_label(s), n, see.get(s)) for s, n in summary.counts.items()]
    counted.append((vn.BEHIND_IN_PREPARATION.capitalize(), summary.behind, see.get(PREPARATION)))
    lines += ["", " ".join(f"{label}: {vn.number(n)}" + (f" (xem «{where}»)" if where else "") + "."
                           for label, n, where in counted)]
    if summary.sample:
        lines += ["", vn.SAMPLE_MARK]
    return "\n".join(lines)

