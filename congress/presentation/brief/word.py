"""The brief as an editable A4 Word document: the brief's document (brief.document) laid out with
python-docx as brief.html.j2 and brief.css lay it out (margins, Times New Roman, the two-column
header as a borderless table, real tables). Word's frame (letterhead, signature) is written here, as
the templates write the other formats'."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from congress.presentation.brief import document as d
from congress.presentation.chart import PRINTED_WIDTH_MM

CENTER, RIGHT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY
ALIGNS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": RIGHT, "center": CENTER}


class Word:
    """One method per kind of block, as the other writers (brief.writers)."""

    def __init__(self, doc):
        self.doc = doc

    def write(self, blocks: list) -> None:
        for block in blocks:
            getattr(self, type(block).__name__.lower())(block)

    def para(self, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=False, cell=None,
             underline=False):
        p = (cell.add_paragraph() if cell is not None else self.doc.add_paragraph())
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Mm(10)
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
        return p

    def table(self, columns: list[list[str]], rows: list[dict]) -> None:
        t = self.doc.add_table(rows=1, cols=len(columns))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, (_, heading, _) in zip(t.rows[0].cells, columns):
            cell.paragraphs[0].text = ""
            run = cell.paragraphs[0].add_run(heading)
            run.bold, run.font.size = True, Pt(11)
            cell.paragraphs[0].alignment = CENTER
        # the heading row repeats on every page, as thead does in the PDF
        t.rows[0]._tr.get_or_add_trPr().append(t.rows[0]._tr.makeelement(qn("w:tblHeader"), {}))
        for row in rows:
            cells = t.add_row().cells
            if "heading" in row:
                merged = cells[0].merge(cells[-1])
                merged.paragraphs[0].text = ""
                run = merged.paragraphs[0].add_run(row["heading"])
                run.bold, run.italic, run.font.size = True, True, Pt(11)
                continue
            for cell, (key, _, align) in zip(cells, columns):
                cell.paragraphs[0].text = ""
                cell.paragraphs[0].add_run(str(row[key])).font.size = Pt(11)
                cell.paragraphs[0].alignment = ALIGNS[align]
        self.doc.add_paragraph()

    def heading(self, b: d.Heading) -> None:
        self.para(b.text.upper(), bold=True)

    def subheading(self, b: d.Subheading) -> None:
        self.para(f"{b.number}. {b.text}" if b.number else b.text, italic=True)

    def caption(self, b: d.Caption) -> None:
        self.para(b.text, bold=True, size=12)

    def paragraph(self, b: d.Paragraph) -> None:
        self.para(b.text, indent=True, align=JUSTIFY if b.prose else None)

    def labelled(self, b: d.Labelled) -> None:
        p = self.para(align=JUSTIFY, indent=True)
        p.runs[0].text = ""
        p.add_run(b.label + ": ").bold = True
        p.add_run(b.text)

    def items(self, b: d.Items) -> None:
        self.para(b.title, italic=True)
        for item in b.items:
            self.para(f"- {item}", indent=True)

    def counts(self, b: d.Counts) -> None:
        self.para(b.sentence())

    def orglist(self, b: d.OrgList) -> None:
        if b.place == "body":
            self.table(b.columns, b.rows)
        else:
            self.para(b.pointer, indent=True)

    def daytable(self, b: d.DayTable) -> None:
        self.table(b.columns, b.rows)

    def chart(self, b: d.Chart) -> None:
        from congress.presentation.raster import chart_png

        self.para(f"Biểu đồ {b.number}. {b.title}", italic=True, size=12, align=CENTER)
        self.doc.add_picture(io.BytesIO(chart_png(str(b.svg))), width=Mm(PRINTED_WIDTH_MM))
        self.doc.paragraphs[-1].alignment = CENTER


def word_document(c: dict, document: d.Document) -> bytes:
    """`c`: present's phrases, for the letterhead and the signature; the body is `document`'s."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")  # Word otherwise falls back for some letters
    normal.paragraph_format.space_after = Pt(3)
    _vietnamese(doc)
    _page_header(doc, c["sample"])
    word = Word(doc)
    para = word.para

    if c["sample"]:
        para("DỮ LIỆU MẪU", bold=True, align=CENTER)
        para("Tên các tổ chức cơ sở đảng và phần lớn ngày tháng là minh họa, không phải số liệu thật.",
             size=12, align=CENTER)
    header = doc.add_table(rows=1, cols=2)  # no style: no borders
    left, right_cell = header.rows[0].cells
    for cell in (left, right_cell):
        cell.width = Mm(82)
        cell.paragraphs[0].text = ""
    first = left.paragraphs[0]
    first.alignment = CENTER
    if c["issuer_parent"]:
        first.add_run(c["issuer_parent"])
        first = para(cell=left, align=CENTER)
    first.add_run(c["issuer_name"]).bold = True
    para("*", cell=left, align=CENTER)
    para(f"Số {c['number'] or c['number_blank']}-{c['document_code']}", cell=left, align=CENTER)
    party = right_cell.paragraphs[0]
    party.alignment = CENTER
    run = party.add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
    run.bold, run.underline, run.font.size = True, True, Pt(15)
    para(c["date_line"], cell=right_cell, italic=True, align=CENTER)

    para("BÁO CÁO", bold=True, size=16, align=CENTER).paragraph_format.space_before = Pt(12)
    para(c["subject"], bold=True, align=CENTER)
    for line in ([c["scope_line"]] if c["scope_line"] else []) + [c["week"], c["cut_off"]]:
        para(line, italic=True, align=CENTER)

    word.write(document.body)

    closing = doc.add_table(rows=1, cols=2)
    to, signer = closing.rows[0].cells
    to.paragraphs[0].text = ""
    run = to.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.underline, run.font.size = True, True, True, Pt(12)
    for recipient in c["recipients"]:
        para(f"- {recipient}", cell=to, size=11)
    signer.paragraphs[0].text = ""
    lines = ([c["signer_authority"]] if c["signer_authority"] else []) + [c["signer_title"]]
    for i, line in enumerate(lines):
        p = signer.paragraphs[0] if i == 0 else signer.add_paragraph()
        p.alignment = CENTER
        p.add_run(line).bold = True
    para(cell=signer).paragraph_format.space_after = Mm(20)  # room to sign
    para(c["signer_name"], bold=True, cell=signer, align=CENTER)

    for annex in document.annexes:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        para(annex.title, bold=True, align=CENTER)
        word.table(annex.list.columns, annex.list.rows)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _vietnamese(doc) -> None:
    """Tag the text Vietnamese: in the document defaults, every style and the theme, so Word checks
    spelling in Vietnamese instead of underlining every word as misspelt English."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if run_defaults.find(qn("w:lang")) is None:
        run_defaults.append(run_defaults.makeelement(qn("w:lang"), {}))
    for lang in styles.iter(qn("w:lang")):
        for key in ("w:val", "w:eastAsia"):
            lang.set(qn(key), "vi-VN")
    for lang in doc.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), "vi-VN")
    for part in doc.part.package.iter_parts():  # the copy of the styles Word 2010 reads, kept as bytes
        if part.partname.endswith("/stylesWithEffects.xml"):
            part._blob = part.blob.replace(b'w:val="en-US" w:eastAsia="en-US"', b'w:val="vi-VN" w:eastAsia="vi-VN"')


def _page_header(doc, sample: bool) -> None:
    """As the PDF prints them (brief.css): the page number at the top centre from the second page on,
    and on the sample "DỮ LIỆU MẪU" at the top right of every page."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    section = doc.sections[0]
    section.different_first_page_header_footer = True
    width = section.page_width - section.left_margin - section.right_margin

    def line(header, with_number: bool) -> None:
        p = header.paragraphs[0]
        p.style = doc.styles["Normal"]  # the Header style's own tab stops would compete with these
        stops = p.paragraph_format.tab_stops
        stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        p.add_run("\t").font.size = Pt(13)
        if with_number:
            for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
                run = p.add_run()
                run.font.size = Pt(13)
                if kind:
                    run._r.append(run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
                elif text == " PAGE ":
                    code = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
                    code.text = text
                    run._r.append(code)
                else:
                    run.text = text  # shown until Word updates the field
        if sample:
            p.add_run("\t")
            mark = p.add_run("DỮ LIỆU MẪU")
            mark.bold, mark.font.size = True, Pt(11)

    line(section.first_page_header, with_number=False)
    line(section.header, with_number=True)
