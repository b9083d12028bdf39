"""The brief's charts as PNG images, for Word: congress.presentation.chart's own SVG drawn with Pillow.

congress.presentation.chart writes each chart once, as SVG, for html and pdf. Word shows SVG badly, so the Word brief
takes a picture of it. Only what congress.presentation.chart writes is drawn here (rect, line, polyline, text; stroke
widths, dash patterns, greys, text anchors), so the picture is the same chart, not a second drawing of it.
Pillow comes with WeasyPrint and carries its own FreeType, so this works on Windows too, and it starts in
a tenth of the time of CairoSVG, whose cairo bindings parse their C declarations at every start.
"""
from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
OVERSAMPLE = 2  # drawn twice as large, then scaled down: Pillow draws lines without anti-aliasing
# Times New Roman where Windows has it, else Liberation Serif 2.x (metric-compatible), else DejaVu Serif:
# each carries every Vietnamese letter. Pillow looks a bare file name up in the system's font folders,
# where the Liberation Serif it finds first may be the 1.x of fonts-liberation, without ơ and ư: the 2.x
# is named by its path (Debian's fonts-liberation2, then Fedora's).
SERIF = (
    "times.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/liberation-serif/LiberationSerif-Regular.ttf",
    "DejaVuSerif.ttf",
)
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # SVG's text-anchor, y at the baseline


def chart_png(svg: str, width: int = 1600) -> bytes:
    """A chart's SVG (from congress.presentation.chart) as a PNG `width` pixels wide, white background."""
    from PIL import Image, ImageDraw

    root = ET.fromstring(svg)
    _, _, view_width, view_height = (float(v) for v in root.get("viewBox").split())
    scale = width / view_width * OVERSAMPLE
    # grey levels only: the brief is printed in black and white, and a one-channel PNG is smaller and quicker
    image = Image.new("L", (round(view_width * scale), round(view_height * scale)), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[float, object] = {}
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        if tag == "rect":
            x, y, w, h = (float(element.get(k)) * scale for k in ("x", "y", "width", "height"))
            _stroke(draw, [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)], element, scale)
        elif tag == "line":
            x1, y1, x2, y2 = (float(element.get(k)) * scale for k in ("x1", "y1", "x2", "y2"))
            _stroke(draw, [(x1, y1), (x2, y2)], element, scale)
        elif tag == "polyline":
            pairs = (p.split(",") for p in element.get("points").split())
            _stroke(draw, [(float(px) * scale, float(py) * scale) for px, py in pairs], element, scale)
        elif tag == "text":
            size = float(element.get("font-size", 12)) * scale
            if size not in fonts:
                fonts[size] = _serif(size)
            draw.text((float(element.get("x")) * scale, float(element.get("y")) * scale), element.text or "",
                      fill="black", font=fonts[size], anchor=ANCHORS[element.get("text-anchor", "start")])
    image = image.reduce(OVERSAMPLE)  # each pixel the mean of the four drawn: smooth edges
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _serif(size: float):
    from PIL import ImageFont

    for name in SERIF:
        try:
            return ImageFont.truetype(name, round(size))
        except OSError:
            continue
    return ImageFont.load_default(size)


def _stroke(draw, points: list[tuple[float, float]], element, scale: float) -> None:
    colour = element.get("stroke", "#000")
    if colour == "none":
        return
    width = max(1, round(float(element.get("stroke-width", 1)) * scale))
    dashes = element.get("stroke-dasharray")
    if not dashes:
        draw.line(points, fill=colour, width=width, joint="curve")
        return
    for piece in _dashed(points, [float(d) * scale for d in dashes.split()]):
        draw.line(piece, fill=colour, width=width)


def _dashed(points: list[tuple[float, float]], pattern: list[float]) -> list[list[tuple[float, float]]]:
    """The drawn pieces of a path under a dash pattern (on, off, on, off, …), as SVG lays them out:
    the pattern runs on across corners."""
    pieces: list[list[tuple[float, float]]] = []
    index, left, on = 0, pattern[0], True
    current: list[tuple[float, float]] = [points[0]]
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        length = math.hypot(x2 - x1, y2 - y1)
        done = 0.0
        while length - done > left:
            done += left
            point = (x1 + (x2 - x1) * done / length, y1 + (y2 - y1) * done / length)
            if on:
                pieces.append(current + [point])
            current = [point]
            index = (index + 1) % len(pattern)
            left, on = pattern[index], not on
        left -= length - done
        if on:
            current.append((x2, y2))
        else:
            current = [(x2, y2)]
    if on and len(current) > 1:
        pieces.append(current)
    return pieces
