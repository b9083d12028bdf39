"""Views of one thing (an organisation, the round): its facts (congress.application.reads, what
`--format json` prints) in Vietnamese."""
from __future__ import annotations

import datetime as dt

from congress.domain import vn


def describe_organisation(facts: dict) -> str:
    parent, group, congress = facts["parent"], facts["working_group"], facts["congress"]
    group_text = f"số {group['number']} — {group['name']}" if group else "chưa giao"
    lines = [
        f"{facts['name']} ({facts['code']})",
        f"  Cấp:               {vn.LEVEL_LABELS[facts['level']]} — {facts['kind']}",
        f"  Cấp trên:          {parent['name']} ({parent['code']})" if parent else "  Cấp trên:          —",
        f"  Tổ công tác:       {group_text}",
    ]
    if facts["party_members"] is not None:
        lines.append(f"  Số đảng viên:      {vn.number(facts['party_members'])}")
    if facts["dissolved_on"]:
        lines.append(f"  Giải thể từ ngày:  {vn.day(facts['dissolved_on'])}")
    lines.append(f"Đại hội nhiệm kỳ {facts['round']}{' (đại hội điểm)' if congress['is_pilot'] else ''}")
    lines.append(f"  Ngày dự kiến:      {vn.day(congress['planned_on']) or 'chưa có'}")
    lines.append(f"  Ngày tổ chức:      {vn.day(congress['held_on']) or 'chưa tổ chức'}")
    if congress["standing_text"] is not None:
        lines.append(f"  Tình trạng ngày {vn.day(facts['as_of'])}: {congress['standing_text']}")
    if congress["note"]:
        lines.append(f"  Ghi chú:           {congress['note']}")
    if facts["steps"]:
        lines.append("Chuẩn bị đại hội")
        lines += [f"  {label}: {value}" for label, value in step_lines(facts["steps"])]
    if facts["result"] is not None:
        lines.append("Kết quả đại hội")
        lines += [f"  {label}: {value}" for label, value in result_lines(facts["result"])]
    if facts["other_rounds"]:
        lines.append("Ở nhiệm kỳ khác")
        lines += [f"  {other['round']}: {other['name']} ({other['code']}) — {other_text(other)}"
                  for other in facts["other_rounds"]]
    return "\n".join(lines)


def other_text(other: dict) -> str:
    if other["held_on"]:
        return f"đã đại hội ngày {vn.day(other['held_on'])}"
    if other["planned_on"]:
        return f"dự kiến ngày {vn.day(other['planned_on'])}"
    return "chưa có ngày dự kiến"


def step_lines(steps: list[dict]) -> list[tuple[str, str]]:
    """Each step (Progress.steps_of) as its name and what stands: done on, due by, missing."""
    found = []
    for step in steps:
        if step["done_on"]:
            text = f"xong ngày {vn.day(step['done_on'])}"
        elif step["due_on"]:
            text = f"chưa xong, hạn {vn.day(step['due_on'])}"
        else:
            text = f"chưa xong (hạn {step['days_before']} ngày trước đại hội)"
        if step["missing"]:
            text += f" — {vn.BEHIND_IN_PREPARATION}"
        if step["note"]:
            text += f" ({step['note']})"
        found.append((step["name"], text))
    return found


def result_lines(result: dict) -> list[tuple[str, str]]:
    """A congress's result (lookups.Result) as its reported fields, each labelled; what is not reported
    yet is said once."""
    found = []
    for field, value in result.items():
        if value is None:
            continue
        if field == "contents":
            text = vn.CONTENTS_LABELS[value]
        elif field in ("committee_by", "secretary_by"):
            text = vn.CHOSEN_BY_LABELS[value]
        elif isinstance(value, int):
            text = vn.number(value)
        else:
            text = value
        found.append((vn.FIELD_LABELS[field].capitalize(), text))
    return found or [("Kết quả", "chưa báo cáo")]


def describe_round(facts: dict) -> str:
    as_of = facts["as_of"]
    target, deadline = facts["target_on"], facts["deadline_on"]
    lines = [f"Nhiệm kỳ {facts['name']}"]
    lines.append(f"  Mốc mục tiêu:      trước ngày {vn.day(target)}  ({days_left(target, as_of, before=True)})")
    lines.append(f"  Hạn chót:          chậm nhất ngày {vn.day(deadline)}  ({days_left(deadline, as_of)})")
    if facts["pilot_deadline_on"]:
        lines.append(f"  Đại hội điểm:      trước ngày {vn.day(facts['pilot_deadline_on'])}")
    for level in vn.LEVELS:
        own = facts["levels"][level]
        if (own["target_on"], own["deadline_on"]) != (target, deadline):
            lines.append(
                f"  Riêng {vn.level_noun(level)}: mục tiêu {vn.day(own['target_on'])}, "
                f"hạn chót {vn.day(own['deadline_on'])}"
            )
    return "\n".join(lines)


def days_left(when: dt.date, as_of: dt.date, *, before: bool = False) -> str:
    """How far a mark is. before: a mark "trước ngày X", which X itself has already missed."""
    days = (when - as_of).days
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "đã hết" if before else "là hôm nay"
    return f"đã qua {-days} ngày"
