"""The PDF's fonts and paragraph styles, and spec text as reportlab markup."""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...model import Span
from .. import fonts, layout

MAIN = "Atkinson"
FALLBACK = "NotoSans"


@cache
def register_fonts() -> None:
    """Atkinson Hyperlegible and its Noto Sans fallback, registered with reportlab once (every PDF
    lessonpack writes embeds them)."""
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


def colour(value: str) -> colors.Color:
    return colors.HexColor(f"#{value}")


@cache
def main_chars() -> frozenset[str]:
    """The characters the main font draws."""
    return frozenset(map(chr, fonts.main_coverage()))


def markup(text: str, bold: bool = False, italic: bool = False) -> str:
    """Literal text as reportlab paragraph markup, with characters the main font lacks drawn in
    the fallback font. User text is escaped: '<b>' prints as typed and '&' is not mangled."""
    if main_chars().issuperset(text):  # the usual case: all in the main font, one run
        result = escape(text)
        if italic:
            result = f"<i>{result}</i>"
        return f"<b>{result}</b>" if bold else result
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


def spans_markup(sp: tuple[Span, ...], m: layout.Metrics) -> str:
    """Spans as markup; italic only where the variant allows it (large print has none)."""
    return "".join(markup(s.text, s.bold, s.italic and m.italic) for s in sp)


class Styles:
    def __init__(self, m: layout.Metrics) -> None:
        base = ParagraphStyle(
            "body",
            fontName=MAIN,
            fontSize=m.body_pt,
            leading=m.line(m.body_pt, layout.BODY_LEADING),
            textColor=colour(layout.INK),
            alignment=TA_LEFT,
            spaceAfter=m.space(m.gaps.body_after),
            allowWidows=0,  # no paragraph leaves its last line alone at a page's head,
            allowOrphans=0,  # nor its first at a page's foot
        )
        self.body = base
        self.lead = ParagraphStyle(
            "lead", base, fontSize=m.lead_pt, leading=m.line(m.lead_pt, 17 / 13), spaceAfter=m.space(8)
        )
        self.boxed = ParagraphStyle("boxed", base, spaceAfter=0)  # a note's paragraphs: its rows space them
        self.label = ParagraphStyle("label", base, textColor=colour(layout.ACCENT), spaceAfter=m.space(4))
        self.small = ParagraphStyle("small", base, fontSize=m.small_pt, leading=m.line(m.small_pt, 1.3))
        self.citation = ParagraphStyle(
            "citation", self.small, leftIndent=14, textColor=colour("444444"), spaceBefore=m.space(m.gaps.quote_pad)
        )
        self.quote = ParagraphStyle("quote", base, fontSize=m.quote_pt, spaceAfter=m.space(4))
        self.quiz_question = ParagraphStyle("quizq", base, spaceAfter=m.space(m.gaps.list_after))
        self.cell = ParagraphStyle("cell", self.small, spaceAfter=0)
        self.cell_head = ParagraphStyle("cellhead", self.cell, fontName=f"{MAIN}-Bold")
        self.list = ParagraphStyle(
            "list",
            base,
            leftIndent=m.scaled(18),
            bulletIndent=m.scaled(4),
            spaceAfter=m.space(m.gaps.list_after),
            bulletFontName=MAIN,
            bulletFontSize=m.bullet_pt,
        )
        self.heading = {
            level: ParagraphStyle(
                f"h{level}",
                base,
                fontName=f"{MAIN}-Bold",
                fontSize=size,
                leading=m.line(size, 1.25),
                textColor=colour(layout.ACCENT),
                spaceBefore=m.space(m.gaps.heading_before[level]),
                spaceAfter=m.space(m.gaps.heading_after),
            )
            for level, size in m.heading_pt.items()
        }
        self.title = ParagraphStyle("title", self.heading[1], fontSize=m.title_pt, leading=m.line(m.title_pt, 1.2))
        self.header = ParagraphStyle("header", self.small, textColor=colour("555555"))
