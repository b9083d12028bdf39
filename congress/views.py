"""Short text views of one thing (an organisation, the round), from the read model, in Vietnamese."""
from __future__ import annotations

import datetime as dt

from congress import vn
from congress.listings import describe_standing
from congress.lookups import current_round, deadlines_by_level, find_organisation, organisation, working_group_of
from congress.progress import Progress


def describe_organisation(store, text: str, as_of: dt.date, *, today: dt.date, as_recorded: bool = False) -> str:
    org = find_organisation(store, text)
    progress = Progress(store, as_of, as_recorded=as_recorded, today=today)
    planned_on, held_on, pilot, note, assessment = progress.congress_of(org)
    parent = organisation(store, org.parent_id) if org.parent_id else None
    group = working_group_of(store, org)
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
    lines.append(f"Đại hội nhiệm kỳ {progress.round.name}{' (đại hội điểm)' if pilot else ''}")
    lines.append(f"  Ngày dự kiến:      {vn.day(planned_on) or 'chưa có'}")
    lines.append(f"  Ngày tổ chức:      {vn.day(held_on) or 'chưa tổ chức'}")
    if assessment is not None:
        lines.append(f"  Tình trạng ngày {vn.day(as_of)}: {describe_standing(assessment)}")
    if note:
        lines.append(f"  Ghi chú:           {note}")
    return "\n".join(lines)


def describe_round(store, as_of: dt.date) -> str:
    round_ = current_round(store)
    by_level = deadlines_by_level(store, round_)
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
