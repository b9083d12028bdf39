"""The brief's chart, drawn as inline SVG from Python: no plotting library, no image files.

It is printed on office printers, so nothing depends on colour: every line differs by its
dash pattern or weight, and every mark carries its own label.
"""
from __future__ import annotations

import datetime as dt
import math
from html import escape

from congress.domain import vn
from congress.domain.rules import PACE_DAYS, Deadlines, Forecast

# Printed across the text width of the A4 page (210 mm less the brief's 30 mm and 15 mm margins), so
# that LABEL_SIZE units are 13 × 165 / 640 = 3,35 mm, 9,5 pt, on paper: the PDF and the Word picture
# print it at this width; a printed label of 9 pt or more is what the issue asked for.
PRINTED_WIDTH_MM = 165
WIDTH = 640
LEFT, RIGHT, BOTTOM_ROOM = 52, 14, 25  # the plot's margins; labels and the legend go outside it
PLOT_HEIGHT = 120
FONT = "'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif"
LABEL_SIZE = 13
ROW = 16  # the height of a row of labels
CHAR = 7.4  # the width per character at LABEL_SIZE of the widest of FONT (DejaVu Serif), to keep labels apart

CUMULATIVE = 'stroke="#000" stroke-width="2.4" fill="none" stroke-linejoin="round"'
TOTAL = 'stroke="#000" stroke-width="1" stroke-dasharray="7 4" fill="none"'
PROJECTION = 'stroke="#444" stroke-width="1.6" stroke-dasharray="2 3" fill="none"'
MARK_STYLES = {
    "pilot": 'stroke="#000" stroke-width="1" stroke-dasharray="1 2"',
    "target": 'stroke="#000" stroke-width="1" stroke-dasharray="4 3"',
    "deadline": 'stroke="#000" stroke-width="1.4"',
    "as_of": 'stroke="#666" stroke-width="1"',
}


def nice_step(top: int, ticks: int = 5) -> int:
    """1, 2 or 5 times a power of ten, giving about `ticks` gridlines up to `top`."""
    raw = max(top / ticks, 1)
    power = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _span(held_by_day, total: int, as_of: dt.date, deadlines: Deadlines, since: dt.date) -> tuple[dt.date, dt.date]:
    """From `since` to the deadline, the last congress, or the as-of date while some remain
    (a flat line after the deadline is news; after completion it is not)."""
    held = sum(count for _, count in held_by_day)
    end = max([deadlines.deadline] + [day for day, _ in held_by_day[-1:]])
    if held < total:
        end = max(end, as_of)
    return min(since, end - dt.timedelta(days=14)), end


def _month_ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    firsts = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            firsts.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    if len(firsts) >= 2:
        every = max(1, -(-len(firsts) // 8))  # at most eight labels
        return [(d, vn.month(d)) for d in firsts[::every]]
    # A short span: weekly ticks on Mondays.
    monday = start + dt.timedelta(days=-start.weekday() % 7)
    mondays = [monday + dt.timedelta(weeks=i) for i in range((end - monday).days // 7 + 1)]
    return [(d, vn.day_month(d)) for d in mondays]


def _cumulative_points(held_by_day, start: dt.date, last: dt.date) -> list[tuple[dt.date, int]]:
    """The running total as a step line: a point where it rises and where a flat stretch ends."""
    points = [(start, 0)]
    total = 0
    for day, count in held_by_day:
        if day > last:
            break
        previous = day - dt.timedelta(days=1)
        if previous > points[-1][0]:
            points.append((previous, total))
        total += count
        points.append((day, total))
    if last > points[-1][0]:
        points.append((last, total))
    return points


def _fits_right(mx: float, label: str) -> bool:
    return mx + 3 + len(label) * CHAR <= WIDTH


def _fits_left(mx: float, label: str, others: list[float]) -> bool:
    """Whether a label can end at its line without running into another line or off the chart."""
    left = mx - 3 - len(label) * CHAR
    return left >= LEFT and not any(left - 4 <= other <= mx for other in others)


def _mark_specs(as_of: dt.date, deadlines: Deadlines) -> list[tuple[str, dt.date | None, str]]:
    marks = [
        ("pilot", deadlines.pilot_deadline, "Hạn đại hội điểm"),
        ("target", deadlines.target, "Mục tiêu"),
        ("deadline", deadlines.deadline, "Hạn chót"),
        ("as_of", as_of, "Ngày báo cáo"),
    ]
    return [(kind, day, f"{name} {vn.day_month(day)}" if day else name) for kind, day, name in marks]


def _marks(as_of, deadlines, start, end, x) -> list[tuple[float, str, str]]:
    """(x, label, kind) of each mark inside the span, left to right."""
    return sorted(
        ((x(day), label, kind) for kind, day, label in _mark_specs(as_of, deadlines) if day and start <= day <= end),
        key=lambda m: m[0],
    )


def projection_label(forecast: Forecast) -> str:
    """What the projected line follows: the pace of the last days where the pace sets the finish, else
    the planned dates (on 9/7/2025 the committees' plans end later than any pace would)."""
    by_pace = forecast.paced_until is not None and forecast.finish_on == forecast.paced_until and (
        forecast.last_planned_on is None or forecast.paced_until > forecast.last_planned_on)
    return f"Dự báo theo nhịp độ {PACE_DAYS} ngày qua" if by_pace else "Dự báo theo ngày dự kiến"


def _legend_rows(labels: list[str]) -> list[list[tuple[float, str]]]:
    """The legend's entries (x, label), as many to a row as fit across the chart."""
    rows: list[list[tuple[float, str]]] = [[]]
    lx = LEFT
    for label in labels:
        width = 31 + len(label) * CHAR
        if rows[-1] and lx + width > WIDTH:
            rows.append([])
            lx = LEFT
        rows[-1].append((lx, label))
        lx += width + 18
    return rows


def cumulative_chart(
    held_by_day: list[tuple[dt.date, int]],
    total: int,
    as_of: dt.date,
    deadlines: Deadlines,
    forecast: Forecast,
    since: dt.date,
) -> str:
    """Congresses held per day, summed, against the total, with the round's dates marked.

    `since` is the first day drawn: charts of several levels share it, so they compare at a glance."""
    finish_on = forecast.finish_on
    start, end = _span(held_by_day, total, as_of, deadlines, since)
    plot_width = WIDTH - LEFT - RIGHT
    # A label that fits neither right nor left of its line gets room: the span widens until it
    # fits on the right.
    first_days = max((end - start).days, 1)
    inside = [(LEFT + plot_width * (day - start).days / first_days, day, label)
              for _, day, label in _mark_specs(as_of, deadlines) if day and start <= day <= end]
    for mx, day, label in inside:
        if _fits_right(mx, label) or _fits_left(mx, label, [other for other, _, _ in inside if other != mx]):
            continue
        room = WIDTH - len(label) * CHAR - 4 - LEFT
        end = max(end, start + dt.timedelta(days=math.ceil((day - start).days * plot_width / room)))
    days = max((end - start).days, 1)
    marks = len([1 for _, day, _ in _mark_specs(as_of, deadlines) if day and start <= day <= end])
    plot_top = 10 + marks * ROW  # a row for each mark's label, the leftmost on top
    plot_bottom = plot_top + PLOT_HEIGHT
    projected = finish_on is not None and as_of < end
    legend = [(CUMULATIVE, "Đã tổ chức đại hội (cộng dồn)"), (TOTAL, "Tổng số tổ chức")]
    if projected:
        legend.append((PROJECTION, projection_label(forecast)))
    styles = dict((label, style) for style, label in legend)
    legend_rows = _legend_rows([label for _, label in legend])
    height = plot_bottom + BOTTOM_ROOM + len(legend_rows) * ROW + 4
    # Headroom above the total, so its dashed line stands clear of the frame.
    top = max(math.ceil(total * 1.08), total + 1)

    def x(day: dt.date) -> float:
        return LEFT + plot_width * (day - start).days / days

    def y(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * value / top

    def text(tx: float, ty: float, content: str, anchor: str = "start", size: int = LABEL_SIZE, extra: str = "") -> str:
        return (f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
                f"{escape(content)}</text>")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{PRINTED_WIDTH_MM}mm" height="{PRINTED_WIDTH_MM * height / WIDTH:.1f}mm" '
        f'font-family="{escape(FONT)}" role="img">',
        f'<rect x="{LEFT}" y="{plot_top}" width="{WIDTH - LEFT - RIGHT}" height="{plot_bottom - plot_top}" '
        'fill="none" stroke="#000" stroke-width="0.6"/>',
    ]
    step = nice_step(total or 1)
    for value in range(0, top + 1, step):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     'stroke="#bbb" stroke-width="0.5"/>')
        parts.append(text(LEFT - 4, y(value) + 4, vn.number(value), "end"))
    for day, label in _month_ticks(start, end):
        parts.append(f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{plot_bottom}" y2="{plot_bottom + 4}" stroke="#000"/>')
        parts.append(text(x(day), plot_bottom + 19, label, "middle"))  # below the axis's "0"

    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(total):.1f}" y2="{y(total):.1f}" {TOTAL}/>')
    parts.append(text(LEFT + 4, y(total) + LABEL_SIZE + 2, f"Tổng số: {vn.number(total)}"))

    # One row per label, the leftmost on top: a line stops at its own label, and lines to its left
    # pass only the rows above. A label runs right of its line, or left where it would leave the
    # chart and no other line is in its way (otherwise the span was widened for it, above).
    shown = _marks(as_of, deadlines, start, end, x)
    for row, (mx, label, kind) in enumerate(reversed(shown)):
        label_y = plot_top - 5 - row * ROW
        parts.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{label_y - LABEL_SIZE + 3:.1f}" y2="{plot_bottom}" '
                     f'{MARK_STYLES[kind]}/>')
        if _fits_right(mx, label):
            parts.append(text(mx + 3, label_y, label))
        else:
            parts.append(text(mx - 3, label_y, label, "end"))

    last = min(as_of, end)
    points = _cumulative_points(held_by_day, start, last)
    parts.append('<polyline points="' + " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points) + f'" {CUMULATIVE}/>')
    held = points[-1][1]
    if projected:
        # Clipped at the chart's right edge when the projected finish lies beyond it.
        shown_until = min(finish_on, end)
        reached = held + (total - held) * (shown_until - as_of).days / (finish_on - as_of).days
        parts.append(f'<line x1="{x(as_of):.1f}" y1="{y(held):.1f}" x2="{x(shown_until):.1f}" '
                     f'y2="{y(reached):.1f}" {PROJECTION}/>')

    for number, entries in enumerate(legend_rows):
        legend_y = plot_bottom + BOTTOM_ROOM + (number + 1) * ROW
        for lx, label in entries:
            parts.append(f'<line x1="{lx:.1f}" x2="{lx + 26:.1f}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
                         f'{styles[label]}/>')
            parts.append(text(lx + 31, legend_y, label))
    parts.append("</svg>")
    return "\n".join(parts)
