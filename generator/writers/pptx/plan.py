"""Where everything on a slide goes: a model Slide laid out as one or more pages of measured boxes
(text, rules, fills, tables), text too long for one slide continued on the next. Pure geometry in
points; drawing the boxes with python-pptx is slides.py's job."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal, assert_never

from ...lesson import focus
from ...model import (
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
    plain,
)
from ..layout import fit_columns
from . import measure
from .measure import Words
from .style import SLIDE_W, DeckStyle

Align = Literal["l", "ctr"]
Anchor = Literal["t", "b", "ctr"]


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None  # None: the style's ink


@dataclass(frozen=True)
class Para:
    """A paragraph as drawn: its runs, size, exact line height and what goes before it."""

    runs: tuple[Run, ...]
    size: float
    line: float
    space_before: float = 0.0
    number: int | None = None  # an automatically numbered paragraph, starting at this number
    bullet: str | None = None
    indent: float = 0.0  # the hanging indent the number or bullet sits in
    align: Align = "l"


@dataclass(frozen=True)
class TextBox:
    x: float
    y: float
    w: float
    h: float
    paras: tuple[Para, ...]
    name: str
    anchor: Anchor = "t"
    fill: str | None = None  # a filled shape holding text (a quiz option's letter)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    name: str
    line: str | None = None


@dataclass(frozen=True)
class Grid:
    """A table: column widths, row heights, each cell's paragraphs; the first row may be a header."""

    x: float
    y: float
    widths: tuple[float, ...]
    heights: tuple[float, ...]
    cells: tuple[tuple[tuple[Para, ...], ...], ...]
    header: bool
    name: str
    pad_x: float
    pad_y: float


Shape = TextBox | Rect | Grid


@dataclass
class Page:
    """One slide as drawn: its title box, its shapes and speaker notes, and the words on it."""

    title: TextBox
    shapes: list[Shape] = field(default_factory=list)
    notes: tuple[tuple[Span, ...], ...] = ()
    words: int = 0
    kind: str = ""  # the model slide's kind (the slide's name in the deck)


# ---------------------------------------------------------------------------------------
# Text: paragraphs with their words measured


@dataclass(frozen=True)
class Text:
    """A paragraph to lay out: spans, how it is set, and its measured words."""

    spans: tuple[Span, ...]
    size: float
    bold: bool = False
    color: str | None = None
    number: int | None = None
    bullet: str | None = None

    @cached_property
    def words(self) -> Words:
        return _words(self.spans, self.bold)


_words_cache: dict[tuple[tuple[Span, ...], bool], Words] = {}


def _words(spans: tuple[Span, ...], bold: bool) -> Words:
    key = (spans, bold)
    found = _words_cache.get(key)
    if found is None:
        found = measure.words([(s.text, bold or s.bold) for s in spans])
        if len(_words_cache) > 5000:
            _words_cache.clear()
        _words_cache[key] = found
    return found


def _slice(spans: tuple[Span, ...], start: int, end: int) -> tuple[Span, ...]:
    """The spans' text from character `start` to `end`."""
    out: list[Span] = []
    pos = 0
    for s in spans:
        a, b = max(start, pos), min(end, pos + len(s.text))
        if a < b:
            out.append(replace(s, text=s.text[a - pos : b - pos]))
        pos += len(s.text)
    return tuple(out)


def _clean_spans(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    return tuple(s for s in spans if s.text)


# ---------------------------------------------------------------------------------------
# Items: what a slide's blocks become, each knowing its height and how to place itself


Decoration = Literal["plain", "quote", "callout", "list"]


@dataclass
class TextItem:
    """Paragraphs that may continue on the next slide (at word boundaries): plain text, an extract
    (its citation under every part), a boxed note (its label at the top of every part) or a list."""

    decoration: Decoration
    texts: list[Text]
    st: DeckStyle
    name: str
    label: str | None = None
    fill: str = ""
    rule: str = ""
    label_color: str = ""
    citation: str | None = None
    counted: bool = True  # its words count towards the slide's limit
    anchor: Anchor = "t"
    lead: bool = False  # leads into the next item: never left on a slide without it

    def __post_init__(self) -> None:
        self.texts = [t for t in self.texts if t.words.starts]
        self.owner: list[tuple[int, int]] = [(k, i) for k, t in enumerate(self.texts) for i in range(len(t.words))]
        self._heights: dict[tuple[int, int, int], float] = {}  # (paragraph, first, end word) -> height
        st = self.st
        if self.decoration == "quote":
            self.text_x, self.text_w = st.margin_x + 26, st.content_w - 26
        elif self.decoration == "callout":
            self.text_x, self.text_w = st.margin_x + 10 + 20, st.content_w - 10 - 40
        elif self.decoration == "list":
            widest = max((t.number or 0 for t in self.texts), default=0)
            marker = f"{widest}." if widest else "•"
            size = max((t.size for t in self.texts), default=st.body_pt)
            self.indent = round(measure.width_em(marker) * size + 0.6 * size, 1)
            self.text_x, self.text_w = st.margin_x, st.content_w
        else:
            self.text_x, self.text_w = st.margin_x, st.content_w
        self.gap = 14.0 if self.decoration in ("plain", "callout") else 12.0
        if self.citation:
            cite = Text((Span(self.citation),), st.small_pt, color=st.muted)
            lines = measure.line_count(cite.words, 0, len(cite.words), self.text_w, cite.size)
            self.cite_h = lines * st.line(st.small_pt)
        self.label_h = st.line(st.small_pt) if self.label else 0.0

    @property
    def tokens(self) -> int:
        return len(self.owner)

    def _wrap_w(self) -> float:
        return self.text_w - (self.indent if self.decoration == "list" else 0.0)

    def pieces(self, i: int, j: int) -> list[tuple[int, int, int]]:
        """(paragraph, first word, end word) of tokens i..j-1 (the tokens are each paragraph's
        words in order: the paragraphs between the first and the last are whole)."""
        if j <= i:
            return []
        (first, a), (last, z) = self.owner[i], self.owner[j - 1]
        if first == last:
            return [(first, a, z + 1)]
        whole = [(k, 0, len(self.texts[k].words)) for k in range(first + 1, last)]
        return [(first, a, len(self.texts[first].words)), *whole, (last, 0, z + 1)]

    def text_height(self, i: int, j: int) -> float:
        """The height of tokens i..j-1: their pieces' heights (as pieces() gives them) and the gaps
        between, added up in order."""
        if j <= i:
            return 0.0
        (first, a), (last, z) = self.owner[i], self.owner[j - 1]
        if first == last:
            return self._piece_h(first, a, z + 1)
        total = self._piece_h(first, a, len(self.texts[first].words))
        for k in range(first + 1, last):
            total += self._piece_h(k, 0, len(self.texts[k].words)) + self.gap
        return total + (self._piece_h(last, 0, z + 1) + self.gap)

    def _piece_h(self, k: int, a: int, b: int) -> float:
        """The height of words a..b-1 of paragraph k, measured once (sharing text out over slides
        asks for the same pieces again and again)."""
        found = self._heights.get((k, a, b))
        if found is None:
            t = self.texts[k]
            found = self._heights[(k, a, b)] = (
                measure.line_count(t.words, a, b, self._wrap_w(), t.size) * self.st.line(t.size)
            )
        return found

    def height(self, i: int, j: int) -> float:
        return self.text_height(i, j) + self.extra()

    def extra(self) -> float:
        if self.decoration == "quote":
            return (12 + self.cite_h) if self.citation else 0.0
        if self.decoration == "callout":
            return 2 * 18 + (self.label_h + 8 if self.label else 0.0)
        return 0.0

    def words(self, i: int, j: int) -> int:
        return j - i if self.counted else 0

    def cost(self, j: int) -> float:
        k, w = self.owner[j - 1]
        t = self.texts[k]
        last = w == len(t.words) - 1
        word = t.words.text[t.words.starts[w] : t.words.ends[w]]
        return measure.break_cost(word, last, inside_item=self.decoration == "list")

    def place(self, i: int, j: int, y: float, page: Page) -> float:
        """Draw tokens i..j-1 at `y` on `page`; the height used."""
        st = self.st
        paras: list[Para] = []
        for n, (k, a, b) in enumerate(self.pieces(i, j)):
            t = self.texts[k]
            w = t.words
            whole = a == 0 and b == len(w)
            spans = t.spans if whole else _slice(t.spans, w.starts[a], w.ends[b - 1])
            continues = a > 0  # a list item continued from the slide before keeps no number
            paras.append(
                Para(
                    tuple(Run(s.text, s.bold or t.bold, s.italic and st.italic, t.color) for s in _clean_spans(spans)),
                    t.size,
                    st.line(t.size),
                    self.gap if n else 0.0,
                    None if continues else t.number,
                    None if continues else t.bullet,
                    self.indent if self.decoration == "list" else 0.0,
                )
            )
        text_h = self.text_height(i, j)
        h = text_h + self.extra()
        if self.decoration == "quote":
            page.shapes.append(Rect(st.margin_x, y + 4, 6, max(text_h - 4, 2), st.quote_rule, "Quote rule"))
            page.shapes.append(TextBox(self.text_x, y, self.text_w, text_h, tuple(paras), self.name))
            if self.citation:
                cite = Para((Run(self.citation, color=st.muted),), st.small_pt, st.line(st.small_pt))
                page.shapes.append(TextBox(self.text_x, y + text_h + 12, self.text_w, self.cite_h, (cite,), "Citation"))
        elif self.decoration == "callout":
            page.shapes.append(Rect(st.margin_x, y, st.content_w, h, self.fill, f"{self.name} box"))
            page.shapes.append(Rect(st.margin_x, y, 10, h, self.rule, f"{self.name} rule"))
            top = y + 18
            if self.label:
                label = Para((Run(self.label, bold=True, color=self.label_color),), st.small_pt, st.line(st.small_pt))
                page.shapes.append(TextBox(self.text_x, top, self.text_w, self.label_h, (label,), f"{self.name} label"))
                top += self.label_h + 8
            page.shapes.append(TextBox(self.text_x, top, self.text_w, text_h, tuple(paras), self.name))
        else:
            page.shapes.append(TextBox(self.text_x, y, self.text_w, text_h, tuple(paras), self.name, self.anchor))
        page.words += self.words(i, j)
        return h


@dataclass
class RowsItem:
    """Rows that are never split: a table (its header repeated on every slide it reaches) or a quiz
    question (the question repeated above its options)."""

    st: DeckStyle
    name: str
    heights: list[float]
    counts: list[int]
    head_h: float  # the header row's, or the quiz question's, height and the gap under it
    head_words: int
    draw: Callable[[Sequence[int], float, Page], None]
    row_gap: float = 0.0
    broken: bool = False  # a word is wider than its column (it would break inside)


def _table_item(rows: tuple[tuple[str, ...], ...], weights: tuple[float, ...], header: bool, st: DeckStyle,
                name: str, room: float) -> RowsItem | None:
    """A table whose columns keep every word whole (a web address may break after a dot or a
    slash), or None when that makes a row (under the header) taller than `room`, an empty
    slide's, or a word wider than its column: nothing on a slide breaks inside a word."""
    item = _table_at(rows, weights, header, st, name, whole=True)
    if item.head_h + max(item.heights, default=0.0) <= room + 0.01 and not item.broken:
        return item
    return None


def _table_at(rows: tuple[tuple[str, ...], ...], weights: tuple[float, ...], header: bool, st: DeckStyle,
              name: str, whole: bool) -> RowsItem:
    size = st.small_pt
    pad_x, pad_y = 8.0, 6.0
    cols = max((len(r) for r in rows), default=0)
    # A web address may break after a dot or a slash (never inside a word): its pieces are what
    # its column must hold.
    pieces = [[Text((Span(_address_breaks(c, 0.0, size, header and r == 0)),), size, bold=header and r == 0)
               for c in row] for r, row in enumerate(rows)]
    least = [max((measure.widest_word_pt(pieces[r][c].words, size) for r in range(len(rows)) if c < len(pieces[r])),
                 default=0.0) + 2 * pad_x + 2 for c in range(cols)]
    ws = weights[:cols] if len(weights) >= cols else (1.0,) * cols
    widths = fit_columns(ws, least, st.content_w, whole)
    rows = tuple(tuple(_address_breaks(cell, widths[c] - 2 * pad_x - 2, size, header and r == 0)
                       for c, cell in enumerate(row)) for r, row in enumerate(rows))
    texts = [[Text((Span(c),), size, bold=header and r == 0) for c in row] for r, row in enumerate(rows)]
    line = st.line(size)

    def row_h(r: int) -> float:
        return max(
            (measure.line_count(t.words, 0, len(t.words), widths[c] - 2 * pad_x, size) * line
             for c, t in enumerate(texts[r])),
            default=line,
        ) + 2 * pad_y

    first = 1 if header else 0
    body = list(range(first, len(rows)))
    head_h = row_h(0) if header else 0.0

    def cell(r: int, c: int) -> tuple[Para, ...]:
        t = texts[r][c]
        return (Para((Run(rows[r][c], bold=t.bold),), size, line),) if rows[r][c] else ()

    def draw(chosen: Sequence[int], y: float, page: Page) -> None:
        order = ([0] if header else []) + [body[i] for i in chosen]
        page.shapes.append(
            Grid(
                st.margin_x, y, tuple(widths), tuple(row_h(r) for r in order),
                tuple(tuple(cell(r, c) for c in range(cols)) for r in order), header, name, pad_x, pad_y,
            )
        )  # fmt: skip
        page.words += sum(measure.word_count(" ".join(rows[r])) for r in order)

    broken = any(measure.widest_word_pt(t.words, size) > widths[c] - 2 * pad_x
                 for row in texts for c, t in enumerate(row))
    return RowsItem(st, name, [row_h(r) for r in body], [measure.word_count(" ".join(rows[r])) for r in body],
                    head_h, measure.word_count(" ".join(rows[0])) if header else 0, draw, broken=broken)


_ADDRESS_PIECE = re.compile(r"[^./]+[./]?|[./]")


def _address_breaks(text: str, room: float, size: float, bold: bool) -> str:
    """`text` with a line break after a dot or slash in each web address wider than `room` points
    (every such place when `room` is 0), as late in the address as its lines still fit."""
    out: list[str] = []
    for word in text.split(" "):
        if ("." not in word and "/" not in word) or len(word) < 12:
            out.append(word)
            continue
        if room > 0 and measure.width_em(word, bold) * size <= room:
            out.append(word)
            continue
        parts = _ADDRESS_PIECE.findall(word)
        if room <= 0:
            out.append("\n".join(parts))
            continue
        lines = [""]
        for part in parts:
            if lines[-1] and measure.width_em(lines[-1] + part, bold) * size > room:
                lines.append(part)
            else:
                lines[-1] += part
        out.append("\n".join(lines))
    return " ".join(out)


def _quiz_items(q: QuizQuestion, st: DeckStyle, room: float) -> list[Item]:
    """A quiz question above its options, at body size, or at small size where that keeps all the
    options on one slide with the question. A question so long that it and its tallest option
    do not fit one slide is set as text, its options after it (continued on the next slide)."""
    for size in (st.body_pt, st.small_pt):
        item = _quiz_at(q, st, size)
        total = item.head_h + sum(item.heights) + item.row_gap * (len(item.heights) - 1)
        if total <= room and item.head_words + sum(item.counts) <= st.max_words:
            break
    if item.head_h + max(item.heights, default=0.0) <= room + 0.01:
        return [item]
    question = TextItem("plain", [Text((Span(q.text),), st.small_pt, bold=True)], st, "Quiz question")
    return [question, _quiz_at(q, st, st.small_pt, with_question=False)]


def _quiz_at(q: QuizQuestion, st: DeckStyle, size: float, with_question: bool = True) -> RowsItem:
    line = st.line(size)
    badge, pad, gap = round(size * 1.5, 1), 8.0, 10.0
    text_w = st.content_w - badge - 2 * pad - 14
    question = Text((Span(q.text),), size, bold=True)
    q_h = measure.line_count(question.words, 0, len(question.words), st.content_w, size) * line
    opts = [Text((Span(c.text),), size) for c in q.choices]
    lines = [measure.line_count(t.words, 0, len(t.words), text_w, size) for t in opts]
    heights = [max(badge, n * line) + 2 * pad for n in lines]

    def draw(chosen: Sequence[int], y: float, page: Page) -> None:
        if with_question:
            page.shapes.append(TextBox(st.margin_x, y, st.content_w, q_h,
                                       (Para((Run(q.text, bold=True),), size, line),), "Quiz question"))
            y += q_h + 22
            page.words += measure.word_count(q.text)
        for n, i in enumerate(chosen):
            if n:
                y += gap
            c, h = q.choices[i], heights[i]
            page.shapes.append(Rect(st.margin_x, y, st.content_w, h, st.panel_fill, f"Option {c.label} box", st.rule))
            letter = Para((Run(c.label, bold=True, color="FFFFFF"),), size, line, align="ctr")
            page.shapes.append(TextBox(st.margin_x + pad, y + (h - badge) / 2, badge, badge, (letter,),
                                       f"Option {c.label} letter", "ctr", st.accent))
            text_h = lines[i] * line
            page.shapes.append(TextBox(st.margin_x + pad + badge + 14, y + (h - text_h) / 2, text_w, text_h,
                                       (Para((Run(c.text),), size, line),), f"Option {c.label}"))
            y += h
        page.words += sum(measure.word_count(q.choices[i].text) for i in chosen)

    head_h, head_words = (q_h + 22, measure.word_count(q.text)) if with_question else (0.0, 0)
    return RowsItem(st, "Quiz", heights, [measure.word_count(t.spans[0].text) for t in opts], head_h, head_words,
                    draw, gap)


Item = TextItem | RowsItem


# ---------------------------------------------------------------------------------------
# Blocks to items


# Slides whose text is set as large as fits (a question, a note read before an extract).
_LARGE_KINDS = ("question", "content-note", "summary-note")
_LISTS = ("keywords", "activity", "answers", "remember", "support")


def _room(slide: Slide, st: DeckStyle, continued: str) -> float:
    """The height under the title of an empty slide, the first or a continued one (the smaller)."""
    tops = [_new_page(title, st, False, ())[1] for title in (slide.title, f"{slide.title} {continued}")]
    return st.bottom - max(tops)


def _items(blocks: Sequence[Block], slide: Slide, st: DeckStyle, room: float, lines: bool = False) -> list[Item]:
    """The blocks as items to place; `room` is an empty slide's (_room), which no table row or
    quiz question with its tallest option may outgrow."""
    items: list[Item | _Paragraphs] = []
    body = st.question_pt if slide.kind in _LARGE_KINDS else st.body_pt
    for block in blocks:
        match block:
            case Paragraph(spans=spans, style=kind):
                small = kind == "small"
                intro = slide.kind == "extract"  # the sentence that leads into the extract
                text = Text(spans, st.small_pt if small or intro else body, color=st.muted if small or intro else None)
                last = items[-1] if items else None
                if isinstance(last, _Paragraphs) and last.name == f"Text {kind}":
                    # Paragraphs in a row are one text: shared out over slides together, evenly
                    # (gathered first and measured once: thousands of them stay linear).
                    last.texts.append(text)
                    last.lead = intro
                elif isinstance(last, TextItem) and last.name == f"Text {kind}":  # the end of a KeepTogether
                    items[-1] = _Paragraphs([*last.texts, text], last.name, intro)
                else:
                    items.append(_Paragraphs([text], f"Text {kind}", intro))
            case Heading(text=text):
                items.append(TextItem("plain", [Text((Span(text),), st.body_pt, bold=True)], st, "Heading"))
            case TitleBlock(title=title, subtitle=subtitle):
                items.append(TextItem("plain", [Text((Span(title),), st.body_pt, bold=True),
                                                Text((Span(subtitle),), st.body_pt)], st, "Text"))
            case Quote(paragraphs=paras, citation=citation):
                items.append(TextItem("quote", [Text((Span(p),), st.quote_pt) for p in paras], st, "Extract",
                                      citation=citation or None))
            case Callout(kind=kind, title=title, paragraphs=paras):
                note = kind in ("content-note", "summary-note", "teacher-note")
                items.append(TextItem(
                    "callout", [Text(p, body) for p in paras], st, "Note" if note else "Key",
                    label=title or None, fill=st.note_fill if note else st.key_fill,
                    rule=st.note_rule if note else st.key_rule, label_color=st.note_label if note else st.key_rule,
                ))  # fmt: skip
            case ListBlock(items=entries, numbered=numbered, start=start):
                items.append(TextItem("list", [
                    Text(item, st.body_pt, number=start + n if numbered else None, bullet=None if numbered else "•")
                    for n, item in enumerate(entries)
                ], st, "Steps" if numbered else "List"))  # fmt: skip
            case Table(rows=rows, widths=widths, header=header):
                if rows:
                    table = None if lines else _table_item(rows, widths, header, st, "Table", room)
                    if table is None:  # no columns keep every word whole: a line for each row
                        body_rows = rows[1:] if header else rows
                        items.append(TextItem("plain", [
                            Text((Span(r[0], bold=True), Span(" — " + " — ".join(c for c in r[1:] if c))), st.small_pt)
                            for r in body_rows if r
                        ], st, "Table rows"))  # fmt: skip
                    else:
                        items.append(table)
            case Quiz(questions=questions):
                items += [i for q in questions for i in _quiz_items(q, st, room)]
            case KeepTogether(blocks=inner):
                items += _items(inner, slide, st, room, lines)
            case WritingSpace() | AnswerBox() | AnswerTable() | PageBreak():
                pass  # room to write is for paper; a slide is never broken by hand
            case Slide():
                raise ValueError("a slide cannot hold another slide")
            case _ as unreachable:
                assert_never(unreachable)
    return [TextItem("plain", i.texts, st, i.name, lead=i.lead) if isinstance(i, _Paragraphs) else i for i in items]


@dataclass
class _Paragraphs:
    """Paragraphs in a row, gathered before they become one TextItem."""

    texts: list[Text]
    name: str
    lead: bool


# ---------------------------------------------------------------------------------------
# Titles


def _title_fit(title: str, st: DeckStyle, cover: bool) -> tuple[float, int]:
    """The size a slide's title is set at and its lines: as large as fits two lines (three on the
    title slide), else the smallest title size."""
    words = _words((Span(title),), True)
    sizes = (st.cover_title_pt, st.title_pt) if cover else (st.title_pt, st.title_min_pt)
    most = 3 if cover else 2
    for size in sizes:
        lines = measure.line_count(words, 0, len(words), st.content_w, size)
        if lines <= most:
            return size, lines
    size = sizes[-1]
    return size, measure.line_count(words, 0, len(words), st.content_w, size)


def _greedy(text: str, size: float, width: float) -> list[str]:
    """Bold text set in lines no wider than `width`, measured as the title's lines are counted."""
    w = _words((Span(text),), True)
    lines: list[str] = []
    i = 0
    while i < len(w):
        j = i + 1
        while j < len(w) and measure.line_count(w, i, j + 1, width, size) == 1:
            j += 1
        lines.append(text[w.starts[i] : w.ends[j - 1]])
        i = j
    return lines


_MINUTES = re.compile(r"^(.*\S)\s+(\([^()]*\))$")


def _title_lines(title: str, size: float, st: DeckStyle, lines: int) -> str:
    """A title that wraps, broken by hand ('\\n') into as many lines of about equal length, so that
    no word or two is left alone on its last line; a closing '(… minutes)' goes on a line of its
    own."""
    if lines < 2:
        return title
    found = _MINUTES.match(title)
    if found:
        return "\n".join([*_balanced(found.group(1), size, st.content_w), found.group(2)])
    return "\n".join(_balanced(title, size, st.content_w))


def _balanced(text: str, size: float, width: float) -> list[str]:
    """`text` in as few lines as `width` allows, set in the narrowest width that keeps that many."""
    best = _greedy(text, size, width)
    low, high = width / 2, width
    for _ in range(12):
        middle = (low + high) / 2
        trial = _greedy(text, size, middle)
        if len(trial) <= len(best):
            best, high = trial, middle
        else:
            low = middle
    return best


def _new_page(title: str, st: DeckStyle, cover: bool, notes: tuple[tuple[Span, ...], ...],
              kind: str = "") -> tuple[Page, float]:
    """A page with its title set; where its body starts."""
    size, lines = _title_fit(title, st, cover)
    shown = _title_lines(title, size, st, lines)
    lines = max(lines, shown.count("\n") + 1)
    line = round(size * 1.15, 1)
    top = st.margin_top + (34 if cover else 0)
    h = lines * line
    box = TextBox(st.margin_x, top, st.content_w, h, (Para((Run(shown, bold=True, color=st.accent),), size, line),),
                  "Title", "b")
    page = Page(box, notes=notes, kind=kind)
    if cover:
        page.shapes.append(Rect(0, 0, SLIDE_W, 14, st.accent, "Accent band"))
        page.shapes.append(Rect(st.margin_x, top + h + 12, 160, 5, st.accent, "Rule"))
        return page, top + h + 36
    page.shapes.append(Rect(st.margin_x, top + h + 8, st.content_w, 2, st.accent, "Title rule"))
    return page, top + h + 26


# ---------------------------------------------------------------------------------------
# Laying out a slide


def slides_of(document: Document) -> list[Slide]:
    """The document's Slides in order. Blocks outside any Slide (a document that is not a deck) are
    shown on slides of their own, titled with the document's title, in their place."""
    slides: list[Slide] = []
    loose: list[Block] = []
    for block in (*document.blocks, None):
        if isinstance(block, Slide) or block is None:
            if loose:
                slides.append(Slide("content-note", document.title, tuple(loose)))
                loose = []
            if block is not None:
                slides.append(block)
        else:
            loose.append(block)
    return slides


def pages_of(document: Document, st: DeckStyle) -> list[Page]:
    """Every slide of the deck as drawn, in order: what the PPTX holds and what a print shows."""
    _words_cache.clear()  # measured words are for one deck: a batch of 1,000 packs holds no more than one
    return [page for slide in slides_of(document) for page in plan(slide, st, document.continued_label)]


def plan(slide: Slide, st: DeckStyle, continued: str) -> list[Page]:
    """A slide as pages: the first with the slide's title, each further one (where the blocks
    continue) with the title and `continued`; every page carries the slide's speaker notes. A
    question's slide that shows extracts keeps fewer of their sentences (those the question is
    about) until it fits one slide."""
    laid = _plan(slide, st, continued)
    if len(laid) > 1 and slide.kind == "question":
        return _question_on_one(slide, st, continued) or laid
    if len(laid) > 1 and slide.kind in _LISTS:
        # A list (keywords, steps, services, answers) that fits one slide stays on one: the word
        # budget shares out prose, not the items of a list the class reads down.
        # The items come down to the small size, and a table's rows become lines (the help
        # services), if that keeps them on one slide.
        for size, lines in ((st.body_pt, False), (st.small_pt, False), (st.small_pt, True)):
            whole = _plan(slide, replace(st, max_words=10**6), continued, size, lines)
            if len(whole) == 1:
                return whole
    return laid


def _question_on_one(slide: Slide, st: DeckStyle, continued: str) -> list[Page] | None:
    quotes = [b for b in slide.blocks if isinstance(b, Quote)]
    if not quotes:
        return None
    question = " ".join(plain(b.spans) for b in slide.blocks if isinstance(b, Paragraph))
    most = max(sum(focus.words(p) for p in q.paragraphs) for q in quotes)
    whole = max(focus.least(q.paragraphs, question) for q in quotes)
    # Whole sentences first; only when even one sentence each is too much, cut within one.
    for per in [*range(most - 4, whole - 1, -4), whole, *range(whole - 4, 7, -4)]:
        blocks = tuple(
            Quote(focus.focus(b.paragraphs, question, per), b.citation) if isinstance(b, Quote) else b
            for b in slide.blocks
        )
        laid = _plan(replace(slide, blocks=blocks), st, continued)
        if len(laid) == 1:
            return laid
    return None


def _plan(slide: Slide, st: DeckStyle, continued: str, size: float | None = None, lines: bool = False) -> list[Page]:
    items = _items(slide.blocks, slide, st, _room(slide, st, continued), lines)
    if size is not None:
        items = [_resized(i, size) for i in items]
    if slide.kind in _LARGE_KINDS:
        middle = round((st.question_pt + st.body_pt) / 2)
        # A question shown with its extracts may come down to the small size to stay on one slide.
        least = [st.small_pt] if any(isinstance(b, Quote) for b in slide.blocks) else []
        items = _largest_that_fits(items, slide, st, [st.question_pt, middle, st.body_pt, *least])
    elif slide.kind == "title":  # the title slide is one slide: its text comes down to small size if it must
        items = _largest_that_fits(items, slide, st, [st.body_pt, st.small_pt])
    layout = _Layout(slide, st, continued)
    for item in items:
        if isinstance(item, TextItem):
            layout.text(item)
        else:
            layout.rows(item)
    return layout.pages


class _Layout:
    """Pages being filled from the top: the current page, where its next block goes, and whether
    anything is on it yet."""

    def __init__(self, slide: Slide, st: DeckStyle, continued: str) -> None:
        self.slide, self.st = slide, st
        self.later_title = f"{slide.title} {continued}"
        _, later_top = _new_page(self.later_title, st, False, ())
        self.full_room = st.bottom - later_top
        self.page, self.y = _new_page(slide.title, st, slide.kind == "title", slide.notes, slide.kind)
        self.pages = [self.page]
        self.started = False
        self.leads_only = True  # only lead-ins on the page so far (or nothing)

    def next_page(self) -> None:
        self.page, self.y = _new_page(self.later_title, self.st, False, self.slide.notes, self.slide.kind)
        self.pages.append(self.page)
        self.started = False
        self.leads_only = True

    def _fits(self, item: TextItem) -> Callable[[int, int, bool], bool]:
        """Whether tokens i..j-1 of `item` fit: on what is left of this page (first) or on a new one."""
        st = self.st
        room = st.bottom - self.y - (st.gap if self.started else 0.0)
        words_left = st.max_words - self.page.words

        def fits(i: int, j: int, first: bool) -> bool:
            limit, most = (room, words_left) if first else (self.full_room, st.max_words)
            return item.words(i, j) <= most and item.height(i, j) <= limit + 0.01

        return fits

    def text(self, item: TextItem) -> None:
        """Place text, continued over as few pages as hold it; it starts on this page only if a
        fair part of it (more than two lines) fits here. Text with a word too big for an empty
        slide under a long title (a word of wide letters in large print) is set smaller until every
        word fits, rather than not at all."""
        for size in _FALLBACK_PT:
            fits = self._fits(item)
            here = self.started or not item.tokens or fits(0, 1, True)  # an empty page is never left empty
            if here and all(fits(i, i + 1, False) for i in range(item.tokens)):
                break
            texts = [replace(t, size=min(t.size, size)) for t in item.texts]
            item = TextItem(item.decoration, texts, item.st, item.name, item.label, item.fill, item.rule,
                            item.label_color, item.citation, item.counted, item.anchor, item.lead)
        self._text(item)

    def _text(self, item: TextItem) -> None:
        n = item.tokens
        if not n:
            return
        fits = self._fits(item)
        ends: list[int] | None = [n] if fits(0, n, True) else None
        if ends is None and self.started:
            ends = measure.share_out(n, fits, item.cost)
            small = ends is not None and item.height(0, ends[0]) < 2.5 * self.st.line(self.st.body_pt) + item.extra()
            if small and not self.leads_only:  # a lead-in (an extract's intro) is never left alone
                ends = None
            if ends is None:
                self.next_page()
        if ends is None:
            ends = measure.share_out(n, self._fits(item), item.cost)
            if ends is None:
                raise ValueError(f"slide '{self.slide.title}': its text does not fit an empty slide")
        start = 0
        for k, end in enumerate(ends):
            if k:
                self.next_page()
            if self.started:
                self.y += self.st.gap
            self.y += item.place(start, end, self.y, self.page)
            self.leads_only = self.leads_only and item.lead
            self.started = True
            start = end

    def rows(self, item: RowsItem) -> None:
        """Place rows that are never split, as many to a page as fit, the header (or the quiz
        question) above them on every page."""
        st = self.st
        chosen: list[int] = []
        y_start = rows_h = 0.0
        rows_words = 0
        for r, (h, count) in enumerate(zip(item.heights, item.counts, strict=True)):
            if chosen:
                need = item.row_gap + h
                if y_start + rows_h + need <= st.bottom + 0.01 and self.page.words + rows_words + count <= st.max_words:
                    chosen.append(r)
                    rows_h += need
                    rows_words += count
                    continue
                item.draw(chosen, y_start, self.page)
                self.next_page()
            need, words = item.head_h + h, item.head_words + count
            gap = st.gap if self.started else 0.0
            if self.started and (self.y + gap + need > st.bottom + 0.01 or self.page.words + words > st.max_words):
                self.next_page()
                gap = 0.0
            y_start = self.y + gap
            if y_start + need > st.bottom + 0.01:
                raise ValueError(f"slide '{self.slide.title}': a row is taller than a slide")
            chosen, rows_h, rows_words = [r], need, words
        if chosen:
            item.draw(chosen, y_start, self.page)
            self.y = y_start + rows_h
            self.started = True


# Sizes tried, in turn, for text with a word that does not fit an empty slide at its own size.
_FALLBACK_PT = (24.0, 20.0, 16.0, 12.0, 10.0)


def _largest_that_fits(items: list[Item], slide: Slide, st: DeckStyle, sizes: list[float]) -> list[Item]:
    """A slide's text at the largest of `sizes` that fits one slide (a question, a note); at the
    last size it continues on the next slide if it must."""
    _, top = _new_page(slide.title, st, slide.kind == "title", ())
    room = st.bottom - top
    for size in sizes:
        trial = [_resized(i, size) for i in items]
        height = sum(i.height(0, i.tokens) for i in trial if isinstance(i, TextItem)) + st.gap * (len(trial) - 1)
        words = sum(i.words(0, i.tokens) for i in trial if isinstance(i, TextItem))
        if height <= room and words <= st.max_words:
            return trial
    return trial


def _resized(item: Item, size: float) -> Item:
    if not isinstance(item, TextItem):
        return item
    texts = [replace(t, size=size) if t.size > item.st.small_pt else t for t in item.texts]
    return TextItem(item.decoration, texts, item.st, item.name, item.label, item.fill, item.rule, item.label_color,
                    item.citation, item.counted, item.anchor, item.lead)
