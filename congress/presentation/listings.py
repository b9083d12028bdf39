"""The rows and columns of every listing, for every sink (table, CSV, JSON, XLSX): the commands and
the exports print the same rows under the same headings. Figures come from congress.read.progress."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from congress.domain import vn
from congress.domain.rules import Standing, rest_of_month
from congress.presentation.sinks import Column, date_column, number_column, render
from congress.read.progress import (
    LISTINGS, Behind, CommitteeProgress, Entry, GroupProgress, LevelProgress, Pilot, Results,
)


def describe_standing(assessment) -> str:
    text = vn.STANDING_LABELS[assessment.standing]
    if assessment.reason is not None:
        text += f" — {vn.REASON_LABELS[assessment.reason]}"
    if assessment.days_overdue:
        text += f" ({assessment.days_overdue} ngày)"
    return text


# --- levels -------------------------------------------------------------------------------------


def expected_label(as_of) -> str:
    """What "expected" counts, in the label itself (rules.rest_of_month)."""
    first, last = rest_of_month(as_of)
    return f"Dự kiến từ {vn.day_month(first)} đến {vn.day_month(last)}"


def level_rows(levels: list[LevelProgress]) -> list[dict]:
    return [
        {
            "level": p.level,
            "label": vn.LEVEL_LABELS[p.level],
            "held": p.held,
            "total": p.total,
            "percent": vn.percent_value(p.held, p.total),
            "percent_text": vn.percent(p.held, p.total),
            "expected": p.expected,
        }
        for p in levels
    ]


def level_columns(as_of) -> list[Column]:
    return [
        Column("label", "Cấp"),
        number_column("held", "Đã đại hội"),
        number_column("total", "Tổng số"),
        Column("percent_text", "Tỷ lệ", str, "right"),
        number_column("expected", expected_label(as_of)),
    ]


# --- working groups and committees --------------------------------------------------------------

NO_GROUPS = "Chưa có tổ công tác nào."
NO_COMMITTEES = "Tổ này chưa được giao đảng bộ nào."


def group_rows(groups: list[GroupProgress]) -> list[dict]:
    return [
        g._asdict() | {
            "committees_percent": vn.percent(g.committees_held, g.committees),
            "grassroots_percent": vn.percent(g.grassroots_held, g.grassroots),
        }
        for g in groups
    ]


def group_columns(level: str | None = None) -> list[Column]:
    """Each rate stands beside the two numbers it divides; a level filter shows that level only."""
    committees = [
        number_column("committees", vn.LEVEL_LABELS["committee"]),
        number_column("committees_held", "đã ĐH"),
        Column("committees_percent", "Tỷ lệ", str, "right"),
    ]
    grassroots = [
        number_column("grassroots", "Tổ chức cơ sở"),
        number_column("grassroots_held", "đã ĐH"),
        Column("grassroots_percent", "Tỷ lệ", str, "right"),
    ]
    return [
        Column("number", "Tổ", str, "right"),
        Column("name", "Tên tổ", lambda v: v or "(chưa giao tổ)"),
        *(committees if level in (None, "committee") else []),
        # a round whose tree has no grassroots (the Front's) has no column for them
        *(grassroots if level in (None, "grassroots") and "grassroots" in vn.LEVEL_LABELS else []),
        number_column("overdue", "Quá hạn"),
    ]


def judged(record) -> dict:
    """A record of the read model with its standing, as a value and in words."""
    return record._asdict() | {"standing": record.assessment.standing.value,
                               "standing_text": describe_standing(record.assessment)}


def committee_rows(committees: list[CommitteeProgress]) -> list[dict]:
    return [judged(c) | {"grassroots_percent": vn.percent(c.grassroots_held, c.grassroots)} for c in committees]


def congress_columns(name: str, planned: str, held: str, *between: Column) -> list[Column]:
    """An organisation's congress, dates first and its standing last, under a listing's own headings."""
    return [Column("code", "Mã"), Column("name", name), date_column("planned_on", planned),
            date_column("held_on", held), *between, Column("standing_text", "Tình trạng")]


def committee_columns() -> list[Column]:
    return congress_columns("Đảng bộ trực thuộc", "Dự kiến ĐH", "Đã ĐH ngày",
                            number_column("grassroots_held", "TCCS đã ĐH"), number_column("grassroots", "Tổng TCCS"),
                            Column("grassroots_percent", "Tỷ lệ", str, "right"))


# --- congresses not yet held --------------------------------------------------------------------


def entry_rows(entries: list[Entry]) -> list[dict]:
    """`status --overdue|--late|--at-risk|--upcoming` and `export status|overdue`."""
    return [
        {
            "code": e.code,
            "name": e.name,
            "level": e.level,
            "committee": e.committee_code,
            "working_group": e.working_group,
            "planned_on": e.planned_on,
            "standing": e.assessment.standing.value,
            "reason": e.assessment.reason.value if e.assessment.reason else None,
            "reason_text": vn.REASON_LABELS[e.assessment.reason] if e.assessment.reason else
            vn.STANDING_LABELS[e.assessment.standing],
            "days_overdue": e.assessment.days_overdue,
        }
        for e in entries
    ]


def entry_columns(fmt: str) -> list[Column]:
    columns = [
        Column("code", "Mã"),
        Column("name", "Tên tổ chức"),
        Column("committee", "Đảng bộ trực thuộc"),
        Column("working_group", "Tổ", str, "right"),
        date_column("planned_on", "Ngày dự kiến"),
        Column("reason_text", "Lý do"),
        Column("days_overdue", "Số ngày quá hạn", str, "right"),
    ]
    if fmt == "json":
        columns[5:6] = [Column("standing", ""), Column("reason", ""), Column("reason_text", "")]
    return columns


def missing_text(missing, day=vn.day) -> str:
    """The steps not done, each with its due day: "Phương án nhân sự … (hạn 28/06/2025)"; `day`: the
    brief writes its days short (28/6/2025)."""
    return "; ".join(f"{m.name} (hạn {day(m.due_on)})" for m in missing)


def behind_rows(behind: list[Behind]) -> list[dict]:
    """`status --preparation` and `export preparation`: the congresses behind in preparation."""
    return [
        {
            "code": b.code,
            "name": b.name,
            "level": b.level,
            "committee": b.committee_code,
            "working_group": b.working_group,
            "planned_on": b.planned_on,
            "days_left": b.days_left,
            "missing": [{"code": m.code, "name": m.name, "due_on": m.due_on} for m in b.missing],
            "missing_text": missing_text(b.missing),
        }
        for b in behind
    ]


def behind_columns(fmt: str) -> list[Column]:
    return [
        Column("code", "Mã"),
        Column("name", "Tên tổ chức"),
        Column("committee", "Đảng bộ trực thuộc"),
        Column("working_group", "Tổ", str, "right"),
        date_column("planned_on", "Ngày dự kiến"),
        number_column("days_left", "Còn (ngày)"),
        Column("missing", "") if fmt == "json" else Column("missing_text", "Bước chưa xong"),
    ]


# --- results ----------------------------------------------------------------------------------

# (key, label, whole, short label): what `status --results` shows of each level or group, in this order; a figure
# with a whole is a share, shown beside the two numbers it divides
RESULT_FIGURES = (
    ("held", "Đã đại hội", None, "Đã ĐH"),
    ("reported", "Đã báo cáo kết quả", "held", "Báo cáo KQ"),
    ("contents_2", "Đại hội 2 nội dung", "contents_reported", "2 ND"),
    ("contents_3", "Đại hội 3 nội dung", "contents_reported", "3 ND"),
    ("contents_4", "Đại hội đủ 4 nội dung", "contents_reported", "Đủ 4 ND"),
    ("committee_elected", "Cấp ủy bầu tại đại hội", "committee_by_reported", "Cấp ủy bầu"),
    ("committee_appointed", "Cấp ủy do cấp trên chỉ định", "committee_by_reported", "Chỉ định"),
    ("secretary_elected", "Bí thư bầu trực tiếp tại đại hội", "secretary_by_reported", "Bí thư bầu"),
    ("committee_members", "Ủy viên cấp ủy", None, "UV cấp ủy"),
    ("standing_members", "Ủy viên ban thường vụ", None, "UV BTV"),
    ("women", "Nữ", "women_of", "Nữ"),
    ("under_40", "Dưới 40 tuổi", "under_40_of", "Dưới 40"),
    ("ethnic", "Dân tộc thiểu số", "ethnic_of", "Dân tộc"),
    ("first_time", "Tham gia lần đầu", "first_time_of", "Lần đầu"),
    ("delegates", "Đại biểu được triệu tập", None, "Đại biểu"),
    ("present", "Đại biểu có mặt", "present_of", "Có mặt"),
    ("delegates_up", "Đại biểu đi dự đại hội cấp trên", None, "Dự cấp trên"),
)
SHARE_OF = "trên"  # the whole a share divides, in a heading: "Nữ", "trên", "Tỷ lệ"


def result_rows(results: list[Results]) -> list[dict]:
    """One row per level or working group: every figure, and each share's whole and percent beside it."""
    rows = []
    for r in results:
        figures = r.sums | {"held": r.held}
        row = {"level": r.level, "label": vn.LEVEL_LABELS[r.level] if r.level else None,
               "working_group": r.number, "name": r.name}
        for key, _, whole, _ in RESULT_FIGURES:
            row[key] = figures[key]
            if whole:
                row[f"{key}_of"] = figures[whole]
                row[f"{key}_percent"] = vn.percent_value(figures[key], figures[whole])
                row[f"{key}_percent_text"] = vn.percent(figures[key], figures[whole])
        rows.append(row)
    return rows


def result_columns(by: str, fmt: str) -> list[Column]:
    """A level's or group's row; a share's three columns side by side (the count, its whole, the rate)."""
    first = ([Column("level", ""), Column("label", "Cấp")] if by == "level" else
             [Column("working_group", "Tổ", str, "right"), Column("name", "Tên tổ", lambda v: v or "(chưa giao tổ)")])
    if fmt == "json":
        first = first[:1] if by == "level" else first
    columns = first
    for key, label, whole, _ in RESULT_FIGURES:
        columns.append(number_column(key, label))
        if whole:
            columns += [number_column(f"{key}_of", SHARE_OF),
                        Column(f"{key}_percent" if fmt == "json" else f"{key}_percent_text", "Tỷ lệ", str, "right")]
    return columns


def result_sheet_columns(fmt: str) -> list[Column]:
    """`status --results` as one sheet (CSV, `export results`, the web's download): the levels' rows, then
    the working groups', every figure."""
    level = Column("level", "") if fmt == "json" else Column("label", "Cấp")
    return [level, *result_columns("group", fmt)]


def result_figure_rows(row: dict) -> list[dict]:
    """One level's or group's results as lines (figure, count, whole, rate): the table of a page or a
    terminal, where seventeen figures do not fit across."""
    return [{"label": label, "count": row[key], "whole": row.get(f"{key}_of"),
             "percent_text": row.get(f"{key}_percent_text", "")} for key, label, _, _ in RESULT_FIGURES]


def result_figure_columns(heading: str) -> list[Column]:
    return [Column("label", heading), number_column("count", "Số"),
            Column("whole", SHARE_OF, lambda v: "" if v is None else vn.number(v), "right"),
            Column("percent_text", "Tỷ lệ", str, "right")]


# --- the lists of congresses not yet held, as both faces name them --------------------------------

UPCOMING = "upcoming"  # the fourth list, by its span of days rather than a standing
PREPARATION = "preparation"  # the fifth: behind in preparation, a standing beside the deadlines'
_LATE_MEANS = "đã qua mốc mục tiêu, chưa đến hạn chót"


def count_label(standing: Standing) -> str:
    """"Quá hạn", "Chậm so với mục tiêu", "Có nguy cơ chậm": a count's label, and its list's name."""
    return vn.STANDING_LABELS[standing].capitalize()


class Listing(NamedTuple):
    """One list (overdue, late, at_risk, upcoming or preparation) on a day: its rows (entry_rows) and its words."""

    kind: str
    days: int | None  # upcoming's span, the as-of day included
    as_of: dt.date
    as_recorded: bool
    rows: list[dict]
    sample: bool

    @property
    def name(self) -> str:
        """What the list is, with what it means where that is not plain (a page's title, a sheet's name)."""
        if self.kind == UPCOMING:
            return "Dự kiến tổ chức"
        if self.kind == PREPARATION:
            return vn.BEHIND_IN_PREPARATION.capitalize()
        name = count_label(LISTINGS[self.kind][0])
        return f"{name} ({_LATE_MEANS})" if self.kind == "late" else name

    @property
    def title(self) -> str:
        """A page's title: the name, and the span of days the upcoming list covers."""
        if self.kind == UPCOMING:
            return f"{self.name} trong {self.days} ngày tới (kể cả ngày {vn.day(self.as_of)})"
        return self.name

    @property
    def empty(self) -> str:
        if self.kind == UPCOMING:
            return f"Không có đại hội nào dự kiến trong {self.days} ngày tới."
        if self.kind == "late":
            return f"Không có tổ chức nào chậm so với mục tiêu ({_LATE_MEANS})."
        if self.kind == PREPARATION:
            return f"Không có đại hội nào {vn.BEHIND_IN_PREPARATION}."
        return f"Không có tổ chức nào {vn.STANDING_LABELS[LISTINGS[self.kind][0]]}."

    def columns(self, fmt: str) -> list[Column]:
        """What each row shows: the missing steps of a congress behind in preparation, else its standing."""
        return behind_columns(fmt) if self.kind == PREPARATION else entry_columns(fmt)

    def heading(self) -> str:
        """What a table opens with: what it lists, on which day, how many."""
        if self.kind == UPCOMING:
            what = f"Dự kiến đại hội trong {self.days} ngày, từ {vn.day(self.as_of)}"
        elif self.kind == PREPARATION:
            what = (f"{self.name} (chưa đại hội, đã đến hạn một bước chuẩn bị mà bước đó chưa xong)"
                    f" tính đến {vn.day(self.as_of)}")
        else:
            what = f"{count_label(LISTINGS[self.kind][0])} tính đến {vn.day(self.as_of)}"
        return f"{what}: {vn.number(len(self.rows))} tổ chức" + (
            " (chỉ những gì đã ghi đến hết ngày này)" if self.as_recorded else "")


def render_listing(listing: Listing, fmt: str) -> str:
    """A table opens with its heading and closes with the sample's mark, as the status summary does;
    CSV and JSON stay bare rows."""
    text = render(listing.rows, listing.columns(fmt), fmt, empty=listing.empty)
    if fmt != "table":
        return text
    return "\n\n".join([listing.heading(), text] + ([vn.SAMPLE_MARK] if listing.sample else []))


# --- pilots, organisations, history -------------------------------------------------------------

NO_PILOTS = "Chưa có đại hội điểm nào."
NO_CHANGES = "Chưa có thay đổi nào."


def pilot_rows(pilots: list[Pilot]) -> list[dict]:
    return [judged(p) for p in pilots]


def pilot_columns() -> list[Column]:
    return congress_columns("Tên", "Ngày dự kiến", "Ngày tổ chức")


def organisation_columns(*, with_parent: bool = False) -> list[Column]:
    """`org list`; `export orgs` adds the parent, so the tree can be imported elsewhere."""
    columns = [
        Column("code", "Mã"),
        Column("name", "Tên tổ chức"),
        Column("level", "Cấp", lambda level: vn.LEVEL_LABELS.get(level, level)),
        Column("kind", "Loại"),
        Column("committee", "Đảng bộ trực thuộc"),
        Column("working_group", "Tổ", str, "right"),
        number_column("party_members", "Đảng viên"),
        date_column("planned_on", "Ngày dự kiến"),
        date_column("held_on", "Ngày tổ chức"),
        date_column("dissolved_on", "Giải thể"),
    ]
    if with_parent:
        columns.insert(3, Column("parent", "Cấp trên"))
    return columns


def history_rows(changes, step_names: dict[str, str] | None = None) -> list[dict]:
    """`step_names`: the round's steps by code, so a step's row reads by its name (vn.field_label)."""
    keys = ("at", "user", "working_group", "code", "action", "field", "old_value", "new_value", "note")
    rows = [dict(zip(keys, row)) for row in changes]
    for row in rows:
        row["field_label"] = vn.field_label(row["field"], step_names)
    return rows


def history_columns(fmt: str = "table") -> list[Column]:
    """JSON keeps the field as stored ("step:nhan-su"); a table and a sheet say it in words."""
    return [
        Column("at", "Thời điểm", vn.moment),
        Column("user", "Người ghi"),
        Column("working_group", "Tổ", str, "right"),
        Column("code", "Mã"),
        Column("action", "Việc", lambda a: vn.ACTION_LABELS.get(a, a)),
        Column("field", "Mục") if fmt == "json" else Column("field_label", "Mục"),
        Column("old_value", "Cũ", vn.stored_value),
        Column("new_value", "Mới", vn.stored_value),
        Column("note", "Ghi chú"),
    ]


def step_columns() -> list[Column]:
    """`round steps`: a round's preparation steps, each with how many congresses have done it."""
    return [
        Column("code", "Mã"),
        Column("name", "Bước chuẩn bị"),
        number_column("days_before", "Số ngày trước đại hội"),
        Column("retired", "Ngừng dùng", lambda retired: "có" if retired else ""),
        number_column("done", "Số đại hội đã làm"),
    ]


NO_STEPS = "Nhiệm kỳ chưa có bước chuẩn bị nào."


def round_rows(rounds: list[dict]) -> list[dict]:
    """`round list`: each round with its state and its congresses held (reads.round_list)."""
    return [r | {"state": "đã khóa" if r["closed"] else "đang mở", "chosen_mark": "có" if r["chosen"] else "",
                 "percent_text": vn.percent(r["held"], r["total"])} for r in rounds]


def round_columns(fmt: str) -> list[Column]:
    if fmt == "json":
        return [Column(key, key) for key in ("name", "kind", "kind_name", "term", "starts_on", "target_on",
                                             "deadline_on", "pilot_deadline_on", "closed", "chosen", "as_of",
                                             "held", "total")]
    return [
        Column("name", "Tên"),
        Column("kind_name", "Loại đại hội"),
        Column("term", "Nhiệm kỳ"),
        Column("target_on", "Mục tiêu", vn.day),
        Column("deadline_on", "Hạn chót", vn.day),
        Column("state", "Tình trạng"),
        number_column("held", "Đã đại hội"),
        number_column("total", "Tổng số"),
        Column("percent_text", "Tỷ lệ", str, "right"),
        Column("chosen_mark", "Đang xem"),
    ]


def kind_columns(fmt: str) -> list[Column]:
    """`round kinds`: the kinds of round, each with its tree's levels, top first."""
    return [
        Column("code", "Mã"),
        Column("name", "Loại đại hội"),
        Column("title", "Trên tiêu đề báo cáo"),
        Column("levels", "Các cấp", (lambda levels: levels) if fmt == "json" else (lambda levels: "; ".join(levels))),
    ]
