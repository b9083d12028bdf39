"""The brief's body as one document: its parts in order, each a block of a few kinds (a heading, a
paragraph, a list of organisations, a chart…), built once from the phrases `present` computes.

The four writers (congress.presentation.brief.writers: html, which WeasyPrint prints as the PDF,
Markdown, text; .word: Word) each lay out every kind of block; none of them knows which sections
the brief has or in what order. The letterhead and the signature are each format's frame (the
templates brief.*.j2, and the Word writer's own), around the body and before the annexes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from congress.domain import vn

NOTHING_RECORDED = "Chưa có tổ chức nào trong sổ theo dõi."


@dataclass(frozen=True)
class Heading:
    """A numbered part, "I. Kết quả tổ chức đại hội": capitals on paper and in text, as written in Markdown.
    `notes`: a heading of the office's own notes, which follow part IV without a part's spacing."""
    text: str
    notes: bool = False


@dataclass(frozen=True)
class Subheading:
    """A heading within a part; `number` is printed before it except in Markdown, where it is bold.
    `in_messages`: False for one that only paper needs (the Markdown and text brief run on without it)."""
    text: str
    number: int | None = None
    in_messages: bool = True
    ahead: bool = False  # the days to come, after the places to watch: Markdown sets them apart


@dataclass(frozen=True)
class Caption:
    """The title of a list within a subsection (bold on paper, in italics in Markdown)."""
    text: str


@dataclass(frozen=True)
class Paragraph:
    """`prose`: a paragraph of running text (justified in Word), not a one-line statement."""
    text: str
    prose: bool = False


@dataclass(frozen=True)
class Labelled:
    """"Đảng bộ trực thuộc: …": a paragraph led by its subject in bold."""
    label: str
    text: str


@dataclass(frozen=True)
class Items:
    """A short list under a title, "Đại hội điểm": each item one line."""
    title: str
    items: list[str]


@dataclass(frozen=True)
class Counts:
    """"Tổ chức cơ sở đảng (4), theo đảng bộ trực thuộc: A (1); B (3).": a count, then its parts."""
    subject: str
    total: str
    by: str
    parts: list[tuple[str, str]]

    def sentence(self, *, with_by: bool = True) -> str:
        lead = f"{self.subject} ({self.total})" + (f", {self.by}" if with_by else "")
        return lead + ": " + "; ".join(f"{name} ({count})" for name, count in self.parts) + "."


@dataclass(frozen=True)
class OrgList:
    """A list that may run long (present's `_long_list`): its rows in the body, or the sentence that
    says where they are or that there are none (`place`: body, annex, omitted, none). `lines`: each
    row said as one sentence, which the Markdown and text brief print instead of a table; `figures`: a
    table of figures per working group, kept a table in every format."""
    columns: list[list[str]]
    rows: list[dict]
    place: str
    pointer: str
    lines: list[str] | None = None
    figures: bool = False
    header: list[list[tuple[str, int, int]]] | None = None  # paper's heading rows: (text, colspan, rowspan)
    short_columns: list[list[str]] | None = None  # a message's narrower headings


@dataclass(frozen=True)
class DayTable:
    """The days to come: a day, the congresses named, the grassroots counted; a table kept whole.
    `lines`: each day as a sentence, for a message."""
    columns: list[list[str]]
    rows: list[dict]
    lines: list[str]


@dataclass(frozen=True)
class Chart:
    number: int
    title: str
    svg: str


@dataclass(frozen=True)
class Annex:
    title: str
    list: OrgList


@dataclass
class Document:
    body: list = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)


# The working groups' table in a message: every figure, under headings short enough for a phone
GROUP_COLUMNS_SHORT = [
    ["number", "Tổ", "right"], ["committees", "ĐB trực thuộc", "right"], ["committees_percent", "Tỷ lệ", "right"],
    ["grassroots", "TCCS", "right"], ["grassroots_percent", "Tỷ lệ", "right"], ["overdue", "Quá hạn", "right"],
    ["logged", "Tuần: ghi nhận", "right"], ["planned", "đặt, đổi", "right"], ["withdrawn", "rút lại", "right"],
]


def _group_header(with_names: bool) -> list[list[tuple[str, int, int]]]:
    """On paper the working groups' columns are grouped: committees, grassroots, the week."""
    return [
        [("Tổ", 1, 2)] + ([("Tên tổ", 1, 2)] if with_names else []) + [
            ("Đảng bộ trực thuộc", 2, 1), ("Tổ chức cơ sở đảng", 2, 1), ("Quá hạn", 1, 2), ("Trong tuần", 3, 1)],
        [("Đã ĐH", 1, 1), ("Tỷ lệ", 1, 1), ("Đã ĐH", 1, 1), ("Tỷ lệ", 1, 1), ("Ghi nhận", 1, 1),
         ("Đặt, đổi ngày", 1, 1), ("Rút lại", 1, 1)],
    ]


def _org_list(part: dict, *, with_lines: bool = False) -> OrgList:
    return OrgList(part["columns"], part["rows"], part["place"], part["pointer"],
                   lines=[row["line"] for row in part["rows"]] if with_lines else None)


def build(c: dict) -> Document:
    """The body of the brief from present's phrases, in the order every format prints it."""
    doc = Document()
    add = doc.body.append

    add(Heading("I. Kết quả tổ chức đại hội"))
    for headline in c["headlines"]:
        add(Labelled(headline["label"], headline["text"]))
    if not c["headlines"]:
        add(Paragraph(NOTHING_RECORDED))
    if c["pilots"]:
        add(Items("Đại hội điểm", [f"{pilot['name']}: {pilot['text']}." for pilot in c["pilots"]]))
    add(Subheading("Trong tuần", in_messages=False))
    add(Paragraph(c["week_text"], prose=True))

    add(Heading("II. Tiến độ theo tổ công tác"))
    if c["groups"]:
        add(replace(_org_list(c["group_table"]), figures=True, header=_group_header(c["group_names"]),
                    short_columns=GROUP_COLUMNS_SHORT))
    else:
        add(OrgList([], [], "none", "Chưa có tổ công tác nào được giao đảng bộ."))
    if c["open_committees"]["rows"]:
        add(Subheading(c["open_committees"]["title"]))
        add(_org_list(c["open_committees"]))

    add(Heading("III. Những nơi cần chú ý"))
    add(Subheading(f"Quá hạn: {c['overdue_total']} tổ chức", number=1))
    if c["overdue_named"]["rows"]:
        add(_org_list(c["overdue_named"], with_lines=True))
    if c["overdue_grassroots"]["rows"]:
        add(Caption(c["overdue_grassroots"]["title"]))
        add(_org_list(c["overdue_grassroots"]))
    elif not c["overdue_named"]["rows"]:
        add(Paragraph("Không có tổ chức nào quá hạn."))
    for number, part in enumerate((c["late"], c["at_risk"]), start=2):
        add(Subheading(part["title"], number=number))
        if part["committees"]["rows"]:
            add(_org_list(part["committees"], with_lines=True))
        if part["grassroots"]:
            add(Counts("Tổ chức cơ sở đảng", part["grassroots_total"], "theo đảng bộ trực thuộc",
                       [(row["committee"], row["count"]) for row in part["grassroots"]]))
        if not part["committees"]["rows"] and not part["grassroots"]:
            add(Paragraph("Không có."))
    add(Subheading(c["upcoming_title"], number=4, ahead=True))
    if c["upcoming"]:
        add(DayTable(c["upcoming_columns"], c["upcoming"], [
            f"{row['day']}: " + (f"{row['named']}; " if row["named"] else "") + f"{row['grassroots']} tổ chức cơ sở đảng"
            for row in c["upcoming"]
        ]))

    add(Heading("IV. Dự báo"))
    for forecast in c["forecasts"]:
        add(Labelled(forecast["label"], forecast["text"]))
    if not c["forecasts"]:
        add(Paragraph(NOTHING_RECORDED))
    for number, chart in enumerate(c["charts"], start=1):
        add(Chart(number, chart["title"], chart["svg"]))

    add(Heading("V. Công tác chuẩn bị"))
    preparation = c["preparation"]
    add(Paragraph(preparation["sentence"]))
    if preparation["by_step"]:
        add(Counts(f"Đại hội {vn.BEHIND_IN_PREPARATION}", preparation["total"], "theo bước chưa xong",
                   preparation["by_step"]))
        add(_org_list(preparation["list"], with_lines=True))

    add(Heading("VI. Kết quả đại hội"))
    for level in c["results"]:
        add(Labelled(level["label"], level["text"]))
    if not c["results"]:
        add(Paragraph("Chưa có đại hội nào được tổ chức."))

    for part in c["notes"]:
        add(Heading(part["title"], notes=True))
        for paragraph in part["paragraphs"]:
            add(Paragraph(paragraph, prose=True))

    doc.annexes = [Annex(part["title"], _org_list(part["list"])) for part in c["annex"]]
    return doc
