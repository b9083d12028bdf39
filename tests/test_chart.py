"""The brief's chart: well-formed SVG, every mark labelled and inside the picture, no colour."""
import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from congress.chart import CHAR, HEIGHT, WIDTH, cumulative_chart, nice_step
from congress.rules import Deadlines

DEADLINES = Deadlines(dt.date(2025, 8, 20), dt.date(2025, 8, 31), dt.date(2025, 8, 3))
SVG = "{http://www.w3.org/2000/svg}"


def chart(as_of=dt.date(2025, 7, 9), finish_on=dt.date(2025, 8, 1), held=None, total=100):
    held = held if held is not None else [(dt.date(2025, 6, 1), 30), (dt.date(2025, 7, 1), 40)]
    return ET.fromstring(cumulative_chart(held, total, as_of, DEADLINES, finish_on, 14, dt.date(2025, 5, 31)))


def texts(root):
    return [(float(t.get("x")), t.get("text-anchor"), t.text) for t in root.iter(f"{SVG}text")]


def test_marks_are_labelled_and_fit_inside():
    labels = {text: (x, anchor) for x, anchor, text in texts(chart())}
    for label in ["Hạn đại hội điểm 3/8", "Mục tiêu 20/8", "Hạn chót 31/8", "Ngày báo cáo 9/7", "Tổng số: 100"]:
        x, anchor = labels[label]
        assert anchor == "start" and x + len(label) * CHAR <= WIDTH


def test_the_running_total_ends_at_what_was_held():
    root = chart()
    points = root.find(f"{SVG}polyline").get("points").split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys == sorted(ys, reverse=True)  # never goes down
    total_line = [line for line in root.iter(f"{SVG}line") if "7 4" in (line.get("stroke-dasharray") or "")][0]
    top, bottom = float(total_line.get("y1")), ys[0]
    assert ys[-1] == pytest.approx(bottom - (bottom - top) * 70 / 100, abs=0.1)


def test_it_prints_in_black_and_white():
    source = ET.tostring(chart(), encoding="unicode")
    colours = set(re.findall(r'(?:stroke|fill)="([^"]+)"', source))
    for colour in colours - {"none"}:
        assert re.fullmatch(r"#([0-9a-f])\1\1", colour), colour  # greys only
    dashes = {line.get("stroke-dasharray") for line in chart().iter(f"{SVG}line")}
    assert len(dashes) >= 4  # the lines differ by their pattern, not by colour


def test_no_projection_when_the_pace_is_zero_and_a_flat_line_after_the_deadline():
    root = chart(as_of=dt.date(2026, 11, 21), finish_on=None)
    assert "Dự báo" not in " ".join(t for _, _, t in texts(root))
    assert "Ngày báo cáo 21/11" in [t for _, _, t in texts(root)]
    assert float(root.get("viewBox").split()[3]) == HEIGHT


def test_nothing_held_yet_still_draws():
    root = chart(held=[], finish_on=None)
    assert root.find(f"{SVG}polyline") is not None


@pytest.mark.parametrize("top, step", [(1, 1), (7, 2), (118, 50), (1845, 500), (60000, 20000)])
def test_nice_step(top, step):
    assert nice_step(top) == step
