"""The body of a DOCX: each block of the document model becomes styled paragraphs and tables."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Literal, assert_never

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run

from ...model import (
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
    CalloutKind,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paragraph,
    ParagraphStyle,
    Quiz,
    QuizQuestion,
    Quote,
    Span,
    Table,
    TitleBlock,
    WritingSpace,
)
from .. import layout
from ..fonts import choices_per_row, text_width
from . import rows as kept_rows
from .styles import (
    AFTER_TABLE_PT,
    BOX_ABOVE_PT,
    CELL_MARGIN_PT,
    FIELDS_ABOVE_PT,
    FIELDS_BELOW_PT,
    NOTE_BELOW_PT,
    QUIZ_LETTER_PT,
    QUIZ_TEXT_PT,
    QUOTE_BELOW_PT,
    QUOTE_PAD_PT,
    WRITING_BELOW_PT,
    Template,
    text_width_mm,
)
from .xml import PPR_ORDER, TBLPR_ORDER, TCPR_ORDER, Element, add_field, clean, el, put, shading, twips

# A tick box's run: its font size as a share of the box's side, and how far it is raised (a share
# of its size) so that the border sits on the text's line.
TICK_BOX_SIZE = 0.8
TICK_BOX_RAISE = 0.15

_PAGE_FIELDS = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
_PAGE_PLACEHOLDER = re.compile(r"(\{page\}|\{pages\})")

# Paragraph styles for Paragraph.style, and for each kind of callout.
_PARAGRAPH_STYLE: dict[ParagraphStyle, str] = {
    "body": "Normal",
    "small": "Small",
}
_CALLOUT_STYLE: dict[CalloutKind, str] = {
    "content-note": "Content Note",
    "summary-note": "Summary Note",
    "teacher-note": "Teacher Note",
    "key-info": "Key Info",
}


class Writer:
    """Holds one python-docx document (loaded from its Template) and its numbering, and adds blocks."""

    def __init__(self, doc: WordDocument, document: Document, template: Template) -> None:
        self.doc = doc
        self.document = document
        self.body: BlockItemContainer = doc._body
        # Firm groups short enough are rows that cannot split (rows.py): the table the last row is
        # in while nothing has followed it, and the space under that row's last paragraph (which
        # the cell holds, so the next paragraph's space above is less by it).
        self.rows: Element | None = None
        self.row_below: float | None = None
        self.rows_allowed = True  # not inside a row, nor inside a group chained whole
        self.row_gap: float | None = 0.0  # None until a new row's first paragraph sets it
        self.m = layout.docx_metrics(document.large_print)
        self.text_width_mm = text_width_mm(document.paper, self.m)
        self.text_width_twips = twips(self.text_width_mm)
        self.style_ids = template.style_ids
        self.space_before = template.space_before
        self.space_after = template.space_after
        self.table_grid_id = template.table_grid_id
        # Spacing as reportlab lays it out: the larger of a paragraph's space after and the next
        # one's space before (as in Word), except where a spacer or a table comes between.
        self.below = 0.0  # points under the last paragraph (or table)
        self.after: Literal["paragraph", "spacer", "table"] = "paragraph"
        # A page break waiting for the next paragraph, which starts the new page itself: a
        # paragraph holding only the break would make an empty page whenever it lands on a new one.
        self.break_before = False
        self.section = doc.sections[0]
        self._setup_header_footer(document.header, document.page_label)
        numbering = doc.part.numbering_part.element
        self.numbering = numbering
        self.list_number_abstract_id = numbering.num_having_numId(template.list_number_num_id).abstractNumId.val

    def _setup_header_footer(self, header_text: str, page_label: str) -> None:
        header = self.section.header
        header.is_linked_to_previous = False
        head = header.paragraphs[0]
        head._p.get_or_add_pPr().style = self.style_ids["Header"]
        head.add_run(clean(header_text))

        footer = self.section.footer
        footer.is_linked_to_previous = False
        foot = footer.paragraphs[0]
        foot._p.get_or_add_pPr().style = self.style_ids["Footer"]
        # "Page {page} of {pages}": the placeholders become PAGE and NUMPAGES fields.
        for piece in _PAGE_PLACEHOLDER.split(clean(page_label)):
            if piece in _PAGE_FIELDS:
                add_field(foot, _PAGE_FIELDS[piece], "1")
            elif piece:
                foot.add_run(piece)

    # -- paragraphs ----------------------------------------------------------------------

    def paragraph(self, style: str, *, above: float | None = None) -> WordParagraph:
        """A new empty paragraph in `style` at the end of the body; `above` is the PDF's space above
        a box (its spacer and padding), which adds to the space under the paragraph before."""
        p = self.body.add_paragraph()
        if style != "Normal":
            _set_style(p._p, self.style_ids[style])
        own = self.space_before.get(style, 0.0)
        before = None
        if above is not None:
            before = self.below + above
        elif self.after == "spacer":
            before = self.below + own
        elif self.after == "table":  # a table's space after is a paragraph's, but Word has none
            before = max(self.below, own)
        if self.row_below is not None:
            before = max(0.0, (max(self.below, own) if before is None else before) - self.row_below)
            self.row_below = None
        if self.row_gap is None:
            # A row's first paragraph: its space above goes under what is before the row, since in
            # a cell at a page's top it would be kept (a paragraph's is not).
            self.row_gap = max(self.below, own) if before is None else before
            before = 0.0
        self.rows = None
        if before is not None:
            _set_space(p, "before", before)
        if self.break_before:
            _switch_on(p, "w:pageBreakBefore")
            self.break_before = False
        self.below, self.after = self.space_after.get(style, 0.0), "paragraph"
        return p

    def page_break(self) -> WordParagraph:
        """A paragraph holding a page break, where no paragraph follows to start the page."""
        self.break_before = False
        p = self.paragraph("Normal")
        p.add_run().add_break(WD_BREAK.PAGE)
        return p

    def spacer_below(self, p: WordParagraph, after: float) -> None:
        """`after` points under `p`, the last paragraph of a block the PDF ends with a spacer
        (which the next paragraph's own space before adds to)."""
        _set_space(p, "after", after)
        self.below, self.after = after, "spacer"

    def spans(self, p: WordParagraph, spans: Iterable[Span]) -> None:
        for span in spans:
            text = clean(span.text)
            if not text:
                continue
            run = _add_run(p, text)
            if span.bold:
                run.bold = True
            if span.italic and self.m.italic:
                run.italic = True

    def text(self, style: str, text: str, *, bold: bool = False, above: float | None = None) -> WordParagraph:
        p = self.paragraph(style, above=above)
        self.spans(p, (Span(text, bold=bold),))
        return p

    # -- blocks --------------------------------------------------------------------------

    def block(self, block: Block) -> list[WordParagraph]:
        """Add `block` to the body; returns every paragraph it made (table cells included)."""
        match block:
            case TitleBlock(title=title, label=label, subtitle=subtitle, fields=fields):
                made = [self.text("Title", title), self.text("Label", label, bold=True), self.text("Lead", subtitle)]
                above = self.m.space(FIELDS_ABOVE_PT)
                lines = [self.field(f, above=None if i else above) for i, f in enumerate(fields)]
                if lines:
                    self.spacer_below(lines[-1], self.m.space(FIELDS_BELOW_PT))
                return made + lines
            case Heading(level=level, text=text):
                return [self.text(f"Heading {level}", text)]
            case Paragraph(spans=spans, style=style):
                p = self.paragraph(_PARAGRAPH_STYLE[style])
                self.spans(p, spans)
                return [p]
            case Quote(paragraphs=paragraphs, citation=citation):
                # The PDF's spacer above the excerpt, then the padding of its first paragraph.
                above = self.m.space(BOX_ABOVE_PT + QUOTE_PAD_PT)
                quoted = [self.text("Quote", text, above=None if i else above) for i, text in enumerate(paragraphs)]
                if clean(citation).strip():
                    quoted.append(self.text("Citation", citation, above=None if quoted else above))
                elif quoted:
                    # The Quote style keeps a paragraph with the next (its citation); here there is none.
                    quoted[-1].paragraph_format.keep_with_next = False
                if quoted:
                    self.spacer_below(quoted[-1], self.m.space(QUOTE_PAD_PT + QUOTE_BELOW_PT))
                # An excerpt and its citation are never split across pages, as in the PDF.
                _keep_together(quoted)
                return quoted
            case Callout(kind=kind, title=title, paragraphs=paragraphs):
                return self.callout(_CALLOUT_STYLE[kind], title, paragraphs)
            case ListBlock(items=items, numbered=numbered, start=start):
                return self.list_block(items, numbered, start)
            case Table(rows=rows, widths=widths, header=header):
                return self.table(rows, widths, header)
            case WritingSpace(lines=lines):
                if lines <= 0:
                    return []
                # One paragraph of `lines` ruled lines (a no-break space, then a tab to the margin
                # drawn as a rule, on each): LibreOffice sets a lone tab at single spacing, and breaks
                # a keep-with-next chain of many short paragraphs inside a box.
                ruled = self.paragraph("Writing Line")
                for n in range(lines):
                    run = ruled.add_run("\u00a0\t")
                    if n < lines - 1:
                        run.add_break()
                # The PDF's 4 pt under the last line, and its spacer.
                self.spacer_below(ruled, 4 + self.m.space(WRITING_BELOW_PT))
                _keep_together([ruled])
                return [ruled]
            case AnswerBox(lines=lines):
                # One empty cell, as tall as the lines.
                return self.table((("",),), (1.0,), False, heights=(self.m.writing_line_pt * lines,))
            case AnswerTable(columns=columns, rows=n):
                rows = (columns, *((("",) * len(columns)) for _ in range(n)))
                heights = (None, *((self.m.writing_line_pt * layout.ANSWER_ROW_LINES,) * n))
                return self.table(rows, (1.0,) * len(columns), True, heights=heights)
            case Quiz(questions=questions):
                return [p for q in questions for p in self.quiz_question(q)]
            case KeepTogether(blocks=blocks, firm=firm):
                # A firm group (an extract with its note, intro, first question and that question's
                # room), groups inside it included, is one row that cannot split when it fits well
                # within a page: Word and LibreOffice move it to the next page whole, as the PDF
                # does (LibreOffice parts long chains kept with the next: rows.py). A taller one is
                # one chain kept with the next, which they break where a page ends.
                if not firm:
                    return self.loose_group(blocks)
                if self.rows_allowed and kept_rows.fits(blocks, self.document, self.m):
                    return self.row(blocks)
                allowed, self.rows_allowed = self.rows_allowed, False
                try:
                    kept = [p for inner in blocks for p in self.block(inner)]
                finally:
                    self.rows_allowed = allowed
                _keep_together(kept)
                return kept
            case PageBreak():
                # Nothing of the page before carries over: the next paragraph is at a page's top.
                self.break_before, self.below, self.after = True, 0.0, "paragraph"
                return []
            case _ as unreachable:
                assert_never(unreachable)

    def row(self, blocks: tuple[Block, ...]) -> list[WordParagraph]:
        """A firm group as a row that cannot split (rows.py), in the table of the row before when
        nothing came between. No paragraph in it keeps with the next: Word keeps a row whose
        paragraphs do with the next row, which would chain every row of the table."""
        if self.break_before:
            self.page_break()  # a table's own paragraphs cannot start a page
        elif self.after == "table" and self.rows is None:
            self.paragraph("Normal")  # Word joins tables that touch into one
        tbl = self.rows
        joined = tbl is not None
        if tbl is None:
            tbl = kept_rows.new_table(self.text_width_twips)
            self.body._element._insert_tbl(tbl)
        tc = kept_rows.add_row(tbl, self.text_width_twips)
        above = tc.getparent().getprevious() if joined else tbl.getprevious()
        self.row_gap = None
        outer = self.body
        self.body, self.rows_allowed, self.rows = _Cell(tc, WordTable(tbl, outer)), False, None
        try:
            made = [p for inner in blocks for p in self.block(inner)]
        finally:
            self.body, self.rows_allowed = outer, True
        for p in tc.iter(qn("w:p")):
            put(p.get_or_add_pPr(), el("w:keepNext", val="0"), PPR_ORDER)
        for p in made:
            _switch_on(p, "w:keepLines")
        gap, self.row_gap = self.row_gap or 0.0, 0.0
        # The first paragraph's space above goes under the row before, or under the paragraph before.
        if joined:
            kept_rows.pad_below(above, gap)
        elif above is not None and not kept_rows.breaks_page(above):
            _set_space(WordParagraph(above, outer), "after", gap)
        # And the space under its last paragraph goes above what follows: in the cell it would
        # have to fit at a page's foot (a paragraph's need not).
        if not kept_rows.close_cell(tc):
            _set_space(WordParagraph(tc.findall(qn("w:p"))[-1], outer), "after", 0.0)
        self.rows, self.row_below = tbl, 0.0
        return made

    def loose_group(self, blocks: tuple[Block, ...]) -> list[WordParagraph]:
        """A group of parts. Word and LibreOffice cannot split a group only where a page would be
        left under-filled (nor keep long chains whole), so each part is kept together and the parts
        are not kept with each other (a heading keeps with what follows by its style). A group no
        taller than half a page is a row that cannot split, as a firm group is: the PDF moves it
        whole too (split, it would leave the page before at least half full anyway). A table is a
        part of its own, which may break between its rows (its header row repeating), as the
        PDF's does, so a group with one (the help page) is never a row."""
        short = kept_rows.fits(blocks, self.document, self.m, kept_rows.SHORT_SHARE)
        if self.rows_allowed and short and not any(isinstance(b, Table) for b in blocks):
            return self.row(blocks)
        made: list[WordParagraph] = []
        part: list[WordParagraph] = []
        for inner in blocks:
            paragraphs = self.block(inner)
            if isinstance(inner, KeepTogether | Table):
                _keep_together(part)
                part = []
            else:
                part += paragraphs
            made += paragraphs
        _keep_together(part)
        return made

    def field(self, label: str, *, above: float | None = None) -> WordParagraph:
        """`Label:` then a tab to the right margin, drawn as a line to write on."""
        p = self.paragraph("Field", above=above)
        text = clean(label).rstrip()
        p.add_run(text if text.endswith(":") or not text else f"{text}:").bold = True
        p.add_run("\t")
        return p

    def callout(self, style: str, title: str, paragraphs: tuple[tuple[Span, ...], ...]) -> list[WordParagraph]:
        made: list[WordParagraph] = []
        above = self.m.space(BOX_ABOVE_PT)  # the PDF's spacer above the box (its padding is the borders')
        if len(paragraphs) == 1 and clean(title).strip():  # one paragraph: its title runs in, as in the PDF
            p = self.paragraph(style, above=above)
            self.spans(p, (Span(layout.run_in(title) + " ", bold=True), *paragraphs[0]))
            made.append(p)
            paragraphs = ()
        elif clean(title).strip():
            made.append(self.text(style, title, bold=True, above=above))
        for spans in paragraphs:
            p = self.paragraph(style, above=None if made else above)
            self.spans(p, spans)
            made.append(p)
        # A box is never split across pages, nor its title left alone (as in the PDF).
        _keep_together(made)
        if made:
            self.spacer_below(made[-1], self.m.space(NOTE_BELOW_PT))
        return made

    def list_block(self, items: tuple[tuple[Span, ...], ...], numbered: bool, start: int) -> list[WordParagraph]:
        if not numbered:
            return [self._item("List Bullet", spans, None) for spans in items]
        if not items:
            return []
        # A fresh numbering instance per list, so each list counts from its own start.
        num = self.numbering.add_num(self.list_number_abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(max(start, 0))
        num_id = str(num.numId)
        return [self._item("List Number", spans, num_id) for spans in items]

    def _item(self, style: str, spans: tuple[Span, ...], num_id: str | None) -> WordParagraph:
        p = self.paragraph(style)
        if num_id is not None:
            num_pr = el("w:numPr")
            num_pr.append(el("w:ilvl", val="0"))
            num_pr.append(el("w:numId", val=num_id))
            put(p._p.get_or_add_pPr(), num_pr, PPR_ORDER)
        self.spans(p, spans)
        return p

    def quiz_question(self, q: QuizQuestion) -> list[WordParagraph]:
        """A question, then each choice after a tick box (filled, with the choice in bold, for an
        answer key's correct one), a tab, the letter, a tab, the text. Choices short enough share a
        line, each at its column's tab stops (as many a line as the PDF sets side by side)."""
        head = self.paragraph("Quiz Question")
        self.spans(head, (Span(f"{q.number}. ", bold=True), Span(q.text)))
        made = [head]
        m = self.m
        before = m.scaled(layout.TICK_BOX_PT) + m.scaled(8) + m.scaled(20)
        width = self.text_width_mm * layout.PT_PER_MM
        per_row = choices_per_row([(c.text, c.correct) for c in q.choices], m.body_pt, width, before)
        column = width / per_row
        for start in range(0, len(q.choices), per_row):
            p = self.paragraph("Quiz Choice")
            if per_row > 1:
                tabs = el("w:tabs")
                for n in range(1, per_row):
                    for at in (0.0, QUIZ_LETTER_PT, QUIZ_TEXT_PT):
                        pos = n * column + (m.scaled(at) if at else 0.0)
                        tabs.append(el("w:tab", val="left", pos=str(round(pos * 20))))
                put(p._p.get_or_add_pPr(), tabs, PPR_ORDER)
            for n, choice in enumerate(q.choices[start : start + per_row]):
                if n:
                    p.add_run("\t")
                self.tick_box(p, choice.correct)
                p.add_run("\t")
                bold = choice.correct
                self.spans(p, (Span(f"{choice.label}.", bold=bold), Span("\t"), Span(choice.text, bold=bold)))
            made.append(p)
        self.spacer_below(made[-1], self.m.space(6))
        _keep_together(made)
        return made

    def tick_box(self, p: WordParagraph, ticked: bool) -> None:
        """A square to tick: one no-break space in a border, its size and horizontal scale making
        the border square (Word and LibreOffice draw a run's border as tall as its font; LibreOffice
        draws one border per no-break space, so there is only one), raised to sit on the line."""
        side = self.m.scaled(layout.TICK_BOX_PT)
        size = max(side * TICK_BOX_SIZE, self.m.small_pt)  # no run smaller than the variant allows
        box = p.add_run("\u00a0")
        rpr = box._r.get_or_add_rPr()
        scale = min(600, round(100 * side / text_width("\u00a0", size)))
        rpr.append(el("w:w", val=str(scale)))
        rpr.append(el("w:position", val=str(round(size * TICK_BOX_RAISE * 2))))
        rpr.append(el("w:sz", val=str(round(size * 2))))
        rpr.append(el("w:szCs", val=str(round(size * 2))))
        rpr.append(el("w:bdr", val="single", sz="8", space="0", color=layout.INK))
        if ticked:
            rpr.append(shading(layout.ACCENT))

    def table(
        self,
        rows: tuple[tuple[str, ...], ...],
        widths: tuple[float, ...],
        header: bool,
        heights: tuple[float | None, ...] = (),
    ) -> list[WordParagraph]:
        """A table of text; `heights` gives rows an exact height in points (empty rows to write in)."""
        n_cols = max([len(widths), *(len(row) for row in rows)])
        if not rows or n_cols == 0:
            return []
        # Each column holds its longest word.
        size = self.m.table_pt or self.m.body_pt
        minimums = [
            max(
                (_least_twips(row[c], size, header and r == 0) for r, row in enumerate(rows) if c < len(row)),
                default=0,
            )
            for c in range(n_cols)
        ]
        column_twips = _column_widths(widths, n_cols, self.text_width_twips, minimums)
        if self.break_before:
            self.page_break()  # a table's own paragraphs cannot start a page
        elif self.after == "table" or self.rows is not None:
            # Word joins tables that touch into one; a paragraph keeps them apart.
            self.paragraph("Normal")
        table = BlockItemContainer.add_table(self.body, len(rows), n_cols, Mm(self.text_width_mm))
        tbl = table._tbl
        tbl_pr = tbl.tblPr
        tbl_pr.style = self.table_grid_id
        table.autofit = False
        put(tbl_pr, el("w:tblW", w=str(sum(column_twips)), type="dxa"), TBLPR_ORDER)
        for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), column_twips, strict=True):
            col.set(qn("w:w"), str(width))
        made: list[WordParagraph] = []
        for r, (row, cells) in enumerate(zip(rows, tbl.tr_lst, strict=True)):
            is_header = header and r == 0
            tr_pr = cells.get_or_add_trPr()
            tr_pr.append(el("w:cantSplit"))
            height = heights[r] if r < len(heights) else None
            if height is not None:
                tr_pr.append(el("w:trHeight", val=str(round(height * 20)), hRule="exact"))
            if is_header:
                tr_pr.append(el("w:tblHeader"))
            for c, tc in enumerate(cells.tc_lst):
                tc_pr = tc.get_or_add_tcPr()
                put(tc_pr, el("w:tcW", w=str(column_twips[c]), type="dxa"), TCPR_ORDER)
                if is_header:
                    put(tc_pr, shading(layout.TABLE_HEADER_FILL), TCPR_ORDER)
                p_el = tc.p_lst[0]
                p = WordParagraph(p_el, table)
                _set_style(p_el, self.style_ids["Table Heading" if is_header else "Table Text"])
                text = clean(row[c]) if c < len(row) else ""
                if text:
                    run = _add_run(p, text)
                    if is_header:
                        run.bold = True
                made.append(p)
        self.below, self.after = self.m.space(AFTER_TABLE_PT), "table"
        self.rows = self.row_below = None
        if self.row_gap is None:  # a row that starts with a table keeps the space above it
            self.row_gap = 0.0
        return made

    def finish(self) -> None:
        """Word expects the body to end with a paragraph, not a table (and an empty body to have one)."""
        if self.break_before:
            self.page_break()
        elif self.after == "table" or self.rows is not None or not self.body._element.findall(qn("w:p")):
            self.paragraph("Normal")


def _keep_together(paragraphs: list[WordParagraph]) -> None:
    """Keep the lines of every paragraph together, and each paragraph but the last with the next.

    When the last is in a table's row, no paragraph of that row keeps with the next: LibreOffice
    keeps a table with the paragraph after it when its last row's first cell does (chaining the
    group to the next one, and moving both to a new page when they do not fit together)."""
    for p in paragraphs:
        _switch_on(p, "w:keepLines")
    last_row = _row(paragraphs[-1]) if paragraphs else None
    for p in paragraphs[:-1]:
        if last_row is None or _row(p) is not last_row:
            _switch_on(p, "w:keepNext")


def _row(p: WordParagraph) -> Element | None:
    """The table row a paragraph is in (None outside tables)."""
    parent = p._p.getparent()
    while parent is not None and parent.tag != qn("w:tr"):
        parent = parent.getparent()
    return parent


# Faster ways to the XML python-docx writes for the commonest steps (its generic element
# insertion looks for each of up to 35 possible successors by name, every time).


def _set_style(p: Element, style_id: str) -> None:
    """`p`'s paragraph style, as `p.get_or_add_pPr().style = style_id` sets it."""
    ppr = p.pPr
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    put(ppr, el("w:pStyle", val=style_id), PPR_ORDER)


def _set_space(p: WordParagraph, side: str, pt: float) -> None:
    """`p`'s space "before" or "after" in points, as `p.paragraph_format.space_before = Pt(pt)` sets it."""
    ppr = p._p.get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = put(ppr, el("w:spacing"), PPR_ORDER)
    spacing.set(qn(f"w:{side}"), str(Pt(pt).twips))


def _switch_on(p: WordParagraph, tag: str) -> None:
    """An on/off paragraph property (w:keepNext, w:keepLines) set to on, as python-docx writes it."""
    put(p._p.get_or_add_pPr(), el(tag), PPR_ORDER)


def _add_run(p: WordParagraph, text: str) -> Run:
    """`p.add_run(text)`; text without tabs or line breaks goes straight into one w:t."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return p.add_run(text)
    r = p._p.add_r()
    r.add_t(text)
    return Run(r, p)


def _least_twips(text: str, size: float, bold: bool) -> int:
    """The narrowest column that holds the longest word of `text` and the cells' margins. The
    width is estimated: Word or LibreOffice may set the text in a wider font than ours."""
    return round(20 * (2 * CELL_MARGIN_PT + 1 + layout.widest_word_estimate(clean(text), size, bold)))


def _column_widths(widths: tuple[float, ...], n_cols: int, total: int, minimums: list[int]) -> list[int]:
    """Twips per column, proportional to `widths` (bad or missing weights count as average) but
    never under a column's minimum while the minimums fit."""
    good = [w for w in widths[:n_cols] if math.isfinite(w) and w > 0]
    average = sum(good) / len(good) if good else 1.0
    weights = [
        widths[i] if i < len(widths) and math.isfinite(widths[i]) and widths[i] > 0 else average for i in range(n_cols)
    ]
    out = [max(1, round(w)) for w in layout.fit_columns(weights, minimums, total)[:-1]]
    out.append(max(1, total - sum(out)))
    return out
