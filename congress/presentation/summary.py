"""The `congress status` summary: every figure read once from the read model; the template lays it out."""
from __future__ import annotations

from congress.domain import vn
from congress.presentation.listings import describe_standing, group_columns, group_rows, level_columns, level_rows
from congress.read.lookups import organisation
from congress.presentation.sinks import json_text, render
from congress.read.progress import Progress
from congress.domain.rules import Standing
from congress.presentation.views import days_left

COUNTED = (Standing.OVERDUE, Standing.BEHIND_TARGET, Standing.AT_RISK)


def render_summary(store, progress: Progress, fmt: str) -> str:
    as_of = progress.as_of
    deadlines = progress.deadlines[progress.scope.level or "grassroots"]
    levels = level_rows(progress.levels())
    groups = group_rows(progress.groups())
    pilots = progress.pilots()
    standings = progress.standings()
    counts = {s.value: standings[s] for s in COUNTED}
    if fmt == "json":
        return json_text(
            {
                "round": progress.round.name,
                "as_of": as_of,
                "as_recorded": progress.as_recorded,
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
                "sample": progress.sample,
            }
        )
    columns = level_columns(as_of)
    if fmt == "csv":
        return render(levels, columns, "csv")
    # laid out here rather than through Jinja: the morning command should not pay for importing it
    lines = [f"TIẾN ĐỘ ĐẠI HỘI NHIỆM KỲ {progress.round.name} — tính đến ngày {vn.day(as_of)}"
             + (" (chỉ những gì đã ghi đến hết ngày này)" if progress.as_recorded else "")]
    scope = _scope_text(store, progress)
    if scope:
        lines.append(f"Phạm vi: {scope}")
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
        lines += ["", "Theo tổ công tác:", render(groups, group_columns(progress.scope.level), "table")]
    lines += ["", (
        f"Quá hạn: {vn.number(counts['overdue'])} (xem «congress status --overdue»). "
        f"Chậm so với mục tiêu: {vn.number(counts['behind_target'])} (xem «congress status --late»). "
        f"Có nguy cơ chậm: {vn.number(counts['at_risk'])} (xem «congress status --at-risk»)."
    )]
    if progress.sample:
        lines += ["", vn.SAMPLE_MARK]
    return "\n".join(lines)


def _scope_text(store, progress: Progress) -> str:
    scope = progress.scope
    parts = []
    if scope.level:
        parts.append(vn.LEVEL_LABELS[scope.level].lower())
    if scope.group is not None:
        parts.append(f"tổ công tác số {scope.group}")
    if scope.committee_id is not None:
        parts.append(organisation(store, scope.committee_id).name)
    return ", ".join(parts)
