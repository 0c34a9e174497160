"""The PDF writer: a document becomes PDF bytes with reportlab (the only module importing reportlab)."""

from __future__ import annotations

import io
from functools import cache
from typing import Any, TypeAlias, assert_never
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
    Paragraph as _Paragraph,
)
from reportlab.platypus import (
    Table as RLTable,
)
from reportlab.platypus.flowables import _listWrapOn

from ..model import (
    PAPER,
    AnswerBox,
    AnswerTable,
    Block,
    Callout,
    Document,
    Heading,
    KeepTogether,
    ListBlock,
    PageBreak,
    Paragraph,
    Quiz,
    QuizQuestion,
    Quote,
    Slide,
    Span,
    Table,
    TitleBlock,
    WritingSpace,
    slide_as_pages,
)
from . import fonts, layout

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


def _hex(value: str) -> colors.Color:
    return colors.HexColor(f"#{value}")


@cache
def _main_chars() -> frozenset[str]:
    """The characters the main font draws."""
    return frozenset(map(chr, fonts.main_coverage()))


def markup(text: str, bold: bool = False, italic: bool = False) -> str:
    """Literal text as reportlab paragraph markup, with characters the main font lacks drawn in
    the fallback font. User text is escaped: '<b>' prints as typed and '&' is not mangled."""
    if _main_chars().issuperset(text):  # the usual case: all in the main font, one run
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


def _spans(sp: tuple[Span, ...], m: layout.Metrics) -> str:
    """Spans as markup; italic only where the variant allows it (large print has none)."""
    return "".join(markup(s.text, s.bold, s.italic and m.italic) for s in sp)


class _Styles:
    def __init__(self, m: layout.Metrics) -> None:
        base = ParagraphStyle(
            "body",
            fontName=MAIN,
            fontSize=m.body_pt,
            leading=m.line(m.body_pt, layout.BODY_LEADING),
            textColor=_hex(layout.INK),
            alignment=TA_LEFT,
            spaceAfter=m.space(6),
            allowWidows=0,  # no paragraph leaves its last line alone at a page's head,
            allowOrphans=0,  # nor its first at a page's foot
        )
        self.body = base
        self.lead = ParagraphStyle(
            "lead", base, fontSize=m.lead_pt, leading=m.line(m.lead_pt, 17 / 13), spaceAfter=m.space(8)
        )
        self.label = ParagraphStyle("label", base, textColor=_hex(layout.ACCENT), spaceAfter=m.space(4))
        self.small = ParagraphStyle("small", base, fontSize=m.small_pt, leading=m.line(m.small_pt, 1.3))
        self.citation = ParagraphStyle(
            "citation", self.small, leftIndent=14, textColor=_hex("444444"), spaceBefore=m.space(2)
        )
        self.quote = ParagraphStyle("quote", base, fontSize=m.quote_pt, spaceAfter=m.space(4))
        self.quiz_question = ParagraphStyle("quizq", base, spaceAfter=m.space(3))
        self.cell = ParagraphStyle("cell", self.small, spaceAfter=0)
        self.cell_head = ParagraphStyle("cellhead", self.cell, fontName=f"{MAIN}-Bold")
        self.list = ParagraphStyle(
            "list",
            base,
            leftIndent=m.scaled(18),
            bulletIndent=m.scaled(4),
            spaceAfter=m.space(3),
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
                textColor=_hex(layout.ACCENT),
                spaceBefore=m.space(layout.HEADING_BEFORE_PT[level]),
                spaceAfter=m.space(layout.HEADING_AFTER_PT),
            )
            for level, size in m.heading_pt.items()
        }
        self.title = ParagraphStyle("title", self.heading[1], fontSize=m.title_pt, leading=m.line(m.title_pt, 1.2))
        self.header = ParagraphStyle("header", self.small, textColor=_hex("555555"))


class RLParagraph(_Paragraph):  # type: ignore[misc]
    """reportlab's paragraph, its lines broken once for each width it is set at in turn: keeping
    blocks together measures the same paragraphs again and again at one width (a long group,
    once for each page it crosses), and breaking a paragraph's lines depends on the width alone."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        memo = self.__dict__.get("_wrapped")
        if memo is not None and memo[0] == avail_width:
            _, self.width, self.height, self._wrapWidths, self.blPara = memo
            return self.width, self.height
        width, height = super().wrap(avail_width, avail_height)
        if hasattr(self, "blPara"):
            self._wrapped = (avail_width, self.width, self.height, self._wrapWidths, self.blPara)
        return float(width), float(height)


class _Heading(RLParagraph):
    """A heading paragraph that also becomes a bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, title: str) -> None:
        super().__init__(text, style)
        self.outline_level = level
        self.outline_title = title


class _WritingLines(Flowable):  # type: ignore[misc]
    """Ruled lines `pitch` apart. They move to the next page whole, and are split only when
    they are taller than a whole page (`page_height`) and so could never fit."""

    room = True  # room to answer: never parted from its question

    def __init__(self, lines: int, pitch: float, page_height: float) -> None:
        super().__init__()
        self.lines = lines
        self.pitch = pitch
        self.page_height = page_height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.lines * self.pitch + 4

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int((avail_height - 4) // self.pitch)
        if self.lines * self.pitch + 4 <= self.page_height or not 0 < fit < self.lines:
            return []
        return [
            _WritingLines(fit, self.pitch, self.page_height),
            _WritingLines(self.lines - fit, self.pitch, self.page_height),
        ]

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(_hex(layout.RULE_GREY))
        c.setLineWidth(0.6)
        for i in range(self.lines):
            y = (self.lines - i - 1) * self.pitch + 4
            c.line(0, y, self.width, y)


class _AnswerBox(Flowable):  # type: ignore[misc]
    """An empty ruled box `lines` writing lines tall. It moves to the next page whole, and is split
    only when it is taller than a whole page (`page_height`)."""

    room = True

    def __init__(self, lines: int, pitch: float, page_height: float) -> None:
        super().__init__()
        self.lines = lines
        self.pitch = pitch
        self.page_height = page_height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.lines * self.pitch

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int(avail_height // self.pitch)
        if self.lines * self.pitch <= self.page_height or not 0 < fit < self.lines:
            return []
        return [
            _AnswerBox(fit, self.pitch, self.page_height),
            _AnswerBox(self.lines - fit, self.pitch, self.page_height),
        ]

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(_hex(layout.RULE_GREY))
        c.setLineWidth(0.8)
        c.rect(0, 0, self.width, self.lines * self.pitch, stroke=1, fill=0)


class _TickBox(Flowable):  # type: ignore[misc]
    """A square to tick; filled in an answer key's correct choice."""

    def __init__(self, side: float, ticked: bool) -> None:
        super().__init__()
        self.side = side
        self.ticked = ticked

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.side, self.side + 2

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(_hex(layout.INK))
        c.setLineWidth(0.9)
        c.setFillColor(_hex(layout.ACCENT))
        c.rect(0, 0, self.side, self.side, stroke=1, fill=1 if self.ticked else 0)


class _Box(RLTable):  # type: ignore[misc]
    """A quote or a note: it moves to the next page whole, never leaving its title or its
    citation alone at a page's foot or head. Only a box taller than a page is split (and its
    parts, made by reportlab with this class, split freely: page_height is 0 for them)."""

    page_height = 0.0

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        _, height = self.wrap(avail_width, avail_height)
        if height <= self.page_height:
            return []
        parts: list[Flowable] = super().split(avail_width, avail_height)
        return parts


# A page's used height ends in spacing under its last block (up to this share of a page), which
# leaves no mark: a page is counted as filled only when it is filled this much beyond the minimum.
_FILL_ALLOWANCE = 0.06

Part: TypeAlias = "list[Flowable] | _Keep"


class _Keep(RLKeepTogether):  # type: ignore[misc]
    """Blocks kept on one page, in parts: each part is a run of flowables that is never split
    (a heading with what follows it, an extract with its note) or a group of its own (a question
    with its room to answer). A group that does not fit on what is left of a page moves to the
    next one whole, except where that would leave the page less than MIN_PAGE_FILL full (or the
    group is taller than a page): then it is split between its parts, as late as fits, and a part
    that is a group is split the same way only when no part fits."""

    def __init__(self, parts: list[Part], frame_height: float, firm: bool = True, eager: bool = False) -> None:
        self.parts = [p for p in parts if not isinstance(p, list) or p]
        self.frame_height = frame_height
        self.firm = firm
        self.eager = eager  # large print: a group that is not firm splits wherever it does not fit
        super().__init__(_flatten(self.parts))

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # reportlab draws what a split returns one by one (splitting further what does not fit)
        # when it opens with an action, as its own KeepTogether's does.
        return [RLKeepTogether.NullActionFlowable(), *self._split(avail_width, avail_height)]

    def _split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        height = self._height(self.parts, avail_width)
        if height <= avail_height + 1e-6:
            return _flatten(self.parts, deep=True)
        frame = self.frame_height
        at_top = avail_height >= frame - 1
        # What is used of the page ends in spacing that prints nothing: allow for it.
        filled = frame - avail_height >= (layout.MIN_PAGE_FILL + _FILL_ALLOWANCE) * frame
        # A group that is not firm moves whole only to keep a filled page's foot clear; in large
        # print (as Word and LibreOffice set a DOCX) it is split between its parts wherever it
        # does not fit, since its parts alone fill most of a page.
        if height <= frame and (self.firm or (filled and not self.eager)) and not at_top:
            return [RLKeepTogether.FrameBreak(), self]
        # Split between parts: as many as fit here, the rest kept together for the next page.
        # A part more never makes the parts shorter: the most that fit is found by halving, with
        # log2(parts) prefixes wrapped, not every one (a group of hundreds of parts was wrapped
        # hundreds of times on each page it crossed).
        fits, most = 0, len(self.parts) - 1
        while fits < most:
            n = (fits + most + 1) // 2
            if self._height(self.parts[:n], avail_width) <= avail_height:
                fits = n
            else:
                most = n - 1
        if fits:
            rest = _Keep(self.parts[fits:], frame, self.firm, self.eager)
            return [*_flatten(self.parts[:fits], deep=True), rest]
        first = self.parts[0]
        if isinstance(first, _Keep):
            first.canv = getattr(self, "canv", None)
            return [*first._split(avail_width, avail_height), *self._rest()]
        flowing = not any(getattr(f, "room", False) or isinstance(f, _Box) for f in first)
        if not at_top and (self.firm or filled or not flowing) and self._height([first], avail_width) <= frame:
            return [RLKeepTogether.FrameBreak(), self]  # its first part starts the next page whole
        if height > frame:
            smaller = _glued(first)  # a part taller than a page: split where nothing is glued
            if len(smaller) > 1:
                inner = _Keep([*smaller, *self.parts[1:]], frame, self.firm, self.eager)
                inner.canv = getattr(self, "canv", None)
                return inner._split(avail_width, avail_height)
        if at_top or ((height > frame or flowing) and self._height([first[:1]], avail_width) <= avail_height):
            # Taller than a page, or text, lists and tables that may flow on: reportlab splits them.
            return [*first, *self._rest()]
        # A question with its room to answer, or a note with its extract: on the next page.
        return [RLKeepTogether.FrameBreak(), self]

    def _rest(self) -> list[Flowable]:
        return [_Keep(self.parts[1:], self.frame_height, self.firm, self.eager)] if self.parts[1:] else []

    def _height(self, parts: list[Part], avail_width: float) -> float:
        _, height = _listWrapOn(_flatten(parts, deep=True), avail_width, getattr(self, "canv", None))
        return float(height)

    def prepend(self, flowables: list[Flowable]) -> _Keep:
        """This group with `flowables` (a heading) joined to its first part."""
        first = self.parts[0]
        head: Part = first.prepend(flowables) if isinstance(first, _Keep) else [*flowables, *first]
        return _Keep([head, *self.parts[1:]], self.frame_height, self.firm, self.eager)


def _glued(flowables: list[Flowable]) -> list[Part]:
    """A run of flowables as the parts no page break may fall inside: a heading or a note kept
    with the next (a content note with its extract) joined to what follows, room to answer joined
    to its question, spacing to what it follows."""
    parts: list[Part] = []
    glue = False
    for f in flowables:
        current = parts[-1] if parts else None
        if isinstance(current, list) and (glue or isinstance(f, Spacer) or getattr(f, "room", False)):
            current.append(f)
        else:
            parts.append([f])
        if not isinstance(f, Spacer):
            glue = isinstance(f, _Heading) or bool(getattr(f, "keepWithNext", 0))
    return parts


def _flatten(parts: list[Part], deep: bool = False) -> list[Flowable]:
    """The flowables of some parts: groups among them as they are, or (`deep`) as their flowables."""
    out: list[Flowable] = []
    for part in parts:
        if isinstance(part, _Keep):
            out += _flatten(part.parts, deep) if deep else [part]
        else:
            out += part
    return out


class _Writer:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.m = layout.metrics(document.large_print)
        self.styles = _Styles(self.m)
        self.top = self.top_margin()

    def flowables(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Flowables for blocks; a heading is kept on the same page as the block after it."""
        out: list[Flowable] = []
        pending: list[Flowable] = []
        for block in blocks:
            made = self.block(block)
            if isinstance(block, Heading):
                pending += made
                continue
            if pending:  # the heading stays with the block's first part (a list flows on after it)
                if made and isinstance(made[0], _Keep):
                    made = [made[0].prepend(pending), *made[1:]]
                elif made:
                    k = next((i for i, f in enumerate(made) if not isinstance(f, Spacer)), len(made) - 1)
                    made = [self.keep([pending + made[: k + 1]], firm=False), *made[k + 1 :]]
                else:
                    made = pending
                pending = []
            out += made
        return out + pending

    def keep(self, parts: list[Part], firm: bool = True) -> _Keep:
        return _Keep(parts, self.frame_height(), firm, self.document.large_print)

    def group(self, blocks: tuple[Block, ...], firm: bool = True) -> _Keep:
        """Blocks kept together: each group among them is a part of its own, the flowables between
        them parts that are never split, and a heading joined to the part after it."""
        parts: list[Part] = []
        for block in blocks:
            for f in self.block(block):
                if isinstance(f, _Keep):
                    parts.append(f)
                elif parts and isinstance(parts[-1], list):
                    parts[-1].append(f)
                else:
                    parts.append([f])
        joined: list[Part] = []
        for part in parts:
            last = joined[-1] if joined else None
            if isinstance(last, list) and _ends_with_heading(last):
                joined[-1] = part.prepend(last) if isinstance(part, _Keep) else [*last, *part]
            else:
                joined.append(part)
        return self.keep(joined, firm)

    def block(self, block: Block) -> list[Flowable]:
        st, m = self.styles, self.m
        match block:
            case TitleBlock(title=title, label=label, subtitle=subtitle, fields=fields):
                # The title and the edition's label stay together; the title is the first bookmark.
                head = [_Heading(markup(title), st.title, 1, title), RLParagraph(markup(label, bold=True), st.label)]
                return [self.keep([head]), RLParagraph(markup(subtitle), st.lead), *self.fields(fields)]
            case Heading(level=level, text=text):
                return [_Heading(markup(text), st.heading[level], level, text)]
            case Paragraph(spans=sp, style=style):
                return [RLParagraph(_spans(sp, m), getattr(st, style))]
            case Quote(paragraphs=paras, citation=cite):
                rows = [[RLParagraph(markup(p), st.quote)] for p in paras]
                rows.append([RLParagraph(markup(cite), st.citation)])
                table = self.box(rows)
                table.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), MAIN),
                            ("LINEBEFORE", (0, 0), (0, -2), 2.5, _hex(layout.QUOTE_RULE)),
                            ("LEFTPADDING", (0, 0), (-1, -1), 12),
                            ("TOPPADDING", (0, 0), (-1, -1), m.space(2)),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), m.space(2)),
                        ]
                    )
                )
                return [Spacer(1, m.space(4)), table, Spacer(1, m.space(8))]
            case Callout(kind=kind, title=title, paragraphs=paras):
                fill, rule = layout.CALLOUT_COLOURS[kind]
                if len(paras) == 1 and title.strip():  # one paragraph: its title runs in
                    rows = [[RLParagraph(markup(layout.run_in(title), bold=True) + " " + _spans(paras[0], m), st.body)]]
                else:
                    rows = [[RLParagraph(markup(title, bold=True), st.body)]] if title.strip() else []
                    rows += [[RLParagraph(_spans(p, m), st.body)] for p in paras]
                table = self.box(rows)
                table.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), MAIN),
                            ("BACKGROUND", (0, 0), (-1, -1), _hex(fill)),
                            ("LINEBEFORE", (0, 0), (0, -1), 3, _hex(rule)),
                            ("LEFTPADDING", (0, 0), (-1, -1), m.scaled(10)),
                            ("RIGHTPADDING", (0, 0), (-1, -1), m.scaled(8)),
                            ("TOPPADDING", (0, 0), (-1, -1), m.space(3)),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), m.space(3)),
                        ]
                    )
                )
                if kind in ("content-note", "summary-note"):
                    table.keepWithNext = 1
                return [Spacer(1, m.space(4)), table, Spacer(1, m.space(6))]
            case ListBlock(items=items, numbered=numbered, start=start):
                return [
                    RLParagraph(
                        _spans(item, m),
                        st.list,
                        bulletText=f"{n}." if numbered else "•",
                    )
                    for n, item in enumerate(items, start)
                ]
            case Table(rows=rows, widths=widths, header=header):
                return [self.table(rows, widths, header)]
            case WritingSpace(lines=lines):
                # The gap under them is space after (dropped at a page's foot, never pushing the
                # lines and their question to the next page), not a spacer.
                ruled = _WritingLines(lines, m.writing_line_pt, self.frame_height())
                ruled.spaceAfter = m.space(6)
                return [ruled]
            case AnswerBox(lines=lines):
                box = _AnswerBox(lines, m.writing_line_pt, self.frame_height())
                box.spaceAfter = m.space(8)
                return [box]
            case AnswerTable(columns=columns, rows=n):
                return [self.answer_table(columns, n)]
            case Quiz(questions=questions):
                return [self.quiz_question(q) for q in questions]
            case KeepTogether(blocks=inner, firm=firm):
                return [self.group(inner, firm)]
            case PageBreak():
                return [RLPageBreak()]
            case Slide():
                return self.flowables(slide_as_pages(block, self.document.notes_label))
            case _ as unreachable:
                assert_never(unreachable)

    def fields(self, labels: tuple[str, ...]) -> list[Flowable]:
        """Labelled lines to fill in (Name / Class / Date), or nothing."""
        if not labels:
            return []
        st, m = self.styles, self.m
        data = [[RLParagraph(markup(f"{label}:", bold=True), st.body), ""] for label in labels]
        table = RLTable(
            data, colWidths=[m.scaled(28 * mm), None], hAlign="LEFT", rowHeights=[m.scaled(24)] * len(labels)
        )
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
        return [Spacer(1, m.space(6)), table, Spacer(1, m.space(10))]

    def answer_table(self, columns: tuple[str, ...], n: int) -> RLTable:
        """A ruled table to fill in: its headings, then `n` empty rows ANSWER_ROW_LINES writing lines tall."""
        st, m = self.styles, self.m
        head = [RLParagraph(markup(c), st.cell_head) for c in columns]
        data = [head, *([""] * len(columns) for _ in range(n))]
        width = self.text_width() / len(columns)
        table = RLTable(
            data, colWidths=[width] * len(columns),
            rowHeights=[None, *[m.writing_line_pt * layout.ANSWER_ROW_LINES] * n],
            repeatRows=1, hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), MAIN),
                    ("GRID", (0, 0), (-1, -1), 0.6, _hex(layout.RULE_GREY)),
                    ("BACKGROUND", (0, 0), (-1, 0), _hex(layout.TABLE_HEADER_FILL)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        table.spaceAfter = m.space(8)
        table.room = True
        return table

    def quiz_question(self, q: QuizQuestion) -> _Keep:
        """A question, then a tick box and a letter before each choice (an answer key's correct
        choice is ticked and bold). Choices short enough sit side by side, in as many columns as
        keep every choice on one line."""
        st, m = self.styles, self.m
        box = m.scaled(layout.TICK_BOX_PT)
        label = m.scaled(20)  # holds a bold 'D.' with the cell's right padding
        gap = m.scaled(8)
        width = self.text_width()
        choices = q.choices
        per_row = fonts.choices_per_row([(c.text, c.correct) for c in choices], st.body.fontSize, width,
                                        box + gap + label)
        column = width / per_row
        rows: list[list[Flowable | str]] = []
        for start in range(0, len(choices), per_row):
            row: list[Flowable | str] = []
            for c in choices[start:start + per_row]:
                row += [_TickBox(box, c.correct), RLParagraph(markup(f"{c.label}.", bold=c.correct), st.body),
                        RLParagraph(markup(c.text, bold=c.correct), st.body)]
            row += [""] * (3 * per_row - len(row))
            rows.append(row)
        widths = [box + gap, label, column - box - gap - label] * per_row
        table = RLTable(rows, colWidths=widths, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), MAIN),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), m.space(1)),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        question = RLParagraph(f"{markup(f'{q.number}.', bold=True)} {markup(q.text)}", st.quiz_question)
        return self.keep([[question, table, Spacer(1, m.space(6))]])

    def box(self, rows: list[list[Flowable]]) -> _Box:
        """A one-column table of paragraphs: a quote with its citation, or a boxed note."""
        box = _Box(rows, colWidths=[None], splitInRow=1, hAlign="LEFT")
        box.page_height = self.frame_height()
        return box

    def table(self, rows: tuple[tuple[str, ...], ...], widths: tuple[float, ...], header: bool) -> RLTable:
        st = self.styles
        data = [
            [RLParagraph(markup(cell), st.cell_head if header and r == 0 else st.cell) for cell in row]
            for r, row in enumerate(rows)
        ]
        # Each column holds its longest word (with reportlab's 6 pt cell padding either side).
        minimums = [
            max(
                (
                    fonts.widest_word(row[c], st.cell.fontSize, bold=header and r == 0)
                    for r, row in enumerate(rows)
                    if c < len(row)
                ),
                default=0.0,
            )
            + 13
            for c in range(len(widths))
        ]
        col_widths = layout.fit_columns(widths, minimums, self.text_width())
        table = RLTable(data, colWidths=col_widths, repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT")
        commands: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), MAIN),
            ("GRID", (0, 0), (-1, -1), 0.5, _hex(layout.RULE_GREY)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), self.m.space(3)),
            ("BOTTOMPADDING", (0, 0), (-1, -1), self.m.space(3)),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), _hex(layout.TABLE_HEADER_FILL)))
        table.setStyle(TableStyle(commands))
        table.spaceAfter = self.m.space(6)  # as after a paragraph: small print below is not glued on
        return table

    def text_width(self) -> float:
        return float(layout.text_width_mm(self.document.paper, self.m) * mm)

    def top_margin(self) -> float:
        """The top margin in points: the variant's, or more when a long title makes the header
        wrap (room for the header, the rule 3 pt under it and a 6 pt gap)."""
        _, height = RLParagraph(markup(self.document.header), self.styles.header).wrap(self.text_width(), 10_000)
        return float(max(self.m.margin_top_mm * mm, self.m.header_distance_mm * mm + height + 9))

    def frame_height(self) -> float:
        """The height a flowable has on an empty page (the frame less its 6 pt paddings)."""
        page = PAPER[self.document.paper]
        return float(page.height_mm * mm - self.top - self.m.margin_bottom_mm * mm - 12)


def _ends_with_heading(flowables: list[Flowable]) -> bool:
    real = [f for f in flowables if not isinstance(f, Spacer)]
    return bool(real) and isinstance(real[-1], _Heading)


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outline_count = 0
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook name
        if isinstance(flowable, _Heading):
            key = f"h{self._outline_count}"
            self._outline_count += 1
            self.canv.bookmarkPage(key)
            # Outline levels may not skip (a document may start at a level-2 heading).
            level = min(flowable.outline_level - 1, self._outline_level + 1)
            self._outline_level = level
            self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=False)


def _numbered_canvas(document: Document, styles: _Styles, m: layout.Metrics) -> type[Canvas]:
    """A canvas that draws the header and 'Page X of Y' once the page count is known."""
    page = PAPER[document.paper]
    width, height = page.width_mm * mm, page.height_mm * mm
    header_style = styles.header
    footer_style = ParagraphStyle("footer", header_style, alignment=2)
    left = m.margin_left_mm * mm
    right = width - m.margin_right_mm * mm
    rule_grey = _hex(layout.RULE_GREY)

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


def render(document: Document) -> bytes:
    """The PDF bytes for a document: same document, same bytes."""
    register_fonts()
    writer = _Writer(document)
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
