"""Render a document to PDF bytes with reportlab (the only module importing reportlab)."""

from __future__ import annotations

import io
from functools import cache
from typing import Any, assert_never
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import (
    KeepTogether as RLKeepTogether,
)
from reportlab.platypus import (
    PageBreak as RLPageBreak,
)
from reportlab.platypus import (
    Paragraph as RLParagraph,
)
from reportlab.platypus import (
    Table as RLTable,
)

from . import fonts, layout
from .model import (
    Block,
    Callout,
    Document,
    Fields,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Span,
    Table,
    WritingSpace,
)

MAIN = "Atkinson"
FALLBACK = "NotoSans"


@cache
def _register_fonts() -> None:
    main, fb = fonts.main_fonts(), fonts.fallback_fonts()
    for name, path in (
        (MAIN, main.regular),
        (f"{MAIN}-Bold", main.bold),
        (f"{MAIN}-Italic", main.italic),
        (f"{MAIN}-BoldItalic", main.bold_italic),
        (FALLBACK, fb.regular),
        (f"{FALLBACK}-Italic", fb.italic),
    ):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        MAIN, normal=MAIN, bold=f"{MAIN}-Bold", italic=f"{MAIN}-Italic", boldItalic=f"{MAIN}-BoldItalic"
    )
    pdfmetrics.registerFontFamily(
        FALLBACK, normal=FALLBACK, bold=FALLBACK, italic=f"{FALLBACK}-Italic", boldItalic=f"{FALLBACK}-Italic"
    )


def _hex(value: str) -> colors.Color:
    return colors.HexColor(f"#{value}")


def markup(text: str, bold: bool = False, italic: bool = False) -> str:
    """Literal text as reportlab paragraph markup, with characters the main font lacks drawn in
    the fallback font. User text is escaped: '<b>' prints as typed and '&' is not mangled."""
    covered = fonts.main_coverage()
    out: list[str] = []
    run: list[str] = []
    run_main = True

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            out.append(chunk if run_main else f'<font name="{FALLBACK}">{chunk}</font>')
            run.clear()

    for ch in text:
        is_main = ch.isspace() or ord(ch) in covered
        if is_main != run_main:
            flush()
            run_main = is_main
        run.append(ch)
    flush()
    result = "".join(out)
    if italic:
        result = f"<i>{result}</i>"
    if bold:
        result = f"<b>{result}</b>"
    return result


def _spans(sp: tuple[Span, ...]) -> str:
    return "".join(markup(s.text, s.bold, s.italic) for s in sp)


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle(
            "body",
            fontName=MAIN,
            fontSize=layout.BODY_PT,
            leading=layout.BODY_PT * layout.BODY_LEADING,
            textColor=_hex(layout.INK),
            alignment=TA_LEFT,
            spaceAfter=6,
        )
        self.body = base
        self.lead = ParagraphStyle("lead", base, fontSize=13, leading=17, spaceAfter=8)
        self.label = ParagraphStyle("label", base, textColor=_hex(layout.ACCENT), spaceAfter=4)
        self.small = ParagraphStyle("small", base, fontSize=layout.SMALL_PT, leading=layout.SMALL_PT * 1.3)
        self.citation = ParagraphStyle(
            "citation", self.small, leftIndent=14, textColor=_hex("444444"), spaceBefore=2
        )
        self.quote = ParagraphStyle("quote", base, fontSize=layout.QUOTE_PT, spaceAfter=4)
        self.cell = ParagraphStyle("cell", self.small, spaceAfter=0)
        self.cell_head = ParagraphStyle("cellhead", self.cell, fontName=f"{MAIN}-Bold")
        self.list = ParagraphStyle(
            "list", base, leftIndent=18, bulletIndent=4, spaceAfter=3, bulletFontName=MAIN
        )
        self.heading = {
            level: ParagraphStyle(
                f"h{level}",
                base,
                fontName=f"{MAIN}-Bold",
                fontSize=size,
                leading=size * 1.25,
                textColor=_hex(layout.ACCENT),
                spaceBefore=12 if level > 1 else 4,
                spaceAfter=6,
            )
            for level, size in layout.HEADING_PT.items()
        }
        self.title = ParagraphStyle(
            "title", self.heading[1], fontSize=layout.TITLE_PT, leading=layout.TITLE_PT * 1.2
        )


class _Heading(RLParagraph):  # type: ignore[misc]
    """A heading paragraph that also becomes a bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, title: str) -> None:
        super().__init__(text, style)
        self.outline_level = level
        self.outline_title = title


class _WritingLines(Flowable):  # type: ignore[misc]
    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.lines * layout.WRITING_LINE_PT + 4

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(_hex(layout.RULE_GREY))
        c.setLineWidth(0.6)
        for i in range(self.lines):
            y = (self.lines - i - 1) * layout.WRITING_LINE_PT + 4
            c.line(0, y, self.width, y)


class _Writer:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.styles = _Styles()
        self.first_heading = True

    def flowables(self, blocks: tuple[Block, ...]) -> list[Any]:
        """Flowables for blocks; a heading is kept on the same page as the block after it."""
        out: list[Any] = []
        pending: list[Any] = []
        for block in blocks:
            made = self.block(block)
            if isinstance(block, Heading):
                pending += made
                continue
            if pending:
                # Flatten: a KeepTogether nested in another makes reportlab break pages early.
                if len(made) == 1 and isinstance(made[0], RLKeepTogether):
                    made = list(made[0]._content)
                out.append(RLKeepTogether(pending + made))
                pending = []
            else:
                out += made
        return out + pending

    def flat(self, blocks: tuple[Block, ...]) -> list[Any]:
        """Flowables for blocks kept together: no nested KeepTogether (reportlab would break
        the page before each one)."""
        out: list[Any] = []
        for block in blocks:
            for f in self.block(block):
                out += list(f._content) if isinstance(f, RLKeepTogether) else [f]
        return out

    def block(self, block: Block) -> list[Any]:
        st = self.styles
        match block:
            case Heading(level=level, text=text):
                style = st.title if (level == 1 and self.first_heading) else st.heading[level]
                self.first_heading = False
                return [_Heading(markup(text), style, level, text)]
            case Paragraph(spans=sp, style=style):
                return [RLParagraph(_spans(sp), getattr(st, style))]
            case Quote(paragraphs=paras, citation=cite):
                rows = [[RLParagraph(markup(p), st.quote)] for p in paras]
                rows.append([RLParagraph(markup(cite), st.citation)])
                table = RLTable(rows, colWidths=[None], splitInRow=1, hAlign="LEFT")
                table.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), MAIN),
                            ("LINEBEFORE", (0, 0), (0, -2), 2.5, _hex(layout.QUOTE_RULE)),
                            ("LEFTPADDING", (0, 0), (-1, -1), 12),
                            ("TOPPADDING", (0, 0), (-1, -1), 2),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                        ]
                    )
                )
                return [Spacer(1, 4), table, Spacer(1, 8)]
            case Callout(kind=kind, title=title, paragraphs=paras):
                fill, rule = (
                    (layout.TEACHER_FILL, layout.ACCENT)
                    if kind in ("teacher-note", "info")
                    else (layout.NOTE_FILL, layout.NOTE_RULE)
                )
                rows = [[RLParagraph(markup(title, bold=True), st.body)]]
                rows += [[RLParagraph(_spans(p), st.body)] for p in paras]
                table = RLTable(rows, colWidths=[None], splitInRow=1, hAlign="LEFT")
                table.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), MAIN),
                            ("BACKGROUND", (0, 0), (-1, -1), _hex(fill)),
                            ("LINEBEFORE", (0, 0), (0, -1), 3, _hex(rule)),
                            ("LEFTPADDING", (0, 0), (-1, -1), 10),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                            ("TOPPADDING", (0, 0), (-1, -1), 3),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                        ]
                    )
                )
                if kind in ("content-note", "summary-note"):
                    table.keepWithNext = 1
                return [Spacer(1, 4), table, Spacer(1, 6)]
            case ListBlock(items=items, numbered=numbered, start=start):
                return [
                    RLParagraph(
                        _spans(item),
                        st.list,
                        bulletText=f"{n}." if numbered else "•",
                    )
                    for n, item in enumerate(items, start)
                ]
            case Table(rows=rows, widths=widths, header=header):
                return [self.table(rows, widths, header)]
            case WritingSpace(lines=lines):
                return [_WritingLines(lines), Spacer(1, 6)]
            case Fields(labels=labels):
                data = [[RLParagraph(markup(f"{label}:", bold=True), st.body), ""] for label in labels]
                table = RLTable(data, colWidths=[28 * mm, None], hAlign="LEFT", rowHeights=[24] * len(labels))
                table.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), MAIN),
                            ("LINEBELOW", (1, 0), (1, -1), 0.6, _hex(layout.RULE_GREY)),
                            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ]
                    )
                )
                return [Spacer(1, 6), table, Spacer(1, 10)]
            case KeepTogether(blocks=inner):
                return [RLKeepTogether(self.flat(inner))]
            case PageBreak():
                return [RLPageBreak()]
            case _ as unreachable:
                assert_never(unreachable)

    def table(self, rows: tuple[tuple[str, ...], ...], widths: tuple[float, ...], header: bool) -> RLTable:
        st = self.styles
        data = [
            [RLParagraph(markup(cell), st.cell_head if header and r == 0 else st.cell) for cell in row]
            for r, row in enumerate(rows)
        ]
        total = sum(widths)
        text_width = self.text_width()
        col_widths = [text_width * w / total for w in widths]
        table = RLTable(data, colWidths=col_widths, repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT")
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), MAIN),
            ("GRID", (0, 0), (-1, -1), 0.5, _hex(layout.RULE_GREY)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), _hex(layout.TABLE_HEADER_FILL)))
        table.setStyle(TableStyle(commands))
        return table

    def text_width(self) -> float:
        page = layout.PAPER[self.document.paper]
        return float((page.width_mm - layout.MARGIN_LEFT_MM - layout.MARGIN_RIGHT_MM) * mm)


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outline_count = 0
        self._outline_level = -1

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - reportlab's hook name
        if isinstance(flowable, _Heading):
            key = f"h{self._outline_count}"
            self._outline_count += 1
            self.canv.bookmarkPage(key)
            # Outline levels may not skip (a document may start at a level-2 heading).
            level = min(flowable.outline_level - 1, self._outline_level + 1)
            self._outline_level = level
            self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=False)


def _numbered_canvas(document: Document, styles: _Styles) -> type[Canvas]:
    """A canvas that draws the header and 'Page X of Y' once the page count is known."""
    page = layout.PAPER[document.paper]
    width, height = page.width_mm * mm, page.height_mm * mm
    header_style = ParagraphStyle("header", styles.small, textColor=_hex("555555"))

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
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            left = layout.MARGIN_LEFT_MM * mm
            right = width - layout.MARGIN_RIGHT_MM * mm
            header = RLParagraph(markup(document.header), header_style)
            _, h = header.wrap(right - left, 40)
            header.drawOn(self, left, height - layout.HEADER_DISTANCE_MM * mm - h)
            self.setStrokeColor(_hex(layout.RULE_GREY))
            self.setLineWidth(0.4)
            rule_y = height - layout.HEADER_DISTANCE_MM * mm - h - 3
            self.line(left, rule_y, right, rule_y)
            label = document.page_label.format(page=self._pageNumber, pages=total)
            footer = RLParagraph(markup(label), ParagraphStyle("footer", header_style, alignment=2))
            footer.wrap(right - left, 40)
            footer.drawOn(self, left, layout.FOOTER_DISTANCE_MM * mm)

    return NumberedCanvas


def render_pdf(document: Document) -> bytes:
    """The PDF bytes for a document: same document, same bytes."""
    _register_fonts()
    writer = _Writer(document)
    page = layout.PAPER[document.paper]
    size = (page.width_mm * mm, page.height_mm * mm)
    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pagesize=size,
        leftMargin=layout.MARGIN_LEFT_MM * mm,
        rightMargin=layout.MARGIN_RIGHT_MM * mm,
        topMargin=layout.MARGIN_TOP_MM * mm,
        bottomMargin=layout.MARGIN_BOTTOM_MM * mm,
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
    doc.build(story, canvasmaker=_numbered_canvas(document, writer.styles))
    return buffer.getvalue()
