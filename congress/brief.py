"""The weekly progress brief (báo cáo tiến độ hằng tuần).

`compute` reads every figure from the register; `present` turns them into the Vietnamese
sentences and table rows all formats share; the templates only lay those out.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func
from sqlmodel import Session, select

from congress import vn
from congress.errors import CongressError
from congress.models import Congress, Setting
from congress.queries import GroupProgress, LevelProgress, Pending, Pilot, Register
from congress.register import is_sample
from congress.rules import Deadlines, Standing
from congress.views import days_left, describe_standing

FORMATS = ("html", "pdf", "md", "txt")
WEEK_DAYS = 7
PACE_DAYS = 14  # the forecast extrapolates the last two weeks
UPCOMING_DAYS = 7
# A brief is read on paper: past this many rows a group's overdue list points to the command instead.
OVERDUE_ROWS_PER_GROUP = 25
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


# --- settings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingSpec:
    key: str
    meaning: str
    default: str | None = None  # written by `congress init`
    required: bool = True


SETTINGS = (
    SettingSpec("issuer.parent", "Cơ quan cấp trên của cơ quan ban hành (dòng đầu góc trái, chữ in hoa)", required=False),
    SettingSpec("issuer.name", "Cơ quan ban hành (dòng thứ hai góc trái, chữ in hoa, in đậm)"),
    SettingSpec("document.code", "Ký hiệu văn bản, sau số (Số 12-BC/TU)", "BC/TU"),
    SettingSpec("place", "Địa danh ở dòng ngày tháng (Hải Phòng, ngày …)"),
    SettingSpec("signer.authority", "Thẩm quyền ký, ví dụ T/M BAN THƯỜNG VỤ hoặc T/L BAN THƯỜNG VỤ",
                "T/L BAN THƯỜNG VỤ", required=False),
    SettingSpec("signer.title", "Chức vụ người ký (chữ in hoa)", "CHÁNH VĂN PHÒNG"),
    SettingSpec("signer.name", "Họ tên người ký"),
    SettingSpec("recipients", "Nơi nhận, ngăn cách bằng dấu chấm phẩy (;)",
                "Ban Thường vụ (để báo cáo);Các tổ công tác chỉ đạo đại hội;Lưu Văn phòng"),
)
SETTING_KEYS = {spec.key: spec for spec in SETTINGS}


def default_settings() -> list[Setting]:
    return [Setting(key=spec.key, value=spec.default) for spec in SETTINGS if spec.default]


def read_settings(session: Session) -> dict[str, str]:
    rows = session.exec(select(Setting).where(Setting.key.in_(SETTING_KEYS))).all()
    return {row.key: row.value for row in rows}


def set_setting(session: Session, actor, key: str, value: str) -> bool:
    """Known keys only, so a typo is refused instead of silently ignored by the brief."""
    from congress.register import record

    spec = SETTING_KEYS.get(key)
    if spec is None:
        raise CongressError(f"Không có thiết lập «{key}». Các khóa hợp lệ: {', '.join(SETTING_KEYS)}.")
    value = vn.nfc(value.strip())
    if not value and spec.required:
        raise CongressError(f"Thiết lập «{key}» không được để trống.")
    row = session.get(Setting, key)
    old = row.value if row else None
    if old == value or (old is None and not value):
        return False
    if row is None:
        row = Setting(key=key, value=value)
    else:
        row.value = value
    session.add(row)
    record(session, actor, "setting.set", field=key, old=old, new=value)
    return True


def _checked_settings(session: Session) -> dict[str, str]:
    found = read_settings(session)
    missing = [spec.key for spec in SETTINGS if spec.required and not found.get(spec.key)]
    if missing:
        raise CongressError(
            "Chưa đủ thiết lập để in báo cáo: " + ", ".join(missing)
            + ". Đặt bằng «congress settings set KHÓA GIÁ_TRỊ» (xem «congress settings list»)."
        )
    return found


# --- which week ---------------------------------------------------------------------------------

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


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
class Forecast:
    remaining: int
    held_recently: int  # in the last PACE_DAYS days
    finish_on: dt.date | None  # None when nothing remains or the pace is zero
    last_planned_on: dt.date | None  # the plan's own answer, to set beside the pace's
    unplanned: int  # no planned date, or one already passed

    @property
    def pace(self) -> float:
        return self.held_recently / PACE_DAYS


@dataclass(frozen=True)
class LevelFigures:
    progress: LevelProgress
    deadlines: Deadlines
    held_this_week: int
    planned_rest_of_month: int
    held_by_day: list[tuple[dt.date, int]]  # days with congresses held, in order
    forecast: Forecast


@dataclass
class Figures:
    round_name: str
    as_of: dt.date
    week_start: dt.date
    levels: list[LevelFigures]
    pilots: list[Pilot]
    groups: list[GroupProgress]
    overdue: list[Pending]
    standings: Counter
    upcoming: list[Pending]
    sample: bool


def held_by_day(register: Register) -> dict[str, list[tuple[dt.date, int]]]:
    """Congresses held per day and level up to the as-of date, counted in SQL."""
    o = register._org
    rows = register.session.exec(
        register._base(o.level, Congress.held_on, func.count())
        .where(and_(Congress.held_on.is_not(None), Congress.held_on <= register.as_of))
        .group_by(o.level, Congress.held_on)
        .order_by(Congress.held_on)
    ).all()
    found: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    for level, held_on, count in rows:
        found[level].append((held_on, count))
    return found


def _held_between(days: list[tuple[dt.date, int]], first: dt.date, last: dt.date) -> int:
    return sum(count for held_on, count in days if first <= held_on <= last)


def forecast(remaining: int, held_recently: int, as_of: dt.date, pending: list[Pending]) -> Forecast:
    # A planned date already passed is no plan any more.
    planned = [p.planned_on for p in pending if p.planned_on and p.planned_on >= as_of]
    last_planned_on = max(planned, default=None)
    unplanned = len(pending) - len(planned)
    if remaining == 0 or held_recently == 0:
        return Forecast(remaining, held_recently, None, last_planned_on, unplanned)
    days = math.ceil(remaining * PACE_DAYS / held_recently)
    return Forecast(remaining, held_recently, as_of + dt.timedelta(days=days), last_planned_on, unplanned)


def compute(session: Session, as_of: dt.date) -> Figures:
    register = Register(session, as_of)
    week_start = as_of - dt.timedelta(days=WEEK_DAYS - 1)
    pace_start = as_of - dt.timedelta(days=PACE_DAYS - 1)
    month_end = (as_of.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    pending = register.pending()
    by_day = held_by_day(register)
    planned_rest = Counter(p.level for p in pending if p.planned_on and as_of <= p.planned_on <= month_end)
    pending_by_level = defaultdict(list)
    for p in pending:
        pending_by_level[p.level].append(p)
    levels = []
    for progress in register.levels():
        days = by_day.get(progress.level, [])
        levels.append(LevelFigures(
            progress=progress,
            deadlines=register.deadlines[progress.level],
            held_this_week=_held_between(days, week_start, as_of),
            planned_rest_of_month=planned_rest[progress.level],
            held_by_day=days,
            forecast=forecast(
                progress.total - progress.held, _held_between(days, pace_start, as_of), as_of,
                pending_by_level[progress.level],
            ),
        ))
    upcoming_end = as_of + dt.timedelta(days=UPCOMING_DAYS - 1)
    return Figures(
        round_name=register.round.name,
        as_of=as_of,
        week_start=week_start,
        levels=levels,
        pilots=register.pilots(),
        groups=register.groups(pending),
        overdue=sorted(
            (p for p in pending if p.assessment.standing is Standing.OVERDUE),
            key=lambda p: (p.working_group is None, p.working_group or 0, -(p.assessment.days_overdue or 0), p.code),
        ),
        standings=Counter(p.assessment.standing for p in pending),
        upcoming=sorted(
            (p for p in pending if p.planned_on and as_of <= p.planned_on <= upcoming_end),
            key=lambda p: (p.planned_on, vn.LEVELS.index(p.level), p.code),
        ),
        sample=is_sample(session),
    )


# --- words --------------------------------------------------------------------------------------


def document_date(place: str, d: dt.date) -> str:
    """The place-and-date line: a leading zero for days under 10 and for months 1 and 2."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def week_span(first: dt.date, last: dt.date) -> str:
    """(từ ngày 03/7 đến ngày 09/7/2025); the first day keeps its year when the week spans two."""
    def short(d: dt.date) -> str:
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
        return f"{d.day:02d}/{month}"

    start = short(first) + (f"/{first.year}" if first.year != last.year else "")
    return f"từ ngày {start} đến ngày {short(last)}/{last.year}"


def decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _headline(figures: Figures, level: LevelFigures) -> dict:
    p, d, as_of = level.progress, level.deadlines, figures.as_of
    noun = vn.LEVEL_LABELS[p.level].lower()
    sentences = [
        f"Tính đến ngày {vn.day_short(as_of)}, đã có {vn.number(p.held)}/{vn.number(p.total)} "
        f"({vn.percent(p.held, p.total)}) {noun} tổ chức đại hội; trong tuần có "
        f"{vn.number(level.held_this_week)} {noun} tổ chức đại hội."
    ]
    remaining = p.total - p.held
    if remaining:
        sentences.append(
            f"Từ nay đến hết tháng {vn.month(as_of)} dự kiến có thêm {vn.number(level.planned_rest_of_month)} "
            f"trong số {vn.number(remaining)} {noun} chưa tổ chức đại hội."
        )
    sentences.append(
        f"Mốc phấn đấu hoàn thành trước ngày {vn.day_short(d.target)}: {days_left(d.target, as_of)}; "
        f"hạn chót ngày {vn.day_short(d.deadline)}: {days_left(d.deadline, as_of)}."
    )
    return {"label": vn.LEVEL_LABELS[p.level], "text": " ".join(sentences)}


def _forecast_text(figures: Figures, level: LevelFigures) -> str:
    f, d, noun = level.forecast, level.deadlines, vn.LEVEL_LABELS[level.progress.level].lower()
    if f.remaining == 0:
        return f"Tất cả {vn.number(level.progress.total)} {noun} đã tổ chức đại hội."
    if f.finish_on is None:
        pace = (
            f"Trong {PACE_DAYS} ngày qua không có {noun} nào tổ chức đại hội: nhịp độ bằng 0, "
            f"nếu giữ nguyên thì {vn.number(f.remaining)} {noun} còn lại sẽ không hoàn thành."
        )
    else:
        pace = (
            f"Với nhịp độ {PACE_DAYS} ngày qua ({vn.number(f.held_recently)} đại hội, bình quân "
            f"{decimal(f.pace)} đại hội/ngày), {vn.number(f.remaining)} {noun} còn lại sẽ xong vào khoảng "
            f"ngày {vn.day_short(f.finish_on)}: {_meets(f.finish_on, d)}."
        )
    if f.last_planned_on is None:
        plan = f"Không {noun} nào còn lại có ngày dự kiến sắp tới."
    else:
        plan = (
            f"Theo ngày dự kiến đã đăng ký, đại hội cuối cùng vào ngày {vn.day_short(f.last_planned_on)} "
            f"({_meets(f.last_planned_on, d)})"
            + (f"; {vn.number(f.unplanned)} {noun} chưa có ngày dự kiến mới." if f.unplanned else ".")
        )
    return f"{pace} {plan}"


def _meets(when: dt.date, d: Deadlines) -> str:
    return (
        ("kịp" if when <= d.target else "không kịp") + f" mốc {vn.day_short(d.target)}, "
        + ("kịp" if when <= d.deadline else "không kịp") + f" hạn chót {vn.day_short(d.deadline)}"
    )


def _pilot_text(pilot: Pilot) -> str:
    when = (
        f"đã tổ chức ngày {vn.day_short(pilot.held_on)}" if pilot.held_on
        else f"dự kiến ngày {vn.day_short(pilot.planned_on)}" if pilot.planned_on
        else "chưa có ngày dự kiến"
    )
    return f"{when} — {describe_standing(pilot.assessment)}"


def _overdue_sections(overdue: list[Pending]) -> list[dict]:
    by_group: dict[int | None, list[Pending]] = defaultdict(list)
    for p in overdue:
        by_group[p.working_group].append(p)
    sections = []
    for number, found in by_group.items():
        shown = found[:OVERDUE_ROWS_PER_GROUP]
        hidden = len(found) - len(shown)
        sections.append({
            "title": (f"Tổ công tác số {number}" if number is not None else "Chưa giao tổ công tác")
            + f": {vn.number(len(found))} tổ chức",
            "rows": [
                {
                    "name": p.name,
                    "committee": p.committee_name or "",
                    "planned_on": vn.day(p.planned_on),
                    "reason": vn.REASON_LABELS[p.assessment.reason],
                    "days": vn.number(p.assessment.days_overdue or 0),
                }
                for p in shown
            ],
            "more": (
                f"… và {vn.number(hidden)} tổ chức khác (xem «congress status --overdue"
                + (f" --group {number}" if number is not None else "") + "»)."
            ) if hidden else "",
        })
    return sections


def _upcoming_rows(upcoming: list[Pending]) -> list[dict]:
    """One row per day; grassroots congresses are counted, the others named (they are few)."""
    by_day: dict[dt.date, list[Pending]] = defaultdict(list)
    for p in upcoming:
        by_day[p.planned_on].append(p)
    return [
        {
            "day": f"{WEEKDAYS[d.weekday()]} {vn.day_short(d)}",
            "named": ", ".join(p.name for p in found if p.level != "grassroots"),
            "grassroots": vn.number(sum(p.level == "grassroots" for p in found)),
        }
        for d, found in by_day.items()
    ]


def _recipients(text: str) -> list[str]:
    """One per line, each ending with a comma and the last with a full stop, as on paper."""
    items = [item.strip().rstrip(",.;") for item in re.split(r"[;\n]", text)]
    items = [item for item in items if item]
    return [item + ("." if i == len(items) - 1 else ",") for i, item in enumerate(items)]


def present(figures: Figures, settings: dict[str, str], number: int | None, with_chart: bool) -> dict:
    from markupsafe import Markup

    from congress.chart import cumulative_chart

    as_of = figures.as_of
    counts = figures.standings
    groups = [
        {
            "number": str(g.number) if g.number is not None else "—",
            "name": g.name or "Chưa giao tổ công tác",
            "committees": f"{vn.number(g.committees_held)}/{vn.number(g.committees)}",
            "grassroots": f"{vn.number(g.grassroots_held)}/{vn.number(g.grassroots)}",
            "held": f"{vn.number(g.held)}/{vn.number(g.total)}",
            "percent": vn.percent(g.held, g.total),
            "overdue": vn.number(g.overdue),
        }
        for g in figures.groups
    ]
    # A one-organisation level is a single step: its headline says all a chart would.
    charted = [level for level in figures.levels if level.progress.total > 1]
    first_held = [level.held_by_day[0][0] for level in charted if level.held_by_day]
    since = min(first_held) - dt.timedelta(days=1) if first_held else as_of - dt.timedelta(days=30)
    return {
        "sample": figures.sample,
        "issuer_parent": settings.get("issuer.parent", ""),
        "issuer_name": settings["issuer.name"],
        "number": f"Số {number}-{settings['document.code']}" if number else f"Số      -{settings['document.code']}",
        "date_line": document_date(settings["place"], as_of),
        "subject": (
            f"tiến độ tổ chức đại hội đảng bộ các cấp nhiệm kỳ {figures.round_name.replace('-', ' – ')}"
        ),
        "week": f"({week_span(figures.week_start, as_of)})",
        "as_of": vn.day_short(as_of),
        "headlines": [_headline(figures, level) for level in figures.levels],
        "pilots": [{"name": p.name, "text": _pilot_text(p)} for p in figures.pilots],
        "groups": groups,
        "overdue_total": vn.number(counts[Standing.OVERDUE]),
        "overdue_sections": _overdue_sections(figures.overdue),
        "attention": (
            f"Có {vn.number(counts[Standing.AT_RISK])} tổ chức có nguy cơ chậm (chưa có ngày dự kiến "
            f"hoặc dự kiến sau mốc mục tiêu) và {vn.number(counts[Standing.BEHIND_TARGET])} tổ chức "
            "đã qua mốc mục tiêu mà chưa tổ chức đại hội (chưa quá hạn chót)."
        ),
        "upcoming_title": (
            f"Đại hội dự kiến trong {UPCOMING_DAYS} ngày tới "
            f"({week_span(as_of, as_of + dt.timedelta(days=UPCOMING_DAYS - 1))}): "
            f"{vn.number(len(figures.upcoming))} đại hội."
        ),
        "upcoming": _upcoming_rows(figures.upcoming),
        "forecasts": [
            {"label": vn.LEVEL_LABELS[level.progress.level], "text": _forecast_text(figures, level)}
            for level in figures.levels
        ],
        "charts": [
            {
                "title": f"{vn.LEVEL_LABELS[level.progress.level]}: số đã tổ chức đại hội, cộng dồn theo ngày",
                # Markup: the chart escapes its own few texts; autoescaping would print the SVG as text.
                "svg": Markup(cumulative_chart(
                    level.held_by_day, level.progress.total, as_of, level.deadlines,
                    level.forecast.finish_on, PACE_DAYS, since,
                )),
            }
            for level in charted
        ] if with_chart else [],
        "signer_authority": settings.get("signer.authority", ""),
        "signer_title": settings["signer.title"],
        "signer_name": settings["signer.name"],
        "recipients": _recipients(settings["recipients"]),
    }


# --- output -------------------------------------------------------------------------------------


def render(session: Session, as_of: dt.date, fmt: str, number: int | None = None) -> str | bytes:
    """The brief as text (html, md, txt) or bytes (pdf)."""
    from congress.templating import environment

    settings = _checked_settings(session)
    figures = compute(session, as_of)
    context = present(figures, settings, number, with_chart=fmt in ("html", "pdf"))
    if fmt in ("html", "pdf"):
        html = environment(autoescape=True).get_template("brief.html.j2").render(**context)
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
    env.filters["table"] = text_table
    return env.get_template(f"brief.{fmt}.j2").render(**context) + "\n"


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")


def markdown_escape(text: str) -> str:
    """Names print as written in Markdown too: `<b>` or `*` in a name is not markup."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def text_table(rows: list[dict], columns: list[list[str]]) -> str:
    """columns: [key, heading, align] triples, as the txt/md templates list them."""
    from tabulate import tabulate

    return tabulate(
        [[row[key] for key, _, _ in columns] for row in rows],
        headers=[heading for _, heading, _ in columns],
        colalign=[align for _, _, align in columns],
        disable_numparse=True,
    )
