"""The weekly progress brief (báo cáo tiến độ hằng tuần).

`compute` reads every figure from the read model (congress.read.progress); `present` turns them into the Vietnamese
sentences and table rows all formats share; `document.build` orders them into the brief's body once, and
`render` hands it to its format's writer (writers.py: html, md, txt; word.py: docx) inside that format's
letterhead and signature (templates/brief.*.j2).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from congress.domain import rules

from congress.domain import vn
from congress.domain.errors import CongressError
from congress.presentation.listings import RESULT_FIGURES, describe_standing, missing_text, result_rows
from congress.read.progress import (
    Behind, CommitteeProgress, Entry, GroupProgress, LevelProgress, Pilot, Progress, Results, Scope, SoleCongress,
    WeekChanges,
)
from congress.domain.rules import PACE_DAYS, Deadlines, Forecast, Reason, Standing
from congress.writes.letterhead import ANNEX_ROWS, checked_settings
from congress.store.sql import Store
from congress.presentation.views import days_left

FORMATS = ("html", "pdf", "md", "txt", "docx")
WEEK_DAYS = 7
UPCOMING_DAYS = 7
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


# --- which week ---------------------------------------------------------------------------------

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE | re.ASCII)


def week_end(text: str) -> dt.date:
    """"2025-W28" → the Sunday of that ISO week, the day the brief is as of."""
    m = _WEEK.fullmatch(text.strip())
    if not m:
        raise CongressError(f"Tuần không hợp lệ: «{text}». Viết năm và số tuần ISO, ví dụ 2025-W28.")
    try:
        return dt.date.fromisocalendar(int(m[1]), int(m[2]), 7)
    except ValueError:
        raise CongressError(f"Năm {m[1]} không có tuần {int(m[2])} (tuần ISO từ 1 đến 52 hoặc 53).") from None


# --- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelFigures:
    progress: LevelProgress
    deadlines: Deadlines
    held_this_week: int
    held_by_day: list[tuple[dt.date, int]]  # days with congresses held, in order
    forecast: Forecast
    sole: SoleCongress | None  # a level of one organisation is described by its congress


@dataclass
class Figures:
    round_name: str
    round_title: str  # "đảng bộ các cấp", "MTTQ các cấp": its kind's words in the title
    round_term: str  # 2025–2030
    as_of: dt.date
    as_recorded: bool
    week_start: dt.date
    levels: list[LevelFigures]
    pilots: list[Pilot]
    groups: list[GroupProgress]
    committees: list[CommitteeProgress]
    named: list[Entry]  # not held, above the grassroots: few, so the brief names each
    overdue: list[Entry]
    standings: Counter
    upcoming: list[Entry]
    week_changes: list[WeekChanges]
    behind: list[Behind]  # behind in preparation, the nearest congress first
    results: list[Results]  # of the congresses held, per level
    sample: bool
    group: int | None  # the brief for one working group's leader


def _held_between(days: list[tuple[dt.date, int]], first: dt.date, last: dt.date) -> int:
    return sum(count for held_on, count in days if rules.in_span(held_on, (first, last)))


def compute(store: Store, as_of: dt.date, *, today: dt.date, as_recorded: bool = False,
            scope: Scope = Scope()) -> Figures:
    progress = Progress(store, as_of, scope, as_recorded=as_recorded, today=today)
    week_start = as_of - dt.timedelta(days=WEEK_DAYS - 1)
    levels = level_figures(progress)
    return Figures(
        round_name=progress.round.name,
        round_title=progress.round.title,
        round_term=progress.round.term or progress.round.name,
        as_of=as_of,
        as_recorded=as_recorded,
        week_start=week_start,
        levels=levels,
        pilots=progress.pilots(),
        groups=progress.groups(),
        committees=progress.committees(),
        named=[e for e in progress.pending if e.level != "grassroots"],
        overdue=sorted(
            progress.listing("overdue"),
            key=lambda p: (p.working_group is None, p.working_group or 0, -(p.assessment.days_overdue or 0), p.code),
        ),
        standings=progress.standings(),
        upcoming=progress.upcoming(UPCOMING_DAYS),
        week_changes=progress.week_changes(week_start, as_of),
        behind=progress.behind,
        results=progress.results("level"),
        sample=progress.sample,
        group=scope.group,
    )


def level_figures(progress: Progress) -> list[LevelFigures]:
    """Each level's progress with its week, its days and its forecast (the brief's and the web overview's)."""
    as_of = progress.as_of
    week_start = as_of - dt.timedelta(days=WEEK_DAYS - 1)
    pace_start = as_of - dt.timedelta(days=PACE_DAYS - 1)
    by_day = progress.held_by_day()
    plans = defaultdict(list)
    for e in progress.pending:
        plans[e.level].append(e.planned_on)
    levels = []
    for level in progress.levels():
        days = by_day.get(level.level, [])
        levels.append(LevelFigures(
            progress=level,
            deadlines=progress.deadlines[level.level],
            held_this_week=_held_between(days, week_start, as_of),
            held_by_day=days,
            forecast=rules.forecast(plans[level.level], _held_between(days, pace_start, as_of), as_of),
            sole=progress.sole_congress(level.level) if level.total == 1 else None,
        ))
    return levels


# --- the sections the office writes ------------------------------------------------------------

NOTE_SECTIONS = ("Đánh giá chung", "Nhiệm vụ trọng tâm tuần tới", "Đề xuất, kiến nghị")
# "## 1. Đánh giá chung:", "II - DE XUAT, KIEN NGHI": '#', a number or numeral and a colon are not the heading
_HEADING = re.compile(r"^\s*(#+\s*)?((\d+|[IVXLC]+|[a-z])\s*[.)\-–:]\s*)?(?P<words>.+?)\s*:?\s*$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-*+•]\s+")


def _heading_key(words: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", vn.fold(words)).strip()


_NOTE_KEYS = {_heading_key(title): title for title in NOTE_SECTIONS}


def parse_notes(text: str) -> dict[str, list[str]]:
    """A plain text or Markdown file → its paragraphs under each of NOTE_SECTIONS. A line is a heading
    if, folded, it names one of them (with or without '#', numbering, diacritics); any other Markdown
    heading, or text before the first heading, is refused, so nothing the office wrote is dropped."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    paragraph: list[str] = []

    def close() -> None:
        if paragraph and current is not None:
            current.append(" ".join(paragraph))
        paragraph.clear()

    for number, line in enumerate(vn.nfc(text).splitlines(), start=1):
        m = _HEADING.match(line)
        title = _NOTE_KEYS.get(_heading_key(m["words"])) if m and line.strip() else None
        if title:
            close()
            if title in found:
                raise CongressError(f"Tệp ghi chú có hai lần tiêu đề «{title}» (dòng {number}).")
            current = found[title] = []
        elif line.lstrip().startswith("#"):
            raise CongressError(
                f"Tiêu đề «{line.strip().lstrip('#').strip()}» (dòng {number}) không phải phần nào của báo cáo. "
                f"Các tiêu đề dùng được: {'; '.join(NOTE_SECTIONS)}."
            )
        elif not line.strip():
            close()
        elif current is None:
            raise CongressError(
                f"Dòng {number} của tệp ghi chú nằm trước mọi tiêu đề. Bắt đầu mỗi phần bằng một trong các "
                f"tiêu đề: {'; '.join(NOTE_SECTIONS)}."
            )
        elif _ITEM.match(line):  # a list item is a paragraph of its own
            close()
            paragraph.append("- " + _ITEM.sub("", line).strip())
        else:
            paragraph.append(line.strip())
    close()
    return {title: found[title] for title in NOTE_SECTIONS if found.get(title)}


# --- words --------------------------------------------------------------------------------------


def document_date(place: str, d: dt.date) -> str:
    """The place-and-date line: "Hải Phòng, ngày 09 tháng 7 năm 2025" (vn.written_day)."""
    return f"{place}, {vn.written_day(d)}"


def week_span(first: dt.date, last: dt.date) -> str:
    """"từ ngày 3/7 đến ngày 9/7/2025", days written as the body writes them (vn.day_short); the first
    day keeps its year when the span runs over two."""
    start = vn.day_short(first) if first.year != last.year else vn.day_month(first)
    return f"từ ngày {start} đến ngày {vn.day_short(last)}"


def _deadline_sentence(d: Deadlines, as_of: dt.date) -> str:
    return (f"Mốc phấn đấu hoàn thành trước ngày {vn.day_short(d.target)}: {days_left(d.target, as_of, before=True)}; "
            f"hạn chót ngày {vn.day_short(d.deadline)}: {days_left(d.deadline, as_of)}.")


def _sole_headline(level: LevelFigures, as_of: dt.date) -> dict:
    """"Đảng bộ thành phố Hải Phòng: dự kiến tổ chức đại hội ngày 26/9/2025 (Đại hội lần thứ I, …)"."""
    c = level.sole
    when = (
        f"đã tổ chức đại hội ngày {vn.day_short(c.held_on)}" if c.held_on
        else f"dự kiến tổ chức đại hội ngày {vn.day_short(c.planned_on)}" if c.planned_on
        else "chưa có ngày dự kiến tổ chức đại hội"
    )
    text = f"{when}" + (f" ({c.note})" if c.note else "") + "."
    if not c.held_on:
        text += " " + _deadline_sentence(level.deadlines, as_of)
    return {"label": c.name, "text": text[0].upper() + text[1:]}


def _headline(figures: Figures, level: LevelFigures) -> dict:
    p, d, as_of = level.progress, level.deadlines, figures.as_of
    if level.sole is not None:
        return _sole_headline(level, as_of)
    noun = vn.level_noun(p.level)
    sentences = [
        f"Tính đến ngày {vn.day_short(as_of)}, đã có {vn.number(p.held)}/{vn.number(p.total)} "
        f"({vn.percent(p.held, p.total)}) {noun} tổ chức đại hội; trong tuần có "
        f"{vn.number(level.held_this_week)} {noun} tổ chức đại hội."
    ]
    remaining = p.total - p.held
    if remaining and p.expected:
        sentences.append(
            f"Từ nay đến hết tháng {vn.month(as_of)} dự kiến có thêm {vn.number(p.expected)} "
            f"trong số {vn.number(remaining)} {noun} chưa tổ chức đại hội."
        )
    elif remaining:
        sentences.append(
            f"Trong số {vn.number(remaining)} {noun} chưa tổ chức đại hội, chưa có {noun} nào dự kiến "
            f"tổ chức từ nay đến hết tháng {vn.month(as_of)}."
        )
    sentences.append(_deadline_sentence(d, as_of))
    return {"label": vn.LEVEL_LABELS[p.level], "text": " ".join(sentences)}


def _forecast_text(level: LevelFigures) -> str:
    """Planned congresses on their plans, the rest at the recent pace; a date only where it can be
    justified, and plainly whether the level makes the deadline (rules.forecast)."""
    f, d, noun = level.forecast, level.deadlines, vn.level_noun(level.progress.level)
    if f.done:
        return f"Tất cả {vn.number(level.progress.total)} {noun} đã tổ chức đại hội."
    parts = [f"Còn {vn.number(f.remaining)} {noun} chưa tổ chức đại hội"]
    if f.planned:
        parts.append(
            f"{vn.number(f.planned)} có ngày dự kiến, muộn nhất ngày {vn.day_short(f.last_planned_on)}"
        )
    if f.unplanned:
        unplanned = f"{vn.number(f.unplanned)} chưa có ngày dự kiến hoặc đã quá ngày dự kiến"
        if f.paced_until is not None:
            unplanned += (
                f"; với nhịp độ {PACE_DAYS} ngày qua ({vn.number(f.held_recently)} đại hội, bình quân "
                f"{vn.decimal(f.pace)} đại hội/ngày) số này xong vào khoảng ngày {vn.day_short(f.paced_until)}"
            )
        parts.append(unplanned)
    text = parts[0] + (": " + "; ".join(parts[1:]) if len(parts) > 1 else "") + "."
    if f.finish_on is None:
        return text + (
            f" Trong {PACE_DAYS} ngày qua không có {noun} nào tổ chức đại hội, nên chưa đủ cơ sở để dự báo ngày "
            f"hoàn thành: cần sớm có ngày dự kiến cho {vn.number(f.unplanned)} {noun} này."
        )
    return text + f" Dự báo hoàn thành ngày {vn.day_short(f.finish_on)}: {_meets(f.finish_on, d)}."


def _meets(when: dt.date, d: Deadlines) -> str:
    if rules.meets_target(when, d.target):
        return f"kịp mốc mục tiêu {vn.day_short(d.target)}"
    if when <= d.deadline:
        return (f"chậm {(when - d.target).days} ngày so với mốc mục tiêu {vn.day_short(d.target)}, "
                f"kịp hạn chót {vn.day_short(d.deadline)}")
    return f"không kịp hạn chót {vn.day_short(d.deadline)}, chậm {(when - d.deadline).days} ngày"


def _pilot_text(pilot: Pilot) -> str:
    when = (
        f"đã tổ chức ngày {vn.day_short(pilot.held_on)}" if pilot.held_on
        else f"dự kiến ngày {vn.day_short(pilot.planned_on)}" if pilot.planned_on
        else vn.REASON_LABELS[Reason.NO_PLANNED_DATE]
    )
    if pilot.assessment.reason is Reason.NO_PLANNED_DATE:  # the date part has said it
        return f"{when} — {vn.STANDING_LABELS[pilot.assessment.standing]}"
    return f"{when} — {describe_standing(pilot.assessment)}"


def _entry_line(name: str, group: int | None, planned_on: dt.date | None, reason: str) -> str:
    """"Đảng bộ xã Vĩnh Bảo (tổ 11), dự kiến 28/8/2025: ngày dự kiến sau mốc mục tiêu": a named
    organisation on one line (md, txt), the plan left out where the reason is that there is none."""
    plan = f", dự kiến {vn.day_short(planned_on)}" if planned_on else ""
    if not planned_on and reason != vn.REASON_LABELS[Reason.NO_PLANNED_DATE]:
        plan = ", chưa có ngày dự kiến"
    return f"{name}{f' (tổ {group})' if group is not None else ''}{plan}: {reason}"


class RowBudget:
    """The table rows the body of the brief may hold across its long lists (brief.annex_rows), so the
    brief itself stays within four pages at any scale; the lists draw on it in the order they print."""

    def __init__(self, rows: int):
        self.left = rows

    def take(self, rows: int) -> bool:
        if rows > self.left:
            return False
        self.left -= rows
        return True


def _long_list(title: str, columns: list[list[str]], rows: list[dict], count: int, *,
               budget: RowBudget, annex: bool, noun: str = "tổ chức") -> dict:
    """A list that may run long. While the budget holds its rows it stays in the body; beyond, it moves
    to an annex at the end (`annex`) or is left out with a sentence saying so (paper points to what it
    holds, never to a command). `columns` are [key, heading, align]; a row with a "heading" key (the
    committee) spans the table."""
    place = "body" if budget.take(len(rows)) else "annex" if annex else "omitted"
    return {
        "title": title,
        "columns": columns,
        "rows": rows,
        "place": place,
        "pointer": (
            f"Danh sách {vn.number(count)} {noun} in tại phụ lục." if place == "annex"
            else f"Danh sách {vn.number(count)} {noun} không in kèm báo cáo này." if place == "omitted" else ""
        ),
    }


def _overdue_grassroots(overdue: list[Entry], *, budget: RowBudget, annex: bool) -> dict:
    """One table: a heading row per committee, then one line per overdue grassroots organisation."""
    grassroots = sorted(
        (p for p in overdue if p.level == "grassroots"),
        key=lambda p: (p.working_group is None, p.working_group or 0, p.committee_name or "",
                       -(p.assessment.days_overdue or 0), p.code),
    )
    by_committee: dict[tuple, list[Entry]] = defaultdict(list)
    for p in grassroots:
        by_committee[(p.committee_name, p.working_group)].append(p)
    rows = []
    for (committee, group), found in by_committee.items():
        rows.append({"heading": f"{committee or 'Chưa thuộc đảng bộ trực thuộc'}"
                              f" ({f'tổ {group}' if group is not None else 'chưa giao tổ'}): {vn.number(len(found))}"})
        rows.extend(
            {
                "name": p.name,
                "planned_on": vn.day(p.planned_on) or "chưa có",
                "days": vn.number(p.assessment.days_overdue or 0),
                "reason": vn.REASON_LABELS[p.assessment.reason],
            }
            for p in found
        )
    return _long_list(
        f"Tổ chức cơ sở đảng quá hạn: {vn.number(len(grassroots))}, theo đảng bộ trực thuộc",
        [["name", "Tổ chức cơ sở đảng", "left"], ["planned_on", "Ngày dự kiến", "center"],
         ["days", "Quá hạn (ngày)", "right"], ["reason", "Lý do", "left"]],
        rows, len(grassroots), budget=budget, annex=annex,
    )


ATTENTION_TITLES = {
    Standing.BEHIND_TARGET: "Chậm so với mục tiêu (đã qua mốc mục tiêu, chưa đến hạn chót)",
    Standing.AT_RISK: "Có nguy cơ chậm (chưa có ngày dự kiến hoặc dự kiến sau mốc mục tiêu)",
}


def _named(figures: Figures, standing: Standing, *, budget: RowBudget, annex: bool) -> dict:
    """The city and committees named, with their working group and plan; grassroots counted per committee."""
    named = sorted((e for e in figures.named if e.assessment.standing is standing),
                   key=lambda e: (rules.LEVELS.index(e.level), e.code))
    field = {Standing.BEHIND_TARGET: "grassroots_late", Standing.AT_RISK: "grassroots_at_risk"}[standing]
    grassroots = [(c, getattr(c, field)) for c in figures.committees if getattr(c, field)]
    title = f"{ATTENTION_TITLES[standing]}: {vn.number(figures.standings[standing])} tổ chức"
    rows = [
        {
            "name": e.name,
            "group": str(e.working_group) if e.working_group is not None else "—",
            "planned_on": vn.day(e.planned_on) or "chưa có",
            "reason": _reason_text(e),
            "line": _entry_line(e.name, e.working_group, e.planned_on, _reason_text(e)),
        }
        for e in named
    ]
    return {
        "title": title,
        "committees": _long_list(
            f"đảng bộ {ATTENTION_TITLES[standing][0].lower()}{ATTENTION_TITLES[standing][1:]}",
            [["name", "Đảng bộ", "left"], ["group", "Tổ", "center"],
             ["planned_on", "Ngày dự kiến", "center"], ["reason", "Lý do", "left"]],
            rows, len(rows), budget=budget, annex=annex,
        ),
        "grassroots": [{"committee": c.name, "count": vn.number(n)} for c, n in grassroots],
        "grassroots_total": vn.number(sum(n for _, n in grassroots)),
    }


def _reason_text(e: Entry) -> str:
    return vn.REASON_LABELS[e.assessment.reason] if e.assessment.reason else vn.STANDING_LABELS[e.assessment.standing]


def _annex_pointer(figures: Figures, standing: Standing) -> str:
    """Where the named list left out of the body is: the committees in annex 1 (its standing column);
    the level above them, which annex 1 does not hold, named."""
    named = [e for e in figures.named if e.assessment.standing is standing]
    committees = sum(e.level == "committee" for e in named)
    above = [e for e in named if e.level != "committee"]
    said = []
    if committees:
        said.append(f"Danh sách {vn.number(committees)} đảng bộ trực thuộc: xem phụ lục 1, cột «Tình hình».")
    if len(above) == 1:  # the city: named, as its own congress is everywhere else in the brief
        said.append(f"{above[0].name}: {_reason_text(above[0])}.")
    elif above:  # several cities (a national database): named, each with its reason
        said.append(f"{vn.number(len(above))} {vn.level_noun(above[0].level)}: "
                    + "; ".join(f"{e.name} ({_reason_text(e)})" for e in above) + ".")
    return " ".join(said)


def _open_committees(figures: Figures, *, budget: RowBudget, annex: bool) -> dict:
    """The committees whose own congress is not held by the as-of date, one line each."""
    rows = [
        {
            "name": c.name,
            "group": str(c.working_group) if c.working_group is not None else "—",
            "planned_on": vn.day(c.planned_on) or "chưa có",
            "grassroots": f"{vn.number(c.grassroots_held)}/{vn.number(c.grassroots)}",
            # one line: the standing, and how late once overdue (the reason is in section III)
            "standing": vn.STANDING_LABELS[c.assessment.standing]
            + (f" ({c.assessment.days_overdue} ngày)" if c.assessment.days_overdue else ""),
        }
        for c in sorted(figures.committees,
                        key=lambda c: (c.working_group is None, c.working_group or 0, c.planned_on or dt.date.max, c.code))
        if c.held_on is None
    ]
    return _long_list(
        f"Đảng bộ trực thuộc chưa tổ chức đại hội: {vn.number(len(rows))}",
        [["name", "Đảng bộ trực thuộc", "left"], ["group", "Tổ", "center"], ["planned_on", "Ngày dự kiến", "center"],
         ["grassroots", "TCCS đã ĐH", "right"], ["standing", "Tình hình", "left"]],
        rows, len(rows), budget=budget, annex=annex,
    )


def _overdue_named(overdue: list[Entry], *, budget: RowBudget, annex: bool) -> dict:
    """Overdue organisations above the grassroots (committees, the city), named."""
    rows = [
        {
            "name": p.name,
            "group": str(p.working_group) if p.working_group is not None else "—",
            "planned_on": vn.day(p.planned_on) or "chưa có",
            "reason": vn.REASON_LABELS[p.assessment.reason],
            "line": _entry_line(p.name, p.working_group, p.planned_on, vn.REASON_LABELS[p.assessment.reason]),
        }
        for p in overdue if p.level != "grassroots"
    ]
    return _long_list(
        f"Đảng bộ quá hạn: {vn.number(len(rows))}",
        [["name", "Đảng bộ", "left"], ["group", "Tổ", "center"], ["planned_on", "Ngày dự kiến", "center"],
         ["reason", "Lý do", "left"]],
        rows, len(rows), budget=budget, annex=annex,
    )


NAMED_FEW = 6  # congresses behind in preparation named in the body; more go to an annex (the counts by step stay)


def _preparation(behind: list[Behind], *, budget: RowBudget, annex: bool, few: int = NAMED_FEW) -> dict:
    """How many are behind in preparation, how many miss each step, and each named when few."""
    by_step: Counter = Counter()
    for b in behind:
        by_step.update((m.position, m.name) for m in b.missing)
    rows = [
        {
            "name": b.name,
            "group": str(b.working_group) if b.working_group is not None else "—",
            "planned_on": vn.day(b.planned_on),
            "missing": missing_text(b.missing, vn.day_short),
            "line": _entry_line(b.name, b.working_group, b.planned_on, missing_text(b.missing, vn.day_short)),
        }
        for b in behind
    ]
    return {
        "total": vn.number(len(behind)),
        "sentence": (f"{vn.number(len(behind))} đại hội {vn.BEHIND_IN_PREPARATION} (chưa đại hội, đã đến hạn một bước"
                     " chuẩn bị mà bước đó chưa xong)." if behind
                     else f"Không có đại hội nào {vn.BEHIND_IN_PREPARATION}."),
        "by_step": [(name, vn.number(n)) for (_, name), n in sorted(by_step.items())],
        "list": _long_list(
            f"Đại hội {vn.BEHIND_IN_PREPARATION}: {vn.number(len(behind))}",
            # the steps in the middle, where they may wrap: a list's last column keeps to one line (brief.css)
            [["name", "Tổ chức", "left"], ["missing", "Bước chưa xong (hạn)", "left"], ["group", "Tổ", "center"],
             ["planned_on", "Ngày dự kiến", "center"]],
            rows, len(rows), budget=budget if len(rows) <= few else RowBudget(0), annex=annex,
        ),
    }


def _results(results: list[Results]) -> list[dict]:
    """The figures of `status --results`, one paragraph per level as a Party report writes them (a table
    of seventeen rows would push the signature past the fourth page): each share beside the two
    numbers it divides."""
    found = []
    for level in result_rows(results):
        said = []
        for key, label, whole, _ in RESULT_FIGURES:
            value = (f"{vn.number(level[key])}/{vn.number(level[f'{key}_of'])} ({level[f'{key}_percent_text']})"
                     if whole else vn.number(level[key]))
            said.append(f"{label[0].lower()}{label[1:]} {value}")
        found.append({"label": vn.LEVEL_LABELS[level["level"]], "text": "; ".join(said) + "."})
    return found


def _week_text(figures: Figures) -> str:
    """What the register recorded this week: congresses logged, plans set or moved, logs withdrawn;
    per working group in the table of section II, the office's own changes named here."""
    def counts(changes: list[WeekChanges]) -> tuple[int, int, int]:
        return tuple(sum(getattr(w, key) for w in changes) for key in ("logged", "planned", "withdrawn"))

    logged, planned, withdrawn = counts(figures.week_changes)
    text = (
        f"Trong tuần, sổ theo dõi ghi nhận {vn.number(logged)} đại hội đã tổ chức, "
        f"{vn.number(planned)} lần đặt hoặc đổi ngày dự kiến, {vn.number(withdrawn)} lần rút lại ghi nhận"
    )
    office = counts([w for w in figures.week_changes if w.working_group is None])
    if any(office):
        text += (f" (Văn phòng trực tiếp cập nhật: {vn.number(office[0])} ghi nhận, {vn.number(office[1])} "
                 f"đặt hoặc đổi ngày, {vn.number(office[2])} rút lại)")
    return text + ("; theo từng tổ công tác tại mục II." if figures.groups else ".")


UPCOMING_NAMED = 4  # past this many congresses above the grassroots on one day, the day's committees are counted


def _named_or_counted(found: list[Entry], committees_at: str | None) -> str:
    """The day's congresses above the grassroots by name; past UPCOMING_NAMED, the committees counted
    with where the brief lists them and their planned dates (`committees_at`; None: nowhere, so named)."""
    names = [p.name for p in found if p.level != "grassroots"]
    if len(names) <= UPCOMING_NAMED or committees_at is None:
        return ", ".join(names)
    committees = sum(p.level == "committee" for p in found)
    return ", ".join([p.name for p in found if p.level not in ("grassroots", "committee")]
                     + [f"{vn.number(committees)} đảng bộ trực thuộc (tên và ngày dự kiến: {committees_at})"])


def _upcoming_rows(upcoming: list[Entry], committees_at: str | None) -> list[dict]:
    """One row per day; grassroots congresses are counted, the others named (they are few)."""
    by_day: dict[dt.date, list[Entry]] = defaultdict(list)
    for p in upcoming:
        by_day[p.planned_on].append(p)
    return [
        {
            "day": f"{WEEKDAYS[d.weekday()]} {vn.day_short(d)}",
            "named": _named_or_counted(found, committees_at),
            "grassroots": vn.number(sum(p.level == "grassroots" for p in found)),
        }
        for d, found in by_day.items()
    ]


def _recipients(text: str) -> list[str]:
    """One per line, each ending with a comma and the last with a full stop, as on paper."""
    items = [item.strip().rstrip(",.;") for item in re.split(r"[;\n]", text)]
    items = [item for item in items if item]
    return [item + ("." if i == len(items) - 1 else ",") for i, item in enumerate(items)]


def present(
    figures: Figures, settings: dict[str, str], number: int | None, issued_on: dt.date, with_chart: bool,
    annex: bool = True, notes: dict[str, list[str]] | None = None,
) -> dict:
    as_of = figures.as_of
    counts = figures.standings
    week = {w.working_group: w for w in figures.week_changes if w.working_group is not None}
    # a name that only repeats the number ("Tổ công tác số 3") is not worth a column
    group_names = any(g.number is not None and vn.group_title(g.number, g.name) != vn.group_title(g.number, None)
                      for g in figures.groups)
    groups = [
        {
            "number": str(g.number) if g.number is not None else "Chưa giao",
            "name": g.name or "Chưa giao tổ công tác",
            "committees": f"{vn.number(g.committees_held)}/{vn.number(g.committees)}",
            "committees_percent": vn.percent(g.committees_held, g.committees),
            "grassroots": f"{vn.number(g.grassroots_held)}/{vn.number(g.grassroots)}",
            "grassroots_percent": vn.percent(g.grassroots_held, g.grassroots),
            "overdue": vn.number(g.overdue),
            # changes are made as a group's number; an unassigned row has none of its own
            **({key: vn.number(getattr(week[g.number], key)) if g.number in week else "0"
                for key in ("logged", "planned", "withdrawn")} if g.number is not None
               else {"logged": "", "planned": "", "withdrawn": ""}),
        }
        for g in figures.groups
    ]
    limit = int(settings.get("brief.annex_rows") or ANNEX_ROWS)
    budget = RowBudget(limit)
    # The working-group table is the brief's core and has a budget of its own; only a country's
    # hundreds of groups send it to the annex (html gives it two header rows, the annex one).
    group_table = _long_list(
        f"Tiến độ theo tổ công tác: {vn.number(len(groups))} tổ",
        [["number", "Tổ", "center"]] + ([["name", "Tên tổ", "left"]] if group_names else []) + [
            ["committees", "ĐB trực thuộc đã ĐH", "right"], ["committees_percent", "Tỷ lệ", "right"],
            ["grassroots", "TCCS đã ĐH", "right"], ["grassroots_percent", "Tỷ lệ", "right"],
            ["overdue", "Quá hạn", "right"], ["logged", "Tuần: ghi nhận", "right"],
            ["planned", "Đặt, đổi ngày", "right"], ["withdrawn", "Rút lại", "right"],
        ],
        groups, len(groups), budget=RowBudget(limit), annex=annex,
        noun="tổ công tác",
    )
    open_committees = _open_committees(figures, budget=budget, annex=annex)
    overdue_named = _overdue_named(figures.overdue, budget=budget, annex=annex)
    overdue = _overdue_grassroots(figures.overdue, budget=budget, annex=annex)
    # Late and at-risk committees are rows of the committees list (its standing column): past the limit
    # they point there rather than fill an annex of their own.
    # an office that raised brief.annex_rows asked for long lists in the body: this one too, while it fits
    preparation = _preparation(figures.behind, budget=budget, annex=annex,
                               few=NAMED_FEW if limit <= ANNEX_ROWS else limit)
    late = _named(figures, Standing.BEHIND_TARGET, budget=budget, annex=False)
    at_risk = _named(figures, Standing.AT_RISK, budget=budget, annex=False)
    annexed = [part for part in (group_table, open_committees, overdue_named, overdue, preparation["list"])
               if part["place"] == "annex"]
    place = open_committees["place"]
    committees_at = ("mục II" if place == "body" else f"phụ lục {annexed.index(open_committees) + 1}"
                     if place == "annex" else None)
    if open_committees["place"] == "annex":
        for part, standing in ((late, Standing.BEHIND_TARGET), (at_risk, Standing.AT_RISK)):
            if part["committees"]["place"] == "omitted":
                part["committees"]["pointer"] = _annex_pointer(figures, standing)
    return {
        "sample": figures.sample,
        "issuer_parent": settings.get("issuer.parent", ""),
        "issuer_name": settings["issuer.name"],
        # Without a number the registry clerk writes it by hand: html leaves a gap of set width,
        # md and txt this blank (no-break spaces, which Markdown does not collapse).
        "number": str(number) if number else "",
        "number_blank": "\u00a0" * 12,
        "document_code": settings["document.code"],
        "date_line": document_date(settings["place"], issued_on),
        "cut_off": f"(số liệu tính đến ngày {vn.day_short(as_of)})",
        "subject": (
            f"tiến độ tổ chức đại hội {figures.round_title} nhiệm kỳ {figures.round_term}"
        ),
        "week": f"({week_span(figures.week_start, as_of)})",
        "scope_line": (f"(các tổ chức do Tổ công tác số {figures.group} phụ trách)"
                       if figures.group is not None else ""),
        "as_of": vn.day_short(as_of),
        "headlines": [_headline(figures, level) for level in figures.levels],
        "pilots": [{"name": p.name, "text": _pilot_text(p)} for p in figures.pilots],
        "week_text": _week_text(figures),
        "open_committees": open_committees,
        "overdue_named": overdue_named,
        "groups": groups,
        "group_names": group_names,
        "group_table": group_table,
        "overdue_total": vn.number(counts[Standing.OVERDUE]),
        "overdue_grassroots": overdue,
        "annex": [{"title": f"Phụ lục {i}: danh sách {part['title'][0].lower()}{part['title'][1:]}", "list": dict(part, place="body")}
                  for i, part in enumerate(annexed, start=1)],
        "late": late,
        "at_risk": at_risk,
        "upcoming_title": (
            f"Đại hội dự kiến trong {UPCOMING_DAYS} ngày tới "
            f"({week_span(as_of, as_of + dt.timedelta(days=UPCOMING_DAYS - 1))}): "
            f"{vn.number(len(figures.upcoming))} đại hội."
        ),
        "upcoming": _upcoming_rows(figures.upcoming, committees_at),
        "upcoming_columns": [["day", "Ngày", "left"], ["named", "Đảng bộ", "left"],
                             ["grassroots", "Tổ chức cơ sở đảng", "right"]],
        "preparation": preparation,
        "results": _results(figures.results),
        "forecasts": forecasts(figures.levels),
        "charts": charts(figures.levels, as_of) if with_chart else [],
        # sections VII, VIII, … in the order of NOTE_SECTIONS, only those the office wrote
        "notes": [
            {"title": f"{numeral}. {title.upper()}", "paragraphs": paragraphs}
            for numeral, (title, paragraphs) in zip(("VII", "VIII", "IX"), (notes or {}).items())
        ],
        "signer_authority": settings.get("signer.authority", ""),
        "signer_title": settings["signer.title"],
        "signer_name": settings["signer.name"],
        "recipients": _recipients(settings["recipients"]),
    }


def forecasts(levels: list[LevelFigures]) -> list[dict]:
    return [{"label": vn.LEVEL_LABELS[level.progress.level], "text": _forecast_text(level)}
            for level in levels if level.sole is None]


def charts(levels: list[LevelFigures], as_of: dt.date) -> list[dict]:
    """One chart per level of more than one organisation (a one-organisation level is a single step: its
    headline says all a chart would), all from the same first day so they compare at a glance."""
    from markupsafe import Markup

    from congress.presentation.chart import cumulative_chart

    charted = [level for level in levels if level.progress.total > 1]
    first_held = [level.held_by_day[0][0] for level in charted if level.held_by_day]
    since = min(first_held) - dt.timedelta(days=1) if first_held else as_of - dt.timedelta(days=30)
    return [
        {
            "title": f"{vn.LEVEL_LABELS[level.progress.level]}: số đã tổ chức đại hội, cộng dồn theo ngày",
            # Markup: the chart escapes its own few texts; autoescaping would print the SVG as text.
            "svg": Markup(cumulative_chart(
                level.held_by_day, level.progress.total, as_of, level.deadlines, level.forecast, since,
            )),
        }
        for level in charted
    ]


# --- output -------------------------------------------------------------------------------------


def render(store: Store, as_of: dt.date, fmt: str, number: int | None = None, *, issued_on: dt.date,
           today: dt.date, as_recorded: bool = False, annex: bool = True, scope: Scope = Scope(),
           notes: dict[str, list[str]] | None = None) -> str | bytes:
    """The brief as text (html, md, txt) or bytes (pdf, docx): figures as of as_of, the document dated
    issued_on. One document (brief.document) and its format's writer; the templates are each format's
    letterhead and signature around it."""
    from markupsafe import Markup

    from congress.presentation.brief.document import build
    from congress.presentation.brief.writers import WRITERS, markdown_escape
    from congress.presentation.templating import environment

    settings = checked_settings(store)
    figures = compute(store, as_of, today=today, as_recorded=as_recorded, scope=scope)
    context = present(figures, settings, number, issued_on, with_chart=fmt in ("html", "pdf", "docx"), annex=annex,
                      notes=notes)
    document = build(context)
    if fmt == "docx":
        from congress.presentation.brief.word import word_document

        return word_document(context, document)
    writer = WRITERS["html" if fmt == "pdf" else fmt]()
    body, annexes = writer.write(document.body), writer.annexes(document.annexes)
    if fmt in ("html", "pdf"):
        html = environment(autoescape=True).get_template("brief.html.j2").render(
            **context, body=Markup(body), annexes=Markup(annexes))
        if fmt == "html":
            return html
        try:
            from weasyprint import HTML
        except (ImportError, OSError):  # OSError: WeasyPrint is there but the Pango library is not
            raise CongressError(
                "Định dạng pdf cần WeasyPrint và thư viện Pango của hệ thống (Windows: cài Pango qua MSYS2 "
                "theo hướng dẫn của WeasyPrint; Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0). "
                "Các định dạng html, md, txt không cần."
            ) from None

        return HTML(string=html).write_pdf()
    env = environment()
    env.filters["md"] = markdown_escape
    return env.get_template(f"brief.{fmt}.j2").render(**context, body=body, annexes=annexes) + "\n"
