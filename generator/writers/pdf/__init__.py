"""The PDF writer: a document becomes PDF bytes with reportlab (this package and the printed deck,
writers/pptx/handout.py, are the only modules importing reportlab). `styles` holds the fonts and
paragraph styles, `flowables` the PDF's own flowables and the groups that decide where pages
break, `writer` turns blocks into flowables; this module draws the page furniture (header,
'Page X of Y', bookmarks) and writes the file."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus import Paragraph as RLParagraph

from ...model import PAPER, Document
from .. import layout
from .flowables import OutlineHeading
from .styles import MAIN, Styles, colour, markup, register_fonts
from .writer import Writer

__all__ = ["MAIN", "markup", "register_fonts", "render"]


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outline_count = 0
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook name
        if isinstance(flowable, OutlineHeading) and flowable.outline_level:
            key = f"h{self._outline_count}"
            self._outline_count += 1
            self.canv.bookmarkPage(key)
            # Outline levels may not skip (a document may start at a level-2 heading).
            level = min(flowable.outline_level - 1, self._outline_level + 1)
            self._outline_level = level
            self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=False)


def _numbered_canvas(document: Document, styles: Styles, m: layout.Metrics) -> type[Canvas]:
    """A canvas that draws the header and 'Page X of Y' once the page count is known."""
    page = PAPER[document.paper]
    width, height = page.width_mm * mm, page.height_mm * mm
    header_style = styles.header
    footer_style = ParagraphStyle("footer", header_style, alignment=2)
    left = m.margin_left_mm * mm
    right = width - m.margin_right_mm * mm
    rule_grey = colour(layout.RULE_GREY)

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("initialFontName", MAIN)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's method name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            # The header is the same on every page: set once, drawn on each.
            header = RLParagraph(markup(document.header), header_style)
            _, h = header.wrap(right - left, 40)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total, header, h)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int, header: RLParagraph, h: float) -> None:
            header.drawOn(self, left, height - m.header_distance_mm * mm - h)
            self.setStrokeColor(rule_grey)
            self.setLineWidth(0.4)
            rule_y = height - m.header_distance_mm * mm - h - 3
            self.line(left, rule_y, right, rule_y)
            label = document.page_label.format(page=self._pageNumber, pages=total)
            footer = RLParagraph(markup(label), footer_style)
            footer.wrap(right - left, 40)
            footer.drawOn(self, left, m.footer_distance_mm * mm)

    return NumberedCanvas


def render(document: Document, m: layout.Metrics | None = None) -> bytes:
    """The PDF bytes for a document: same document, same bytes. `m`: other sizes than the
    variant's (a test sets a PDF at the DOCX's margins, to compare their pages)."""
    register_fonts()
    writer = Writer(document, m)
    page = PAPER[document.paper]
    size = (page.width_mm * mm, page.height_mm * mm)
    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pagesize=size,
        leftMargin=writer.m.margin_left_mm * mm,
        rightMargin=writer.m.margin_right_mm * mm,
        topMargin=writer.top,
        bottomMargin=writer.m.margin_bottom_mm * mm,
        title=document.title,
        author=document.author,
        subject=document.subject,
        keywords=list(document.keywords),
        creator="lessonpack",
        lang=document.lang,
        invariant=1,
        initialFontName=MAIN,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story = writer.flowables(document.blocks)
    doc.build(story, canvasmaker=_numbered_canvas(document, writer.styles, writer.m))
    return buffer.getvalue()
