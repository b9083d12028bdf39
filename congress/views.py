"""Short text views of one thing (an organisation, a group, the round), and the status summary.

Everything here is figures already computed elsewhere, put into Vietnamese."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from congress import vn
from congress.models import Organisation
from congress.register import (
    congress_of,
    current_round,
    deadlines_by_level,
    find_organisation,
    working_group_of,
)
from congress.rules import assess, is_held


def describe_standing(assessment) -> str:
    text = vn.STANDING_LABELS[assessment.standing]
    if assessment.reason is not None:
        text += f" — {vn.REASON_LABELS[assessment.reason]}"
    if assessment.days_overdue:
        text += f" ({assessment.days_overdue} ngày)"
    return text


def describe_organisation(session: Session, text: str, as_of: dt.date) -> str:
    org = find_organisation(session, text)
    round_ = current_round(session)
    congress = congress_of(session, round_, org)
    parent = session.get(Organisation, org.parent_id) if org.parent_id else None
    group = working_group_of(session, org)
    lines = [
        f"{org.name} ({org.code})",
        f"  Cấp:               {vn.LEVEL_LABELS[org.level]} — {org.kind}",
        f"  Cấp trên:          {parent.name} ({parent.code})" if parent else "  Cấp trên:          —",
        f"  Tổ công tác:       {f'số {group.number} — {group.name}' if group else 'chưa giao'}",
    ]
    if org.party_members is not None:
        lines.append(f"  Số đảng viên:      {vn.number(org.party_members)}")
    if org.dissolved_on:
        lines.append(f"  Giải thể từ ngày:  {vn.day(org.dissolved_on)}")
    lines.append(f"Đại hội nhiệm kỳ {round_.name}{' (đại hội điểm)' if congress.is_pilot else ''}")
    lines.append(f"  Ngày dự kiến:      {vn.day(congress.planned_on) or 'chưa có'}")
    held = congress.held_on if is_held(congress.held_on, as_of) else None
    lines.append(f"  Ngày tổ chức:      {vn.day(held) or 'chưa tổ chức'}")
    if org.dissolved_on is None or org.dissolved_on > as_of:
        assessment = assess(
            planned_on=congress.planned_on,
            held_on=congress.held_on,
            is_pilot=congress.is_pilot,
            deadlines=deadlines_by_level(session, round_)[org.level],
            as_of=as_of,
        )
        lines.append(f"  Tình trạng ngày {vn.day(as_of)}: {describe_standing(assessment)}")
    if congress.note:
        lines.append(f"  Ghi chú:           {congress.note}")
    return "\n".join(lines)


def describe_round(session: Session, as_of: dt.date) -> str:
    round_ = current_round(session)
    by_level = deadlines_by_level(session, round_)
    lines = [f"Nhiệm kỳ {round_.name}"]
    lines.append(f"  Mốc mục tiêu:      trước ngày {vn.day(round_.target_on)}  ({days_left(round_.target_on, as_of)})")
    lines.append(f"  Hạn chót:          chậm nhất ngày {vn.day(round_.deadline_on)}  ({days_left(round_.deadline_on, as_of)})")
    if round_.pilot_deadline_on:
        lines.append(f"  Đại hội điểm:      trước ngày {vn.day(round_.pilot_deadline_on)}")
    for level in vn.LEVELS:
        d = by_level[level]
        if (d.target, d.deadline) != (round_.target_on, round_.deadline_on):
            lines.append(
                f"  Riêng {vn.LEVEL_LABELS[level].lower()}: mục tiêu {vn.day(d.target)}, hạn chót {vn.day(d.deadline)}"
            )
    return "\n".join(lines)


def days_left(when: dt.date, as_of: dt.date) -> str:
    days = (when - as_of).days
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "là hôm nay"
    return f"đã qua {-days} ngày"
