"""The brief's chart, drawn as inline SVG from Python: no plotting library, no image files.

It is printed on office printers, so nothing depends on colour: every line differs by its
dash pattern or weight, and every mark carries its own label.
"""
from __future__ import annotations

import datetime as dt
import math
from html import escape

from congress import vn
from congress.rules import Deadlines

WIDTH, HEIGHT = 640, 306
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 66, 240  # the plot area; labels and legend go outside it
FONT = "'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif"
LABEL_SIZE = 12
ROW = 14  # the height of a row of mark labels
CHAR = 6.1  # a rough width per character at LABEL_SIZE, to keep labels apart

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
    return [(d, f"{d.day}/{d.month}") for d in mondays]


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
    return [(kind, day, f"{name} {day.day}/{day.month}" if day else name) for kind, day, name in marks]


def _marks(as_of, deadlines, start, end, x) -> list[tuple[float, str, str]]:
    """(x, label, kind) of each mark inside the span, left to right."""
    return sorted(
        ((x(day), label, kind) for kind, day, label in _mark_specs(as_of, deadlines) if day and start <= day <= end),
        key=lambda m: m[0],
    )


def cumulative_chart(
    held_by_day: list[tuple[dt.date, int]],
    total: int,
    as_of: dt.date,
    deadlines: Deadlines,
    finish_on: dt.date | None,
    pace_days: int,
    since: dt.date,
) -> str:
    """Congresses held per day, summed, against the total, with the round's dates marked.

    `since` is the first day drawn: charts of several levels share it, so they compare at a glance."""
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
    # Headroom above the total, so its dashed line stands clear of the frame.
    top = max(math.ceil(total * 1.08), total + 1)

    def x(day: dt.date) -> float:
        return LEFT + plot_width * (day - start).days / days

    def y(value: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * value / top

    def text(tx: float, ty: float, content: str, anchor: str = "start", size: int = LABEL_SIZE, extra: str = "") -> str:
        return (f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
                f"{escape(content)}</text>")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="{escape(FONT)}" role="img">',
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{BOTTOM - TOP}" '
        'fill="none" stroke="#000" stroke-width="0.6"/>',
    ]
    step = nice_step(total or 1)
    for value in range(0, top + 1, step):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     'stroke="#bbb" stroke-width="0.5"/>')
        parts.append(text(LEFT - 4, y(value) + 4, vn.number(value), "end"))
    for day, label in _month_ticks(start, end):
        parts.append(f'<line x1="{x(day):.1f}" x2="{x(day):.1f}" y1="{BOTTOM}" y2="{BOTTOM + 4}" stroke="#000"/>')
        parts.append(text(x(day), BOTTOM + 16, label, "middle"))

    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(total):.1f}" y2="{y(total):.1f}" {TOTAL}/>')
    parts.append(text(LEFT + 4, y(total) + 13, f"Tổng số: {vn.number(total)}"))

    # One row per label, the leftmost on top: a line stops at its own label, and lines to its left
    # pass only the rows above. A label runs right of its line, or left where it would leave the
    # chart and no other line is in its way (otherwise the span was widened for it, above).
    shown = _marks(as_of, deadlines, start, end, x)
    for row, (mx, label, kind) in enumerate(reversed(shown)):
        label_y = TOP - 6 - row * ROW
        parts.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{label_y - 9:.1f}" y2="{BOTTOM}" {MARK_STYLES[kind]}/>')
        if _fits_right(mx, label):
            parts.append(text(mx + 3, label_y, label))
        else:
            parts.append(text(mx - 3, label_y, label, "end"))

    last = min(as_of, end)
    points = _cumulative_points(held_by_day, start, last)
    parts.append('<polyline points="' + " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points) + f'" {CUMULATIVE}/>')
    held = points[-1][1]
    if finish_on is not None and as_of < end:
        # Clipped at the chart's right edge when the projected finish lies beyond it.
        shown_until = min(finish_on, end)
        reached = held + (total - held) * (shown_until - as_of).days / (finish_on - as_of).days
        parts.append(f'<line x1="{x(as_of):.1f}" y1="{y(held):.1f}" x2="{x(shown_until):.1f}" '
                     f'y2="{y(reached):.1f}" {PROJECTION}/>')

    legend_y = HEIGHT - 10
    legend = [(CUMULATIVE, "Đã tổ chức đại hội (cộng dồn)"), (TOTAL, "Tổng số tổ chức")]
    if finish_on is not None and as_of < end:
        legend.append((PROJECTION, f"Dự báo theo nhịp độ {pace_days} ngày qua"))
    lx = LEFT
    for style, label in legend:
        parts.append(f'<line x1="{lx}" x2="{lx + 26}" y1="{legend_y - 4}" y2="{legend_y - 4}" {style}/>')
        parts.append(text(lx + 31, legend_y, label))
        lx += 31 + len(label) * CHAR + 18
    parts.append("</svg>")
    return "\n".join(parts)
