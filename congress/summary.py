"""The `congress status` summary: every figure computed here, the template only lays it out."""
from __future__ import annotations

import json

from congress import vn
from congress.output import Column, number_column, render
from congress.queries import Register
from congress.rules import Standing
from congress.views import days_left, describe_standing


def level_rows(register: Register) -> list[dict]:
    return [
        {
            "level": p.level,
            "label": vn.LEVEL_LABELS[p.level],
            "held": p.held,
            "total": p.total,
            "percent": vn.percent_value(p.held, p.total),
            "percent_text": vn.percent(p.held, p.total),
            "planned_this_month": p.planned_this_month,
        }
        for p in register.levels()
    ]


def render_summary(session, register: Register, fmt: str) -> str:
    from congress.cli.groups import group_columns, group_rows
    from congress.templating import render as render_template

    summary = register.summary()
    as_of, deadlines = summary.as_of, summary.deadlines
    levels = level_rows(register)
    groups = group_rows(summary.groups)
    counts = {s.value: summary.standings[s] for s in (Standing.OVERDUE, Standing.AT_RISK, Standing.BEHIND_TARGET)}
    if fmt == "json":
        return json.dumps(
            {
                "round": summary.round_name,
                "as_of": as_of.isoformat(),
                "target_on": deadlines.target.isoformat(),
                "deadline_on": deadlines.deadline.isoformat(),
                "days_to_target": (deadlines.target - as_of).days,
                "days_to_deadline": (deadlines.deadline - as_of).days,
                "levels": levels,
                "pilots": [
                    {"code": p.code, "name": p.name, "planned_on": _iso(p.planned_on), "held_on": _iso(p.held_on),
                     "standing": p.assessment.standing.value}
                    for p in summary.pilots
                ],
                "working_groups": groups,
                "counts": counts,
                "sample": summary.sample,
            },
            ensure_ascii=False,
            indent=2,
        )
    month = f"Dự kiến trong tháng {vn.month(as_of)}"
    columns = [
        Column("label", "Cấp"),
        number_column("held", "Đã đại hội"),
        number_column("total", "Tổng số"),
        Column("percent_text", "Tỷ lệ", str, "right"),
        number_column("planned_this_month", month),
    ]
    if fmt == "csv":
        return render(levels, columns, "csv")
    return render_template(
        "status.txt.j2",
        round_name=summary.round_name,
        as_of=vn.day(as_of),
        scope=_scope_text(session, register),
        levels=render(levels, columns, "table", empty="Không có tổ chức nào trong phạm vi này."),
        target_line=f"Mốc mục tiêu (trước ngày {vn.day(deadlines.target)}): {days_left(deadlines.target, as_of)}.",
        deadline_line=f"Hạn chót (chậm nhất ngày {vn.day(deadlines.deadline)}): {days_left(deadlines.deadline, as_of)}.",
        pilots=[
            f"{p.name} ({p.code}): "
            + (f"đã tổ chức ngày {vn.day(p.held_on)}" if p.held_on else f"dự kiến {vn.day(p.planned_on) or 'chưa có ngày'}")
            + f" — {describe_standing(p.assessment)}"
            for p in summary.pilots
        ],
        groups=render(groups, group_columns(), "table") if groups else "",
        attention=(
            f"Quá hạn: {vn.number(counts['overdue'])} (xem «congress status --overdue»). "
            f"Chậm so với mục tiêu: {vn.number(counts['behind_target'])}. "
            f"Có nguy cơ chậm: {vn.number(counts['at_risk'])} (xem «congress status --at-risk»)."
        ),
        sample=summary.sample,
    )


def _iso(d):
    return d.isoformat() if d else None


def _scope_text(session, register: Register) -> str:
    from congress.models import Organisation

    scope = register.scope
    parts = []
    if scope.level:
        parts.append(vn.LEVEL_LABELS[scope.level].lower())
    if scope.group is not None:
        parts.append(f"tổ công tác số {scope.group}")
    if scope.committee_id is not None:
        parts.append(session.get(Organisation, scope.committee_id).name)
    return ", ".join(parts)
