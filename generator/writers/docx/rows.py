"""A firm group as a row that cannot split: one borderless, margin-free cell of a table as wide as
the text, so the group's text sits where it would as paragraphs.

Word follows a chain of paragraphs kept with the next whole, but LibreOffice 7.4 does not always:
when a chain's tail moves on late, it pulls back one paragraph a pass and can stop partway,
leaving a heading or an extract's start at a page's foot. Both honour a row that cannot split,
moving it to the next page whole. Only groups that fit well within a page become rows (a row
taller than a page is moved to a page of its own and split anyway, leaving a gap before it); the
rest stay chains. Consecutive groups are rows of one table (two tables that touch are one table
to Word)."""

from __future__ import annotations

import math

from docx.oxml.ns import qn

from ...model import (
    PAPER,
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    Paragraph,
    Quiz,
    Quote,
    Table,
    WritingSpace,
    plain,
)
from .. import layout
from ..fonts import text_width
from .xml import PPR_ORDER, TBLPR_ORDER, TCPR_ORDER, Element, el, put

# A group becomes a row only when its estimated height is at most this share of a page's text
# area (the estimate is rough; LibreOffice sets text a little taller than reportlab).
ROW_SHARE = 0.8
# A group that is not firm is a row only when it is short: at most this share of a page (the
# PDF's flowables.SHORT_GROUP, less a margin for the estimate).
SHORT_SHARE = 0.45
# Line height as a multiple of the font size where the variant keeps each style's own.
_LEADING = 1.3
# Room for a list's number or a box's padding and rule, in points, taken from the line's width.
_INDENT_PT = 24.0


def new_table(width_twips: int) -> Element:
    """A table with no rows yet: no borders, no cell margins, not indented, as wide as the text."""
    tbl = el("w:tbl")
    tbl_pr = el("w:tblPr")
    tbl.append(tbl_pr)
    put(tbl_pr, el("w:tblW", w=str(width_twips), type="dxa"), TBLPR_ORDER)
    put(tbl_pr, el("w:tblInd", w="0", type="dxa"), TBLPR_ORDER)
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{side}", val="nil"))
    put(tbl_pr, borders, TBLPR_ORDER)
    put(tbl_pr, el("w:tblLayout", type="fixed"), TBLPR_ORDER)
    margins = el("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(el(f"w:{side}", w="0", type="dxa"))
    put(tbl_pr, margins, TBLPR_ORDER)
    # No banding or first-row look: nothing marks the row as a header or a data table's.
    look = {"firstRow": "0", "lastRow": "0", "firstColumn": "0", "lastColumn": "0", "noHBand": "1", "noVBand": "1"}
    tbl_pr.append(el("w:tblLook", val="0000", **look))
    grid = el("w:tblGrid")
    grid.append(el("w:gridCol", w=str(width_twips)))
    tbl.append(grid)
    return tbl


def add_row(tbl: Element, width_twips: int) -> Element:
    """A new row of `tbl` that cannot split, with one empty cell (its w:tc, holding no paragraph yet)."""
    tr = el("w:tr")
    tr_pr = el("w:trPr")
    tr_pr.append(el("w:cantSplit"))
    tr.append(tr_pr)
    tc = el("w:tc")
    tc_pr = el("w:tcPr")
    put(tc_pr, el("w:tcW", w=str(width_twips), type="dxa"), TCPR_ORDER)
    tc.append(tc_pr)
    tr.append(tc)
    tbl.append(tr)
    return tc


def close_cell(tc: Element) -> bool:
    """End the cell with a paragraph, as the format requires: when its last block is a table, an
    empty paragraph with no space around it, its mark one point in size (its height is the line
    of its mark). Whether one was added."""
    if len(tc) > 1 and tc[-1].tag == qn("w:p"):
        return False
    p = el("w:p")
    ppr = el("w:pPr")
    put(ppr, el("w:spacing", before="0", after="0"), PPR_ORDER)
    rpr = el("w:rPr")
    rpr.append(el("w:sz", val="2"))
    rpr.append(el("w:szCs", val="2"))
    put(ppr, rpr, PPR_ORDER)
    p.append(ppr)
    tc.append(p)
    return True


def unwrap(tc: Element) -> None:
    """Put a cell's blocks back where its table is, and drop the table (a group too tall to be a row)."""
    tbl = tc.getparent().getparent()
    for child in list(tc):
        if child.tag != qn("w:tcPr"):
            tbl.addprevious(child)
    tr = tc.getparent()
    tbl.remove(tr)
    if not tbl.findall(qn("w:tr")):
        tbl.getparent().remove(tbl)


def pad_below(tr: Element, pt: float) -> None:
    """Room of `pt` points under a row's cell, above the next row (a cell margin: LibreOffice sets
    the empty paragraph that ends a cell after a table without its spacing)."""
    if pt <= 0:
        return
    margins = el("w:tcMar")
    margins.append(el("w:bottom", w=str(round(pt * 20)), type="dxa"))
    put(tr.find(qn("w:tc")).find(qn("w:tcPr")), margins, TCPR_ORDER)


def breaks_page(p: Element) -> bool:
    """Whether an element is a paragraph holding a page break (what follows starts a page: no space
    above it)."""
    return p.tag != qn("w:p") or any(br.get(qn("w:type")) == "page" for br in p.iter(qn("w:br")))


def fits(blocks: tuple[Block, ...], document: Document, m: layout.Metrics, share: float = ROW_SHARE) -> bool:
    """Whether a group is short enough to be a row: estimated at most `share` of a page."""
    area = (PAPER[document.paper].height_mm - m.margin_top_mm - m.margin_bottom_mm) * layout.PT_PER_MM
    width = layout.text_width_mm(document.paper, m) * layout.PT_PER_MM
    return sum(_height(b, m, width) for b in blocks) <= share * area


def _height(block: Block, m: layout.Metrics, width: float) -> float:
    """A rough, generous height in points of a block set `width` wide."""
    match block:
        case Heading(level=level, text=text):
            size = m.heading_pt[level]
            return _lines(text, size, width, True) * m.line(size, _LEADING) + size
        case Paragraph(spans=spans):
            return _text(plain(spans), m.body_pt, m, width) + m.body_pt / 2
        case Quote(paragraphs=paragraphs, citation=citation):
            quoted = sum(_text(p, m.quote_pt, m, width - _INDENT_PT) for p in paragraphs)
            return quoted + _text(citation, m.small_pt, m, width - _INDENT_PT) + m.space(24)
        case Callout(title=title, paragraphs=paragraphs):
            texts = [title, *(plain(p) for p in paragraphs)]
            return sum(_text(t, m.body_pt, m, width - _INDENT_PT) for t in texts) + m.space(24)
        case ListBlock(items=items):
            return sum(_text(plain(i), m.body_pt, m, width - _INDENT_PT) + m.space(4) for i in items)
        case Table(rows=rows):
            columns = max((len(r) for r in rows), default=1)
            return sum(max((_text(c, m.body_pt, m, width / columns - 10) for c in r), default=0) + 8 for r in rows)
        case WritingSpace(lines=lines) | AnswerBox(lines=lines):
            return lines * m.writing_line_pt + m.space(12)
        case AnswerTable(rows=rows):
            return m.line(m.body_pt, _LEADING) * 2 + rows * layout.ANSWER_ROW_LINES * m.writing_line_pt + 12
        case Quiz(questions=questions):
            return sum((2 + len(q.choices)) * m.line(m.body_pt, _LEADING) for q in questions)
        case KeepTogether(blocks=blocks):
            return sum(_height(b, m, width) for b in blocks)
        case _:
            return math.inf  # a title or a page break is never part of a row


def _text(text: str, size: float, m: layout.Metrics, width: float) -> float:
    return _lines(text, size, width, False) * m.line(size, _LEADING)


def _lines(text: str, size: float, width: float, bold: bool) -> int:
    """Lines of `text` wrapped `width` wide, with a tenth more for the ends of lines left short."""
    return max(1, math.ceil(1.1 * text_width(text, size, bold) / max(width, 1.0)))
