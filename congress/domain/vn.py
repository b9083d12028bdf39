"""What users read: Vietnamese labels, numbers, dates, and the folded form names are matched on."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import date, datetime, timezone

from congress.domain import rules
from congress.domain.rules import LEVELS, VIETNAM, Reason, Standing  # noqa: F401  (LEVELS: the order listings show)

PARTY_LEVELS = {
    "city": "Đảng bộ tỉnh, thành phố",
    "committee": "Đảng bộ trực thuộc",
    "grassroots": "Tổ chức cơ sở đảng",
}
# The levels of each kind of round's tree, top first, as a new register knows them (table level_name;
# migration 0009). A level sits under the one before it. The Front's tree in Hải Phòng has two: the
# city's committee and the 114 communes' (Hướng dẫn 03/HD-MTTW-BTT). A kind not listed is the
# mass organisations' three.
DEFAULT_LEVEL_NAMES = {
    "dang": PARTY_LEVELS,
    "mttq": {"city": "Ủy ban MTTQ Việt Nam tỉnh, thành phố", "committee": "Ủy ban MTTQ Việt Nam cấp xã"},
}
MASS_LEVELS = {"city": "Cấp tỉnh, thành phố", "committee": "Cấp trên cơ sở", "grassroots": "Cấp cơ sở"}


def level_names(kind: str) -> dict[str, str]:
    return DEFAULT_LEVEL_NAMES.get(kind, MASS_LEVELS)


class _RoundLevels(Mapping):
    """Each level's name in the round being read: the names of its tree (lookups.current_round sets
    them, use_levels), a level its tree lacks by the Party's. A context variable, as the round is."""

    def __init__(self) -> None:
        self._names: ContextVar[dict[str, str]] = ContextVar("congress_levels", default=PARTY_LEVELS)

    def __getitem__(self, level: str) -> str:
        return self._names.get().get(level) or PARTY_LEVELS[level]

    def __contains__(self, level) -> bool:  # the round's tree has it
        return level in self._names.get()

    def __iter__(self):
        return iter(self._names.get())

    def __len__(self) -> int:
        return len(self._names.get())

    def use(self, names: dict[str, str]) -> None:
        self._names.set(names or PARTY_LEVELS)


LEVEL_LABELS = _RoundLevels()


def level_noun(level: str) -> str:
    """A level's name inside a sentence: its first letter small, the rest as written ("ủy ban MTTQ Việt
    Nam cấp xã", never "mttq việt nam")."""
    label = LEVEL_LABELS[level]
    return label[:1].lower() + label[1:]

STANDING_LABELS = {
    Standing.ON_TARGET: "đúng tiến độ",
    Standing.LATE: "chậm so với mục tiêu",
    Standing.AFTER_DEADLINE: "sau hạn chót",
    Standing.OVERDUE: "quá hạn",
    Standing.BEHIND_TARGET: "chậm so với mục tiêu",
    Standing.AT_RISK: "có nguy cơ chậm",
    Standing.ON_TRACK: "đúng kế hoạch",
}

REASON_LABELS = {
    Reason.PAST_DEADLINE: "quá hạn chót, chưa tổ chức",
    Reason.PLANNED_DATE_PASSED: "quá ngày dự kiến, chưa báo cáo",
    Reason.NO_PLANNED_DATE: "chưa có ngày dự kiến",
    Reason.PLANNED_AFTER_TARGET: "ngày dự kiến sau mốc mục tiêu",
}


ACTION_LABELS = {
    "schedule": "lên lịch",
    "log": "ghi nhận đại hội",
    "unlog": "rút lại ghi nhận",
    "org.add": "thêm tổ chức",
    "org.edit": "sửa tổ chức",
    "group.add": "lập tổ công tác",
    "group.assign": "giao cho tổ",
    "round.set": "đặt mốc nhiệm kỳ",
    "round.step": "đặt bước chuẩn bị",
    "step": "ghi bước chuẩn bị",
    "unstep": "rút lại bước chuẩn bị",
    "result": "ghi kết quả đại hội",
    "undo": "hoàn tác",
    "round.add": "thêm nhiệm kỳ",
    "round.close": "khóa nhiệm kỳ",
    "round.open": "mở lại nhiệm kỳ",
    "round.kind": "thêm loại đại hội",
}

FIELD_LABELS = {
    "planned_on": "ngày dự kiến",
    "held_on": "ngày tổ chức",
    "is_pilot": "đại hội điểm",
    "name": "tên",
    "kind": "loại",
    "parent_id": "cấp trên",
    "party_members": "số đảng viên",
    "dissolved_on": "ngày giải thể",
    "working_group_id": "tổ công tác",
    "target_on": "mốc mục tiêu",
    "deadline_on": "hạn chót",
    "pilot_deadline_on": "hạn đại hội điểm",
    "closed": "khóa",
    # a congress's result (rules.RESULT_FIELDS)
    "contents": "số nội dung đại hội",
    "committee_members": "số ủy viên ban chấp hành",
    "committee_by": "ban chấp hành",
    "standing_members": "số ủy viên ban thường vụ",
    "secretary_by": "bí thư",
    "delegates": "số đại biểu được triệu tập",
    "present": "số đại biểu có mặt",
    "women": "số ủy viên nữ",
    "under_40": "số ủy viên dưới 40 tuổi",
    "ethnic": "số ủy viên người dân tộc thiểu số",
    "first_time": "số ủy viên tham gia lần đầu",
    "delegates_up": "số đại biểu dự đại hội cấp trên",
    "result_note": "ghi chú kết quả",
    "round_step": "bước chuẩn bị",  # `round step`: the whole step is its value (register.round_step_text)
}

# History's field of a preparation step done: "step:<code>" (a step's code never changes; its name may)
STEP_FIELD = "step:"

# How the result's choices read (rules.CHOSEN_BY, rules.CONTENTS)
CHOSEN_BY_LABELS = {"elected": "bầu tại đại hội", "appointed": "chỉ định"}
CONTENTS_LABELS = {2: "2 nội dung", 3: "3 nội dung", 4: "đủ 4 nội dung"}
# A result's column in a return sheet (template results, import results), in FIELD_LABELS' words
RESULT_HEADERS = {field: FIELD_LABELS[field][:1].upper() + FIELD_LABELS[field][1:] for field in rules.RESULT_FIELDS}
BEHIND_IN_PREPARATION = "chậm chuẩn bị"


SAMPLE_MARK = "DỮ LIỆU MẪU — tên các tổ chức cơ sở đảng và phần lớn ngày tháng là minh họa, không phải số liệu thật."


def stored_value(text: str) -> str:
    """A history value as stored (ISO for dates, a result's choice by its code) as users read it."""
    if text in CHOSEN_BY_LABELS:
        return CHOSEN_BY_LABELS[text]
    try:
        return day(date.fromisoformat(text))
    except ValueError:
        return text


def field_label(field: str | None, step_names: dict[str, str] | None = None) -> str | None:
    """A history field as users read it; a preparation step ("step:nhan-su") by its name when known."""
    if field is not None and field.startswith(STEP_FIELD):
        code = field[len(STEP_FIELD):]
        return f"bước «{(step_names or {}).get(code, code)}»"
    return FIELD_LABELS.get(field, field)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class _Bare(dict):
    """str.translate's table for fold: a combining mark to nothing, any other character to itself,
    filled as characters are met (a name is translated in C, not one character at a time in Python)."""

    def __missing__(self, point: int) -> int | None:
        kept = None if unicodedata.combining(chr(point)) else point
        self[point] = kept
        return kept


_BARE = _Bare()


def fold(text: str) -> str:
    """Diacritics removed, đ→d, case-folded, spaces collapsed: "Hoà"/"Hòa"/"hoa" all match."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = decomposed if decomposed.isascii() else decomposed.translate(_BARE)
    return " ".join(bare.casefold().split())


_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def bare(text: str) -> str:
    """fold() without spaces or punctuation: "Chi bộ thôn số 4, Vĩnh Bảo" → "chibothonso4vinhbao",
    "X.NINHGIANG.03" → "xninhgiang03"; a name typed without its commas, dots or hyphens still matches."""
    return loose(fold(text))


def loose(folded: str) -> str:
    """bare() of a text already folded (a stored search_name, a code in lower case): a register's
    names are compared at once, without folding each again."""
    return _NOT_LETTER_OR_DIGIT.sub("", folded)


def group_title(number: int, name: str | None) -> str:
    """A working group as a heading: its number, then its name unless the name only repeats the number."""
    title = f"Tổ công tác số {number}"
    return title if not name or fold(name) == fold(title) else f"{title}: {name}"


def number(n: int) -> str:
    """1845 → "1.845"."""
    return f"{n:,}".replace(",", ".")  # not decimal()'s translate: twice as fast, for 60.000-row tables


def decimal(value: float) -> str:
    """One decimal, the decimal comma and thousands as number() writes them: 2.46 → "2,5", 1234.5 → "1.234,5"."""
    return f"{value:,.1f}".translate(_VIETNAMESE_MARKS)


# Vietnamese writes a dot between thousands and a comma before decimals: Python's marks swapped
_VIETNAMESE_MARKS = str.maketrans(",.", ".,")


def percent(part: int, whole: int) -> str:
    """1325, 1845 → "71,8%" (half-up to one decimal, as people round by hand)."""
    if whole == 0:
        return "—"
    tenths = _tenths_of_percent(part, whole)
    return f"{tenths // 10},{tenths % 10}%"


def percent_value(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    return _tenths_of_percent(part, whole) / 10


def _tenths_of_percent(part: int, whole: int) -> int:
    """part/whole in tenths of a per cent, half up, in whole numbers: exact, and without importing decimal."""
    return (2000 * part + whole) // (2 * whole)


# --- dates: every way a date or a moment is written, each once -----------------------------------


def day(d: date | None) -> str:
    """Tables and messages: 09/07/2025 (the year in four digits, where strftime would write year 25 as "25")."""
    return f"{d.day:02}/{d.month:02}/{d.year:04}" if d else ""


def day_month(d: date) -> str:
    """A day within a year already said (a span, an axis, a mark): 9/7."""
    return f"{d.day}/{d.month}"


def day_short(d: date) -> str:
    """Body text: 9/7/2025."""
    return f"{day_month(d)}/{d.year}"


def month(d: date) -> str:
    """7/2025."""
    return f"{d.month}/{d.year}"


def written_day(d: date) -> str:
    """A document's date, as Party documents write it: "ngày 09 tháng 7 năm 2025", a leading zero for
    days under 10 and for months 1 and 2."""
    month_ = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month_} năm {d.year}"


def moment(at: datetime, *, seconds: bool = False) -> str:
    """A moment (a naive one is UTC, as history stores it) as Vietnam time: 17:00 09/07/2025, with
    the seconds 17:00:05 09/07/2025."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    local = at.astimezone(VIETNAM)
    return f"{local.strftime('%H:%M:%S' if seconds else '%H:%M')} {day(local)}"


def file_stamp(at: datetime) -> str:
    """A moment in a file's name, sorting as it reads: 20250709-170005."""
    return f"{at:%Y%m%d-%H%M%S}"


def round_dates_messages(by_level: dict[str, rules.Deadlines], *, scoped: bool = True) -> list[str]:
    """The round's dates that do not fit, as `round set`, `undo` and `check` all say it: one line per
    pair of dates, naming every level it breaks (a round-wide date can break several); `scoped=False`
    names none (a round just being added has no level of its own)."""
    levels: dict[tuple, list[str]] = {}
    for problem in rules.round_dates_problems(by_level):
        levels.setdefault((problem.kind, problem.first, problem.second), []).append(level_noun(problem.level))
    names = {"target_after_deadline": "mốc mục tiêu", "pilot_after_deadline": "hạn đại hội điểm"}
    return [
        f"{names[kind]} {day(first)} không thể sau hạn chót {day(second)}" + (f" ({'; '.join(scopes)})" if scoped else "")
        for (kind, first, second), scopes in levels.items()
    ]
