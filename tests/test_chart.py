"""The brief's chart: well-formed SVG, every mark labelled and inside the picture, no colour."""
import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from congress.presentation.chart import CHAR, LABEL_SIZE, PRINTED_WIDTH_MM, WIDTH, cumulative_chart, nice_step
from congress.domain.rules import Deadlines, forecast

DEADLINES = Deadlines(dt.date(2025, 8, 20), dt.date(2025, 8, 31), dt.date(2025, 8, 3))
SVG = "{http://www.w3.org/2000/svg}"


def chart(as_of=dt.date(2025, 7, 9), plans=None, recent=7, held=None, total=100):
    """`plans`: the planned dates of those not yet held (rules.forecast); by default 30 left at the pace."""
    held = held if held is not None else [(dt.date(2025, 6, 1), 30), (dt.date(2025, 7, 1), 40)]
    plans = plans if plans is not None else [None] * 30
    return ET.fromstring(cumulative_chart(held, total, as_of, DEADLINES, forecast(plans, recent, as_of),
                                          dt.date(2025, 5, 31)))


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
    root = chart(as_of=dt.date(2026, 11, 21), recent=0)
    assert "Dự báo" not in " ".join(t for _, _, t in texts(root))
    assert "Ngày báo cáo 21/11" in [t for _, _, t in texts(root)]


def test_nothing_held_yet_still_draws():
    root = chart(held=[], recent=0)
    assert root.find(f"{SVG}polyline") is not None


@pytest.mark.parametrize("top, step", [(1, 1), (7, 2), (118, 50), (1845, 500), (60000, 20000)])
def test_nice_step(top, step):
    assert nice_step(top) == step


DAYS = [dt.date(2025, 7, 9), dt.date(2025, 7, 20), dt.date(2025, 8, 3), dt.date(2025, 8, 20), dt.date(2025, 8, 21),
        dt.date(2025, 9, 2)]


@pytest.mark.parametrize("as_of", DAYS, ids=str)
def test_every_label_prints_at_9_pt_or_more_on_a4(as_of):
    """As printed: the SVG's own width on the page (the text width of A4) over its viewBox."""
    root = chart(as_of=as_of)
    width = root.get("width")
    assert width == f"{PRINTED_WIDTH_MM}mm" and PRINTED_WIDTH_MM <= 210 - 30 - 15
    mm_per_unit = PRINTED_WIDTH_MM / float(root.get("viewBox").split()[2])
    for t in root.iter(f"{SVG}text"):
        assert float(t.get("font-size")) * mm_per_unit / 25.4 * 72 >= 9, t.text


def boxes(root):
    """Each text's box (left, right, baseline) by CHAR, the width per character the chart lays out by."""
    found = []
    for x, anchor, label in texts(root):
        width = len(label) * CHAR
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor or "start"]
        found.append((left, left + width, float(next(t.get("y") for t in root.iter(f"{SVG}text") if t.text == label)),
                      label))
    return found


@pytest.mark.parametrize("as_of", DAYS, ids=str)
def test_no_two_labels_overlap_and_none_leaves_the_chart(as_of):
    found = boxes(chart(as_of=as_of))
    for left, right, _, label in found:
        assert 0 <= left and right <= WIDTH, label
    size = LABEL_SIZE
    for i, (l1, r1, y1, a) in enumerate(found):
        for l2, r2, y2, b in found[i + 1:]:
            # a line of text from its ascenders (¾ of its size above the baseline) to its descenders
            if y1 - 0.75 * size < y2 + 0.2 * size and y2 - 0.75 * size < y1 + 0.2 * size:
                assert r1 <= l2 or r2 <= l1, (a, b)


def test_the_deadline_labels_are_not_crossed_by_another_mark_s_line():
    root = chart(as_of=dt.date(2025, 8, 21))
    marks = [line for line in root.iter(f"{SVG}line") if line.get("x1") == line.get("x2")
             and float(line.get("y2")) - float(line.get("y1")) > 20]
    for left, right, y, label in boxes(root):
        if not any(word in label for word in ("Hạn", "Mục tiêu", "Ngày báo cáo")):
            continue
        for line in marks:
            x, top = float(line.get("x1")), float(line.get("y1"))
            assert not (left < x < right and top < y), (label, x)


@pytest.mark.parametrize("plans, recent, words", [
    ([dt.date(2025, 8, 25)] * 30, 7, "Dự báo theo ngày dự kiến"),  # the plans end after any pace (9/7/2025)
    ([None] * 30, 7, "Dự báo theo nhịp độ 14 ngày qua"),
    ([dt.date(2025, 7, 12)] + [None] * 29, 7, "Dự báo theo nhịp độ 14 ngày qua"),
])
def test_the_legend_names_what_the_projection_follows(plans, recent, words):
    labels = [t for _, _, t in texts(chart(plans=plans, recent=recent))]
    assert words in labels and sum(label.startswith("Dự báo") for label in labels) == 1
