"""The brief's document (congress.presentation.brief.document) as HTML, Markdown and text: one method
per kind of block, so a new section is written once, in document.build.

HTML is for printing (and WeasyPrint's PDF); Markdown and text are messages (chat, e-mail, the
screen): they run on without the headings only paper needs, and say a named organisation's row as a
sentence. In text, a blank line parts the blocks of a section; under a subheading they follow tight.
"""
from __future__ import annotations

import re

from markupsafe import escape

from congress.presentation.brief import document as d


def _dispatch(writer, block) -> str:
    return getattr(writer, type(block).__name__.lower())(block)


# --- HTML ----------------------------------------------------------------------------------------

# cells of the figures tables (working groups, days to come) as paper sets them
_FIGURE_CELL = {"center": ' class="center"', "left": "", "right": ' class="num"'}


def _th(text: str, colspan: int, rowspan: int) -> str:
    spans = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f"<th{spans}>{escape(text)}</th>"


class Html:
    """On paper a blank line in the source comes before each part and the week's account (a subheading
    only paper has) and after each list of organisations, or the sentence standing for it: the file
    the office opens reads as the brief's passages, as it always has."""

    def write(self, blocks: list) -> str:
        return "".join(self._before(block) + _dispatch(self, block) + "\n" + self._after(block) for block in blocks)

    @staticmethod
    def _before(block) -> str:
        parted = (isinstance(block, d.Heading) and not block.notes
                  or isinstance(block, d.Subheading) and not block.in_messages)
        return "\n" if parted else ""

    @staticmethod
    def _after(block) -> str:
        return "\n" if isinstance(block, d.OrgList) else ""

    def annexes(self, annexes: list[d.Annex]) -> str:
        return "".join(f'<section class="annex">\n<h2>{escape(a.title)}</h2>\n{self.write([a.list])}</section>\n'
                       for a in annexes)

    def heading(self, b: d.Heading) -> str:
        return f"<h2>{escape(b.text.upper())}</h2>"

    def subheading(self, b: d.Subheading) -> str:
        return f"<h3>{f'{b.number}. ' if b.number else ''}{escape(b.text)}</h3>"

    def caption(self, b: d.Caption) -> str:
        return f'<p class="plain group-title"><strong>{escape(b.text)}</strong></p>'

    def paragraph(self, b: d.Paragraph) -> str:
        return f"<p>{escape(b.text)}</p>"

    def labelled(self, b: d.Labelled) -> str:
        return f"<p><strong>{escape(b.label)}:</strong> {escape(b.text)}</p>"

    def items(self, b: d.Items) -> str:
        return "\n".join([f"<h3>{escape(b.title)}</h3>"] + [f"<p>- {escape(item)}</p>" for item in b.items])

    def counts(self, b: d.Counts) -> str:
        return f'<p class="plain">{escape(b.sentence())}</p>'

    def orglist(self, b: d.OrgList) -> str:
        if b.place != "body":
            return f"<p>{escape(b.pointer)}</p>"
        if b.figures:
            head = "\n".join("<tr>" + "".join(_th(*cell) for cell in row) + "</tr>" for row in b.header)
            return self._table("data", f"<thead>\n{head}\n</thead>", b.columns, b.rows, _FIGURE_CELL)
        head = "<tr>" + "".join(f"<th>{escape(heading)}</th>" for _, heading, _ in b.columns) + "</tr>"
        return self._table("data list", f"<thead>{head}</thead>", b.columns, b.rows,
                           {a: f' class="{a}"' for a in _FIGURE_CELL})

    def daytable(self, b: d.DayTable) -> str:
        head = "<tr>" + "".join(f"<th>{escape(heading)}</th>" for _, heading, _ in b.columns) + "</tr>"
        rows = [{**row, "named": row["named"] or "—"} for row in b.rows]
        return self._table("data keep", f"<thead>\n{head}\n</thead>", b.columns, rows, _FIGURE_CELL)

    @staticmethod
    def _table(kind: str, thead: str, columns, rows, cell: dict[str, str]) -> str:
        body = [
            f'<tr class="heading"><td colspan="{len(columns)}">{escape(row["heading"])}</td></tr>' if "heading" in row
            else "<tr>" + "".join(f"<td{cell[align]}>{escape(row[key])}</td>" for key, _, align in columns) + "</tr>"
            for row in rows
        ]
        return "\n".join([f'<table class="{kind}">', thead, "<tbody>", *body, "</tbody>",
                          "</table>"])

    def chart(self, b: d.Chart) -> str:
        # the chart escapes its own few texts
        return f"<figure>\n<figcaption>Biểu đồ {b.number}. {escape(b.title)}</figcaption>\n{b.svg}\n</figure>"


# --- Markdown and text -------------------------------------------------------------------------


class Text:
    """The brief for e-mail or the screen; Markdown (below) marks up the same lines."""

    def write(self, blocks: list) -> str:
        out, tight = [], False
        for block in blocks:
            said = _dispatch(self, block)
            if said is None:
                continue
            starts = isinstance(block, (d.Heading, d.Subheading, d.Caption))
            out.append(said if tight and not starts else self.apart(block) + said)
            tight = isinstance(block, (d.Subheading, d.Caption))
        return "".join(out)

    def apart(self, block) -> str:
        """The blank lines before a block that does not follow its heading tight."""
        return "\n"

    def annexes(self, annexes: list[d.Annex]) -> str:
        return "".join(f"\n{self.mark(a.title.upper())}\n\n{self.rows(a.list)}\n" for a in annexes)

    def mark(self, text: str) -> str:
        return text

    def heading(self, b: d.Heading) -> str:
        return b.text.upper() + "\n"

    def subheading(self, b: d.Subheading) -> str | None:
        if not b.in_messages:
            return None
        return f"{f'{b.number}. ' if b.number else ''}{b.text}\n"

    def caption(self, b: d.Caption) -> str:
        return b.text + "\n"

    def paragraph(self, b: d.Paragraph) -> str:
        return self.mark(b.text) + "\n"

    def labelled(self, b: d.Labelled) -> str:
        return f"{b.label}: {b.text}\n"

    def items(self, b: d.Items) -> str:
        return f"{self.mark(b.title)}:\n" + "".join(f"- {self.mark(item)}\n" for item in b.items)

    def counts(self, b: d.Counts) -> str:
        return f"- {self.mark(b.sentence(with_by=False))}\n"

    def orglist(self, b: d.OrgList) -> str:
        if b.place != "body":
            return self.mark(b.pointer) + "\n"
        if b.lines is not None:
            return "".join(f"- {self.mark(line)}\n" for line in b.lines)
        return self.rows(b) + "\n"

    def rows(self, b: d.OrgList) -> str:
        return text_table(b.rows, b.columns)

    def daytable(self, b: d.DayTable) -> str:
        return text_table(b.rows, b.columns) + "\n"

    def chart(self, b: d.Chart) -> None:
        return None


class Markdown(Text):
    def mark(self, text: str) -> str:
        return markdown_escape(text)

    def apart(self, block) -> str:
        # the days to come stand a line further from the places to watch, as a message always set them
        return "\n\n" if isinstance(block, d.Subheading) and block.ahead else "\n"

    def annexes(self, annexes: list[d.Annex]) -> str:
        return "".join(f"\n### {self.mark(a.title)}\n\n{self.rows(a.list)}\n" for a in annexes)

    def heading(self, b: d.Heading) -> str:
        return f"### {self.mark(b.text)}\n"

    def subheading(self, b: d.Subheading) -> str | None:
        return f"**{self.mark(b.text)}**\n" if b.in_messages else None

    def caption(self, b: d.Caption) -> str:
        return f"_{self.mark(b.text)}_\n"

    def labelled(self, b: d.Labelled) -> str:
        return f"**{self.mark(b.label)}:** {self.mark(b.text)}\n"

    def orglist(self, b: d.OrgList) -> str:
        if b.place == "body" and b.figures:
            return "```\n" + text_table(b.rows, b.short_columns) + "\n```\n"
        return super().orglist(b)

    def rows(self, b: d.OrgList) -> str:
        """Each organisation a list item, "name: heading value, heading value"; a committee's heading
        row in italics between them."""
        said = []
        for row in b.rows:
            if "heading" in row:
                said.append(f"\n_{self.mark(row['heading'])}_\n\n")
                continue
            (first, _, _), *rest = b.columns
            said.append(f"- {self.mark(row[first])}"
                        + "".join((": " if i == 0 else ", ") + f"{heading.lower()} {self.mark(row[key])}"
                                  for i, (key, heading, _) in enumerate(rest)) + "\n")
        return "".join(said)

    def daytable(self, b: d.DayTable) -> str:
        return "".join(f"- {self.mark(line)}\n" for line in b.lines)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")


def markdown_escape(text: str) -> str:
    """Names print as written in Markdown too: `<b>` or `*` in a name is not markup."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def text_table(rows: list[dict], columns: list[list[str]]) -> str:
    """columns: [key, heading, align] triples; a heading row ({"heading": …}) prints in the first column."""
    from tabulate import tabulate

    return tabulate(
        [[row["heading"]] + [""] * (len(columns) - 1) if "heading" in row
         else [row[key] for key, _, _ in columns] for row in rows],
        headers=[heading for _, heading, _ in columns],
        colalign=[align for _, _, align in columns],
        disable_numparse=True,
    )


WRITERS = {"html": Html, "md": Markdown, "txt": Text}
