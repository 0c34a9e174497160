"""The deck printed for the teacher: the slides exactly as planned for the PPTX (plan.py's pages of
boxes, fills, rules and tables), drawn with reportlab two to a portrait page of the deck's
paper, each slide framed and numbered. Speaker notes are not printed.

The text is set in the print editions' embedded fonts (Atkinson Hyperlegible, Noto Sans where it
lacks a character): a deck names Verdana but cannot carry it, and every box was measured for the
widest of those fonts, so printed lines never outgrow their box. Spec text is literal here too.
Same deck, same bytes (reportlab's invariant mode: a fixed date and document id, as in the
print editions)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as RLParagraph

from ...model import PAPER, Deck
from .. import layout
from ..pdf import MAIN, markup, register_fonts
from .plan import pages_of
from .shapes import Grid, Page, Para, Rect, Run, Shape, TextBox
from .style import SLIDE_H, SLIDE_W, DeckStyle, style

SLIDES_PER_PAGE = 2
MARGIN_X_MM = 15.0  # left and right: the slides as wide as a printer's unprintable edge allows
MARGIN_TOP_MM = 20.0  # the header sits in it, as in the print editions
MARGIN_BOTTOM_MM = 18.0  # and the page number
HEADER_MM = 10.0
FOOTER_MM = 10.0
LABEL_PT = layout.SMALL_PT  # "Slide 3 of 38" under each frame
LABEL_LINE = round(LABEL_PT * 1.3, 2)
LABEL_GAP_PT = 3.0
FRAME_GREY = "6F6F6F"
LABEL_GREY = "555555"


def _hex(value: str) -> colors.Color:
    return colors.HexColor(f"#{value}")


@dataclass(frozen=True)
class _Sheet:
    """Where the slides go on one printed page, in points from the page's bottom left."""

    width: float
    height: float
    scale: float  # printed size of one slide point
    x: float  # every frame's left edge
    tops: tuple[float, ...]  # each frame's top edge

    @property
    def frame_w(self) -> float:
        return SLIDE_W * self.scale

    @property
    def frame_h(self) -> float:
        return SLIDE_H * self.scale


def sheet(deck: Deck) -> _Sheet:
    """The slides as wide as the page's margins allow (narrower if two would not fit its height),
    centred across, with equal room above, between and below them, under the header (more than
    one line when the title is long)."""
    paper = PAPER[deck.paper]
    mm = layout.PT_PER_MM
    width, height = paper.width_mm * mm, paper.height_mm * mm
    _, header_h = _label(deck.header, width - 2 * MARGIN_X_MM * mm, TA_LEFT)
    label = LABEL_GAP_PT + LABEL_LINE
    top_margin = max(MARGIN_TOP_MM * mm, HEADER_MM * mm + header_h + 9)
    area = height - top_margin - MARGIN_BOTTOM_MM * mm
    across = (width - 2 * MARGIN_X_MM * mm) / SLIDE_W
    down = (area - SLIDES_PER_PAGE * label - 24) / (SLIDES_PER_PAGE * SLIDE_H)
    scale = min(across, down)
    slot = SLIDE_H * scale + label
    free = (area - SLIDES_PER_PAGE * slot) / (SLIDES_PER_PAGE + 1)
    top = height - top_margin - free
    tops = tuple(top - k * (slot + free) for k in range(SLIDES_PER_PAGE))
    return _Sheet(width, height, scale, (width - SLIDE_W * scale) / 2, tops)


class _Painter:
    """Draws planned slides on a reportlab canvas, in slide points (the canvas scaled to fit a frame)."""

    def __init__(self, canvas: Canvas, st: DeckStyle) -> None:
        self.c, self.st = canvas, st
        self.styles: dict[tuple[float, float, float, str], ParagraphStyle] = {}

    def slide(self, page: Page, sheet: _Sheet, top: float) -> None:
        c = self.c
        c.saveState()
        c.translate(sheet.x, top - sheet.frame_h)
        c.scale(sheet.scale, sheet.scale)
        for shape in page.shapes:
            self.shape(shape)
        self.box(page.title)
        c.restoreState()
        c.setStrokeColor(_hex(FRAME_GREY))
        c.setLineWidth(0.75)
        c.rect(sheet.x, top - sheet.frame_h, sheet.frame_w, sheet.frame_h, stroke=1, fill=0)

    def shape(self, shape: Shape) -> None:
        match shape:
            case TextBox():
                self.box(shape)
            case Rect(x=x, y=y, w=w, h=h, fill=fill, line=line):
                self.rect(x, y, w, h, fill, line, 1.5)
            case Grid():
                self.grid(shape)

    def rect(self, x: float, y: float, w: float, h: float, fill: str | None, line: str | None, width: float) -> None:
        c = self.c
        if fill:
            c.setFillColor(_hex(fill))
        if line:
            c.setStrokeColor(_hex(line))
            c.setLineWidth(width)
        c.rect(x, SLIDE_H - y - h, w, h, stroke=1 if line else 0, fill=1 if fill else 0)

    def box(self, box: TextBox) -> None:
        if box.fill:
            self.rect(box.x, box.y, box.w, box.h, box.fill, None, 0)
        self.text(box.paras, box.x, box.y, box.w, box.h, box.anchor)

    def grid(self, g: Grid) -> None:
        y = g.y
        for r, (cells, height) in enumerate(zip(g.cells, g.heights, strict=True)):
            x = g.x
            fill = self.st.header_fill if g.header and r == 0 else "FFFFFF"
            for paras, width in zip(cells, g.widths, strict=True):
                self.rect(x, y, width, height, fill, self.st.rule, 1.0)
                self.text(paras, x + g.pad_x, y + g.pad_y, width - 2 * g.pad_x, height - 2 * g.pad_y, "t")
                x += width
            y += height

    def text(self, paras: Sequence[Para], x: float, y: float, w: float, h: float, anchor: str) -> None:
        """Paragraphs in a box at (x, y) from the slide's top left, at the top, bottom or middle of it."""
        made = [(para, self.paragraph(para)) for para in paras if para.runs]
        heights = [p.wrap(w, 100_000)[1] for _, p in made]
        total = sum(heights) + sum(para.space_before for para, _ in made)
        at = y + {"t": 0.0, "b": h - total, "ctr": (h - total) / 2}[anchor]
        for (para, p), height in zip(made, heights, strict=True):
            at += para.space_before
            p.drawOn(self.c, x, SLIDE_H - at - height)
            at += height

    def paragraph(self, para: Para) -> RLParagraph:
        ink = self.st.ink
        key = (para.size, para.line, para.indent, para.align)
        found = self.styles.get(key)
        if found is None:
            found = ParagraphStyle(
                f"slide{len(self.styles)}",
                fontName=MAIN,
                fontSize=para.size,
                leading=para.line,
                textColor=_hex(ink),
                alignment=TA_CENTER if para.align == "ctr" else TA_LEFT,
                leftIndent=para.indent,
                bulletIndent=0,
                bulletFontName=MAIN,
                bulletFontSize=para.size,
                bulletColor=_hex(ink),
                splitLongWords=1,
            )
            self.styles[key] = found
        marker = f"{para.number}." if para.number is not None else para.bullet
        return RLParagraph("".join(_run(r, ink) for r in para.runs), found, bulletText=marker)


def _run(run: Run, ink: str) -> str:
    """A run as paragraph markup: literal text (escaped), its weight, slant and colour, line breaks kept."""
    pieces = [markup(piece, run.bold, run.italic) for piece in run.text.split("\n")]
    return f'<font color="#{run.color or ink}">{"<br/>".join(pieces)}</font>'


def _label(text: str, width: float, align: int) -> tuple[RLParagraph, float]:
    """Small grey text (the header, a slide's number, the page's) set `width` wide; its height."""
    look = ParagraphStyle(
        "label", fontName=MAIN, fontSize=LABEL_PT, leading=LABEL_LINE, textColor=_hex(LABEL_GREY), alignment=align
    )
    p = RLParagraph(markup(text), look)
    return p, p.wrap(width, 1000)[1]


# Slides not printed: a check for understanding, since the slide right after it shows the same
# question with its answer, which is all the teacher needs on paper (the PPTX keeps both).
NOT_PRINTED = frozenset({"check"})


def printed_pages(deck: Deck, st: DeckStyle) -> tuple[list[tuple[int, Page]], int]:
    """The slides printed, each with its index in the deck, and how many slides the deck has."""
    every = pages_of(deck, st)
    return [(n, page) for n, page in enumerate(every) if page.kind not in NOT_PRINTED], len(every)


def render(deck: Deck) -> bytes:
    """The deck as a PDF of slide handouts: two slides a portrait page, in the deck's order, each
    numbered as in the PPTX; the slides in NOT_PRINTED left out."""
    register_fonts()
    st = style(deck.large_print)
    printed, total = printed_pages(deck, st)
    where = sheet(deck)
    mm = layout.PT_PER_MM
    left, text_w = MARGIN_X_MM * mm, where.width - 2 * MARGIN_X_MM * mm
    header, header_h = _label(deck.header, text_w, TA_LEFT)
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(where.width, where.height), invariant=1, lang=deck.lang, initialFontName=MAIN)
    c.setTitle(deck.title)
    c.setAuthor(deck.author)
    c.setSubject(deck.subject)
    c.setKeywords(list(deck.keywords))
    c.setCreator("lessonpack")
    painter = _Painter(c, st)
    sheets = -(-len(printed) // SLIDES_PER_PAGE)
    for n in range(sheets):
        header_bottom = where.height - HEADER_MM * mm - header_h
        header.drawOn(c, left, header_bottom)
        c.setStrokeColor(_hex(layout.RULE_GREY))
        c.setLineWidth(0.4)
        c.line(left, header_bottom - 3, left + text_w, header_bottom - 3)
        for k, top in enumerate(where.tops):
            if n * SLIDES_PER_PAGE + k >= len(printed):
                break
            number, page = printed[n * SLIDES_PER_PAGE + k]
            painter.slide(page, where, top)
            label, h = _label(deck.slide_label.format(slide=number + 1, slides=total), where.frame_w, TA_RIGHT)
            label.drawOn(c, where.x, top - where.frame_h - LABEL_GAP_PT - h)
        footer, _ = _label(deck.page_label.format(page=n + 1, pages=sheets), text_w, TA_RIGHT)
        footer.drawOn(c, left, FOOTER_MM * mm)
        c.showPage()
    c.save()
    return buffer.getvalue()
